/* vasp_poscar: POSCAR/CONTCAR -> run->initial, species, kinds and title.
 *
 * Layout (VASP wiki "POSCAR"): comment; one scale factor (negative = target cell volume) or
 * three per-axis factors; three lattice rows; [species line(s)]; counts line(s);
 * [Selective dynamics]; Direct|Cartesian (first non-blank letter, C/K = Cartesian); one line
 * per atom: three coordinates, [three T/F flags], [anything, e.g. pymatgen's species label].
 * What follows the positions (CONTCAR velocities, predictor-corrector block) is ignored.
 * Cartesian positions are scaled like the lattice. */
#include "parsers/vasp_poscar.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

#define POSCAR_MAX_ATOMS 10000000L
#define POSCAR_MAX_TYPES 512
#define POSCAR_MAX_SPECIES_LINES 10
#define POSCAR_MAX_LINE ((size_t)1 << 20)

typedef struct {
    ds_reader r;
    const char *path;
    ds_err *err;
} pos_ctx;

/* Everything the header says before the positions. */
typedef struct {
    char comment[256];
    double scale[3];      /* per Cartesian axis (all equal for one factor) */
    double lattice[3][3]; /* scaled, Angstrom */
    int n_types;
    long counts[POSCAR_MAX_TYPES];
    char tokens[POSCAR_MAX_TYPES][32]; /* species-line tokens ("" for VASP 4) */
    long counts_line;
    int selective, cartesian, left_handed;
} pos_header;

/* Positions as read (grown while reading: a corrupt count cannot make us allocate). */
typedef struct {
    long n, cap;
    double (*xyz)[3];
    unsigned char (*flags)[3];
    char (*label)[4]; /* element named after the coordinates, "" if none */
} pos_atoms;

static char *next_line(pos_ctx *c, const char *what, int *rc);
static const char *token(const char **p, size_t *len);
static int number_token(const char **p, double *v);
static int int_token(const char *b, size_t len, long *v);
static int species_from_token(const char *tok, size_t len, char out[4]);
static int element_label(const char *tok, size_t len, char out[4]);
static int comment_symbols(const char *comment, char (*out)[4], int max);
static int read_scale_and_lattice(pos_ctx *c, pos_header *h);
static int read_types(pos_ctx *c, pos_header *h);
static int read_modes(pos_ctx *c, pos_header *h);
static int grow_atoms(pos_atoms *a, long need);
static int read_positions(pos_ctx *c, const pos_header *h, pos_atoms *a);
static void check_after_positions(pos_ctx *c, const pos_header *h, ds_run *run);
static int resolve_species(pos_ctx *c, const pos_header *h, const pos_atoms *a, const char *const *type_symbols,
                           int n_type_symbols, char (*sym)[4], char (*label)[32], ds_run *run);
static int fill_run(const pos_header *h, const pos_atoms *a, char (*sym)[4], char (*label)[32], ds_run *run);

static char *next_line(pos_ctx *c, const char *what, int *rc)
{
    char *s = ds_reader_next(&c->r, NULL);
    if (s) return s;
    if (c->r.failed) {
        *c->err = c->r.fail_err;
        *rc = c->err->code;
    } else {
        *rc = ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no + 1, "file ends before %s", what);
    }
    return NULL;
}

/* Next whitespace-separated token; NULL at the end of the line. */
static const char *token(const char **p, size_t *len)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) {
        *p = s;
        return NULL;
    }
    const char *b = s;
    while (*s && *s != ' ' && *s != '\t') s++;
    *len = (size_t)(s - b);
    *p = s;
    return b;
}

/* A whole token that is a finite number: DS_NUM_OK; DS_NUM_NONE when the token is text. */
static int number_token(const char **p, double *v)
{
    const char *s = *p;
    int rc = ds_parse_double(&s, v);
    if (rc == DS_NUM_NONE) return DS_NUM_NONE;
    if (*s && *s != ' ' && *s != '\t') return DS_NUM_NONE;
    *p = s;
    return rc;
}

static int int_token(const char *b, size_t len, long *v)
{
    const char *s = b;
    if (ds_parse_long(&s, v) != DS_NUM_OK) return 0;
    return (size_t)(s - b) == len;
}

/* Species-line token: "Fe", "Fe_pv", "Si/3b2f..." (VASP 6 adds the POTCAR hash).  The
 * element must not run on into more letters ("Bogus" is not boron). */
