/* bader_acf: ACF.dat / BCF.dat / AVF.dat of the Henkelman bader program (read and write). */
#include "parsers/bader_acf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACF_MAX_ROWS 50000000

typedef struct {
    int n, cap;
    double *v;          /* rows of `width` doubles */
    int width;
} rows_buf;

static int rows_push(rows_buf *b, const double *vals);
static int is_rule(const char *s);
static int parse_row(const char *s, long *index, double *vals, int max, int *n, int *overflow);
static int read_table(const char *path, const char *kind, int min_cols, int max_cols, rows_buf *rows, int *cols,
                      int *truncated, int *overflow, double footer[3], int *has_footer, ds_err *err);
static void put_field(FILE *f, double v, int width, int prec);

static int rows_push(rows_buf *b, const double *vals)
{
    if (b->n == b->cap) {
        int nc = b->cap ? b->cap * 2 : 64;
        double *nv = realloc(b->v, (size_t)nc * (size_t)b->width * sizeof *nv);
        if (!nv) return DS_ENOMEM;
        b->v = nv;
        b->cap = nc;
    }
    memcpy(b->v + (size_t)b->n * (size_t)b->width, vals, (size_t)b->width * sizeof *vals);
    b->n++;
    return DS_OK;
}

/* A line of dashes (the table rules). */
static int is_rule(const char *s)
{
    s = ds_skip_ws(s);
    if (*s != '-') return 0;
    while (*s == '-') s++;
    return !*ds_skip_ws(s);
}

/* "index v1 v2 ...": returns 1 when the line is such a row; n = numbers after the index. */
static int parse_row(const char *s, long *index, double *vals, int max, int *n, int *overflow)
{
    const char *p = ds_skip_ws(s);
    if (ds_parse_long(&p, index) != DS_NUM_OK) return 0;
    if (*p && *p != ' ' && *p != '\t') return 0;
    *n = 0;
    for (;;) {
        p = ds_skip_ws(p);
        if (!*p) break;
        if (*n >= max) return 0;
        double v;
        int rc = ds_parse_double(&p, &v);
        if (rc == DS_NUM_OVERFLOW) *overflow = 1;
        else if (rc != DS_NUM_OK) return 0;
        vals[(*n)++] = v;
    }
    return 1;
}

/* Shared by ACF and BCF: header line starting with '#', a rule, numbered rows, a rule, and
 * (ACF) three footer lines. */
