/* consistency: decides whether energies of several runs may be subtracted.  Energy
 * differences are meaningless between runs made with different codes, functionals (by
 * libxc identity), dispersion corrections, plane-wave cutoffs or grid cutoffs, or
 * different pseudopotentials/basis sets for an element they share; those are refusals.
 * Differences that may or may not matter (spin treatment, smearing, PREC, k-mesh) are
 * warnings.  Every finding names the two runs and the difference. */
#ifndef DS_CONSISTENCY_H
#define DS_CONSISTENCY_H

#include "parsers/run.h"

typedef enum { CONSISTENCY_WARN = 1, CONSISTENCY_REFUSE = 2 } consistency_level;

typedef struct {
    consistency_level level;
    int run_a, run_b;          /* indices into the runs given */
    char what[48];             /* "functional", "ENCUT", "pseudopotential Zn", ... */
    char detail[320];          /* "PBE (gga_x_pbe+gga_c_pbe) vs BLYP (...)" */
} consistency_finding;

typedef struct {
    int n_findings;
    consistency_finding *findings; /* owned */
    int n_refusals;
} consistency_report;

/* Compares every run with the first (the reference of the set).  labels name the runs in
 * messages (paths).  Returns DS_OK (the report may hold findings) or DS_ENOMEM. */
int consistency_check(const ds_run *const *runs, int n_runs, consistency_report *out);
void consistency_report_free(consistency_report *r);
/* One line per finding: "REFUSE functional: a.out vs b.out: PBE (...) vs BLYP (...)". */
void consistency_format(const consistency_report *r, const ds_run *const *runs, int i, char *buf, size_t n);

#endif