static int species_from_token(const char *tok, size_t len, char out[4])
{
    char buf[64];
    if (len >= sizeof buf) len = sizeof buf - 1;
    memcpy(buf, tok, len);
    buf[len] = '\0';
    if (!element_from_label(buf, out)) return 0;
    return !isalpha((unsigned char)buf[strlen(out)]);
}

/* A per-atom label after the coordinates: an exact element symbol, optionally with a charge
 * ("Fe", "Fe4+", "O2-"), as pymatgen writes them. */
static int element_label(const char *tok, size_t len, char out[4])
{
    if (len == 0 || len > 8 || !isupper((unsigned char)tok[0])) return 0;
    size_t k = (len > 1 && islower((unsigned char)tok[1])) ? 2 : 1;
    char sym[3] = {tok[0], k == 2 ? tok[1] : '\0', '\0'};
    if (!element_z(sym)) return 0;
    for (size_t i = k; i < len; i++)
        if (!isdigit((unsigned char)tok[i]) && tok[i] != '+' && tok[i] != '-') return 0;
    memcpy(out, sym, 3);
    out[3] = '\0';
    return 1;
}

/* Element symbols named by the comment line, the way ASE reads a VASP 4 file: each word
 * loses digits and the delimiters - _ , . = and is then read as a formula ("Fe2" -> Fe,
 * "ZnS" -> Zn S).  Words that are not formulas of real elements are comment text and are
 * skipped (ASE gives up on the whole line instead).  Returns the number of symbols. */
static int comment_symbols(const char *comment, char (*out)[4], int max)
{
    int n = 0;
    const char *p = comment;
    const char *b;
    size_t len;
    while ((b = token(&p, &len)) != NULL) {
        char w[64];
        size_t m = 0;
        for (size_t i = 0; i < len && m < sizeof w - 1; i++) {
            char ch = b[i];
            if (isdigit((unsigned char)ch) || ch == '-' || ch == '_' || ch == ',' || ch == '.' || ch == '=') continue;
            w[m++] = ch;
        }
        w[m] = '\0';
        if (m == 0) continue;
        char syms[32][4];
        int k = 0, ok = 1;
        for (size_t i = 0; i < m && ok;) {
            if (!isupper((unsigned char)w[i]) || k == 32) {
                ok = 0;
                break;
            }
            char s[3] = {w[i], 0, 0};
            i++;
            if (i < m && islower((unsigned char)w[i])) s[1] = w[i++];
            if (!element_z(s))
                ok = 0;
            else
                memcpy(syms[k++], s, 3);
        }
        if (!ok) continue;
        for (int i = 0; i < k; i++) {
            if (n >= max) return n + 1; /* more than wanted: the caller sees a mismatch */
            memcpy(out[n++], syms[i], 4);
        }
    }
    return n;
}

static int read_scale_and_lattice(pos_ctx *c, pos_header *h)
{
    int rc = DS_OK;
    char *s = next_line(c, "the scale factor (line 2)", &rc);
    if (!s) return rc;
    double v[3];
    int n = 0;
    const char *p = s;
    while (n < 3) {
        int k = number_token(&p, &v[n]);
        if (k == DS_NUM_NONE) break;
        if (k != DS_NUM_OK)
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                              "the scale factor is not a finite number: '%s'", s);
        n++;
    }
    if (n == 0)
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                          "expected the scale factor (a number) on line 2, found '%.60s': not a POSCAR/CONTCAR", s);
    if (n == 2)
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "expected one or three scale factors, found two");
    long scale_line = c->r.line_no;
    double raw[3][3];
    for (int i = 0; i < 3; i++) {
        s = next_line(c, "the three lattice vectors", &rc);
        if (!s) return rc;
        p = s;
        for (int k = 0; k < 3; k++) {
            int t = number_token(&p, &raw[i][k]);
            if (t != DS_NUM_OK)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                  "expected lattice vector %d as three finite numbers, found '%.60s'", i + 1, s);
        }
    }
    double det = raw[0][0] * (raw[1][1] * raw[2][2] - raw[1][2] * raw[2][1]) -
                 raw[0][1] * (raw[1][0] * raw[2][2] - raw[1][2] * raw[2][0]) +
                 raw[0][2] * (raw[1][0] * raw[2][1] - raw[1][1] * raw[2][0]);
    if (n == 3) {
        if (v[0] <= 0 || v[1] <= 0 || v[2] <= 0)
            return ds_err_set(c->err, DS_EFORMAT, c->path, scale_line,
                              "three scale factors must all be positive (VASP); found %g %g %g", v[0], v[1], v[2]);
        for (int k = 0; k < 3; k++) h->scale[k] = v[k];
    } else if (v[0] > 0) {
        h->scale[0] = h->scale[1] = h->scale[2] = v[0];
    } else if (v[0] < 0) {
        /* VASP: a negative factor is the cell volume; the lattice is scaled to reach it. */
        if (!(fabs(det) > 0) || !isfinite(det))
            return ds_err_set(c->err, DS_EFORMAT, c->path, scale_line + 3,
                              "the lattice vectors span zero volume; a negative scale (target volume) cannot apply");
        double f = cbrt(-v[0] / fabs(det));
        h->scale[0] = h->scale[1] = h->scale[2] = f;
    } else {
        return ds_err_set(c->err, DS_EFORMAT, c->path, scale_line, "the scale factor is zero");
    }
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) h->lattice[i][k] = raw[i][k] * h->scale[k];
    h->left_handed = det < 0; /* the scales are positive: the sign is the raw vectors' */
    double vol = run_volume_angstrom3(h->lattice);
    double la = 1;
    for (int i = 0; i < 3; i++)
        la *= sqrt(h->lattice[i][0] * h->lattice[i][0] + h->lattice[i][1] * h->lattice[i][1] +
                   h->lattice[i][2] * h->lattice[i][2]);
    if (!(vol > 1e-10 * la) || !isfinite(vol))
        return ds_err_set(c->err, DS_EFORMAT, c->path, scale_line + 3,
                          "the lattice vectors are linearly dependent (cell volume %g A^3)", vol);
    return DS_OK;
}