static int read_table(const char *path, const char *kind, int min_cols, int max_cols, rows_buf *rows, int *cols,
                      int *truncated, int *overflow, double footer[3], int *has_footer, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc != DS_OK) return rc;
    char *s = ds_reader_next(&r, NULL);
    if (!s) {
        rc = r.failed ? (*err = r.fail_err, r.fail_err.code)
                      : ds_err_set(err, DS_EFORMAT, path, 0, "empty file, expected a bader %s header", kind);
        ds_reader_close(&r);
        return rc;
    }
    const char *h = ds_skip_ws(s);
    if (*h != '#' || !strstr(h, "CHARGE")) {
        rc = ds_err_set(err, DS_EFORMAT, path, 1, "expected the bader %s header ('#  X  Y  Z  CHARGE ...'), got '%.50s'", kind,
                        s);
        ds_reader_close(&r);
        return rc;
    }
    rows->width = max_cols;
    *cols = 0;
    int state = 0; /* 0 before the first rule, 1 in rows, 2 after the closing rule */
    double vals[16];
    while ((s = ds_reader_next(&r, NULL))) {
        if (state == 0) {
            if (is_rule(s)) state = 1;
            else if (*ds_skip_ws(s)) {
                rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected a line of dashes under the %s header", kind);
                break;
            }
            continue;
        }
        if (state == 1) {
            if (is_rule(s)) {
                state = 2;
                continue;
            }
            long idx;
            int n = 0;
            if (!parse_row(s, &idx, vals, max_cols, &n, overflow) || n < min_cols) {
                if (r.last_line_unterminated) break; /* a row cut by truncation */
                rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected a %s row '# %d..%d numbers', got '%.60s'", kind,
                                min_cols, max_cols, s);
                break;
            }
            if (r.last_line_unterminated) break;
            if (*cols && n != *cols) {
                rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "%s row has %d numbers, the rows above have %d", kind, n,
                                *cols);
                break;
            }
            if (idx != rows->n + 1) {
                rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "%s row number %ld, expected %d", kind, idx, rows->n + 1);
                break;
            }
            if (rows->n >= ACF_MAX_ROWS) {
                rc = ds_err_set(err, DS_ENOMEM, path, r.line_no, "more than %d rows", ACF_MAX_ROWS);
                break;
            }
            *cols = n;
            for (int k = n; k < max_cols; k++) vals[k] = NAN;
            if (rows_push(rows, vals) != DS_OK) {
                rc = ds_err_set(err, DS_ENOMEM, path, r.line_no, "out of memory");
                break;
            }
            continue;
        }
        /* footer (ACF): VACUUM CHARGE, VACUUM VOLUME, NUMBER OF ELECTRONS */
        if (!footer) continue;
        static const char *const keys[3] = {"VACUUM CHARGE:", "VACUUM VOLUME:", "NUMBER OF ELECTRONS:"};
        for (int k = 0; k < 3; k++) {
            const char *at = strstr(s, keys[k]);
            if (!at) continue;
            const char *p = at + strlen(keys[k]);
            double v;
            int prc = ds_parse_double(&p, &v);
            if (prc == DS_NUM_OVERFLOW) *overflow = 1;
            if (prc == DS_NUM_OK || prc == DS_NUM_OVERFLOW) {
                footer[k] = v;
                if (k == 2) *has_footer = 1;
            }
        }
    }
    if (rc == DS_OK && r.failed && r.fail_err.code != DS_ETRUNC) {
        *err = r.fail_err;
        rc = r.fail_err.code;
    }
    if (rc == DS_OK) {
        if (rows->n == 0)
            rc = ds_err_set(err, state == 2 ? DS_ENODATA : DS_ETRUNC, path, r.line_no,
                            state == 2 ? "the %s table has no rows" : "file ends before the first %s row", kind);
        else if (state != 2 || (footer && !*has_footer))
            *truncated = 1;
    }
    ds_reader_close(&r);
    return rc;
}

int bader_acf_read(const char *path, bader_acf *acf, ds_err *err)
{
    memset(acf, 0, sizeof *acf);
    acf->vacuum_charge_e = acf->vacuum_volume = acf->n_electrons = NAN;
    rows_buf rows = {0};
    double footer[3] = {NAN, NAN, NAN};
    int cols = 0;
    int rc = read_table(path, "ACF.dat", 5, 6, &rows, &cols, &acf->truncated, &acf->has_overflow, footer, &acf->has_footer,
                        err);
    acf->n_columns = cols + 1;
    if (rc == DS_OK) {
        int n = rows.n;
        acf->position = malloc((size_t)n * sizeof *acf->position);
        acf->charge_e = malloc((size_t)n * sizeof(double));
        acf->min_dist = malloc((size_t)n * sizeof(double));
        acf->volume = malloc((size_t)n * sizeof(double));
        if (!acf->position || !acf->charge_e || !acf->min_dist || !acf->volume) {
            rc = ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
        } else {
            for (int i = 0; i < n; i++) {
                const double *v = rows.v + (size_t)i * 6;
                memcpy(acf->position[i], v, 3 * sizeof(double));
                acf->charge_e[i] = v[3];
                acf->min_dist[i] = v[4];
                acf->volume[i] = v[5]; /* NAN for 6-column files (no ATOMIC VOL) */
            }
            acf->n_atoms = n;
            acf->vacuum_charge_e = footer[0];
            acf->vacuum_volume = footer[1];
            acf->n_electrons = footer[2];
        }
    }
    free(rows.v);
    return rc;
}

