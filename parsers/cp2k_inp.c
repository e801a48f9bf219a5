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
    run_add_source(run, "input", path);
    return DS_OK;
}