/* Species line(s) (VASP 5/6; pymatgen notes VASP wraps them after 20 types) and counts. */
static int read_types(pos_ctx *c, pos_header *h)
{
    int rc = DS_OK;
    char *s = next_line(c, "the atom counts (line 6)", &rc);
    if (!s) return rc;
    int n_species = 0, species_lines = 0;
    for (;;) {
        const char *p = s, *b;
        size_t len;
        long v;
        b = token(&p, &len);
        if (!b)
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                              "expected species names or atom counts, found an empty line");
        if (int_token(b, len, &v)) break;
        if (++species_lines > POSCAR_MAX_SPECIES_LINES)
            return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                              "expected the atom counts after the species line");
        for (; b; b = token(&p, &len)) {
            if (*b == '!' || *b == '#') break;
            if (!isalpha((unsigned char)*b))
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                  "expected species names or integer atom counts, found '%.*s'", (int)len, b);
            if (n_species == POSCAR_MAX_TYPES)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "more than %d species", POSCAR_MAX_TYPES);
            size_t l = len < sizeof h->tokens[0] ? len : sizeof h->tokens[0] - 1;
            memcpy(h->tokens[n_species], b, l);
            h->tokens[n_species][l] = '\0';
            n_species++;
        }
        s = next_line(c, "the atom counts", &rc);
        if (!s) return rc;
    }
    /* Counts: VASP 4 takes the integers of one line; VASP 5 as many as there are species. */
    long total = 0;
    h->n_types = 0;
    h->counts_line = c->r.line_no;
    for (;;) {
        const char *p = s, *b;
        size_t len;
        while ((b = token(&p, &len)) != NULL) {
            long v;
            if (!int_token(b, len, &v)) {
                if (n_species || *b == '!' || *b == '#') break;
                if (h->n_types == 0)
                    return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "expected atom counts, found '%.40s'",
                                      b);
                break;
            }
            if (v < 0) return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "negative atom count %ld", v);
            if (h->n_types == POSCAR_MAX_TYPES)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "more than %d atom types",
                                  POSCAR_MAX_TYPES);
            if (v > POSCAR_MAX_ATOMS || total + v > POSCAR_MAX_ATOMS)
                return ds_err_set(c->err, DS_ENOMEM, c->path, c->r.line_no,
                                  "atom counts add up to more than %ld atoms: refused (corrupt counts line?)",
                                  POSCAR_MAX_ATOMS);
            h->counts[h->n_types++] = v;
            total += v;
            if (n_species && h->n_types == n_species) break;
        }
        if (!n_species || h->n_types >= n_species) break;
        s = next_line(c, "the rest of the atom counts", &rc);
        if (!s) return rc;
        long v;
        const char *q = s, *t = token(&q, &len);
        if (!t || !int_token(t, len, &v)) break;
    }
    if (n_species && h->n_types != n_species)
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "%d species names but %d atom counts", n_species,
                          h->n_types);
    if (total == 0)
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no, "the atom counts add up to zero atoms");
    return DS_OK;
}

