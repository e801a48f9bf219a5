/* vasp_poscar: POSCAR / CONTCAR of VASP 4 (no species line) and VASP 5/6, Direct or
 * Cartesian, selective dynamics, one or three scale factors, a negative scale meaning
 * the target cell volume (as VASP and pymatgen; ASE 3.22 gets it wrong). */
#include "parsers/vasp_poscar.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

#define MAX_ATOMS 10000000

static int numbers(const char *p, double *out, int max, int *overflow)
{
    int n = 0;
    while (n < max) {
        double x;
        int rc = ds_parse_double(&p, &x);
        if (rc == DS_NUM_NONE) break;
        if (rc != DS_NUM_OK) *overflow = 1;
        out[n++] = x;
        if (*p && *p != ' ' && *p != '\t') break;
    }
    return n;
}

/* Species names: tokens that are element symbols (VASP 6 writes "Fe_pv/hash"). */
static int species_tokens(const char *line, char names[][4], int max)
{
    int n = 0;
    const char *p = line;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t') e++;
        char tok[32];
        ds_copy_trim(tok, sizeof tok, p, e);
        if (!isalpha((unsigned char)tok[0]) || !element_from_label(tok, names[n])) return -1;
        n++;
        p = e;
    }
    return n;
}

static int fail(ds_reader *r, ds_err *err, int code, const char *fmt, const char *what)
{
    ds_err_set(err, code, r->path, r->line_no + (code == DS_ETRUNC), fmt, what);
    ds_reader_close(r);
    return code;
}

