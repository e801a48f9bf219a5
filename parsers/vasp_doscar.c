/* vasp_doscar: DOSCAR — header, total DOS (3 columns for ISPIN=1 or noncollinear, 5 for
 * ISPIN=2) and, with LORBIT >= 10, one block per ion whose column count gives the layout:
 * s p d (f) (LORBIT 10) or lm-resolved s py pz px dxy dyz dz2 dxz dx2 (f...) (LORBIT 11/12),
 * spin channels interleaved per orbital (up, down) or 4 noncollinear components (total,
 * m_x, m_y, m_z).  DOSCAR alone cannot tell ISPIN=1 lm+f from noncollinear spdf (16
 * columns): the caller's hint decides, else it is refused as ambiguous. */
#include "parsers/vasp_doscar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lm_labels[16] = {"s", "py", "pz", "px", "dxy", "dyz", "dz2", "dxz", "dx2",
                                          "fy3x2", "fxyz", "fyz2", "fz3", "fxz2", "fzx2", "fx3"};
static const char *const l_labels[4] = {"s", "p", "d", "f"};

static int row(const char *p, double *v, int max, int *bad)
{
    int n = 0;
    while (n < max) {
        int rc = ds_parse_double(&p, &v[n]);
        if (rc == DS_NUM_NONE) break;
        if (rc != DS_NUM_OK) *bad = 1;
        n++;
    }
    return n;
}

/* Orbitals and components per site from the column count (energy excluded). */
static int site_layout(int k, int spins_total, int noncollinear, int *n_orb, int *n_comp, int *lm)
{
    if (spins_total == 2) {
        *n_comp = 2;
        if (k == 6 || k == 8) *n_orb = k / 2, *lm = 0;
        else if (k == 18 || k == 32) *n_orb = k / 2, *lm = 1;
        else return -1;
        return 0;
    }
    if (k == 16 && noncollinear < 0) return -2;
    if ((k == 12 || k == 36 || k == 64) || (k == 16 && noncollinear == 1)) {
        *n_comp = 4;
        *n_orb = k / 4;
        *lm = *n_orb == 9 || *n_orb == 16;
        return 0;
    }
    *n_comp = 1;
    if (k == 3 || k == 4) *n_orb = k, *lm = 0;
    else if (k == 9 || k == 16) *n_orb = k, *lm = 1;
    else return -1;
    return 0;
}

