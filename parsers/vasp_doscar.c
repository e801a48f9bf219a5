/* vasp_doscar: DOSCAR -> run->dos (total, integrated, site projections) and the Fermi level.
 *
 * Layout: line 1 "NIONS NIONS LPDOS ?"; lines 2-5 cell volume, TEBEG, "CAR", system name;
 * line 6 "EMAX EMIN NEDOS EFERMI weight"; NEDOS rows of the total DOS (3 columns for ISPIN=1
 * and noncollinear runs, 5 for ISPIN=2: E dos_up dos_dn int_up int_dn).  With LORBIT >= 10
 * one block per ion follows, each opened by a copy of line 6, whose column count gives the
 * layout: s p d [f] (LORBIT 10) or s py pz px dxy dyz dz2 dxz dx2 [7 f] (LORBIT 11/12), each
 * orbital with 1 value (ISPIN=1), 2 (up, down interleaved) or 4 (noncollinear: total, m_x,
 * m_y, m_z).  DOSCAR alone cannot tell ISPIN=1 lm+f (16 values) from noncollinear s p d f
 * (4 x 4): only the caller's noncollinear flag decides that one.  VASP wraps very long rows
 * (noncollinear with f: 37 + 28 values) onto a second line; rows are read as value streams. */
#include "parsers/vasp_doscar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOS_MAX_POINTS 10000000L
#define DOS_MAX_IONS 10000000L
#define DOS_MAX_VALUES 4096 /* numbers on one line */
#define DOS_MAX_ROW_LINES 8 /* lines one wrapped row may span */
#define DOS_MAX_LINE ((size_t)1 << 20)

static const char *const l_labels[4] = {"s", "p", "d", "f"};
/* pymatgen's Orbital names, in VASP's order (l, m = -l..l). */
static const char *const lm_labels[16] = {"s",   "py",  "pz",  "px",  "dxy", "dyz", "dz2", "dxz",
                                          "dx2", "f_3", "f_2", "f_1", "f0",  "f1",  "f2",  "f3"};

typedef struct {
    ds_reader r;
    const char *path;
    ds_err *err;
    ds_run *run;
    /* One parsed line of lookahead. */
    int has;  /* a line is held */
    int text; /* it holds a token that is not a number */
    int n;    /* numbers on it */
    long line;
    long bad_line; /* where read_row stopped */
    double v[DOS_MAX_VALUES];
    int overflow, nonfinite; /* counts over the file */
} dos_ctx;

typedef struct {
    double emax, emin, efermi;
    long nedos, nions, lpdos;
} dos_header;

static int peek(dos_ctx *c);
static void take(dos_ctx *c);
static int reader_error(dos_ctx *c);
static int is_block_header(const dos_ctx *c, const dos_header *h);
static int near_energy(double a, double b);
static int valid_orbitals(int n);
static int site_layout(int d, int total_cols, int noncollinear, int *ns, int *no);
static int read_header(dos_ctx *c, dos_header *h);
static int read_total(dos_ctx *c, const dos_header *h, run_dos *dos, int *total_cols);
static int first_row_values(dos_ctx *c, const dos_header *h, const double *energies, double *row, int *d, int *lines);
static int read_row(dos_ctx *c, double *row, int want, int lines);
static void read_sites(dos_ctx *c, const dos_header *h, run_dos *dos, int total_cols, int noncollinear);

/* Reads the next line into the lookahead.  Returns 1 when a line is held, 0 at the end. */
static int peek(dos_ctx *c)
{
    if (c->has) return 1;
    if (c->r.failed) return 0;
    char *s = ds_reader_next(&c->r, NULL);
    if (!s) return 0;
    c->has = 1;
    c->text = 0;
    c->n = 0;
    c->line = c->r.line_no;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (c->n == DOS_MAX_VALUES) {
            c->text = 1;
            break;
        }
        int rc = ds_parse_double(&p, &c->v[c->n]);
        if (rc == DS_NUM_NONE || (*p && *p != ' ' && *p != '\t')) {
            c->text = 1;
            break;
        }
        if (rc == DS_NUM_OVERFLOW) c->overflow++;
        if (rc == DS_NUM_NONFINITE) c->nonfinite++;
        c->n++;
    }
    return 1;
}

