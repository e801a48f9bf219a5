/* symmetry: spglib wrapper; converts Cartesian positions to the fractional ones spglib
 * takes and its column-vector lattice convention. */
#include "structures/symmetry.h"

#include <math.h>
#include <spglib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

/* Fractional coordinates: solve r = f . L with L rows = lattice vectors. */
static int to_fractional(const double lat[3][3], const double cart[3], double frac[3])
{
    double a = lat[0][0], b = lat[0][1], c = lat[0][2];
    double d = lat[1][0], e = lat[1][1], f = lat[1][2];
    double g = lat[2][0], h = lat[2][1], i = lat[2][2];
    double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    if (fabs(det) < 1e-12) return -1;
    double inv[3][3] = {{(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
                        {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
                        {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    for (int k = 0; k < 3; k++)
        frac[k] = cart[0] * inv[0][k] + cart[1] * inv[1][k] + cart[2] * inv[2][k];
    return 0;
}

/* spglib's standardize_cell on a copy (it works in place and needs room for 4n atoms). */
static int standardize(const double lat_t[3][3], const double (*frac)[3], const int *types, int n, int to_primitive,
                       double symprec, sym_cell *out)
{
    double lat[3][3], (*pos)[3] = malloc((size_t)4 * n * sizeof *pos);
    int *typ = malloc((size_t)4 * n * sizeof *typ);
    memset(out, 0, sizeof *out);
    if (!pos || !typ) {
        free(pos), free(typ);
        return DS_ENOMEM;
    }
    memcpy(lat, lat_t, sizeof lat);
    memcpy(pos, frac, (size_t)n * sizeof *pos);
    memcpy(typ, types, (size_t)n * sizeof *typ);
    int m = spg_standardize_cell(lat, pos, typ, n, to_primitive, 0, symprec);
    if (m <= 0) {
        free(pos), free(typ);
        return DS_EFORMAT;
    }
    out->n_atoms = m;
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) out->lattice_angstrom[r][c] = lat[c][r]; /* columns -> rows */
    out->positions_frac = realloc(pos, (size_t)m * sizeof *pos);
    out->atomic_numbers = realloc(typ, (size_t)m * sizeof *typ);
    if (!out->positions_frac) out->positions_frac = pos;
    if (!out->atomic_numbers) out->atomic_numbers = typ;
    for (int a = 0; a < m; a++)
        if (out->atomic_numbers[a] >= 1000) out->atomic_numbers[a] = 0;
    return DS_OK;
}

static void sym_cell_free(sym_cell *c)
{
    free(c->positions_frac);
    free(c->atomic_numbers);
    memset(c, 0, sizeof *c);
}

int sym_analyse(const run_structure *s, const char (*species)[4], double symprec, sym_info *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    if (!s->has_lattice) return ds_err_set(err, DS_ENODATA, NULL, 0, "structure has no lattice");
    if (s->n_atoms <= 0 || !s->positions_angstrom) return ds_err_set(err, DS_ENODATA, NULL, 0, "structure has no atoms");
    int n = s->n_atoms;
    double (*frac)[3] = malloc((size_t)n * sizeof *frac);
    int *types = malloc((size_t)n * sizeof *types);
    if (!frac || !types) {
        free(frac);
        free(types);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    for (int a = 0; a < n; a++) {
        if (to_fractional(s->lattice_angstrom, s->positions_angstrom[a], frac[a]) != 0) {
            free(frac);
            free(types);
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "lattice has zero volume");
        }
        types[a] = element_z(species[a]);
        if (types[a] == 0) types[a] = 1000 + a; /* unknown label: treat as its own type */
    }
    /* spglib takes the lattice vectors as columns. */
    double lat_t[3][3];
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) lat_t[r][c] = s->lattice_angstrom[c][r];
    SpglibDataset *ds = spg_get_dataset(lat_t, frac, types, n, symprec);
    int cells_rc = 0;
    if (ds) {
        cells_rc = standardize(lat_t, (const double (*)[3])frac, types, n, 0, symprec, &out->standardized);
        if (!cells_rc) cells_rc = standardize(lat_t, (const double (*)[3])frac, types, n, 1, symprec, &out->primitive);
    }
    free(frac);
    free(types);
    if (cells_rc) {
        spg_free_dataset(ds);
        sym_info_free(out);
        return ds_err_set(err, cells_rc, NULL, 0, "spglib could not build the standardised or primitive cell");
    }
    if (!ds) {
        SpglibError e = spg_get_error_code();
        return ds_err_set(err, DS_EFORMAT, NULL, 0, "spglib: %s", spg_get_error_message(e));
    }
    out->symprec_angstrom = symprec;
    out->spacegroup_number = ds->spacegroup_number;
    snprintf(out->spacegroup_symbol, sizeof out->spacegroup_symbol, "%s", ds->international_symbol);
    out->hall_number = ds->hall_number;
    out->n_atoms = n;
    out->equivalent_atoms = malloc((size_t)n * sizeof *out->equivalent_atoms);
    out->wyckoffs = malloc((size_t)n * sizeof *out->wyckoffs);
    if (!out->equivalent_atoms || !out->wyckoffs) {
        spg_free_dataset(ds);
        sym_info_free(out);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    for (int a = 0; a < n; a++) {
        out->equivalent_atoms[a] = ds->equivalent_atoms[a];
        out->wyckoffs[a][0] = (char)('a' + ds->wyckoffs[a]);
        out->wyckoffs[a][1] = '\0';
    }
    spg_free_dataset(ds);
    return DS_OK;
}

void sym_info_free(sym_info *info)
{
    sym_cell_free(&info->standardized);
    sym_cell_free(&info->primitive);
    free(info->equivalent_atoms);
    free(info->wyckoffs);
    memset(info, 0, sizeof *info);
}
