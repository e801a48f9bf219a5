/* vasp_chgcar: VASP volumetric files (CHGCAR, CHG, AECCAR, LOCPOT) -> ds_grid.
 *
 * File layout: title, scale, 3 lattice lines, [species line], counts, [Selective dynamics],
 * Direct|Cartesian, one line per atom, a blank line, "NGX NGY NGZ", then NGX*NGY*NGZ values
 * with x fastest.  After the values CHGCAR has "augmentation occupancies" blocks (skipped);
 * ISPIN=2 files then have one line of per-ion moments, the grid sizes again and a second set
 * (the magnetisation), noncollinear runs three more sets.  The values are rho * V_cell. */
#include "parsers/vasp_chgcar.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "structures/elements.h"

#define CHG_MAX_TYPES 512
#define CHG_MAX_ATOMS 10000000L
#define CHG_MAX_DIM 100000L
#define CHG_DEFAULT_MAX_BYTES ((size_t)32 << 30)

typedef struct {
    ds_reader r;
    const char *path;
    ds_err *err;
} chg_ctx;

static char *next_line(chg_ctx *c);
static int fail_eof(chg_ctx *c, const char *what);
static int parse_numbers(const char *s, double *out, int max, int *bad);
static int parse_header(chg_ctx *c, const vasp_chgcar_opts *opts, ds_grid *g, vasp_chgcar_info *info, double *scale3,
                        int *cartesian, long *n_atoms);
static int parse_species(const char *text, int n_types, int exact, char (*sym)[4]);
static int read_set(chg_ctx *c, ds_grid *g, double *dst, int set);
static int find_next_set(chg_ctx *c, const int n[3]);
static int check_capacity(chg_ctx *c, const ds_grid *g, size_t max_bytes);

static char *next_line(chg_ctx *c)
{
    return ds_reader_next(&c->r, NULL);
}

static int fail_eof(chg_ctx *c, const char *what)
{
    if (c->r.failed) {
        *c->err = c->r.fail_err;
        return c->err->code;
    }
    return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no + 1, "file ends before %s", what);
}

/* Parses up to max numbers; returns how many; *bad = 1 when a token is not a finite number
 * (text, NaN, Inf or a '****' field). */
static int parse_numbers(const char *s, double *out, int max, int *bad)
{
    int n = 0;
    *bad = 0;
    const char *p = s;
    while (n < max) {
        p = ds_skip_ws(p);
        if (!*p) break;
        double v;
        int rc = ds_parse_double(&p, &v);
        if (rc != DS_NUM_OK) {
            *bad = 1;
            break;
        }
        if (*p && *p != ' ' && *p != '\t') { /* "1.0abc" */
            *bad = 1;
            break;
        }
        out[n++] = v;
    }
    return n;
}

/* Element per type from a blank-separated list: POTCAR-like labels (Fe_pv, Fe/) on the
 * species line; exact symbols only (exact = 1) for a title or a hint. */
static int parse_species(const char *text, int n_types, int exact, char (*sym)[4])
{
    int k = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        const char *b = p;
        while (*p && *p != ' ' && *p != '\t' && *p != ',') p++;
        if (k >= n_types) return -1;
        char tok[64];
        size_t len = (size_t)(p - b) < sizeof tok - 1 ? (size_t)(p - b) : sizeof tok - 1;
        memcpy(tok, b, len);
        tok[len] = '\0';
        if (exact) {
            if (!element_z(tok) || len > 2) return -1;
            memcpy(sym[k], tok, len + 1);
        } else if (!element_from_label(tok, sym[k])) {
            return -1;
        }
        k++;
    }
    return k == n_types ? 0 : -1;
}