static void take(dos_ctx *c)
{
    c->has = 0;
}

/* At the end of the input: a read failure (gzip cut short) or a plain end of file. */
static int reader_error(dos_ctx *c)
{
    return c->r.failed;
}

/* A site block opens with a copy of line 6. */
static int is_block_header(const dos_ctx *c, const dos_header *h)
{
    return c->has && !c->text && c->n >= 4 && c->v[2] == (double)h->nedos && near_energy(c->v[0], h->emax) &&
           near_energy(c->v[1], h->emin);
}

/* Energies are printed with 3 decimals in the data rows and 8 in the headers. */
static int near_energy(double a, double b)
{
    return fabs(a - b) <= 5e-3 + 1e-9 * fabs(b);
}

static int valid_orbitals(int n)
{
    return n == 3 || n == 4 || n == 9 || n == 16;
}

/* Layout of a site row from its d data columns.  Returns 1 (ns, no set), 0 when no VASP
 * layout has d columns, -1 when two do and the caller did not say which. */
static int site_layout(int d, int total_cols, int noncollinear, int *ns, int *no)
{
    if (total_cols == 5) {
        *ns = 2;
        *no = d / 2;
        return d % 2 == 0 && valid_orbitals(d / 2);
    }
    int col = valid_orbitals(d), ncl = d % 4 == 0 && valid_orbitals(d / 4);
    if (noncollinear == 1) col = 0;
    if (noncollinear == 0) ncl = 0;
    if (col && ncl) return -1;
    if (!col && !ncl) return 0;
    *ns = col ? 1 : 4;
    *no = col ? d : d / 4;
    return 1;
}

static int read_header(dos_ctx *c, dos_header *h)
{
    if (!peek(c)) {
        if (reader_error(c)) return *c->err = c->r.fail_err, c->err->code;
        return ds_err_set(c->err, DS_ETRUNC, c->path, 1, "empty file: expected the DOSCAR header 'NIONS NIONS ...'");
    }
    if (c->r.last_line_unterminated)
        return ds_err_set(c->err, DS_ETRUNC, c->path, 1, "file ends inside the DOSCAR header (line 1 of 6)");
    if (c->text || c->n < 3 || c->v[0] != floor(c->v[0]) || c->v[2] != floor(c->v[2]) || !(fabs(c->v[2]) < 1e9))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 1, "expected 'NIONS NIONS LPDOS ...' (integers): not a DOSCAR");
    if (!(c->v[0] >= 0 && c->v[0] <= DOS_MAX_IONS))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 1, "NIONS %g is not a plausible number of ions", c->v[0]);
    h->nions = (long)c->v[0];
    h->lpdos = (long)c->v[2];
    take(c);
    for (int i = 2; i <= 5; i++) {
        if (!peek(c)) {
            if (reader_error(c)) return *c->err = c->r.fail_err, c->err->code;
            return ds_err_set(c->err, DS_ETRUNC, c->path, i, "file ends in the DOSCAR header (line %d of 6)", i);
        }
        take(c);
    }
    if (!peek(c)) {
        if (reader_error(c)) return *c->err = c->r.fail_err, c->err->code;
        return ds_err_set(c->err, DS_ETRUNC, c->path, 6, "file ends before line 6 'EMAX EMIN NEDOS EFERMI weight'");
    }
    if (c->r.last_line_unterminated)
        return ds_err_set(c->err, DS_ETRUNC, c->path, 6, "file ends inside line 6 'EMAX EMIN NEDOS EFERMI weight'");
    if (c->text || c->n < 4 || !isfinite(c->v[0]) || !isfinite(c->v[1]) || c->v[2] != floor(c->v[2]))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 6, "expected 'EMAX EMIN NEDOS EFERMI weight' (numbers)");
    if (!(c->v[2] >= 1 && c->v[2] <= DOS_MAX_POINTS))
        return ds_err_set(c->err, DS_EFORMAT, c->path, 6, "NEDOS %g is not a plausible number of energy points",
                          c->v[2]);
    h->emax = c->v[0];
    h->emin = c->v[1];
    h->nedos = (long)c->v[2];
    h->efermi = c->v[3];
    take(c);
    return DS_OK;
}

