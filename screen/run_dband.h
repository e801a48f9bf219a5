/* run_dband: the d-band family of one run for an atom selection and an orbital set —
 * picks the projected DOS the run carries (a VASP grid or CP2K levels), sums it over the
 * selection (descriptors/pdos_select), shifts it to the reference and takes the moments
 * (descriptors/dband), spin-summed and per spin.  Shared by `dftscreen dband` and `rank`. */
#ifndef DS_RUN_DBAND_H
#define DS_RUN_DBAND_H

#include "descriptors/dband.h"
#include "parsers/run.h"

typedef struct {
    const char *atoms;    /* selection (structures/select.h), e.g. "transition-metals" */
    const char *orbital;  /* "d", "p", "dz2", ... */
    double emin, emax;    /* window relative to the reference; +-INFINITY = whole range */
    double broadening_eV; /* CP2K levels: Gaussian sigma for the upper edge */
    int absolute;         /* 1: energies not shifted by E_F */
} run_dband_opts;

typedef struct {
    dband_result res[3]; /* [0] spin-summed, [1] up, [2] down */
    int have[3];
    int grid;            /* 1: VASP grid (trapezoid), 0: CP2K levels */
    double fermi_eV;     /* the reference E_F (NAN when unknown) */
    double reference_eV; /* what was subtracted: E_F, or 0 with absolute */
} run_dband_out;

/* mask (run->n_atoms bytes) receives the selected atoms; it may be NULL.  Errors name the
 * problem: no atoms, empty selection, no Fermi level (without absolute), no projected DOS,
 * no states in the window. */
int run_dband(const ds_run *run, const run_dband_opts *o, unsigned char *mask, run_dband_out *out, ds_err *err);

/* The Fermi level that goes with the run's projected DOS (CP2K: the .pdos header). */
double run_dband_fermi(const ds_run *run);

#endif
