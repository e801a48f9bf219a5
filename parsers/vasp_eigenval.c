/* vasp_eigenval: EIGENVAL -> run->eigen (k-points, weights, eigenvalues, occupations) and
 * settings.nelect.
 *
 * Layout: line 1 "NIONS NIONS NBLOCK ISPIN"; lines 2-5 cell volume, TEBEG, "CAR", system name;
 * line 6 "NELECT NKPTS NBANDS"; then per k-point a blank line, "kx ky kz weight" and NBANDS
 * rows "band e [e_down] [occ [occ_down]]".  Occupations appear in files of VASP >= 5.4.4 (or
 * so); older files have none and get NAN.  Noncollinear runs write ISPIN = 1. */
#include "parsers/vasp_eigenval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EIG_MAX_KPOINTS 10000000L
#define EIG_MAX_BANDS 10000000L
#define EIG_MAX_LINE ((size_t)1 << 20)

typedef struct {
    ds_reader r;
    const char *path;
    ds_err *err;
    int overflow, nonfinite;
} eig_ctx;

/* Values as read, grown row by row (a corrupt NBANDS cannot make us allocate): k-point
 * lines and band rows [k][band] of (e_spin..., occ_spin...). */
typedef struct {
    long nk, kcap;
    double *k4; /* kx ky kz weight per complete k-point */
    size_t nrow, rcap;
    double *rows; /* 2 * ISPIN values per band row */
} eig_data;

static int line_numbers(eig_ctx *c, const char *s, double *v, int max);
static int header(eig_ctx *c, long *ispin, double *nelect, long *nkpts, long *nbands);
static int grow(void **arr, size_t *cap, size_t need, size_t elem);
static int read_kpoint(eig_ctx *c, eig_data *d, long k, long ispin, long nbands, int *cols, const char **why);
static int store(ds_run *run, const eig_data *d, long ispin, long nbands, int has_occ);

/* Numbers on a line; -1 when a token is not a number or there are more than max. */
static int line_numbers(eig_ctx *c, const char *s, double *v, int max)
{
    int n = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) return n;
        if (n == max) return -1;
        int rc = ds_parse_double(&p, &v[n]);
        if (rc == DS_NUM_NONE || (*p && *p != ' ' && *p != '\t')) return -1;
        if (rc == DS_NUM_OVERFLOW) c->overflow++;
        if (rc == DS_NUM_NONFINITE) c->nonfinite++;
        n++;
    }
}

static int header(eig_ctx *c, long *ispin, double *nelect, long *nkpts, long *nbands)
{
    double v[8];
    char *s = ds_reader_next(&c->r, NULL);
    if (!s) {
        if (c->r.failed) return *c->err = c->r.fail_err, c->err->code;
        return ds_err_set(c->err, DS_ETRUNC, c->path, 1, "empty file: expected 'NIONS NIONS NBLOCK ISPIN'");
    }
    int n = line_numbers(c, s, v, 8);
    if (c->r.last_line_unterminated)
        return ds_err_set(c->err, DS_ETRUNC, c->path, 1, "file ends inside the EIGENVAL header (line 1)");
    if (n < 4 || v[n - 1] != floor(v[n - 1]))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 1,
                          "expected 'NIONS NIONS NBLOCK ISPIN' (integers): not an EIGENVAL");
    *ispin = v[n - 1] == 1 ? 1 : v[n - 1] == 2 ? 2 : 0; /* no cast of an arbitrary double */
    if (*ispin != 1 && *ispin != 2)
        return ds_err_set(c->err, DS_EFORMAT, c->path, 1, "ISPIN (last number on line 1) is %g, expected 1 or 2",
                          v[n - 1]);
    for (int i = 2; i <= 6; i++) {
        s = ds_reader_next(&c->r, NULL);
        if (!s) {
            if (c->r.failed) return *c->err = c->r.fail_err, c->err->code;
            return ds_err_set(c->err, DS_ETRUNC, c->path, i, "file ends in the EIGENVAL header (line %d of 6)", i);
        }
    }
    if (c->r.last_line_unterminated)
        return ds_err_set(c->err, DS_ETRUNC, c->path, 6, "file ends inside line 6 'NELECT NKPTS NBANDS'");
    n = line_numbers(c, s, v, 8);
    if (n != 3 || !isfinite(v[0]) || v[1] != floor(v[1]) || v[2] != floor(v[2]))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 6, "expected 'NELECT NKPTS NBANDS' on line 6");
    if (!(v[1] >= 1 && v[1] <= EIG_MAX_KPOINTS) || !(v[2] >= 1 && v[2] <= EIG_MAX_BANDS))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 6, "NKPTS %g / NBANDS %g are not plausible", v[1], v[2]);
    *nelect = v[0];
    *nkpts = (long)v[1];
    *nbands = (long)v[2];
    return DS_OK;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return DS_OK;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need) ncap *= 2;
    void *na = realloc(*arr, ncap * elem);
    if (!na) return DS_ENOMEM;
    *arr = na;
    *cap = ncap;
    return DS_OK;
}

