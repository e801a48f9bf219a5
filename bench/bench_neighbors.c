/* bench_neighbors: times the cell-list neighbour search, the fragment analysis and the
 * metal-site coordination on a 5,120-atom periodic framework (8 x 8 x 8 cells of an
 * Fe(CN)3 framework with one water per pore), in an orthogonal and in a strongly skewed
 * (same lattice, reduced basis differs) cell.  Checks the pair counts against the known
 * per-cell count so the timing measures a correct search.  Exit 1 when a search takes a
 * second or more or a count is wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "structures/coordination.h"
#include "structures/fragments.h"
#include "structures/neighbors.h"

#define REP 8
#define PER_CELL 10

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static const char cell_species[PER_CELL][4] = {"Fe", "C", "N", "C", "N", "C", "N", "O", "H", "H"};
static const double cell_pos[PER_CELL][3] = {{0, 0, 0},          {1.90, 0, 0},       {3.05, 0, 0},
                                             {0, 1.90, 0},       {0, 3.05, 0},       {0, 0, 1.90},
                                             {0, 0, 3.05},       {2.55, 2.55, 2.55}, {3.10, 3.30, 2.55},
                                             {1.80, 3.10, 2.55}};

static int build(run_structure *s, char (**species)[4], int skew)
{
    const double a = 5.10 * REP;
    int n = PER_CELL * REP * REP * REP;
    memset(s, 0, sizeof *s);
    if (run_structure_alloc(s, n)) return -1;
    *species = malloc((size_t)n * sizeof **species);
    if (!*species) return -1;
    s->has_lattice = 1;
    double L[3][3] = {{a, 0, 0}, {0, a, 0}, {0, 0, a}};
    if (skew) { /* b + 3a, c - 2a + b: the same lattice in a very skewed basis */
        for (int k = 0; k < 3; k++) {
            L[1][k] += 3 * L[0][k];
            L[2][k] += -2 * L[0][k] + L[1][k] - 3 * L[0][k];
        }
    }
    memcpy(s->lattice_angstrom, L, sizeof L);
    int m = 0;
    for (int i = 0; i < REP; i++)
        for (int j = 0; j < REP; j++)
            for (int k = 0; k < REP; k++)
                for (int p = 0; p < PER_CELL; p++, m++) {
                    s->positions_angstrom[m][0] = cell_pos[p][0] + 5.10 * i;
                    s->positions_angstrom[m][1] = cell_pos[p][1] + 5.10 * j;
                    s->positions_angstrom[m][2] = cell_pos[p][2] + 5.10 * k;
                    memcpy((*species)[m], cell_species[p], 4);
                }
    return n;
}

static int run_case(const char *label, int skew, double cutoff, size_t expect_pairs)
{
    run_structure s;
    char (*species)[4] = NULL;
    int n = build(&s, &species, skew);
    if (n < 0) return 1;
    cell_atoms at;
    ds_err err;
    if (cell_atoms_init(&at, &s, (const char (*)[4])species, NULL, &err)) {
        fprintf(stderr, "%s: %s\n", label, err.msg);
        return 1;
    }
    int bad = 0;
    double best = 1e9;
    size_t pairs = 0;
    for (int r = 0; r < 5; r++) {
        nb_list list;
        double t0 = now();
        int rc = neighbors_find(&at.cell, (const double (*)[3])s.positions_angstrom, n, cutoff, NULL, NULL, 0, &list, &err);
        double t = now() - t0;
        if (rc) {
            fprintf(stderr, "%s: %s\n", label, err.msg);
            return 1;
        }
        pairs = list.n_pairs;
        nb_list_free(&list);
        if (t < best) best = t;
    }
    if (expect_pairs && pairs != expect_pairs) {
        fprintf(stderr, "%s: %zu pairs, expected %zu\n", label, pairs, expect_pairs);
        bad = 1;
    }
    double t0 = now();
    frag_set fs;
    int rc = fragments_find(&at, NULL, &fs, &err);
    double tf = now() - t0;
    coord_set cs;
    t0 = now();
    if (!rc) rc = coordination_analyse(&at, &fs, NULL, NULL, NULL, &cs, &err);
    double tc = now() - t0;
    if (rc) {
        fprintf(stderr, "%s: %s\n", label, err.msg);
        return 1;
    }
    /* one framework plus one water per cell */
    if (fs.n_fragments != 1 + REP * REP * REP || fs.fragments[0].periodic_dimension != 3) {
        fprintf(stderr, "%s: %d fragments (expected %d)\n", label, fs.n_fragments, 1 + REP * REP * REP);
        bad = 1;
    }
    printf("%-34s %5d atoms  cutoff %.1f A: neighbours %7.2f ms (%zu pairs), fragments %7.2f ms, "
           "coordination %7.2f ms\n",
           label, n, cutoff, best * 1e3, pairs, tf * 1e3, tc * 1e3);
    if (best >= 1.0 || tf >= 1.0 || tc >= 1.0) bad = 1;
    coord_set_free(&cs);
    frag_set_free(&fs);
    run_structure_free(&s);
    free(species);
    return bad;
}

int main(void)
{
    int bad = 0;
    /* per cell within 2.5 A: Fe-C x3, C-N x3, N-Fe x3, O-H x2, H-H (1.65 A) x1 = 12 pairs */
    bad |= run_case("orthogonal 40.8 A cell", 0, 2.5, (size_t)12 * REP * REP * REP);
    bad |= run_case("skewed cell (same lattice)", 1, 2.5, (size_t)12 * REP * REP * REP);
    bad |= run_case("orthogonal, 6 A cutoff", 0, 6.0, 0);
    return bad;
}