int vasp_doscar_read(const char *path, int noncollinear, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    char *line;
    double h[8];
    int bad = 0;
    for (int i = 0; i < 5; i++)
        if (!(line = ds_reader_next(&r, NULL)) || (i == 0 && row(line, h, 4, &bad) < 3)) {
            ds_err_set(err, line ? DS_EFORMAT : DS_ETRUNC, path, r.line_no + !line,
                       i == 0 && line ? "not a DOSCAR: line 1 must hold NIONS NIONS PARTIAL NCDIJ" : "the DOSCAR header ends early");
            ds_reader_close(&r);
            return err->code;
        }
    int n_ions = (int)h[0];
    if (!(line = ds_reader_next(&r, NULL)) || row(line, h, 5, &bad) < 4 || bad || !(h[2] >= 1 && h[2] <= 1e7) ||
        n_ions < 0 || n_ions > 10000000) {
        ds_err_set(err, line ? DS_EFORMAT : DS_ETRUNC, path, r.line_no, "line 6 must hold EMAX EMIN NEDOS EFERMI weight");
        ds_reader_close(&r);
        return err->code;
    }
    int nedos = (int)h[2];
    double efermi = h[3];
    run_dos *d = &run->dos;
    double *tot = malloc((size_t)nedos * 5 * sizeof *tot);
    if (!tot) {
        ds_reader_close(&r);
        return ds_err_set(err, DS_ENOMEM, path, r.line_no, "out of memory");
    }
    int ncol = 0;
    for (int i = 0; i < nedos; i++) {
        double v[8];
        if (!(line = ds_reader_next(&r, NULL))) {
            free(tot);
            ds_err_set(err, DS_ETRUNC, path, r.line_no + 1, "total DOS: expected %d rows, the file ends after %d", nedos, i);
            ds_reader_close(&r);
            return DS_ETRUNC;
        }
        int k = row(line, v, 8, &bad);
        if (i == 0) ncol = k;
        if (k != ncol || (k != 3 && k != 5)) {
            free(tot);
            ds_err_set(err, DS_EFORMAT, path, r.line_no, "total DOS row: expected 3 or 5 columns as in the first row, found %d", k);
            ds_reader_close(&r);
            return DS_EFORMAT;
        }
        memcpy(tot + (size_t)i * 5, v, (size_t)k * sizeof *v);
    }
    int ns = ncol == 5 ? 2 : 1;
    d->n_points = nedos;
    d->n_spins = ns;
    d->energies_eV = malloc((size_t)nedos * sizeof(double));
    d->total = malloc((size_t)nedos * ns * sizeof(double));
    d->integrated = malloc((size_t)nedos * ns * sizeof(double));
    if (!d->energies_eV || !d->total || !d->integrated) {
        free(tot);
        ds_reader_close(&r);
        return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    }
    for (int i = 0; i < nedos; i++) {
        const double *v = tot + (size_t)i * 5;
        d->energies_eV[i] = v[0];
        for (int s = 0; s < ns; s++) {
            d->total[(size_t)s * nedos + i] = v[1 + s];
            d->integrated[(size_t)s * nedos + i] = v[1 + ns + s];
        }
    }
    free(tot);
    run->has_dos = 1;
    run->fermi_eV = efermi;
    /* Site blocks. */
    double *rowbuf = NULL;
    int n_orb = 0, n_comp = 0, lm = 0, site = 0;
    while (site < n_ions && (line = ds_reader_next(&r, NULL))) {
        for (int i = 0; i < nedos; i++) {
            if (!(line = ds_reader_next(&r, NULL))) {
                run->truncated = 1;
                run_add_warning(run, "%s: projected DOS of ion %d cut short; %d complete ion blocks kept", path, site + 1, site);
                goto done;
            }
            double v[80];
            int k = row(line, v, 80, &bad) - 1;
            if (site == 0 && i == 0) {
                int lay = site_layout(k, ns, noncollinear, &n_orb, &n_comp, &lm);
                if (lay) {
                    run_add_warning(run, "%s:%ld: %d projection columns %s; projected DOS not read", path, r.line_no, k,
                                    lay == -2 ? "are ambiguous (ISPIN=1 lm with f, or noncollinear s p d f)" : "match no LORBIT layout");
                    goto done;
                }
                d->pdos = malloc((size_t)n_ions * n_comp * n_orb * nedos * sizeof(double));
                d->orbital_labels = calloc((size_t)n_orb, sizeof *d->orbital_labels);
                if (!d->pdos || !d->orbital_labels) {
                    ds_reader_close(&r);
                    return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
                }
                for (int o = 0; o < n_orb; o++) snprintf(d->orbital_labels[o], 12, "%s", lm ? lm_labels[o] : l_labels[o]);
            }
            if (k != n_orb * n_comp) {
                run_add_warning(run, "%s:%ld: %d projection columns where %d were expected; kept %d ions", path, r.line_no, k,
                                n_orb * n_comp, site);
                goto done;
            }
            for (int o = 0; o < n_orb; o++)
                for (int c = 0; c < n_comp; c++)
                    d->pdos[(((size_t)site * n_comp + c) * n_orb + o) * nedos + i] = v[1 + o * n_comp + c];
        }
        site++;
    }
done:
    free(rowbuf);
    if (site > 0) {
        d->n_pdos_atoms = site;
        d->n_pdos_spins = n_comp;
        d->n_orbitals = n_orb;
        if (site < n_ions) d->n_pdos_atoms = 0; /* incomplete projections cannot be assigned */
    }
    if (d->n_pdos_atoms == 0) {
        free(d->pdos);
        free(d->orbital_labels);
        d->pdos = NULL;
        d->orbital_labels = NULL;
        d->n_orbitals = 0;
    }
    if (bad) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "%s: overflow (****) or NaN fields in the DOS", path);
    }
    ds_reader_close(&r);
    run->code = RUN_CODE_VASP;
    run_add_source(run, "dos", path);
    run_add_source(run, "fermi", path);
    return DS_OK;
}
