/* cp2k_pdos: CP2K projected-DOS files.  Line 1 names the kind (or atom list), the spin
 * and E(Fermi) (a.u., or E(HOCO) in newer releases); line 2 names the columns: the
 * layout (MO index, eigenvalue, occupation, optional total, then one column per orbital)
 * and the energy unit ([a.u.] or [eV]) are taken from it, never from fixed positions. */
#include "parsers/cp2k_pdos.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

#define MAX_COLS 64

int cp2k_pdos_read(const char *path, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open_full(&r, path, err);
    if (rc) return rc;
    char *line = ds_reader_next(&r, NULL);
    if (!line || !strstr(line, "Projected DOS")) {
        ds_err_set(err, line ? DS_EFORMAT : DS_ETRUNC, path, 1, "not a CP2K .pdos file: line 1 must be '# Projected DOS for ...'");
        ds_reader_close(&r);
        return err->code;
    }
    run_pdos_set set;
    memset(&set, 0, sizeof set);
    set.fermi_eV = NAN;
    snprintf(set.source, sizeof set.source, "%s", path);
    const char *k = strstr(line, "atomic kind");
    if (k) {
        k = ds_skip_ws(k + 11);
        ds_copy_trim(set.kind, sizeof set.kind, k, k + strcspn(k, " \t"));
    } else if ((k = strstr(line, "list"))) {
        k = ds_skip_ws(k + 4);
        snprintf(set.kind, sizeof set.kind, "list%.*s", (int)strcspn(k, " \t"), k);
    }
    element_from_label(set.kind, set.element);
    set.spin = (strstr(line, "BETA") || strstr(path, "-BETA_")) ? 1 : 0;
    const char *f = strstr(line, "E(Fermi)");
    if (!f) f = strstr(line, "E(HOCO)");
    double ef = NAN;
    if (f && (f = strchr(f, '='))) {
        f++;
        if (ds_parse_double(&f, &ef) == DS_NUM_OK) set.fermi_eV = strstr(f, "eV") ? ef : ef * DS_HA_TO_EV;
    }
    line = ds_reader_next(&r, NULL);
    if (!line || line[0] != '#' || !strstr(line, "Eigenvalue")) {
        ds_err_set(err, line ? DS_EFORMAT : DS_ETRUNC, path, 2, "line 2 must name the columns ('#  MO Eigenvalue [a.u.] Occupation s ...')");
        ds_reader_close(&r);
        return err->code;
    }
    double unit = strstr(line, "[eV]") ? 1.0 : DS_HA_TO_EV;
    /* Column names after "Occupation"; a "total" column is skipped. */
    const char *q = strstr(line, "Occupation");
    if (!q) {
        ds_err_set(err, DS_EFORMAT, path, 2, "no 'Occupation' column in the header");
        ds_reader_close(&r);
        return DS_EFORMAT;
    }
    q += 10;
    char names[MAX_COLS][12];
    int n_names = 0, total_col = -1;
    while (*q && n_names < MAX_COLS) {
        q = ds_skip_ws(q);
        if (!*q) break;
        size_t l = strcspn(q, " \t");
        ds_copy_trim(names[n_names], 12, q, q + l);
        if (strcmp(names[n_names], "total") == 0 || strcmp(names[n_names], "Total") == 0) total_col = n_names;
        n_names++;
        q += l;
    }
    int n_orb = n_names - (total_col >= 0);
    if (n_orb <= 0) {
        ds_err_set(err, DS_EFORMAT, path, 2, "no orbital columns in the header");
        ds_reader_close(&r);
        return DS_EFORMAT;
    }
    set.n_orbitals = n_orb;
    set.orbital_labels = calloc((size_t)n_orb, sizeof *set.orbital_labels);
    for (int i = 0, o = 0; set.orbital_labels && i < n_names; i++)
        if (i != total_col) memcpy(set.orbital_labels[o++], names[i], 12);
    int cap = 0, bad = 0;
    while ((line = ds_reader_next(&r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (!*p || *p == '#') continue;
        double v[MAX_COLS + 4];
        int n = 0;
        while (n < MAX_COLS + 4) {
            int prc = ds_parse_double(&p, &v[n]);
            if (prc == DS_NUM_NONE) break;
            if (prc != DS_NUM_OK) bad = 1;
            n++;
        }
        if (n != 3 + n_names) {
            if (r.last_line_unterminated) {
                run->truncated = 1;
                run_add_warning(run, "%s: last row cut short (line %ld): dropped", path, r.line_no);
                break;
            }
            ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected %d columns as the header says, found %d", 3 + n_names, n);
            ds_reader_close(&r);
            free(set.orbital_labels), free(set.energies_eV), free(set.occupations), free(set.weights);
            return DS_EFORMAT;
        }
        if (set.n_levels == cap) {
            cap = cap ? cap * 2 : 256;
            double *a = realloc(set.energies_eV, (size_t)cap * sizeof *a);
            if (a) set.energies_eV = a;
            double *b = realloc(set.occupations, (size_t)cap * sizeof *b);
            if (b) set.occupations = b;
            double *c = realloc(set.weights, (size_t)cap * n_orb * sizeof *c);
            if (c) set.weights = c;
            if (!a || !b || !c) break;
        }
        set.energies_eV[set.n_levels] = v[1] * unit;
        set.occupations[set.n_levels] = v[2];
        for (int i = 0, o = 0; i < n_names; i++)
            if (i != total_col) set.weights[(size_t)set.n_levels * n_orb + o++] = v[3 + i];
        set.n_levels++;
    }
    ds_reader_close(&r);
    if (set.n_levels == 0 || !set.orbital_labels) {
        free(set.orbital_labels), free(set.energies_eV), free(set.occupations), free(set.weights);
        return ds_err_set(err, DS_ETRUNC, path, r.line_no, "no level rows");
    }
    if (bad) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "%s: overflow (****) or NaN fields", path);
    }
    run_pdos_set *ns = realloc(run->pdos_sets, (size_t)(run->n_pdos_sets + 1) * sizeof *ns);
    if (!ns) {
        free(set.orbital_labels), free(set.energies_eV), free(set.occupations), free(set.weights);
        return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    }
    run->pdos_sets = ns;
    run->pdos_sets[run->n_pdos_sets++] = set;
    run_add_source(run, "pdos", path);
    return DS_OK;
}