int vasp_poscar_read(const char *path, const char *const *type_symbols, int n_type_symbols, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    int overflow = 0;
    char *line = ds_reader_next(&r, NULL);
    if (!line) return fail(&r, err, DS_ETRUNC, "%s", "empty file: expected a POSCAR comment line");
    char comment[128];
    ds_copy_trim(comment, sizeof comment, line, line + strlen(line));
    snprintf(run->title, sizeof run->title, "%s", comment);
    if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "%s", "the scale factor");
    double scale[3];
    int ns = numbers(line, scale, 3, &overflow);
    if (ns != 1 && ns != 3) return fail(&r, err, DS_EFORMAT, "expected %s", "one or three scale factors");
    double lat[3][3];
    for (int k = 0; k < 3; k++) {
        if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "%s", "a lattice vector");
        if (numbers(line, lat[k], 3, &overflow) != 3 || overflow)
            return fail(&r, err, DS_EFORMAT, "expected %s", "three numbers of a lattice vector");
    }
    if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "%s", "the species or counts line");
    char names[256][4];
    int n_types = 0, have_names = 0;
    const char *p = ds_skip_ws(line);
    if (isalpha((unsigned char)*p)) {
        n_types = species_tokens(p, names, 256);
        if (n_types <= 0) return fail(&r, err, DS_EFORMAT, "%s", "the species line holds a token that is not an element");
        have_names = 1;
        if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "%s", "the ion counts");
    }
    long counts[256];
    int nc = 0;
    const char *q = line;
    long v;
    while (nc < 256 && ds_parse_long(&q, &v) == DS_NUM_OK) {
        if (v < 0 || v > MAX_ATOMS) return fail(&r, err, DS_EFORMAT, "%s", "an ion count out of range");
        counts[nc++] = v;
    }
    if (nc == 0) return fail(&r, err, DS_EFORMAT, "expected %s", "the number of ions per species");
    if (have_names && nc != n_types) return fail(&r, err, DS_EFORMAT, "%s", "species and counts lines differ in length");
    if (!have_names) {
        /* VASP 4: names from the caller (POTCAR/OUTCAR), else from the comment line (ASE). */
        if (type_symbols && n_type_symbols == nc) {
            for (int k = 0; k < nc; k++) element_from_label(type_symbols[k], names[k]);
        } else if (species_tokens(comment, names, 256) == nc) {
        } else
            return fail(&r, err, DS_EFORMAT, "%s",
                        "VASP 4 POSCAR without a species line: the species are unknown (put the element names on the "
                        "comment line or read the run directory with its OUTCAR/vasprun.xml)");
    }
    long total = 0;
    for (int k = 0; k < nc; k++) total += counts[k];
    if (total <= 0 || total > MAX_ATOMS) return fail(&r, err, DS_EFORMAT, "%s", "the total number of ions out of range");
    if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "%s", "the coordinate mode line");
    int selective = 0;
    p = ds_skip_ws(line);
    if (*p == 'S' || *p == 's') {
        selective = 1;
        if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "%s", "the coordinate mode line");
        p = ds_skip_ws(line);
    }
    int cartesian = (*p == 'C' || *p == 'c' || *p == 'K' || *p == 'k');
    /* Scale: one factor (negative = volume) or three per axis. */
    double vol = run_volume_angstrom3(lat);
    double f[3] = {scale[0], scale[0], scale[0]};
    if (ns == 3) f[1] = scale[1], f[2] = scale[2];
    else if (scale[0] < 0) {
        if (vol <= 0) return fail(&r, err, DS_EFORMAT, "%s", "zero cell volume with a volume scale");
        f[0] = f[1] = f[2] = cbrt(-scale[0] / vol);
    }
    /* Three factors scale the Cartesian x, y, z components (VASP 6 POSCAR). */
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 3; j++) lat[k][j] *= f[j];
    if (!(run_volume_angstrom3(lat) > 1e-10)) return fail(&r, err, DS_EFORMAT, "%s", "the lattice has zero volume");
    run_structure *s = &run->initial;
    if (run_structure_alloc(s, (int)total) || run_set_species(run, (int)total))
        return fail(&r, err, DS_ENOMEM, "%s", "out of memory");
    if (selective) s->selective = calloc((size_t)total, sizeof *s->selective);
    s->has_lattice = 1;
    memcpy(s->lattice_angstrom, lat, sizeof lat);
    free(run->kinds);
    run->kinds = calloc((size_t)nc, sizeof *run->kinds);
    if (!run->kinds) return fail(&r, err, DS_ENOMEM, "%s", "out of memory");
    run->n_kinds = nc;
    long a = 0;
    for (int k = 0; k < nc; k++) {
        memcpy(run->kinds[k].symbol, names[k], 4);
        memcpy(run->kinds[k].label, names[k], 4);
        run->kinds[k].count = (int)counts[k];
        run->kinds[k].zval = run->kinds[k].mass_amu = NAN;
        for (long i = 0; i < counts[k]; i++, a++) {
            memcpy(run->species[a], names[k], 4);
            run->kind_of_atom[a] = k;
        }
    }
    for (a = 0; a < total; a++) {
        if (!(line = ds_reader_next(&r, NULL))) {
            ds_err_set(err, DS_ETRUNC, path, r.line_no + 1, "expected %ld ion positions, the file ends after %ld", total, a);
            ds_reader_close(&r);
            return DS_ETRUNC;
        }
        double x[3];
        const char *t = line;
        int k = 0;
        for (; k < 3; k++)
            if (ds_parse_double(&t, &x[k]) != DS_NUM_OK) break;
        if (k != 3) {
            ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected three coordinates of ion %ld of %ld", a + 1, total);
            ds_reader_close(&r);
            return DS_EFORMAT;
        }
        for (int j = 0; j < 3; j++)
            s->positions_angstrom[a][j] = cartesian ? x[j] * f[j]
                                                    : x[0] * lat[0][j] + x[1] * lat[1][j] + x[2] * lat[2][j];
        if (selective) {
            for (int j = 0; j < 3; j++) {
                while (*t == ' ' || *t == '\t') t++;
                s->selective[a][j] = (*t == 'T' || *t == 't');
                if (*t) t++;
            }
        }
    }
    ds_reader_close(&r);
    run->has_initial = 1;
    run->code = RUN_CODE_VASP;
    if (run_volume_angstrom3(lat) > 0 && (lat[0][0] * (lat[1][1] * lat[2][2] - lat[1][2] * lat[2][1]) -
                                          lat[0][1] * (lat[1][0] * lat[2][2] - lat[1][2] * lat[2][0]) +
                                          lat[0][2] * (lat[1][0] * lat[2][1] - lat[1][1] * lat[2][0])) < 0)
        run_add_warning(run, "%s: left-handed lattice (legal in VASP; kept as written)", path);
    run_add_source(run, "initial_structure", path);
    return DS_OK;
}