static int read_modes(pos_ctx *c, pos_header *h)
{
    int rc = DS_OK;
    char *s = next_line(c, "the coordinate mode line (Direct or Cartesian)", &rc);
    if (!s) return rc;
    const char *p = ds_skip_ws(s);
    if (*p == 's' || *p == 'S') {
        h->selective = 1;
        s = next_line(c, "the coordinate mode line (Direct or Cartesian)", &rc);
        if (!s) return rc;
        p = ds_skip_ws(s);
    }
    if (!*p || isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.')
        return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                          "expected the coordinate mode line (Direct or Cartesian), found '%.40s' (atom counts wrong?)",
                          s);
    h->cartesian = (*p == 'c' || *p == 'C' || *p == 'k' || *p == 'K');
    return DS_OK;
}

static int grow_atoms(pos_atoms *a, long need)
{
    if (need <= a->cap) return DS_OK;
    long cap = a->cap ? a->cap : 64;
    while (cap < need) cap *= 2;
    void *x = realloc(a->xyz, (size_t)cap * sizeof *a->xyz);
    if (!x) return DS_ENOMEM;
    a->xyz = x;
    void *f = realloc(a->flags, (size_t)cap * sizeof *a->flags);
    if (!f) return DS_ENOMEM;
    a->flags = f;
    void *l = realloc(a->label, (size_t)cap * sizeof *a->label);
    if (!l) return DS_ENOMEM;
    a->label = l;
    a->cap = cap;
    return DS_OK;
}

static int read_positions(pos_ctx *c, const pos_header *h, pos_atoms *a)
{
    long n_atoms = 0;
    for (int t = 0; t < h->n_types; t++) n_atoms += h->counts[t];
    for (long i = 0; i < n_atoms; i++) {
        char *s = ds_reader_next(&c->r, NULL);
        if (!s) {
            if (c->r.failed) {
                *c->err = c->r.fail_err;
                return c->err->code;
            }
            return ds_err_set(c->err, DS_ETRUNC, c->path, c->r.line_no + 1,
                              "file ends after %ld of the %ld atom positions the counts line (line %ld) announces", i,
                              n_atoms, h->counts_line);
        }
        if (grow_atoms(a, i + 1)) return ds_err_set(c->err, DS_ENOMEM, c->path, c->r.line_no, "out of memory");
        const char *p = s;
        for (int k = 0; k < 3; k++) {
            int t = number_token(&p, &a->xyz[i][k]);
            if (t == DS_NUM_OVERFLOW || t == DS_NUM_NONFINITE)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                  "position of atom %ld is not a finite number ('****' or NaN): '%.60s'", i + 1, s);
            if (t != DS_NUM_OK)
                return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                  "expected the position of atom %ld of %ld (three numbers), found '%.60s' (fewer "
                                  "position lines than the counts on line %ld say?)",
                                  i + 1, n_atoms, s, h->counts_line);
        }
        const char *b;
        size_t len;
        memset(a->flags[i], 1, 3);
        if (h->selective) {
            for (int k = 0; k < 3; k++) {
                b = token(&p, &len);
                if (b && *b == '.' && len > 1) b++;
                if (!b || (toupper((unsigned char)*b) != 'T' && toupper((unsigned char)*b) != 'F'))
                    return ds_err_set(c->err, DS_EFORMAT, c->path, c->r.line_no,
                                      "selective dynamics: expected three T/F flags after the position of atom %ld",
                                      i + 1);
                a->flags[i][k] = toupper((unsigned char)*b) == 'T';
            }
        }
        a->label[i][0] = '\0';
        b = token(&p, &len);
        if (b && !element_label(b, len, a->label[i])) a->label[i][0] = '\0';
        a->n = i + 1;
    }
    return DS_OK;
}

/* After the positions: CONTCAR has a blank line and velocities; another coordinate-like line
 * means the counts announce fewer atoms than the file lists. */
