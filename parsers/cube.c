/* cube: Gaussian/CP2K cube files.  Header in bohr (a negative voxel count means Angstrom,
 * Gaussian convention; a negative atom count means a DSET_IDS line follows the atoms),
 * values 6 per line with the third axis fastest, which is grid.h's layout, so values are
 * stored as read.  Positions and cell are converted to Angstrom; values keep their atomic
 * units. */
#include "parsers/cube.h"
#include "parsers/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_BYTES ((size_t)16 << 30)

static int nums(const char *p, double *v, int max)
{
    int n = 0;
    while (n < max && ds_parse_double(&p, &v[n]) == DS_NUM_OK) n++;
    return n;
}

static int fail(ds_reader *r, ds_err *err, int code, const char *msg)
{
    ds_err_set(err, code, r->path, r->line_no + (code == DS_ETRUNC), "%s", msg);
    ds_reader_close(r);
    return code;
}

int cube_read(const char *path, size_t max_bytes, ds_grid *g, ds_err *err)
{
    if (!max_bytes) max_bytes = DEFAULT_MAX_BYTES;
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    char *line;
    for (int i = 0; i < 2; i++) {
        if (!(line = ds_reader_next(&r, NULL))) return fail(&r, err, DS_ETRUNC, "a cube file starts with two comment lines");
        snprintf(g->comment[i], sizeof g->comment[i], "%.127s", line);
    }
    double v[8];
    if (!(line = ds_reader_next(&r, NULL)) || nums(line, v, 5) < 4)
        return fail(&r, err, line ? DS_EFORMAT : DS_ETRUNC, "line 3 must hold the atom count and the origin (bohr)");
    if (!(fabs(v[0]) <= 10000000) || v[0] != floor(v[0])) /* checked before the cast (NaN, 1e300) */
        return fail(&r, err, DS_EFORMAT, "absurd atom count in the header");
    long natoms = (long)v[0];
    int dset = natoms < 0;
    natoms = labs(natoms);
    for (int k = 0; k < 3; k++) g->origin_angstrom[k] = v[1 + k] * DS_BOHR_TO_ANGSTROM;
    double total = 1;
    for (int k = 0; k < 3; k++) {
        if (!(line = ds_reader_next(&r, NULL)) || nums(line, v, 4) != 4)
            return fail(&r, err, line ? DS_EFORMAT : DS_ETRUNC, "expected a voxel line: count and vector");
        if (v[0] == 0 || v[0] != floor(v[0]) || fabs(v[0]) > 1e6) return fail(&r, err, DS_EFORMAT, "absurd voxel count");
        double unit = v[0] > 0 ? DS_BOHR_TO_ANGSTROM : 1.0;
        g->n[k] = (int)fabs(v[0]);
        total *= g->n[k];
        for (int j = 0; j < 3; j++) g->lattice_angstrom[k][j] = g->n[k] * v[1 + j] * unit;
    }
    if (total * sizeof(double) > (double)max_bytes)
        return fail(&r, err, DS_ENOMEM, "the grid is larger than the memory limit: refused before allocating");
    g->n_atoms = (int)natoms;
    g->atomic_numbers = malloc((size_t)(natoms ? natoms : 1) * sizeof *g->atomic_numbers);
    g->atom_values = malloc((size_t)(natoms ? natoms : 1) * sizeof *g->atom_values);
    g->positions_angstrom = malloc((size_t)(natoms ? natoms : 1) * sizeof *g->positions_angstrom);
    if (!g->atomic_numbers || !g->atom_values || !g->positions_angstrom) return fail(&r, err, DS_ENOMEM, "out of memory");
    for (long a = 0; a < natoms; a++) {
        if (!(line = ds_reader_next(&r, NULL)) || nums(line, v, 5) != 5)
            return fail(&r, err, line ? DS_EFORMAT : DS_ETRUNC, "expected an atom line: Z, charge, x, y, z (bohr)");
        g->atomic_numbers[a] = ds_to_int(v[0], -1);
        g->atom_values[a] = v[1];
        for (int k = 0; k < 3; k++) g->positions_angstrom[a][k] = v[2 + k] * DS_BOHR_TO_ANGSTROM;
    }
    if (dset && !ds_reader_next(&r, NULL)) return fail(&r, err, DS_ETRUNC, "the DSET_IDS line is missing");
    size_t n = (size_t)total, got = 0;
    g->values[0] = malloc(n * sizeof(double));
    if (!g->values[0]) return fail(&r, err, DS_ENOMEM, "out of memory for the grid");
    g->n_sets = 1;
    int bad = 0;
    while (got < n && (line = ds_reader_next(&r, NULL))) {
        const char *p = line;
        for (;;) {
            double x;
            int prc = ds_parse_double(&p, &x);
            if (prc == DS_NUM_NONE) break;
            if (prc != DS_NUM_OK) bad = 1;
            if (got == n) {
                bad = 2;
                break;
            }
            g->values[0][got++] = x;
        }
    }
    if (got < n) {
        ds_err_set(err, DS_ETRUNC, path, r.line_no, "the values end after %zu of %zu (%d x %d x %d): truncated cube", got, n,
                   g->n[0], g->n[1], g->n[2]);
        ds_reader_close(&r);
        return DS_ETRUNC;
    }
    ds_reader_close(&r);
    if (bad == 1) return ds_err_set(err, DS_EFORMAT, path, 0, "NaN, Inf or overflow (****) among the values");
    snprintf(g->units, sizeof g->units, "atomic units");
    return DS_OK;
}

int cube_write(const char *path, const ds_grid *g, ds_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return ds_err_set(err, DS_EIO, path, 0, "cannot create");
    fprintf(f, "%s\n%s\n", g->comment[0], g->comment[1]);
    const double b = DS_BOHR_TO_ANGSTROM;
    fprintf(f, "%5d %12.6f %12.6f %12.6f\n", g->n_atoms, g->origin_angstrom[0] / b, g->origin_angstrom[1] / b,
            g->origin_angstrom[2] / b);
    for (int k = 0; k < 3; k++)
        fprintf(f, "%5d %12.6f %12.6f %12.6f\n", g->n[k], g->lattice_angstrom[k][0] / g->n[k] / b,
                g->lattice_angstrom[k][1] / g->n[k] / b, g->lattice_angstrom[k][2] / g->n[k] / b);
    for (int a = 0; a < g->n_atoms; a++)
        fprintf(f, "%5d %12.6f %12.6f %12.6f %12.6f\n", g->atomic_numbers[a], g->atom_values ? g->atom_values[a] : 0.0,
                g->positions_angstrom[a][0] / b, g->positions_angstrom[a][1] / b, g->positions_angstrom[a][2] / b);
    size_t i = 0;
    for (int x = 0; x < g->n[0]; x++)
        for (int y = 0; y < g->n[1]; y++) {
            for (int z = 0; z < g->n[2]; z++, i++) {
                fprintf(f, " %13.5E", g->values[0][i]);
                if (z % 6 == 5) fputc('\n', f);
            }
            if (g->n[2] % 6) fputc('\n', f);
        }
    if (fclose(f) != 0) return ds_err_set(err, DS_EIO, path, 0, "write failed");
    return DS_OK;
}
