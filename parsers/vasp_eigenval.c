/* vasp_eigenval: EIGENVAL — header (line 1: NIONS NIONS NBLOCK ISPIN; line 6: NELECT
 * NKPTS NBANDS), then per k-point its coordinates and weight and NBANDS rows
 * "band e [e_down] [occ [occ_down]]" (occupations since VASP 5.4.4-ish; NAN before). */
#include "parsers/vasp_eigenval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nums(const char *p, double *v, int max)
{
    int n = 0;
    while (n < max && ds_parse_double(&p, &v[n]) != DS_NUM_NONE) n++;
    return n;
}

int vasp_eigenval_read(const char *path, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    char *line;
    double h[4];
    int ispin = 0;
    for (int i = 0; i < 6; i++) {
        if (!(line = ds_reader_next(&r, NULL))) {
            ds_err_set(err, DS_ETRUNC, path, r.line_no + 1, "the EIGENVAL header ends early");
            ds_reader_close(&r);
            return DS_ETRUNC;
        }
        if (i == 0) {
            if (nums(line, h, 4) != 4 || (h[3] != 1 && h[3] != 2)) {
                ds_err_set(err, DS_EFORMAT, path, 1, "not an EIGENVAL: line 1 must hold NIONS NIONS NBLOCK ISPIN (1 or 2)");
                ds_reader_close(&r);
                return DS_EFORMAT;
            }
            ispin = (int)h[3];
        }
    }
    if (nums(line, h, 3) != 3 || !(h[1] >= 1 && h[1] <= 1e7) || !(h[2] >= 1 && h[2] <= 1e6) || h[1] * h[2] > 1e9) {
        ds_err_set(err, DS_EFORMAT, path, r.line_no, "line 6 must hold NELECT NKPTS NBANDS");
        ds_reader_close(&r);
        return DS_EFORMAT;
    }
    double nelect = h[0];
    int nk = (int)h[1], nb = (int)h[2];
    run_eigen *e = &run->eigen;
    size_t n = (size_t)ispin * nk * nb;
    e->energies_eV = malloc(n * sizeof(double));
    e->occupations = malloc(n * sizeof(double));
    e->kpoints_frac = malloc((size_t)nk * 3 * sizeof(double));
    e->kweights = malloc((size_t)nk * sizeof(double));
    if (!e->energies_eV || !e->occupations || !e->kpoints_frac || !e->kweights) {
        ds_reader_close(&r);
        return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    }
    int k_done = 0;
    for (int k = 0; k < nk; k++) {
        double v[6];
        do line = ds_reader_next(&r, NULL);
        while (line && nums(line, v, 4) == 0);
        if (!line) break;
        if (nums(line, v, 4) != 4) {
            ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected the k-point coordinates and weight of k-point %d", k + 1);
            ds_reader_close(&r);
            return DS_EFORMAT;
        }
        memcpy(e->kpoints_frac + 3 * k, v, 3 * sizeof *v);
        e->kweights[k] = v[3];
        int b = 0;
        for (; b < nb; b++) {
            if (!(line = ds_reader_next(&r, NULL))) break;
            int m = nums(line, v, 6);
            int with_occ = m == 1 + 2 * ispin;
            if (m != 1 + ispin && !with_occ) {
                ds_err_set(err, DS_EFORMAT, path, r.line_no, "band row of k-point %d: expected %d or %d numbers, found %d", k + 1,
                           1 + ispin, 1 + 2 * ispin, m);
                ds_reader_close(&r);
                return DS_EFORMAT;
            }
            for (int s = 0; s < ispin; s++) {
                size_t i = ((size_t)s * nk + k) * nb + b;
                e->energies_eV[i] = v[1 + s];
                e->occupations[i] = with_occ ? v[1 + ispin + s] : NAN;
            }
        }
        if (b < nb) break;
        k_done++;
    }
    long last = r.line_no;
    ds_reader_close(&r);
    if (k_done < nk) {
        if (k_done == 0) return ds_err_set(err, DS_ETRUNC, path, last, "no complete k-point block (expected %d)", nk);
        run->truncated = 1;
        run_add_warning(run, "%s ends after %d of %d k-points: only those are kept", path, k_done, nk);
        /* keep the complete k-points: compact each spin's block */
        for (int s = 1; s < ispin; s++)
            memmove(e->energies_eV + (size_t)s * k_done * nb, e->energies_eV + (size_t)s * nk * nb,
                    (size_t)k_done * nb * sizeof(double));
        for (int s = 1; s < ispin; s++)
            memmove(e->occupations + (size_t)s * k_done * nb, e->occupations + (size_t)s * nk * nb,
                    (size_t)k_done * nb * sizeof(double));
    }
    e->n_spins = ispin;
    e->n_kpoints = k_done;
    e->n_bands = nb;
    run->has_eigen = 1;
    run->settings.nelect = nelect;
    run->code = RUN_CODE_VASP;
    run_add_source(run, "eigenvalues", path);
    return DS_OK;
}