int bader_bcf_read(const char *path, bader_bcf *bcf, ds_err *err)
{
    memset(bcf, 0, sizeof *bcf);
    rows_buf rows = {0};
    int cols = 0, dummy = 0;
    int rc = read_table(path, "BCF.dat", 6, 6, &rows, &cols, &bcf->truncated, &bcf->has_overflow, NULL, &dummy, err);
    if (rc == DS_OK) {
        int n = rows.n;
        bcf->position = malloc((size_t)n * sizeof *bcf->position);
        bcf->charge_e = malloc((size_t)n * sizeof(double));
        bcf->atom = malloc((size_t)n * sizeof(int));
        bcf->distance = malloc((size_t)n * sizeof(double));
        if (!bcf->position || !bcf->charge_e || !bcf->atom || !bcf->distance) {
            rc = ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
        } else {
            for (int i = 0; i < n && rc == DS_OK; i++) {
                const double *v = rows.v + (size_t)i * 6;
                memcpy(bcf->position[i], v, 3 * sizeof(double));
                bcf->charge_e[i] = v[3];
                if (!(v[4] >= 1 && v[4] <= 1e9 && v[4] == floor(v[4])))
                    rc = ds_err_set(err, DS_EFORMAT, path, i + 3, "BCF.dat basin %d: ATOM column '%g' is not an atom number",
                                    i + 1, v[4]);
                bcf->atom[i] = ds_to_int(v[4], 0);
                bcf->distance[i] = v[5];
            }
            bcf->n_basins = n;
        }
    }
    free(rows.v);
    return rc;
}

int bader_avf_read(const char *path, bader_avf *avf, ds_err *err)
{
    memset(avf, 0, sizeof *avf);
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc != DS_OK) return rc;
    char *s = ds_reader_next(&r, NULL);
    if (!s || !strstr(s, "Atom") || !strstr(s, "Volume")) {
        rc = s ? ds_err_set(err, DS_EFORMAT, path, 1, "expected the AVF.dat header 'Atom   Volume(s)', got '%.50s'", s)
               : ds_err_set(err, DS_EFORMAT, path, 0, "empty file, expected an AVF.dat header");
        ds_reader_close(&r);
        return rc;
    }
    int cap_rows = 0, cap_b = 0, n_b = 0, rules = 0;
    while (rc == DS_OK && (s = ds_reader_next(&r, NULL))) {
        if (is_rule(s)) {
            if (++rules == 2) break;
            continue;
        }
        if (!*ds_skip_ws(s)) continue;
        if (r.last_line_unterminated) break;
        const char *p = ds_skip_ws(s);
        long atom;
        if (rules != 1 || ds_parse_long(&p, &atom) != DS_NUM_OK || atom < 1 || !(p = strstr(p, "..."))) {
            rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected an AVF.dat row 'ATOM ... BASINS', got '%.60s'", s);
            break;
        }
        p += 3;
        if (avf->n_rows + 2 > cap_rows) {
            cap_rows = cap_rows ? cap_rows * 2 : 64;
            int *na = realloc(avf->atom, (size_t)cap_rows * sizeof(int));
            if (na) avf->atom = na;
            int *nf = realloc(avf->first, (size_t)(cap_rows + 1) * sizeof(int));
            if (nf) avf->first = nf;
            if (!na || !nf) {
                rc = ds_err_set(err, DS_ENOMEM, path, r.line_no, "out of memory");
                break;
            }
        }
        avf->atom[avf->n_rows] = (int)atom;
        avf->first[avf->n_rows] = n_b;
        for (;;) {
            long b;
            p = ds_skip_ws(p);
            if (!*p) break;
            if (ds_parse_long(&p, &b) != DS_NUM_OK || b < 1) {
                rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "AVF.dat row of atom %ld: bad basin number", atom);
                break;
            }
            if (n_b == cap_b) {
                cap_b = cap_b ? cap_b * 2 : 256;
                int *nb = realloc(avf->basins, (size_t)cap_b * sizeof(int));
                if (!nb) {
                    rc = ds_err_set(err, DS_ENOMEM, path, r.line_no, "out of memory");
                    break;
                }
                avf->basins = nb;
            }
            avf->basins[n_b++] = (int)b;
        }
        avf->n_rows++;
        avf->first[avf->n_rows] = n_b;
    }
    if (rc == DS_OK && r.failed && r.fail_err.code != DS_ETRUNC) {
        *err = r.fail_err;
        rc = r.fail_err.code;
    }
    if (rc == DS_OK && avf->n_rows == 0)
        rc = ds_err_set(err, rules ? DS_ENODATA : DS_ETRUNC, path, r.line_no, "no atom rows in AVF.dat");
    if (rc == DS_OK && rules < 2) avf->truncated = 1;
    ds_reader_close(&r);
    return rc;
}

