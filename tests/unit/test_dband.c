/* Unit tests for descriptors/dband, hilbert, orbitals, pdos_select and structures/select,
 * on DOS shapes whose moments and Hilbert-transform edge are known in closed form. */
#include "descriptors/dband.h"
#include "descriptors/hilbert.h"
#include "descriptors/orbitals.h"
#include "descriptors/pdos_select.h"
#include "structures/select.h"
#include "tests/test.h"

#define NG 4001

static double grid_e[NG], grid_rho[NG];

static void gaussian(double mu, double sigma)
{
    for (int i = 0; i < NG; i++) {
        grid_e[i] = -20.0 + 0.01 * i;
        double x = (grid_e[i] - mu) / sigma;
        grid_rho[i] = exp(-0.5 * x * x);
    }
}

TEST(hilbert_of_cosine_is_sine)
{
    /* scipy.signal.hilbert(cos) = cos + i sin for a whole number of periods */
    enum { N = 64 };
    double x[N], h[N];
    for (int i = 0; i < N; i++) x[i] = cos(2 * M_PI * 3 * i / N);
    ds_err err;
    CHECK(hilbert_transform(x, N, h, &err) == DS_OK);
    for (int i = 0; i < N; i++) CHECK_NEAR(h[i], sin(2 * M_PI * 3 * i / N), 1e-12);
    /* odd length too */
    double y[N - 1], hy[N - 1];
    for (int i = 0; i < N - 1; i++) y[i] = cos(2 * M_PI * 2 * i / (N - 1));
    CHECK(hilbert_transform(y, N - 1, hy, &err) == DS_OK);
    for (int i = 0; i < N - 1; i++) CHECK_NEAR(hy[i], sin(2 * M_PI * 2 * i / (N - 1)), 1e-12);
}

TEST(gaussian_band_moments_and_edge)
{
    double mu = -2.0, sigma = 1.0;
    gaussian(mu, sigma);
    dband_result r;
    ds_err err;
    CHECK(dband_grid(grid_e, grid_rho, NG, -INFINITY, INFINITY, &r, &err) == DS_OK);
    CHECK_NEAR(r.center_eV, mu, 1e-9);
    CHECK_NEAR(r.width_eV, sigma, 1e-6);
    CHECK_NEAR(r.skewness, 0.0, 1e-6);
    CHECK_NEAR(r.kurtosis, 3.0, 1e-5);
    /* filling = Phi(2) = 0.97724987; the last grid point below E_F is -0.01 eV */
    CHECK_NEAR(r.filling, 0.9772498680518208, 2e-3);
    /* Hilbert transform of a Gaussian is a scaled Dawson function, maximal at
     * (E - mu) / (sigma sqrt 2) = 0.9241388730 -> E = mu + 1.30693 sigma */
    CHECK_NEAR(r.upper_edge_eV, mu + 0.9241388730 * sqrt(2.0) * sigma, 0.011);
    CHECK_NEAR(r.window_eV[0], -20.0, 1e-12);
    CHECK_NEAR(r.states, sigma * sqrt(2 * M_PI), 1e-9);
}

TEST(semi_elliptic_band)
{
    /* rho = sqrt(1 - ((E - c)/W)^2): variance W^2/4, kurtosis 2, upper edge at c + W */
    double c = -1.0, w = 2.0;
    for (int i = 0; i < NG; i++) {
        grid_e[i] = -20.0 + 0.01 * i;
        double x = (grid_e[i] - c) / w;
        grid_rho[i] = fabs(x) < 1 ? sqrt(1 - x * x) : 0.0;
    }
    dband_result r;
    ds_err err;
    CHECK(dband_grid(grid_e, grid_rho, NG, -INFINITY, INFINITY, &r, &err) == DS_OK);
    CHECK_NEAR(r.center_eV, c, 1e-9);
    CHECK_NEAR(r.width_eV, w / 2, 2e-4);
    CHECK_NEAR(r.skewness, 0.0, 1e-6);
    CHECK_NEAR(r.kurtosis, 2.0, 2e-3);
    CHECK_NEAR(r.upper_edge_eV, c + w, 0.02);
    /* a window changes the centre and is reported */
    CHECK(dband_grid(grid_e, grid_rho, NG, -3.0, 0.0, &r, &err) == DS_OK);
    CHECK(r.center_eV < c);
    CHECK_NEAR(r.window_eV[1], 0.0, 0);
}