/* The total block must be complete: without it nothing in the file is usable. */
static int read_total(dos_ctx *c, const dos_header *h, run_dos *dos, int *total_cols)
{
    long n = h->nedos, cap = 0;
    double *rows = NULL;
    int cols = 0;
    for (long i = 0; i < n; i++) {
        if (!peek(c)) {
            free(rows);
            if (reader_error(c)) return *c->err = c->r.fail_err, c->err->code;
            return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no + 1,
                              "file ends in the total DOS after %ld of NEDOS = %ld energy points", i, n);
        }
        if (i == 0) cols = c->n;
        /* VASP ends every line: a last line without newline may hold a cut number. */
        if (c->r.last_line_unterminated) {
            free(rows);
            return ds_err_set(c->err, DS_ETRUNC, c->path, c->line,
                              "file ends inside total-DOS point %ld of NEDOS = %ld (last line without newline)", i + 1,
                              n);
        }
        if (c->text || (cols != 3 && cols != 5) || c->n != cols) {
            free(rows);
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->line,
                              "expected total-DOS point %ld of %ld: %d numbers (3 for ISPIN=1/noncollinear, 5 for "
                              "ISPIN=2)%s",
                              i + 1, n, i ? cols : 3, c->text ? ", found text" : "");
        }
        if ((i + 1) * cols > cap) {
            long ncap = cap ? cap * 2 : 1024;
            while (ncap < (i + 1) * cols) ncap *= 2;
            double *nr = realloc(rows, (size_t)ncap * sizeof *rows);
            if (!nr) {
                free(rows);
                return ds_err_set(c->err, DS_ENOMEM, c->path, c->line, "out of memory");
            }
            rows = nr;
            cap = ncap;
        }
        memcpy(rows + i * cols, c->v, (size_t)cols * sizeof *rows);
        take(c);
    }
    int ns = cols == 5 ? 2 : 1;
    dos->energies_eV = malloc((size_t)n * sizeof(double));
    dos->total = malloc((size_t)(n * ns) * sizeof(double));
    dos->integrated = malloc((size_t)(n * ns) * sizeof(double));
    if (!dos->energies_eV || !dos->total || !dos->integrated) {
        free(rows);
        return ds_err_set(c->err, DS_ENOMEM, c->path, 0, "out of memory for %ld DOS points", n);
    }
    for (long i = 0; i < n; i++) {
        const double *r = rows + i * cols;
        dos->energies_eV[i] = r[0];
        for (int s = 0; s < ns; s++) {
            dos->total[s * n + i] = r[1 + s];
            dos->integrated[s * n + i] = r[1 + ns + s];
        }
    }
    free(rows);
    dos->n_points = (int)n;
    dos->n_spins = ns;
    *total_cols = cols;
    return DS_OK;
}

/* The first row of the first site block fixes how many values (and lines) a row has: the
 * row ends where a line starts with the next grid energy and has as many values as the
 * row's first line (or, with NEDOS = 1, where the next block header or the file end is). */
static int first_row_values(dos_ctx *c, const dos_header *h, const double *energies, double *row, int *d, int *lines)
{
    int count = 0, first_n = c->n;
    *lines = 0;
    while (*lines < DOS_MAX_ROW_LINES) {
        if (!peek(c) || c->text || count + c->n > DOS_MAX_VALUES || c->r.last_line_unterminated) break;
        if (*lines > 0) {
            if (h->nedos >= 2 && c->n == first_n && near_energy(c->v[0], energies[1])) break;
            if (h->nedos == 1 && is_block_header(c, h)) break;
        }
        memcpy(row + count, c->v, (size_t)c->n * sizeof *row);
        count += c->n;
        (*lines)++;
        take(c);
    }
    *d = count - 1;
    return count >= 2 ? DS_OK : DS_EFORMAT;
}

/* Reads one row: want values on exactly `lines` lines (the first row's pattern).  Returns 1
 * when complete; else 0 with c->bad_line set (0 when the file ended). */
static int read_row(dos_ctx *c, double *row, int want, int lines)
{
    int count = 0;
    for (int k = 0; k < lines; k++) {
        if (!peek(c)) {
            c->bad_line = 0;
            return 0;
        }
        c->bad_line = c->line;
        if (c->r.last_line_unterminated) c->bad_line = 0; /* a cut last line: the file ends */
        if (c->text || c->n == 0 || count + c->n > want || !c->bad_line) return 0;
        memcpy(row + count, c->v, (size_t)c->n * sizeof *row);
        count += c->n;
        take(c);
    }
    return count == want;
}