void bader_acf_free(bader_acf *acf)
{
    free(acf->position);
    free(acf->charge_e);
    free(acf->min_dist);
    free(acf->volume);
    memset(acf, 0, sizeof *acf);
}

void bader_bcf_free(bader_bcf *bcf)
{
    free(bcf->position);
    free(bcf->charge_e);
    free(bcf->atom);
    free(bcf->distance);
    memset(bcf, 0, sizeof *bcf);
}

void bader_avf_free(bader_avf *avf)
{
    free(avf->atom);
    free(avf->first);
    free(avf->basins);
    memset(avf, 0, sizeof *avf);
}

int bader_acf_read_run(const char *path, ds_run *run, ds_err *err)
{
    bader_acf acf;
    int rc = bader_acf_read(path, &acf, err);
    if (rc == DS_OK) {
        run_charges *ch = run_add_charges(run, "bader", acf.n_atoms);
        if (!ch) rc = ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
        else {
            for (int i = 0; i < acf.n_atoms; i++) {
                ch->population_e[i] = acf.charge_e[i];
                ch->net_charge_e[i] = NAN;
            }
            run_add_source(run, "charges", path);
            if (acf.truncated) {
                run->truncated = 1;
                run_add_warning(run, "%s ends before its footer: %d atom rows kept, no electron count", path, acf.n_atoms);
            }
            if (acf.has_overflow) {
                run->has_overflow_fields = 1;
                run_add_warning(run, "%s has Fortran '****' fields (read as unknown)", path);
            }
        }
    }
    bader_acf_free(&acf);
    return rc;
}

static void put_field(FILE *f, double v, int width, int prec)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%*.*f", width, prec, v);
    if (n >= width && buf[0] != ' ') fputc(' ', f);
    fputs(buf, f);
}

int bader_acf_write(const char *path, const bader_acf *acf, ds_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return ds_err_set(err, DS_EIO, path, 0, "cannot write");
    fprintf(f, "    #         X           Y           Z       CHARGE      MIN DIST   ATOMIC VOL\n");
    static const char rule[] = " --------------------------------------------------------------------------------\n";
    fputs(rule, f);
    for (int i = 0; i < acf->n_atoms; i++) {
        fprintf(f, "%5d", i + 1);
        for (int k = 0; k < 3; k++) put_field(f, acf->position[i][k], 12, 6);
        put_field(f, acf->charge_e[i], 12, 6);
        put_field(f, acf->min_dist[i], 13, 6);
        put_field(f, acf->volume ? acf->volume[i] : NAN, 13, 6);
        fputc('\n', f);
    }
    fputs(rule, f);
    fputs("    VACUUM CHARGE:         ", f);
    put_field(f, acf->vacuum_charge_e, 12, 4);
    fputs("\n    VACUUM VOLUME:         ", f);
    put_field(f, acf->vacuum_volume, 12, 4);
    fputs("\n    NUMBER OF ELECTRONS:   ", f);
    put_field(f, acf->n_electrons, 12, 4);
    fputc('\n', f);
    if (fclose(f) != 0) return ds_err_set(err, DS_EIO, path, 0, "write failed");
    return DS_OK;
}
