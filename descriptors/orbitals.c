/* orbitals: HOMO/LUMO/gap (VBM/CBM with their k-points) per spin and overall. */
#include "descriptors/orbitals.h"

#include <math.h>
#include <string.h>

int orbitals_frontier(const run_eigen *eig, double occu_tol, orbitals_result *out, ds_err *err)
{
    out->homo_eV = -INFINITY;
    out->lumo_eV = INFINITY;
    out->homo_spin = out->homo_kpoint = out->lumo_spin = out->lumo_kpoint = -1;
    out->n_spins = eig->n_spins;
    if (!eig->energies_eV || !eig->occupations || eig->n_spins < 1 || eig->n_kpoints < 1 || eig->n_bands < 1)
        return ds_err_set(err, DS_ENODATA, NULL, 0, "the run has no eigenvalues with occupations");
    for (int s = 0; s < 2; s++) out->homo_spin_eV[s] = out->lumo_spin_eV[s] = out->gap_spin_eV[s] = NAN;
    for (int s = 0; s < eig->n_spins && s < 2; s++) {
        double homo = -INFINITY, lumo = INFINITY;
        for (int k = 0; k < eig->n_kpoints; k++)
            for (int b = 0; b < eig->n_bands; b++) {
                size_t i = ((size_t)s * eig->n_kpoints + k) * eig->n_bands + b;
                double e = eig->energies_eV[i], occ = eig->occupations[i];
                if (!isfinite(e) || isnan(occ)) continue;
                if (occ > occu_tol) {
                    if (e > homo) homo = e;
                    if (e > out->homo_eV) {
                        out->homo_eV = e;
                        out->homo_spin = s;
                        out->homo_kpoint = k;
                    }
                } else {
                    if (e < lumo) lumo = e;
                    if (e < out->lumo_eV) {
                        out->lumo_eV = e;
                        out->lumo_spin = s;
                        out->lumo_kpoint = k;
                    }
                }
            }
        if (isfinite(homo)) out->homo_spin_eV[s] = homo;
        if (isfinite(lumo)) out->lumo_spin_eV[s] = lumo;
        if (isfinite(homo) && isfinite(lumo)) out->gap_spin_eV[s] = fmax(lumo - homo, 0.0);
    }
    if (!isfinite(out->homo_eV) || !isfinite(out->lumo_eV)) {
        int no_homo = !isfinite(out->homo_eV);
        out->homo_eV = isfinite(out->homo_eV) ? out->homo_eV : NAN;
        out->lumo_eV = isfinite(out->lumo_eV) ? out->lumo_eV : NAN;
        out->gap_eV = NAN;
        return ds_err_set(err, DS_ENODATA, NULL, 0,
                          no_homo ? "no occupied level (all occupations <= %g)"
                                  : "no unoccupied level was computed (occupations > %g everywhere: add empty bands)",
                          occu_tol);
    }
    out->gap_eV = fmax(out->lumo_eV - out->homo_eV, 0.0);
    out->direct = out->homo_kpoint == out->lumo_kpoint;
    return DS_OK;
}

int orbitals_of_run(const ds_run *run, double occu_tol, orbitals_result *out, const char **from, ds_err *err)
{
    int rc = run->has_eigen ? orbitals_frontier(&run->eigen, occu_tol, out, err)
                            : ds_err_set(err, DS_ENODATA, run->path, 0, "the run has no eigenvalues");
    if (from) *from = "eigenvalues";
    if (rc == DS_ENODATA && isfinite(run->homo_eV) && isfinite(run->lumo_eV)) {
        memset(out, 0, sizeof *out);
        out->homo_eV = run->homo_eV;
        out->lumo_eV = run->lumo_eV;
        out->gap_eV = fmax(out->lumo_eV - out->homo_eV, 0);
        out->homo_spin_eV[0] = out->homo_spin_eV[1] = out->lumo_spin_eV[0] = out->lumo_spin_eV[1] = NAN;
        out->gap_spin_eV[0] = out->gap_spin_eV[1] = NAN;
        const char *lumo_src = run_source_of(run, "lumo");
        if (from) *from = lumo_src && strstr(lumo_src, ".pdos") ? "HOMO printed, LUMO from the .pdos levels (NLUMO)"
                                                                 : "printed HOMO/LUMO lines";
        ds_err_clear(err);
        rc = DS_OK;
    }
    return rc;
}