TEST(empty_window_and_bad_input_are_errors)
{
    gaussian(-2, 0.5);
    dband_result r;
    ds_err err;
    CHECK(dband_grid(grid_e, grid_rho, NG, 30.0, 40.0, &r, &err) == DS_ENODATA);
    CHECK(strstr(err.msg, "grid point") != NULL);
    for (int i = 0; i < NG; i++) grid_rho[i] = 0;
    CHECK(dband_grid(grid_e, grid_rho, NG, -INFINITY, INFINITY, &r, &err) == DS_ENODATA);
    CHECK(strstr(err.msg, "no states") != NULL);
    grid_rho[10] = NAN;
    CHECK(dband_grid(grid_e, grid_rho, NG, -INFINITY, INFINITY, &r, &err) == DS_EFORMAT);
}

TEST(levels_are_exact_weighted_sums)
{
    const double e[] = {-3.0, -1.0, 2.0}, w[] = {1.0, 2.0, 1.0};
    dband_result r;
    ds_err err;
    CHECK(dband_levels(e, w, 3, -INFINITY, INFINITY, 0.1, &r, &err) == DS_OK);
    double c = (-3.0 - 2.0 + 2.0) / 4.0;
    CHECK_NEAR(r.center_eV, c, 1e-14);
    double m2 = (1 * pow(-3 - c, 2) + 2 * pow(-1 - c, 2) + 1 * pow(2 - c, 2)) / 4.0;
    CHECK_NEAR(r.width_eV, sqrt(m2), 1e-14);
    CHECK_NEAR(r.filling, 0.75, 1e-14);
    /* The Hilbert transform of a Gaussian peaks 1.307 sigma above it; lower levels add a
     * positive tail 1/(pi (E - E_i)) there, higher ones a negative one: with equal weights
     * the maximum is just above the top level. */
    const double w_equal[] = {1.0, 1.0, 1.0};
    CHECK(dband_levels(e, w_equal, 3, -INFINITY, INFINITY, 0.1, &r, &err) == DS_OK);
    CHECK_MSG(r.upper_edge_eV > 2.0 + 0.1 && r.upper_edge_eV < 2.0 + 0.2, "edge %g", r.upper_edge_eV);
    CHECK(dband_levels(e, w, 3, 5.0, 6.0, 0.1, &r, &err) == DS_ENODATA);
    CHECK(dband_levels(e, w, 3, -INFINITY, INFINITY, 0.0, &r, &err) == DS_EUSAGE);
    /* broadening conserves the weight */
    double curve[2001];
    dband_broaden(e, w, 3, 0.1, -10, 10, 2001, curve);
    double s = 0;
    for (int i = 0; i < 2001; i++) s += curve[i] * 0.01;
    CHECK_NEAR(s, 4.0, 1e-9);
}

TEST(frontier_orbitals_pymatgen_rule)
{
    /* 2 spins, 2 k-points, 3 bands */
    double en[12] = {-5, -1, 2, -4.5, -0.8, 1.5, /* spin down */ -5.2, -2, 1.2, -4.8, -1.9, 1.1};
    double oc[12] = {1, 1, 0, 1, 1, 0, 1, 1e-9, 0, 1, 0.5, 0};
    run_eigen eig = {.n_spins = 2, .n_kpoints = 2, .n_bands = 3, .energies_eV = en, .occupations = oc};
    orbitals_result r;
    ds_err err;
    CHECK(orbitals_frontier(&eig, 1e-8, &r, &err) == DS_OK);
    CHECK_NEAR(r.homo_eV, -0.8, 0);
    CHECK(r.homo_spin == 0 && r.homo_kpoint == 1);
    CHECK_NEAR(r.lumo_eV, -2.0, 0); /* occupation 1e-9 <= tol counts as empty */
    CHECK(r.lumo_spin == 1 && r.lumo_kpoint == 0);
    CHECK_NEAR(r.gap_eV, 0.0, 0); /* max(cbm - vbm, 0) */
    CHECK_NEAR(r.homo_spin_eV[1], -1.9, 0);
    CHECK_NEAR(r.lumo_spin_eV[0], 1.5, 0);
    CHECK_NEAR(r.gap_spin_eV[0], 2.3, 1e-12);
    for (int i = 0; i < 12; i++) oc[i] = 1;
    CHECK(orbitals_frontier(&eig, 1e-8, &r, &err) == DS_ENODATA);
    CHECK(strstr(err.msg, "unoccupied") != NULL);
}