static int parse_header(chg_ctx *c, const vasp_chgcar_opts *opts, ds_grid *g, vasp_chgcar_info *info, double *scale3,
                        int *cartesian, long *n_atoms)
{
    char *s = next_line(c);
    if (!s) {
        if (c->r.failed) return fail_eof(c, "the title");
        return ds_err_set(c->err, DS_EFORMAT, c->path, 0, "empty file, expected a VASP CHGCAR/LOCPOT header");
    }
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q < 32 && *q != '\t')
            return ds_err_set(c->err, DS_EFORMAT, c->path, 1, "binary data in the title line: not a VASP volumetric file");
    ds_copy_trim(g->comment[0], sizeof g->comment[0], s, s + strlen(s));
    char title[256];
    snprintf(title, sizeof title, "%s", g->comment[0]);

    double v[8];
    int bad, k;
    if (!(s = next_line(c))) return fail_eof(c, "the scale factor (line 2)");
    k = parse_numbers(s, v, 4, &bad);
    if (bad || (k != 1 && k != 3))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 2, "expected the scale factor (one or three numbers), got '%.60s'", s);
    for (int i = 0; i < k; i++)
        if (v[i] == 0 || (k == 3 && v[i] < 0))
            return ds_err_set(c->err, DS_EFORMAT, c->path, 2, "scale factor %g is not usable", v[i]);
    double raw[3][3];
    for (int r = 0; r < 3; r++) {
        char *l = next_line(c);
        if (!l) return fail_eof(c, "the three lattice vectors");
        double w[4];
        if (parse_numbers(l, w, 4, &bad) != 3 || bad)
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "expected lattice vector %d (three numbers), got '%.60s'",
                              r + 1, l);
        memcpy(raw[r], w, sizeof raw[r]);
    }
    double det = raw[0][0] * (raw[1][1] * raw[2][2] - raw[1][2] * raw[2][1]) -
                 raw[0][1] * (raw[1][0] * raw[2][2] - raw[2][0] * raw[1][2]) +
                 raw[0][2] * (raw[1][0] * raw[2][1] - raw[2][0] * raw[1][1]);
    if (!(fabs(det) > 1e-12))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 5, "the lattice vectors span zero volume (determinant %g)", det);
    if (k == 1) {
        /* A negative scale is the cell volume (VASP convention). */
        double f = v[0] > 0 ? v[0] : cbrt(-v[0] / fabs(det));
        scale3[0] = scale3[1] = scale3[2] = f;
        for (int r = 0; r < 3; r++)
            for (int j = 0; j < 3; j++) g->lattice_angstrom[r][j] = f * raw[r][j];
    } else {
        /* Three factors scale the Cartesian components (VASP 6). */
        for (int j = 0; j < 3; j++) scale3[j] = v[j];
        for (int r = 0; r < 3; r++)
            for (int j = 0; j < 3; j++) g->lattice_angstrom[r][j] = v[j] * raw[r][j];
    }

    /* Species line (VASP 5) or counts (VASP 4). */
    if (!(s = next_line(c))) return fail_eof(c, "the ion counts");
    char species_line[1024] = "";
    const char *p = ds_skip_ws(s);
    if (!isdigit((unsigned char)*p)) {
        info->vasp5 = 1;
        snprintf(species_line, sizeof species_line, "%s", s);
        if (!(s = next_line(c))) return fail_eof(c, "the ion counts");
    }
    long counts[CHG_MAX_TYPES];
    int nt = 0;
    long total = 0;
    p = s;
    for (;;) {
        p = ds_skip_ws(p);
        if (!*p) break;
        long cnt;
        if (ds_parse_long(&p, &cnt) != DS_NUM_OK || (*p && *p != ' ' && *p != '\t') || cnt < 0 || cnt > CHG_MAX_ATOMS ||
            nt >= CHG_MAX_TYPES)
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "expected ion counts per type, got '%.60s'", s);
        counts[nt++] = cnt;
        total += cnt;
    }
    if (nt == 0 || total <= 0 || total > CHG_MAX_ATOMS)
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "expected ion counts per type, got '%.60s'", s);
    info->n_types = nt;
    *n_atoms = total;

    char (*sym)[4] = calloc((size_t)nt, sizeof *sym);
    if (!sym) return ds_err_set(c->err, DS_ENOMEM, c->path, 0, "out of memory");
    info->species_known = 1;
    if (info->vasp5) {
        if (parse_species(species_line, nt, 0, sym) != 0) {
            free(sym);
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no - 1,
                              "species line '%.60s' does not name %d elements (one per count)", species_line, nt);
        }
    } else if (!(opts && opts->species_hint && parse_species(opts->species_hint, nt, 1, sym) == 0) &&
               parse_species(title, nt, 1, sym) != 0) {
        info->species_known = 0;
        memset(sym, 0, (size_t)nt * sizeof *sym);
    }

    if (!(s = next_line(c))) {
        free(sym);
        return fail_eof(c, "the coordinate mode line");
    }
    p = ds_skip_ws(s);
    if (*p == 'S' || *p == 's') {
        if (!(s = next_line(c))) {
            free(sym);
            return fail_eof(c, "the coordinate mode line");
        }
        p = ds_skip_ws(s);
    }
    *cartesian = (*p == 'C' || *p == 'c' || *p == 'K' || *p == 'k');
    if (!*cartesian && *p != 'D' && *p != 'd') {
        free(sym);
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "expected 'Direct' or 'Cartesian', got '%.60s'", s);
    }

    g->n_atoms = (int)total;
    g->atomic_numbers = calloc((size_t)total, sizeof *g->atomic_numbers);
    g->positions_angstrom = calloc((size_t)total, sizeof *g->positions_angstrom);
    info->positions_frac = calloc((size_t)total, sizeof *info->positions_frac);
    if (!g->atomic_numbers || !g->positions_angstrom || !info->positions_frac) {
        free(sym);
        return ds_err_set(c->err, DS_ENOMEM, c->path, 0, "out of memory for %ld atoms", total);
    }
    for (int t = 0, a = 0; t < nt; t++)
        for (long i = 0; i < counts[t]; i++) g->atomic_numbers[a++] = sym[t][0] ? element_z(sym[t]) : 0;
    free(sym);
    return DS_OK;
}

