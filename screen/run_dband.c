/* run_dband: see run_dband.h. */
#include "screen/run_dband.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/pdos_select.h"
#include "structures/select.h"

static int grid_results(const ds_run *run, const unsigned char *mask, const run_dband_opts *o, double ref,
                        dband_result res[3], int have[3], ds_err *err)
{
    int n = run->dos.n_points, ns = 0;
    double *e = malloc((size_t)n * sizeof *e), *up = malloc((size_t)n * sizeof *up),
           *down = malloc((size_t)n * sizeof *down), *sum = malloc((size_t)n * sizeof *sum);
    int rc = (!e || !up || !down || !sum) ? ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory") : DS_OK;
    if (!rc) rc = pdos_grid_sum(&run->dos, mask, run->n_atoms, o->orbital, up, down, &ns, err);
    if (!rc) {
        for (int i = 0; i < n; i++) {
            e[i] = run->dos.energies_eV[i] - ref;
            sum[i] = up[i] + (ns == 2 ? down[i] : 0.0);
        }
        ds_err e2;
        have[0] = dband_grid(e, sum, n, o->emin, o->emax, &res[0], err) == DS_OK;
        if (!have[0]) rc = err->code;
        if (ns == 2) {
            have[1] = dband_grid(e, up, n, o->emin, o->emax, &res[1], &e2) == DS_OK;
            have[2] = dband_grid(e, down, n, o->emin, o->emax, &res[2], &e2) == DS_OK;
        }
    }
    free(e);
    free(up);
    free(down);
    free(sum);
    return rc;
}

static int level_results(const ds_run *run, const unsigned char *mask, const run_dband_opts *o, double ref,
                         dband_result res[3], int have[3], ds_err *err)
{
    double *e[2] = {NULL, NULL}, *w[2] = {NULL, NULL};
    int n[2] = {0, 0}, nspin = 0, rc = DS_OK;
    for (int s = 0; s < 2; s++) {
        ds_err e2;
        if (pdos_levels_sum(run, mask, o->orbital, s, &e[s], &w[s], &n[s], s == 0 ? err : &e2) == DS_OK) nspin++;
        else if (s == 0) return err->code;
        for (int i = 0; i < n[s]; i++) e[s][i] -= ref;
    }
    int total = n[0] + n[1];
    double *ea = malloc((size_t)total * sizeof *ea), *wa = malloc((size_t)total * sizeof *wa);
    if (!ea || !wa) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    else {
        memcpy(ea, e[0], (size_t)n[0] * sizeof *ea);
        memcpy(wa, w[0], (size_t)n[0] * sizeof *wa);
        if (n[1]) {
            memcpy(ea + n[0], e[1], (size_t)n[1] * sizeof *ea);
            memcpy(wa + n[0], w[1], (size_t)n[1] * sizeof *wa);
        }
        have[0] = dband_levels(ea, wa, total, o->emin, o->emax, o->broadening_eV, &res[0], err) == DS_OK;
        if (!have[0]) rc = err->code;
        if (nspin == 2) {
            ds_err e2;
            have[1] = dband_levels(e[0], w[0], n[0], o->emin, o->emax, o->broadening_eV, &res[1], &e2) == DS_OK;
            have[2] = dband_levels(e[1], w[1], n[1], o->emin, o->emax, o->broadening_eV, &res[2], &e2) == DS_OK;
        }
    }
    free(ea);
    free(wa);
    for (int s = 0; s < 2; s++) {
        free(e[s]);
        free(w[s]);
    }
    return rc;
}

/* CP2K writes E(Fermi) per spin (UKS: the alpha and beta HOMOs differ); one reference for
 * both spins is the highest of the headers, the run's highest occupied level. */
double run_dband_fermi(const ds_run *run)
{
    double best = -INFINITY;
    for (int p = 0; p < run->n_pdos_sets; p++)
        if (isfinite(run->pdos_sets[p].fermi_eV) && run->pdos_sets[p].fermi_eV > best) best = run->pdos_sets[p].fermi_eV;
    return isfinite(best) ? best : run->fermi_eV;
}

int run_dband(const ds_run *run, const run_dband_opts *o, unsigned char *mask_out, run_dband_out *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    int grid = run->has_dos && run->dos.n_pdos_atoms > 0;
    out->grid = grid;
    out->fermi_eV = grid ? run->fermi_eV : run_dband_fermi(run);
    out->reference_eV = o->absolute ? 0.0 : out->fermi_eV;
    if (!run->species || run->n_atoms <= 0) return ds_err_set(err, DS_ENODATA, run->path, 0, "the run has no atoms");
    unsigned char *mask = mask_out ? mask_out : calloc((size_t)run->n_atoms, 1);
    if (!mask) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    int rc = select_atoms(o->atoms, (const char (*)[4])run->species, run->n_atoms, mask, err);
    if (!rc && !o->absolute && !isfinite(out->fermi_eV))
        rc = ds_err_set(err, DS_ENODATA, run->path, 0, "the run has no Fermi level: use absolute energies");
    if (!rc && !grid && run->n_pdos_sets == 0)
        rc = ds_err_set(err, DS_ENODATA, run->path, 0,
                        "no projected DOS in this run (VASP: vasprun.xml <partial> or DOSCAR with LORBIT >= 10; "
                        "CP2K: *.pdos files)");
    if (!rc)
        rc = grid ? grid_results(run, mask, o, out->reference_eV, out->res, out->have, err)
                  : level_results(run, mask, o, out->reference_eV, out->res, out->have, err);
    if (rc && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", run->path);
    if (!mask_out) free(mask);
    return rc;
}
