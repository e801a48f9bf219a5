/* reaction: guarded sums of run energies. */
#include "descriptors/reaction.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warn(reaction_result *r, const char *path, const char *what)
{
    if (r->n_warnings < 8) snprintf(r->warnings[r->n_warnings++], sizeof r->warnings[0], "%.512s: %.400s", path, what);
}

int reaction_energy(const reaction_term *terms, int n, int flags, reaction_result *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    out->energy_eV = out->energy_kcal_per_mol = out->energy_kJ_per_mol = NAN;
    if (n < 1) return ds_err_set(err, DS_EUSAGE, NULL, 0, "a reaction needs at least one run");
    for (int i = 0; i < n; i++) {
        const ds_run *run = terms[i].run;
        if (isnan(run_energy_eV(run)))
            return ds_err_set(err, DS_EUSAGE, run->path, 0, "no energy: the run holds no complete step");
        int bad_scf = run->converged_electronic == 0, cut = run->truncated > 0;
        if ((bad_scf || cut) && !(flags & REACTION_ALLOW_UNCONVERGED))
            return ds_err_set(err, DS_EUSAGE, run->path, 0,
                              "%s: its energy is not trustworthy (excluded by default; allow unconverged runs to use it)",
                              bad_scf ? "the SCF did not converge" : "the output is truncated");
        if (bad_scf || cut) warn(out, run->path, bad_scf ? "SCF not converged, used because allowed" : "truncated output, used because allowed");
        if (run->converged_ionic == 0 && !(bad_scf || cut))
            warn(out, run->path, "geometry optimisation did not converge: the energy is provisional");
    }
    const ds_run *runs[64];
    int m = n < 64 ? n : 64;
    for (int i = 0; i < m; i++) runs[i] = terms[i].run;
    if (consistency_check(runs, m, &out->consistency)) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    if (out->consistency.n_refusals && !(flags & REACTION_ALLOW_INCONSISTENT)) {
        char line[900];
        for (int i = 0; i < out->consistency.n_findings; i++)
            if (out->consistency.findings[i].level == CONSISTENCY_REFUSE) {
                consistency_format(&out->consistency, runs, i, line, sizeof line);
                break;
            }
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "energies cannot be combined: %s (%d difference(s) in all)", line,
                          out->consistency.n_refusals);
    }
    double e = 0.0;
    for (int i = 0; i < n; i++) e += terms[i].coefficient * run_energy_eV(terms[i].run);
    out->energy_eV = e;
    out->energy_kcal_per_mol = e * DS_EV_TO_KCAL_PER_MOL;
    out->energy_kJ_per_mol = e * DS_EV_TO_KJ_PER_MOL;
    return DS_OK;
}

void reaction_result_free(reaction_result *r)
{
    consistency_report_free(&r->consistency);
}