/* One k-point.  *cols is the band-row length, fixed by the first row of the file.  Returns
 * DS_OK, DS_ETRUNC (file ends) or DS_EFORMAT (*why says what was expected). */
static int read_kpoint(eig_ctx *c, eig_data *d, long k, long ispin, long nbands, int *cols, const char **why)
{
    double v[8];
    char *s;
    int n;
    do {
        s = ds_reader_next(&c->r, NULL);
        if (!s) return DS_ETRUNC;
        n = line_numbers(c, s, v, 8);
    } while (n == 0);
    /* VASP ends every line: a last line without newline may hold a cut number. */
    if (c->r.last_line_unterminated) return DS_ETRUNC;
    if (n != 4) {
        *why = "'kx ky kz weight' of the next k-point";
        return DS_EFORMAT;
    }
    size_t kcap = (size_t)d->kcap;
    if (grow((void **)&d->k4, &kcap, (size_t)(k + 1) * 4, sizeof *d->k4)) return DS_ENOMEM;
    d->kcap = (long)kcap;
    memcpy(d->k4 + 4 * k, v, 4 * sizeof *v);
    size_t width = 2 * (size_t)ispin;
    d->nrow = (size_t)k * (size_t)nbands; /* rows of an incomplete k-point are overwritten */
    for (long b = 0; b < nbands; b++) {
        s = ds_reader_next(&c->r, NULL);
        if (!s) return DS_ETRUNC;
        n = line_numbers(c, s, v, 8);
        if (c->r.last_line_unterminated) return DS_ETRUNC;
        if (*cols == 0) {
            if (n == (ispin == 2 ? 5 : 3))
                *cols = n;
            else if (n == (ispin == 2 ? 3 : 2))
                *cols = n;
        }
        if (n != *cols || n == 0 || v[0] != (double)(b + 1)) {
            *why = ispin == 2 ? "'band e_up e_down [occ_up occ_down]' (NBANDS on line 6 wrong?)"
                              : "'band e [occ]' (NBANDS on line 6 wrong?)";
            return DS_EFORMAT;
        }
        if (grow((void **)&d->rows, &d->rcap, (d->nrow + 1) * width, sizeof *d->rows)) return DS_ENOMEM;
        double *r = d->rows + d->nrow * width;
        for (int s2 = 0; s2 < ispin; s2++) {
            r[s2] = v[1 + s2];
            r[ispin + s2] = n > 1 + ispin ? v[1 + ispin + s2] : NAN;
        }
        d->nrow++;
    }
    d->nk = k + 1;
    return DS_OK;
}

/* Moves the k-points read into run->eigen ([spin][k][band] layout). */
static int store(ds_run *run, const eig_data *d, long ispin, long nbands, int has_occ)
{
    run_eigen *E = &run->eigen;
    long nk = d->nk;
    size_t total = (size_t)ispin * (size_t)nk * (size_t)nbands;
    free(E->kpoints_frac);
    free(E->kweights);
    free(E->energies_eV);
    free(E->occupations);
    memset(E, 0, sizeof *E);
    E->kpoints_frac = malloc((size_t)nk * 3 * sizeof(double));
    E->kweights = malloc((size_t)nk * sizeof(double));
    E->energies_eV = malloc(total * sizeof(double));
    E->occupations = malloc(total * sizeof(double));
    if (!E->kpoints_frac || !E->kweights || !E->energies_eV || !E->occupations) return DS_ENOMEM;
    for (long k = 0; k < nk; k++) {
        memcpy(E->kpoints_frac + 3 * k, d->k4 + 4 * k, 3 * sizeof(double));
        E->kweights[k] = d->k4[4 * k + 3];
        for (long b = 0; b < nbands; b++) {
            const double *r = d->rows + ((size_t)k * nbands + b) * 2 * ispin;
            for (long s = 0; s < ispin; s++) {
                size_t dst = ((size_t)s * nk + k) * nbands + b;
                E->energies_eV[dst] = r[s];
                E->occupations[dst] = has_occ ? r[ispin + s] : NAN;
            }
        }
    }
    E->n_spins = (int)ispin;
    E->n_kpoints = (int)nk;
    E->n_bands = (int)nbands;
    return DS_OK;
}

