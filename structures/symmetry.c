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

/* The standardised cell straight from the dataset: spglib documents std_lattice/std_types/
 * std_positions as what spg_standardize_cell(to_primitive=0, no_idealize=0) returns, without
 * a second symmetry search (each search is most of the cost of a cubic cell). */
static int cell_from_std(const SpglibDataset *ds, sym_cell *out)
{
    int m = ds->n_std_atoms;
    memset(out, 0, sizeof *out);
    if (m <= 0) return DS_EFORMAT;
    out->positions_frac = malloc((size_t)m * sizeof *out->positions_frac);
    out->atomic_numbers = malloc((size_t)m * sizeof *out->atomic_numbers);
    if (!out->positions_frac || !out->atomic_numbers) return DS_ENOMEM;
    out->n_atoms = m;
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) out->lattice_angstrom[r][c] = ds->std_lattice[c][r]; /* columns -> rows */
    for (int a = 0; a < m; a++) {
        memcpy(out->positions_frac[a], ds->std_positions[a], sizeof out->positions_frac[a]);
        out->atomic_numbers[a] = ds->std_types[a] >= 1000 ? 0 : ds->std_types[a];
    }
    return DS_OK;
}

/* The primitive cell of the standardised one, as spg_standardize_cell(to_primitive=1) builds
 * it: (a_p b_p c_p) = (a_s b_s c_s) P with spglib's matrix P for the centring (the first
 * letter of the symbol; R is in the hexagonal setting spglib standardises to), positions
 * x_p = P^-1 x_s wrapped into [0,1), one atom per std_mapping_to_primitive index (the first
 * standardised atom of each, in order). */
static int cell_primitive(const SpglibDataset *ds, const sym_cell *std, sym_cell *out)
{
    static const double I3[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    static const double PA[3][3] = {{1, 0, 0}, {0, .5, -.5}, {0, .5, .5}};
    static const double PB[3][3] = {{.5, 0, -.5}, {0, 1, 0}, {.5, 0, .5}};
    static const double PC[3][3] = {{.5, .5, 0}, {-.5, .5, 0}, {0, 0, 1}};
    static const double PI[3][3] = {{-.5, .5, .5}, {.5, -.5, .5}, {.5, .5, -.5}};
    static const double PF[3][3] = {{0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
    static const double PR[3][3] = {{2. / 3, -1. / 3, -1. / 3}, {1. / 3, 1. / 3, -2. / 3}, {1. / 3, 1. / 3, 1. / 3}};
    static const double QA[3][3] = {{1, 0, 0}, {0, 1, 1}, {0, -1, 1}}; /* the inverses P^-1 */
    static const double QB[3][3] = {{1, 0, 1}, {0, 1, 0}, {-1, 0, 1}};
    static const double QC[3][3] = {{1, -1, 0}, {1, 1, 0}, {0, 0, 1}};
    static const double QI[3][3] = {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
    static const double QF[3][3] = {{-1, 1, 1}, {1, -1, 1}, {1, 1, -1}};
    static const double QR[3][3] = {{1, 0, 1}, {-1, 1, 1}, {0, -1, 1}};
    const double (*P)[3] = I3, (*Q)[3] = I3;
    switch (ds->international_symbol[0]) {
    case 'A': P = PA, Q = QA; break;
    case 'B': P = PB, Q = QB; break;
    case 'C': P = PC, Q = QC; break;
    case 'I': P = PI, Q = QI; break;
    case 'F': P = PF, Q = QF; break;
    case 'R': P = PR, Q = QR; break;
    default: break;
    }
    int n = 0;
    for (int a = 0; a < std->n_atoms; a++)
        if (ds->std_mapping_to_primitive[a] + 1 > n) n = ds->std_mapping_to_primitive[a] + 1;
    memset(out, 0, sizeof *out);
    if (n <= 0 || n > std->n_atoms) return DS_EFORMAT;
    out->positions_frac = malloc((size_t)n * sizeof *out->positions_frac);
    out->atomic_numbers = malloc((size_t)n * sizeof *out->atomic_numbers);
    char *seen = calloc((size_t)n, 1);
    if (!out->positions_frac || !out->atomic_numbers || !seen) {
        free(seen);
        return DS_ENOMEM;
    }
    out->n_atoms = n;
    /* rows of the lattice: a_p,i = sum_k P[k][i] a_s,k */
    for (int i = 0; i < 3; i++)
        for (int c = 0; c < 3; c++) {
            double v = 0;
            for (int k = 0; k < 3; k++) v += P[k][i] * std->lattice_angstrom[k][c];
            out->lattice_angstrom[i][c] = v;
        }
    int filled = 0;
    for (int a = 0; a < std->n_atoms; a++) {
        int p = ds->std_mapping_to_primitive[a];
        if (p < 0 || p >= n || seen[p]) continue;
        seen[p] = 1, filled++;
        for (int i = 0; i < 3; i++) {
            double x = 0;
            for (int k = 0; k < 3; k++) x += Q[i][k] * std->positions_frac[a][k];
            x -= floor(x);
            if (x >= 1.0 - 1e-12) x = 0; /* -1e-17 wrapped to 1.0 */
            out->positions_frac[p][i] = x;
        }
        out->atomic_numbers[p] = std->atomic_numbers[a];
    }
    free(seen);
    return filled == n ? DS_OK : DS_EFORMAT;
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
        cells_rc = cell_from_std(ds, &out->standardized);
        if (!cells_rc) cells_rc = cell_primitive(ds, &out->standardized, &out->primitive);
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