static void check_after_positions(pos_ctx *c, const pos_header *h, ds_run *run)
{
    if (c->r.last_line_unterminated) {
        run_add_warning(run, "%s:%ld: the last position line has no newline: the file may have been cut", c->path,
                        c->r.line_no);
        return;
    }
    char *s = ds_reader_next(&c->r, NULL);
    if (!s) return;
    const char *p = s;
    double v;
    int k = 0;
    while (k < 3 && number_token(&p, &v) == DS_NUM_OK) k++;
    if (k == 3 && *ds_skip_ws(s))
        run_add_warning(run, "%s:%ld: another coordinate line after the atoms the counts (line %ld) announce; ignored",
                        c->path, c->r.line_no, h->counts_line);
}

/* Element per type.  The POTCAR order (type_symbols, from OUTCAR/vasprun) is what VASP ran
 * with, so it wins over the species line; a VASP 4 file without species line then falls back
 * to per-atom labels (as pymatgen) and to the comment line (as ASE). */
static int resolve_species(pos_ctx *c, const pos_header *h, const pos_atoms *a, const char *const *type_symbols,
                           int n_type_symbols, char (*sym)[4], char (*label)[32], ds_run *run)
{
    int has_line = h->tokens[0][0] != '\0';
    int from_potcar = 0;
    if (type_symbols && n_type_symbols == h->n_types) {
        from_potcar = 1;
        for (int t = 0; t < h->n_types && from_potcar; t++)
            if (!type_symbols[t] || !species_from_token(type_symbols[t], strlen(type_symbols[t]), sym[t]))
                from_potcar = 0;
        if (!from_potcar)
            run_add_warning(run, "%s: the supplied species names are not element symbols; not used", c->path);
        for (int t = 0; t < h->n_types && from_potcar; t++)
            snprintf(label[t], sizeof label[t], "%.*s", (int)strcspn(type_symbols[t], "/"), type_symbols[t]);
    } else if (type_symbols && n_type_symbols > 0) {
        run_add_warning(run, "%s: %d species names supplied for %d atom types; not used", c->path, n_type_symbols,
                        h->n_types);
    }
    if (has_line) {
        char line_sym[4];
        for (int t = 0; t < h->n_types; t++) {
            if (!species_from_token(h->tokens[t], strlen(h->tokens[t]), line_sym)) {
                if (from_potcar) continue;
                return ds_err_set(c->err, DS_EFORMAT, c->path, h->counts_line - 1,
                                  "species '%s' on the species line is not an element symbol", h->tokens[t]);
            }
            if (!from_potcar) {
                memcpy(sym[t], line_sym, 4);
                snprintf(label[t], sizeof label[t], "%.*s", (int)strcspn(h->tokens[t], "/"), h->tokens[t]);
            } else if (strcmp(sym[t], line_sym) != 0)
                run_add_warning(run, "%s: species line names type %d '%s', the POTCAR '%s'; VASP used the POTCAR",
                                c->path, t + 1, h->tokens[t], sym[t]);
        }
        return DS_OK;
    }
    if (from_potcar) return DS_OK;
    /* Per-atom labels: every atom labelled, one element per type. */
    long i = 0;
    int labels_ok = 1;
    for (int t = 0; t < h->n_types && labels_ok; t++) {
        for (long k = 0; k < h->counts[t]; k++, i++) {
            if (!a->label[i][0] || (k > 0 && strcmp(a->label[i], a->label[i - 1]) != 0)) {
                labels_ok = 0;
                break;
            }
            if (k == 0) memcpy(sym[t], a->label[i], 4);
        }
    }
    if (labels_ok) {
        run_add_warning(
            run, "%s: VASP 4 file without species line; species taken from the labels after the coordinates", c->path);
        return DS_OK;
    }
    int n = comment_symbols(h->comment, sym, h->n_types);
    if (n == h->n_types) {
        char list[128] = "";
        size_t used = 0;
        for (int t = 0; t < h->n_types && used < sizeof list - 8; t++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", t ? " " : "", sym[t]);
        run_add_warning(run, "%s: VASP 4 file without species line; species '%s' taken from the comment line", c->path,
                        list);
        return DS_OK;
    }
    return ds_err_set(c->err, DS_EFORMAT, c->path, h->counts_line,
                      "species unknown: VASP 4 format (no species line above the counts) and the comment line '%.60s' "
                      "does not name %d element%s; add a species line (e.g. 'Fe O') above the counts, or read the "
                      "file together with the run's OUTCAR/vasprun.xml (POTCAR order)",
                      h->comment, h->n_types, h->n_types == 1 ? "" : "s");
}

static int fill_run(const pos_header *h, const pos_atoms *a, char (*sym)[4], char (*label)[32], ds_run *run)
{
    int n = (int)a->n;
    if (run_set_species(run, n)) return DS_ENOMEM;
    free(run->kinds);
    run->kinds = calloc((size_t)h->n_types, sizeof *run->kinds);
    if (!run->kinds) return DS_ENOMEM;
    run->n_kinds = h->n_types;
    long i = 0;
    for (int t = 0; t < h->n_types; t++) {
        run_kind *k = &run->kinds[t];
        memcpy(k->symbol, sym[t], 4);
        snprintf(k->label, sizeof k->label, "%s", label[t][0] ? label[t] : sym[t]);
        k->count = (int)h->counts[t];
        k->zval = NAN;
        k->mass_amu = NAN;
        for (long j = 0; j < h->counts[t]; j++, i++) {
            memcpy(run->species[i], sym[t], 4);
            run->kind_of_atom[i] = t;
        }
    }
    run_structure *st = &run->initial;
    if (run_structure_alloc(st, n)) return DS_ENOMEM;
    st->has_lattice = 1;
    memcpy(st->lattice_angstrom, h->lattice, sizeof st->lattice_angstrom);
    for (i = 0; i < n; i++) {
        const double *x = a->xyz[i];
        for (int k = 0; k < 3; k++)
            st->positions_angstrom[i][k] =
                h->cartesian ? x[k] * h->scale[k]
                             : x[0] * h->lattice[0][k] + x[1] * h->lattice[1][k] + x[2] * h->lattice[2][k];
    }
    if (h->selective) {
        st->selective = malloc((size_t)n * sizeof *st->selective + 1);
        if (!st->selective) return DS_ENOMEM;
        memcpy(st->selective, a->flags, (size_t)n * sizeof *st->selective);
    }
    return DS_OK;
}

int vasp_poscar_read(const char *path, const char *const *type_symbols, int n_type_symbols, ds_run *run, ds_err *err)
{
    if (!path || !run) return ds_err_set(err, DS_EUSAGE, path, 0, "vasp_poscar_read: no path or run");
    ds_err local;
    if (!err) err = &local;
    pos_ctx c = {.path = path, .err = err};
    int rc = ds_reader_open(&c.r, path, err);
    if (rc) return rc;
    c.r.max_line = POSCAR_MAX_LINE;
    pos_header *h = calloc(1, sizeof *h);
    pos_atoms a = {0};
    char(*sym)[4] = calloc(POSCAR_MAX_TYPES, sizeof *sym);
    char(*label)[32] = calloc(POSCAR_MAX_TYPES, sizeof *label);
    if (!h || !sym || !label) {
        rc = ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
        goto done;
    }
    size_t len = 0;
    char *s = ds_reader_next(&c.r, &len);
    if (!s) {
        rc = c.r.failed ? (*err = c.r.fail_err, err->code)
                        : ds_err_set(err, DS_ETRUNC, path, 1, "empty file: expected a POSCAR comment line");
        goto done;
    }
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
            rc = ds_err_set(err, DS_EFORMAT, path, 1, "binary data where the POSCAR comment line should be");
            goto done;
        }
    ds_copy_trim(h->comment, sizeof h->comment, s, s + strlen(s));
    if ((rc = read_scale_and_lattice(&c, h)) != DS_OK) goto done;
    if ((rc = read_types(&c, h)) != DS_OK) goto done;
    if ((rc = read_modes(&c, h)) != DS_OK) goto done;
    if ((rc = read_positions(&c, h, &a)) != DS_OK) goto done;
    if ((rc = resolve_species(&c, h, &a, type_symbols, n_type_symbols, sym, label, run)) != DS_OK) goto done;
    check_after_positions(&c, h, run);
    if (fill_run(h, &a, sym, label, run)) {
        rc = ds_err_set(err, DS_ENOMEM, path, 0, "out of memory for %ld atoms", a.n);
        goto done;
    }
    ds_copy_trim(run->title, sizeof run->title, h->comment, h->comment + strlen(h->comment));
    run->has_initial = 1;
    run->code = RUN_CODE_VASP;
    if (h->left_handed)
        run_add_warning(run, "%s: left-handed lattice (a . (b x c) < 0); legal in VASP, kept as written", path);
    run_add_source(run, "initial_structure", path);
    rc = DS_OK;
done:
    ds_reader_close(&c.r);
    free(h);
    free(sym);
    free(label);
    free(a.xyz);
    free(a.flags);
    free(a.label);
    return rc;
}