/* Site blocks: complete ones are kept; a problem stops the reading with a warning. */
static void read_sites(dos_ctx *c, const dos_header *h, run_dos *dos, int total_cols, int noncollinear)
{
    ds_run *run = c->run;
    long n = h->nedos;
    int ns = 0, no = 0, d = 0, lines = 0;
    double *row = malloc(DOS_MAX_VALUES * sizeof *row);
    if (!row) {
        run_add_warning(run, "%s: out of memory for the site-projected DOS; not read", c->path);
        return;
    }
    const char *problem = NULL;
    long problem_line = 0, atom = 0;
    for (atom = 0; atom < h->nions; atom++) {
        if (!peek(c)) {
            if (atom > 0 || reader_error(c))
                problem = "the file ends";
            else if (h->lpdos == 1)
                run_add_warning(run, "%s: line 1 announces site-projected DOS but the file ends after the total DOS",
                                c->path);
            problem_line = c->r.line_no + 1;
            break;
        }
        if (!is_block_header(c, h)) {
            problem = atom ? "expected the next site block header (a copy of line 6)"
                           : "unexpected content after the total DOS (not a site block header)";
            problem_line = c->line;
            break;
        }
        long header_line = c->line;
        take(c);
        if (atom == 0) {
            if (!peek(c) || c->text || c->n < 2 || !near_energy(c->v[0], dos->energies_eV[0]) ||
                first_row_values(c, h, dos->energies_eV, row, &d, &lines) != DS_OK) {
                problem = c->has ? "the first site row is not 'E value...'" : "the file ends";
                problem_line = c->has ? c->line : header_line + 1;
                break;
            }
            int lay = site_layout(d, total_cols, noncollinear, &ns, &no);
            if (lay == -1) {
                run_add_warning(run,
                                "%s: site blocks with %d values per energy are either ISPIN=1 lm-resolved s,p,d,f or "
                                "noncollinear s,p,d,f x (total, mx, my, mz); say whether the run is noncollinear. "
                                "Projections not read",
                                c->path, d);
                atom = 0;
                break;
            }
            if (lay == 0) {
                run_add_warning(run,
                                "%s:%ld: site blocks with %d values per energy match no VASP layout%s; projections "
                                "not read",
                                c->path, header_line + 1, d,
                                noncollinear == 1 && total_cols == 5 ? " (the run was said to be noncollinear)" : "");
                atom = 0;
                break;
            }
            dos->n_pdos_spins = ns;
            dos->n_orbitals = no;
            dos->orbital_labels = calloc((size_t)no, sizeof *dos->orbital_labels);
            if (!dos->orbital_labels) {
                problem = "out of memory";
                break;
            }
            for (int o = 0; o < no; o++)
                snprintf(dos->orbital_labels[o], sizeof dos->orbital_labels[o], "%s",
                         no >= 9 ? lm_labels[o] : l_labels[o]);
            if (lines > 1)
                run_add_warning(run, "%s: site rows are wrapped over %d lines (%d values per energy)", c->path, lines,
                                d);
        }
        size_t per_atom = (size_t)ns * (size_t)no * (size_t)n;
        double *np = realloc(dos->pdos, (size_t)(atom + 1) * per_atom * sizeof *np);
        if (!np) {
            problem = "out of memory";
            break;
        }
        dos->pdos = np;
        double *base = dos->pdos + (size_t)atom * per_atom;
        long i = 0, row_line = header_line + 1;
        int bad_energy = 0;
        for (; i < n; i++) {
            if (!(atom == 0 && i == 0)) {
                row_line = peek(c) ? c->line : c->r.line_no + 1;
                if (!read_row(c, row, d + 1, lines)) break;
            }
            if (!near_energy(row[0], dos->energies_eV[i])) {
                bad_energy = 1;
                break;
            }
            for (int j = 0; j < d; j++) base[((size_t)(j % ns) * no + (size_t)(j / ns)) * n + i] = row[1 + j];
        }
        if (i < n) {
            if (bad_energy) {
                problem = "a row whose energy is not the total DOS grid's";
                problem_line = row_line;
            } else if (c->bad_line) {
                problem = "a row of the wrong length";
                problem_line = c->bad_line;
            } else {
                problem = "the file ends";
                problem_line = c->r.line_no + 1;
            }
            break;
        }
    }
    dos->n_pdos_atoms = dos->orbital_labels ? (int)atom : 0;
    if (dos->n_pdos_atoms == 0) {
        free(dos->pdos);
        free(dos->orbital_labels);
        dos->pdos = NULL;
        dos->orbital_labels = NULL;
        dos->n_pdos_spins = dos->n_orbitals = 0;
    }
    if (problem) {
        /* At the end: nothing more, or the line held is the file's last one, cut short. */
        int at_end = !peek(c) || c->r.last_line_unterminated;
        if (at_end) {
            run->truncated = 1;
            if (strcmp(problem, "the file ends") != 0) problem = "the file ends (last line cut)";
        }
        run_add_warning(run, "%s:%ld: %s in the site block of ion %ld of %ld; projections kept for %d complete ion%s",
                        c->path, problem_line, problem, atom + 1, h->nions, dos->n_pdos_atoms,
                        dos->n_pdos_atoms == 1 ? "" : "s");
    } else if (dos->n_pdos_atoms == h->nions && peek(c)) {
        run_add_warning(run, "%s:%ld: content after the last site block ignored", c->path, c->line);
    }
    free(row);
}