TEST(selection_language)
{
    const char sp[6][4] = {"Fe", "Fe", "O", "O", "Na", "Zn"};
    unsigned char m[6];
    ds_err err;
    CHECK(select_atoms("Fe", sp, 6, m, &err) == DS_OK && m[0] && m[1] && !m[2]);
    CHECK(select_atoms("1,3-4", sp, 6, m, &err) == DS_OK && m[0] && !m[1] && m[2] && m[3] && !m[4]);
    CHECK(select_atoms("transition-metals", sp, 6, m, &err) == DS_OK && m[0] && m[1] && m[5] && !m[4]);
    CHECK(select_atoms("alkali, O", sp, 6, m, &err) == DS_OK && m[4] && m[2] && !m[0]);
    CHECK(select_atoms("metals", sp, 6, m, &err) == DS_OK && m[4] && !m[2]);
    CHECK(select_atoms("Pt", sp, 6, m, &err) == DS_ENODATA);
    CHECK(strstr(err.msg, "Fe, O, Na, Zn") != NULL);
    CHECK(select_atoms("7", sp, 6, m, &err) == DS_EUSAGE);
    CHECK(select_atoms("3-1", sp, 6, m, &err) == DS_EUSAGE);
    CHECK(select_atoms("bogus", sp, 6, m, &err) == DS_EUSAGE);
}

TEST(grid_pdos_sum_by_orbital_set)
{
    /* 2 atoms, 2 spins, 4 orbitals (s, dxy, x2-y2, dz2), 3 points */
    char labels[4][12] = {"s", "dxy", "x2-y2", "dz2"};
    double pd[2 * 2 * 4 * 3];
    for (int i = 0; i < 48; i++) pd[i] = i;
    run_dos dos = {.n_points = 3, .n_spins = 2, .n_pdos_atoms = 2, .n_pdos_spins = 2, .n_orbitals = 4,
                   .orbital_labels = labels, .pdos = pd};
    unsigned char mask[2] = {0, 1};
    double up[3], down[3];
    int ns;
    ds_err err;
    CHECK(pdos_grid_sum(&dos, mask, 2, "d", up, down, &ns, &err) == DS_OK && ns == 2);
    /* atom 1 spin 0 orbitals 1..3: base ((1*2+0)*4+o)*3 */
    CHECK_NEAR(up[0], (27 + 30 + 33), 0);
    CHECK_NEAR(down[2], (39 + 42 + 45) + 3 * 2, 0);
    CHECK(pdos_grid_sum(&dos, mask, 2, "dz2", up, down, &ns, &err) == DS_OK);
    CHECK_NEAR(up[1], 34, 0);
    CHECK(pdos_grid_sum(&dos, mask, 2, "f", up, down, &ns, &err) == DS_ENODATA);
    CHECK(strstr(err.msg, "x2-y2") != NULL);
    run_dos none = {0};
    CHECK(pdos_grid_sum(&none, mask, 2, "d", up, down, &ns, &err) == DS_ENODATA);
}

int main(void)
{
    RUN(hilbert_of_cosine_is_sine);
    RUN(gaussian_band_moments_and_edge);
    RUN(semi_elliptic_band);
    RUN(empty_window_and_bad_input_are_errors);
    RUN(levels_are_exact_weighted_sums);
    RUN(frontier_orbitals_pymatgen_rule);
    RUN(selection_language);
    RUN(grid_pdos_sum_by_orbital_set);
    return TEST_FINISH();
}