int vasp_eigenval_read(const char *path, ds_run *run, ds_err *err)
{
    if (!path || !run) return ds_err_set(err, DS_EUSAGE, path, 0, "vasp_eigenval_read: no path or run");
    ds_err local;
    if (!err) err = &local;
    eig_ctx c = {.path = path, .err = err};
    int rc = ds_reader_open_full(&c.r, path, err);
    if (rc) return rc;
    c.r.max_line = EIG_MAX_LINE;
    eig_data d = {0};
    long ispin = 0, nkpts = 0, nbands = 0;
    double nelect = NAN;
    if ((rc = header(&c, &ispin, &nelect, &nkpts, &nbands)) != DS_OK) goto done;
    int cols = 0;
    const char *why = NULL;
    long k = 0;
    int krc = DS_OK;
    for (; k < nkpts; k++)
        if ((krc = read_kpoint(&c, &d, k, ispin, nbands, &cols, &why)) != DS_OK) break;
    long bad_line = c.r.line_no + (krc == DS_ETRUNC);
    if (krc == DS_ENOMEM) {
        rc = ds_err_set(err, DS_ENOMEM, path, bad_line, "out of memory for %ld k-points x %ld bands", nkpts, nbands);
        goto done;
    }
    if (d.nk == 0) {
        if (c.r.failed)
            rc = (*err = c.r.fail_err, err->code);
        else if (krc == DS_ETRUNC)
            rc = ds_err_set(err, DS_ETRUNC, path, bad_line, "file ends before the first k-point is complete");
        else
            rc = ds_err_set(err, DS_EFORMAT, path, bad_line, "expected %s", why);
        goto done;
    }
    if (store(run, &d, ispin, nbands, cols == (ispin == 2 ? 5 : 3))) {
        rc = ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
        goto done;
    }
    if (d.nk < nkpts) {
        if (krc == DS_ETRUNC || c.r.failed) run->truncated = 1;
        char buf[1400] = "";
        if (c.r.failed) ds_err_format(&c.r.fail_err, buf, sizeof buf);
        const char *what = krc == DS_EFORMAT && why ? why : "file ends";
        run_add_warning(run, "%s:%ld: %s%s after %ld of NKPTS = %ld k-points; the complete ones are kept%s%s", path,
                        bad_line, krc == DS_EFORMAT && why ? "expected " : "", what, d.nk, nkpts, buf[0] ? ": " : "",
                        buf);
    } else if (cols != (ispin == 2 ? 5 : 3)) {
        run_add_warning(run, "%s: no occupations in the band rows (VASP older than 5.4.4?): occupations are NaN", path);
    }
    if (c.r.last_line_unterminated && !run->truncated) {
        /* VASP ends every line: the last value read may be cut short. */
        run->truncated = 1;
        run_add_warning(run, "%s: the last line has no newline: the file may have been cut while VASP wrote it", path);
    }
    if (c.overflow) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "%s: %d '****' overflow fields read as NaN", path, c.overflow);
    }
    if (c.nonfinite) {
        run->has_nonfinite = 1;
        run_add_warning(run, "%s: %d NaN/Inf values", path, c.nonfinite);
    }
    run->has_eigen = 1;
    run->settings.nelect = nelect;
    run->settings.spin_polarized = ispin == 2;
    run->code = RUN_CODE_VASP;
    run_add_source(run, "eigenvalues", path);
    run_add_source(run, "nelect", path);
    rc = DS_OK;
done:
    ds_reader_close(&c.r);
    free(d.k4);
    free(d.rows);
    return rc;
}
