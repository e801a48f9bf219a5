/* cp2k_inp: the section tree of a CP2K input (&SECTION [param] ... &END), with @SET
 * variables substituted and comments (# !) dropped; every keyword is recorded as the
 * param "inp:SECTION/PATH/KEYWORD"; the settings the output did not echo are filled from
 * it, and a disagreement with the output's echo is a warning. */
#include "parsers/cp2k_inp.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "structures/elements.h"

#define MAX_DEPTH 16
#define MAX_VARS 64

typedef struct {
    char name[32], value[96];
} inp_var;

static void substitute(const char *in, char *out, size_t n, const inp_var *vars, int nv)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < n;) {
        if (*p == '$') {
            const char *s = p + 1;
            int brace = *s == '{';
            if (brace) s++;
            size_t l = 0;
            while (isalnum((unsigned char)s[l]) || s[l] == '_') l++;
            int found = 0;
            for (int i = 0; i < nv; i++)
                if (strlen(vars[i].name) == l && strncasecmp(vars[i].name, s, l) == 0) {
                    o += (size_t)snprintf(out + o, n - o, "%s", vars[i].value);
                    found = 1;
                    break;
                }
            if (found) {
                p = s + l + (brace && s[l] == '}');
                continue;
            }
        }
        out[o++] = *p++;
    }
    out[o < n ? o : n - 1] = '\0';
}

/* &SUBSYS/&CELL as given: A/B/C rows or ABC lengths (+ ALPHA_BETA_GAMMA), Angstrom. */
typedef struct {
    double vec[3][3], abc[3], angles_deg[3];
    int have_vec[3], have_abc, have_angles, other_units;
} inp_cell;

static void cell_keyword(inp_cell *cell, const char *word, const char *value)
{
    const char *q = value;
    double v[3];
    int row = strcmp(word, "A") == 0 ? 0 : strcmp(word, "B") == 0 ? 1 : strcmp(word, "C") == 0 ? 2 : -1;
    int is_abc = strcmp(word, "ABC") == 0, is_ang = strcmp(word, "ALPHA_BETA_GAMMA") == 0;
    if (row < 0 && !is_abc && !is_ang) return;
    if (*q == '[') { /* a unit other than the default Angstrom/degree: leave the output's cell */
        cell->other_units = 1;
        return;
    }
    for (int k = 0; k < 3; k++)
        if (ds_parse_double(&q, &v[k]) != DS_NUM_OK) return;
    if (row >= 0) memcpy(cell->vec[row], v, sizeof v), cell->have_vec[row] = 1;
    else if (is_abc) memcpy(cell->abc, v, sizeof v), cell->have_abc = 1;
    else memcpy(cell->angles_deg, v, sizeof v), cell->have_angles = 1;
}

/* CP2K's convention for ABC + angles: a along x, b in the xy plane (cell_types.F). */
static int cell_lattice(const inp_cell *cell, double lat[3][3])
{
    if (cell->other_units) return 0;
    if (cell->have_vec[0] && cell->have_vec[1] && cell->have_vec[2]) {
        memcpy(lat, cell->vec, sizeof cell->vec);
        return 1;
    }
    if (!cell->have_abc) return 0;
    const double deg = 3.14159265358979323846 / 180.0;
    double al = 90 * deg, be = 90 * deg, ga = 90 * deg;
    if (cell->have_angles) al = cell->angles_deg[0] * deg, be = cell->angles_deg[1] * deg, ga = cell->angles_deg[2] * deg;
    const double *l = cell->abc;
    double cx = cos(be), cy = (cos(al) - cos(be) * cos(ga)) / sin(ga), cz2 = 1 - cx * cx - cy * cy;
    if (cz2 <= 0 || sin(ga) == 0) return 0;
    double m[3][3] = {{l[0], 0, 0},
                      {l[1] * cos(ga), l[1] * sin(ga), 0},
                      {l[2] * cx, l[2] * cy, l[2] * sqrt(cz2)}};
    /* exact zeros stay zeros for right angles (cos(pi/2) is 6e-17) */
    if (!cell->have_angles) m[1][0] = m[2][0] = m[2][1] = 0;
    memcpy(lat, m, sizeof m);
    return 1;
}