int vasp_doscar_read(const char *path, int noncollinear, ds_run *run, ds_err *err)
{
    if (!path || !run) return ds_err_set(err, DS_EUSAGE, path, 0, "vasp_doscar_read: no path or run");
    ds_err local;
    if (!err) err = &local;
    dos_ctx *c = calloc(1, sizeof *c);
    if (!c) return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    c->path = path;
    c->err = err;
    c->run = run;
    int rc = ds_reader_open_full(&c->r, path, err);
    if (rc) {
        free(c);
        return rc;
    }
    c->r.max_line = DOS_MAX_LINE;
    dos_header h;
    run_dos dos;
    memset(&dos, 0, sizeof dos);
    int total_cols = 0;
    if ((rc = read_header(c, &h)) != DS_OK || (rc = read_total(c, &h, &dos, &total_cols)) != DS_OK) {
        free(dos.energies_eV);
        free(dos.total);
        free(dos.integrated);
        goto done;
    }
    if (noncollinear == 1 && total_cols == 5)
        run_add_warning(run,
                        "%s: the run was said to be noncollinear but the total DOS has 5 columns (ISPIN=2); read "
                        "as ISPIN=2",
                        path);
    read_sites(c, &h, &dos, total_cols, noncollinear);
    if (c->r.failed) {
        run->truncated = 1;
        char buf[1400];
        run_add_warning(run, "%s", ds_err_format(&c->r.fail_err, buf, sizeof buf));
    }
    if (c->r.last_line_unterminated && !run->truncated) {
        /* VASP ends every line: the last value read may be cut short. */
        run->truncated = 1;
        run_add_warning(run, "%s: the last line has no newline: the file may have been cut while VASP wrote it", path);
    }
    if (c->overflow) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "%s: %d '****' overflow fields read as NaN", path, c->overflow);
    }
    if (c->nonfinite) {
        run->has_nonfinite = 1;
        run_add_warning(run, "%s: %d NaN/Inf values", path, c->nonfinite);
    }
    free(run->dos.energies_eV);
    free(run->dos.total);
    free(run->dos.integrated);
    free(run->dos.orbital_labels);
    free(run->dos.pdos);
    run->dos = dos;
    run->has_dos = 1;
    run->fermi_eV = h.efermi;
    run->code = RUN_CODE_VASP;
    run->settings.spin_polarized = total_cols == 5 ? 1 : run->settings.spin_polarized;
    if (total_cols == 5 || dos.n_pdos_spins == 1) run->settings.noncollinear = 0;
    if (dos.n_pdos_spins == 4) run->settings.noncollinear = 1;
    if (run->settings.noncollinear == 0 && total_cols == 3) run->settings.spin_polarized = 0;
    run_add_source(run, "dos", path);
    run_add_source(run, "fermi", path);
    rc = DS_OK;
done:
    ds_reader_close(&c->r);
    free(c);
    return rc;
}