static int read_positions(chg_ctx *c, ds_grid *g, vasp_chgcar_info *info, const double scale3[3], int cartesian)
{
    const double(*L)[3] = (const double(*)[3])g->lattice_angstrom;
    double inv[3][3], det = L[0][0] * (L[1][1] * L[2][2] - L[1][2] * L[2][1]) - L[0][1] * (L[1][0] * L[2][2] - L[1][2] * L[2][0]) +
                            L[0][2] * (L[1][0] * L[2][1] - L[1][1] * L[2][0]);
    for (int r = 0; r < 3; r++)
        for (int j = 0; j < 3; j++) {
            int r1 = (j + 1) % 3, r2 = (j + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
            inv[r][j] = (L[r1][c1] * L[r2][c2] - L[r1][c2] * L[r2][c1]) / det;
        }
    for (int a = 0; a < g->n_atoms; a++) {
        char *s = next_line(c);
        if (!s) return fail_eof(c, "all atom positions");
        double w[3];
        const char *p = s;
        for (int k = 0; k < 3; k++) {
            p = ds_skip_ws(p);
            if (ds_parse_double(&p, &w[k]) != DS_NUM_OK)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                  "expected three finite coordinates of atom %d, got '%.60s'", a + 1, s);
        }
        double *f = info->positions_frac[a], *x = g->positions_angstrom[a];
        if (cartesian) {
            for (int k = 0; k < 3; k++) x[k] = w[k] * scale3[k];
            /* frac = x . inv(L): inv's columns hold the reciprocal directions */
            for (int k = 0; k < 3; k++) f[k] = x[0] * inv[0][k] + x[1] * inv[1][k] + x[2] * inv[2][k];
        } else {
            for (int k = 0; k < 3; k++) f[k] = w[k];
            /* Same operation order as a column-wise matrix-vector product: ((f1 a) + f2 b) + f3 c. */
            for (int k = 0; k < 3; k++) x[k] = f[0] * L[0][k] + f[1] * L[1][k] + f[2] * L[2][k];
        }
    }
    return DS_OK;
}

/* Skips blank lines and reads the grid sizes. */
static int read_dims(chg_ctx *c, ds_grid *g)
{
    char *s;
    do {
        if (!(s = next_line(c))) return fail_eof(c, "the grid sizes (NGX NGY NGZ)");
    } while (!*ds_skip_ws(s));
    const char *p = s;
    for (int k = 0; k < 3; k++) {
        long v;
        p = ds_skip_ws(p);
        if (ds_parse_long(&p, &v) != DS_NUM_OK || v < 1 || v > CHG_MAX_DIM)
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                              "expected the grid sizes NGX NGY NGZ (positive integers) after the positions, got '%.60s'", s);
        g->n[k] = (int)v;
    }
    if (*ds_skip_ws(p))
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                          "expected three grid sizes, got '%.60s' (more atoms than the counts say?)", s);
    return DS_OK;
}

/* Refuses grids larger than the limit or than the rest of the file can hold (a value takes
 * at least two bytes of text; deflate expands at most ~1032:1). */