/* The output prints the cell to 1e-3 Angstrom: the input's full-precision cell replaces
 * it where the two agree to that precision (and is a warning where they do not). */
static void adopt_cell(ds_run *run, const inp_cell *cell, const char *path)
{
    double lat[3][3];
    if (!cell_lattice(cell, lat)) return;
    run_structure *targets[2] = {&run->initial, &run->final};
    int have[2] = {run->has_initial, run->has_final};
    for (int t = 0; t < 2; t++) {
        run_structure *st = targets[t];
        if (!have[t] || !st->has_lattice) continue;
        double dmax = 0;
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++) dmax = fmax(dmax, fabs(st->lattice_angstrom[i][k] - lat[i][k]));
        if (dmax > 1.5e-3) {
            run_add_warning(run, "%s: &CELL differs from the output's CELL| vectors by %.4f Angstrom: kept the output's", path, dmax);
            return;
        }
        memcpy(st->lattice_angstrom, lat, sizeof lat);
    }
    for (int i = 0; i < run->n_steps; i++)
        if (run->steps[i].has_structure && run->steps[i].structure.has_lattice)
            memcpy(run->steps[i].structure.lattice_angstrom, lat, sizeof lat);
}

static void upper(char *s)
{
    for (; *s; s++) *s = (char)toupper((unsigned char)*s);
}

int cp2k_inp_read(const char *path, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    char stack[MAX_DEPTH][32], param[MAX_DEPTH][64];
    int depth = 0, n_sections = 0;
    inp_var vars[MAX_VARS];
    int nv = 0;
    char *raw, line[1024], key[256];
    int kind_idx = -1;
    inp_cell cell;
    memset(&cell, 0, sizeof cell);
    while ((raw = ds_reader_next(&r, NULL))) {
        char *c = strpbrk(raw, "#!");
        if (c) *c = '\0';
        substitute(raw, line, sizeof line, vars, nv);
        const char *p = ds_skip_ws(line);
        if (!*p) continue;
        char word[64];
        size_t l = strcspn(p, " \t");
        ds_copy_trim(word, sizeof word, p, p + l);
        const char *rest = ds_skip_ws(p + l);
        char value[96];
        ds_copy_trim(value, sizeof value, rest, rest + strlen(rest));
        upper(word);
        if (strcmp(word, "@SET") == 0) {
            if (nv < MAX_VARS) {
                size_t m = strcspn(rest, " \t");
                ds_copy_trim(vars[nv].name, sizeof vars[nv].name, rest, rest + m);
                ds_copy_trim(vars[nv].value, sizeof vars[nv].value, rest + m, rest + strlen(rest));
                nv++;
            }
            continue;
        }
        if (word[0] == '@') {
            run_add_warning(run, "%s:%ld: %s not followed (only @SET is understood)", path, r.line_no, word);
            continue;
        }
        if (strcmp(word, "&END") == 0) {
            if (depth == 0) {
                ds_err_set(err, DS_EFORMAT, path, r.line_no, "&END without an open section");
                ds_reader_close(&r);
                return DS_EFORMAT;
            }
            depth--;
            continue;
        }
        if (word[0] == '&') {
            if (depth == MAX_DEPTH) {
                ds_err_set(err, DS_EFORMAT, path, r.line_no, "sections nested deeper than %d", MAX_DEPTH);
                ds_reader_close(&r);
                return DS_EFORMAT;
            }
            snprintf(stack[depth], sizeof stack[depth], "%.31s", word + 1);
            snprintf(param[depth], sizeof param[depth], "%.63s", value);
            depth++;
            n_sections++;
            if (strcmp(word, "&KIND") == 0) {
                kind_idx = -1;
                for (int k = 0; k < run->n_kinds; k++)
                    if (strcasecmp(run->kinds[k].label, value) == 0) kind_idx = k;
            }
            if (strcmp(word, "&XC_FUNCTIONAL") == 0 && value[0]) {
                char up[96];
                snprintf(up, sizeof up, "%s", value);
                upper(up);
                if (!run->settings.functional_raw[0]) snprintf(run->settings.functional_raw, sizeof run->settings.functional_raw, "%.63s", up);
                else if (strcasecmp(run->settings.functional_raw, up) != 0)
                    run_add_warning(run, "%s:%ld: input functional %s, output echoed %s", path, r.line_no, up,
                                    run->settings.functional_raw);
                run_add_param(run, "inp:XC_FUNCTIONAL", up);
            }
            continue;
        }
        /* keyword: record it with its section path */
        size_t o = 0;
        key[0] = '\0';
        o += (size_t)snprintf(key, sizeof key, "inp:");
        for (int i = 0; i < depth && o < sizeof key; i++) o += (size_t)snprintf(key + o, sizeof key - o, "%s/", stack[i]);
        if (o < sizeof key) snprintf(key + o, sizeof key - o, "%s", word);
        if (depth && strcmp(stack[depth - 1], "KIND") == 0 && param[depth - 1][0]) {
            char k2[300];
            snprintf(k2, sizeof k2, "inp:KIND/%s/%s", param[depth - 1], word);
            run_add_param(run, k2, value);
            if (kind_idx >= 0 && strcmp(word, "BASIS_SET") == 0 && !run->kinds[kind_idx].basis[0])
                snprintf(run->kinds[kind_idx].basis, sizeof run->kinds[kind_idx].basis, "%s", value);
            if (kind_idx >= 0 && strcmp(word, "POTENTIAL") == 0 && !run->kinds[kind_idx].pseudopotential[0])
                snprintf(run->kinds[kind_idx].pseudopotential, sizeof run->kinds[kind_idx].pseudopotential, "%s", value);
            continue;
        }
        run_add_param(run, key, value);
        const char *sec = depth ? stack[depth - 1] : "";
        double d = strtod(value, NULL);
        run_settings *s = &run->settings;
        if (strcmp(sec, "DFT") == 0 && strcmp(word, "CHARGE") == 0) {
            if (isnan(s->charge)) s->charge = d;
            else if (s->charge != d) run_add_warning(run, "%s:%ld: CHARGE %g in the input, %g in the output", path, r.line_no, d, s->charge);
        } else if (strcmp(sec, "DFT") == 0 && strcmp(word, "MULTIPLICITY") == 0 && s->multiplicity < 0) s->multiplicity = ds_to_int(d, -1);
        else if (strcmp(sec, "DFT") == 0 && (strcmp(word, "UKS") == 0 || strcmp(word, "LSD") == 0) && s->spin_polarized < 0)
            s->spin_polarized = !(toupper((unsigned char)value[0]) == 'F' || !strncasecmp(value, ".F", 2));
        else if (strcmp(sec, "MGRID") == 0 && strcmp(word, "CUTOFF") == 0 && isnan(s->cutoff_Ry)) s->cutoff_Ry = d;
        else if (strcmp(sec, "MGRID") == 0 && strcmp(word, "REL_CUTOFF") == 0 && isnan(s->rel_cutoff_Ry)) s->rel_cutoff_Ry = d;
        else if (strcmp(sec, "GLOBAL") == 0 && strcmp(word, "RUN_TYPE") == 0 && !s->run_type[0])
            snprintf(s->run_type, sizeof s->run_type, "%.31s", value);
        else if (strcmp(sec, "CELL") == 0 && strcmp(word, "PERIODIC") == 0) snprintf(s->periodicity, sizeof s->periodicity, "%.7s", value);
        else if (strcmp(sec, "CELL") == 0 && depth >= 2 && strcmp(stack[depth - 2], "SUBSYS") == 0) cell_keyword(&cell, word, value);
        else if (strcmp(sec, "PAIR_POTENTIAL") == 0 && strcmp(word, "TYPE") == 0 && !s->dispersion[0]) {
            char up[32];
            snprintf(up, sizeof up, "%.31s", value);
            upper(up);
            snprintf(s->dispersion, sizeof s->dispersion, "%s", strncmp(up, "DFTD", 4) == 0 ? up + 3 : up);
        }
    }
    long last = r.line_no;
    ds_reader_close(&r);
    if (n_sections == 0) return ds_err_set(err, DS_EFORMAT, path, last ? last : 1, "not a CP2K input: no &SECTION");
    if (depth != 0) run_add_warning(run, "%s: %d section(s) not closed with &END at the end of the file", path, depth);
    adopt_cell(run, &cell, path);
    run_add_source(run, "input", path);
    return DS_OK;
}