static int check_capacity(chg_ctx *c, const ds_grid *g, size_t max_bytes)
{
    uint64_t npts = (uint64_t)g->n[0] * (uint64_t)g->n[1] * (uint64_t)g->n[2];
    if (npts > (uint64_t)INT32_MAX)
        return ds_err_set(c->err, DS_ENOMEM, c->path, c->r.line_no, "grid %d x %d x %d has more than 2^31 points", g->n[0],
                          g->n[1], g->n[2]);
    if (npts * sizeof(double) > (uint64_t)max_bytes)
        return ds_err_set(c->err, DS_ENOMEM, c->path, c->r.line_no,
                          "grid %d x %d x %d needs %.1f MB, more than the limit of %.1f MB", g->n[0], g->n[1], g->n[2],
                          (double)npts * 8 / 1e6, (double)max_bytes / 1e6);
    struct stat st;
    if (stat(c->path, &st) == 0) {
        uint64_t size = (uint64_t)st.st_size, avail;
        if (ds_is_gzip(c->path)) avail = size * 1100;
        else avail = size > c->r.bytes_consumed ? size - c->r.bytes_consumed : 0;
        if (npts * 2 > avail)
            return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no,
                              "grid %d x %d x %d needs %llu values but the rest of the file holds at most %llu bytes", g->n[0],
                              g->n[1], g->n[2], (unsigned long long)npts, (unsigned long long)avail);
    }
    return DS_OK;
}

/* Reads one data set in file order (x fastest) into dst in grid order (z fastest). */
static int read_set(chg_ctx *c, ds_grid *g, double *dst, int set)
{
    const size_t n0 = (size_t)g->n[0], n1 = (size_t)g->n[1], n2 = (size_t)g->n[2];
    const size_t npts = n0 * n1 * n2, stride = n1 * n2;
    size_t got = 0, i = 0, j = 0, k = 0, base = 0;
    size_t tok_width = 0;
    while (got < npts) {
        char *s = ds_reader_next(&c->r, NULL);
        if (!s) {
            if (c->r.failed) return fail_eof(c, "the end of the grid");
            return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no,
                              "file ends after %zu of the %zu values of data set %d (grid %d x %d x %d)", got, npts, set + 1,
                              g->n[0], g->n[1], g->n[2]);
        }
        const char *p = s;
        for (;;) {
            p = ds_skip_ws(p);
            if (!*p || got == npts) break;
            const char *tok = p;
            double v;
            int rc = ds_parse_double(&p, &v);
            if ((rc == DS_NUM_NONE || (*p && *p != ' ' && *p != '\t')) && c->r.last_line_unterminated &&
                !strpbrk(tok, " \t"))
                return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no,
                                  "file ends inside value %zu of the %zu of data set %d ('%.20s' is cut short)", got + 1, npts,
                                  set + 1, tok);
            if (rc == DS_NUM_NONE || (*p && *p != ' ' && *p != '\t')) {
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                  "grid sizes do not match the data: data set %d of %d x %d x %d needs %zu values, found "
                                  "'%.30s' after %zu",
                                  set + 1, g->n[0], g->n[1], g->n[2], npts, tok, got);
            }
            if (rc != DS_NUM_OK)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "%s value '%.20s' in data set %d (value %zu)",
                                  rc == DS_NUM_OVERFLOW ? "overflowed ('****')" : "non-finite", tok, set + 1, got + 1);
            size_t w = (size_t)(p - tok);
            if (!tok_width) tok_width = w;
            /* A last line without newline whose final token is shorter than the others was cut. */
            if (c->r.last_line_unterminated && !*ds_skip_ws(p) && w < tok_width)
                return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no,
                                  "file ends inside value %zu of the %zu of data set %d ('%.20s' is cut short)", got + 1, npts,
                                  set + 1, tok);
            dst[i * stride + base] = v;
            got++;
            if (++i == n0) {
                i = 0;
                if (++j == n1) {
                    j = 0;
                    k++;
                }
                base = j * n2 + k;
            }
        }
    }
    return DS_OK;
}

/* After a data set: skips augmentation occupancies and per-ion moments up to the next
 * "NGX NGY NGZ" line.  Returns 1 when found, 0 at end of file, <0 on a read failure. */
static int find_next_set(chg_ctx *c, const int n[3])
{
    char *s;
    while ((s = next_line(c))) {
        const char *p = s;
        long v[3];
        int k = 0;
        for (; k < 3; k++) {
            p = ds_skip_ws(p);
            if (ds_parse_long(&p, &v[k]) != DS_NUM_OK || (*p && *p != ' ' && *p != '\t')) break;
        }
        if (k == 3 && !*ds_skip_ws(p) && v[0] == n[0] && v[1] == n[1] && v[2] == n[2]) return 1;
    }
    if (c->r.failed) return -1;
    return 0;
}

int vasp_chgcar_read(const char *path, const vasp_chgcar_opts *opts, ds_grid *grid, vasp_chgcar_info *info_out,
                     ds_err *err)
{
    vasp_chgcar_info local;
    vasp_chgcar_info *info = info_out ? info_out : &local;
    memset(info, 0, sizeof *info);
    info->truncated_set = -1;
    chg_ctx c = {.path = path, .err = err};
    int rc = ds_reader_open(&c.r, path, err);
    if (rc != DS_OK) return rc;
    double scale3[3];
    int cartesian = 0;
    long n_atoms = 0;
    int max_sets = opts && opts->max_sets > 0 ? (opts->max_sets > 4 ? 4 : opts->max_sets) : 4;
    size_t max_bytes = opts && opts->max_bytes ? opts->max_bytes : CHG_DEFAULT_MAX_BYTES;
    snprintf(grid->units, sizeof grid->units, "%s", opts && opts->units ? opts->units : "rho*V_cell");

    rc = parse_header(&c, opts, grid, info, scale3, &cartesian, &n_atoms);
    if (rc == DS_OK) rc = read_positions(&c, grid, info, scale3, cartesian);
    if (rc == DS_OK) rc = read_dims(&c, grid);
    if (rc == DS_OK) rc = check_capacity(&c, grid, max_bytes);
    size_t npts = grid_n_points(grid);
    for (int set = 0; rc == DS_OK && set < max_sets; set++) {
        if (set > 0) {
            int found = find_next_set(&c, grid->n);
            if (found < 0) {
                info->truncated_set = set;
                snprintf(info->warning, sizeof info->warning, "reading stopped after data set %d: %.250s", set, c.r.fail_err.msg);
                break;
            }
            if (!found) break;
            if ((uint64_t)npts * sizeof(double) * (uint64_t)(set + 1) > (uint64_t)max_bytes) {
                snprintf(info->warning, sizeof info->warning, "data set %d not read: over the memory limit", set + 1);
                break;
            }
        }
        info->n_sets_in_file = set + 1;
        grid->values[set] = malloc(npts * sizeof(double));
        if (!grid->values[set]) {
            rc = ds_err_set(err, DS_ENOMEM, path, c.r.line_no, "out of memory for %zu grid values", npts);
            break;
        }
        ds_err serr;
        c.err = set == 0 ? err : &serr;
        int src = read_set(&c, grid, grid->values[set], set);
        c.err = err;
        if (src != DS_OK) {
            if (set == 0) {
                rc = src;
                break;
            }
            /* The total density is complete; a later set cut short is dropped and reported. */
            free(grid->values[set]);
            grid->values[set] = NULL;
            info->truncated_set = set;
            snprintf(info->warning, sizeof info->warning, "data set %d dropped: %.250s (line %ld)", set + 1, serr.msg, serr.line);
            break;
        }
        grid->n_sets = set + 1;
    }
    ds_reader_close(&c.r);
    if (info == &local) vasp_chgcar_info_free(&local);
    return rc;
}

void vasp_chgcar_info_free(vasp_chgcar_info *info)
{
    if (!info) return;
    free(info->positions_frac);
    info->positions_frac = NULL;
}

int vasp_chgcar_sniff(const char *path)
{
    ds_reader r;
    ds_err e;
    if (ds_reader_open(&r, path, &e) != DS_OK) return 0;
    int ok = 1;
    for (int l = 0; l < 5 && ok; l++) {
        char *s = ds_reader_next(&r, NULL);
        if (!s) {
            ok = 0;
            break;
        }
        if (l == 0) continue;
        double v[5];
        int bad, k = parse_numbers(s, v, 5, &bad);
        if (bad) ok = 0;
        else if (l == 1) ok = (k == 1 || k == 3);
        else ok = (k == 3);
    }
    ds_reader_close(&r);
    return ok;
}
