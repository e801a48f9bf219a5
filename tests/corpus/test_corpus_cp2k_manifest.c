/* Corpus tier for the CP2K readers: every run folder of ../shared/data/cp2k checked against
 * its MANIFEST.md table (E_total in Ha to the 8 printed decimals, HOMO/LUMO to the 3
 * printed decimals, SCF / geometry / termination flags), through `dftscreen show --json`;
 * and the d-band centre of the Zn 3d PDOS of zn-dmf-sp-pdos against a weighted sum over
 * the .pdos rows computed here, independently of the program. */
#include <zlib.h>

#include "tests/cli.h"

#define HA 27.211386245988

typedef struct {
    const char *dir;
    double e_Ha, homo_eV, lumo_eV;
    int scf_ok, geo_ok, ended;
} manifest_row;

/* MANIFEST.md "Runs" table, copied value by value (folder, E_total (Ha), HOMO, LUMO,
 * SCF converged, geometry, and whether the run ended: the killed ones did not). */
static const manifest_row rows[] = {
    {"A-cation-dmf/dmf", -47.16148938, -5.619, -0.512, 1, 1, 1},
    {"A-cation-dmf/k-ion", -28.04588524, -25.094, -6.136, 1, 1, 1},
    {"A-cation-dmf/li-dmf", -54.42212170, -10.467, -5.434, 1, 1, 1},
    {"A-cation-dmf/li-ion", -7.17381332, -60.012, -6.722, 1, 1, 1},
    {"A-cation-dmf/mg-ion", -62.27501017, -66.584, -18.278, 1, 1, 1},
    {"A-cation-dmf/na-ion", -46.90926410, -36.190, -7.089, 1, 1, 1},
    {"A-cation-dmf/zn-dmf-sp-pdos", -106.81690814, -16.645, -15.813, 1, 1, 1},
    {"A-cation-dmf/zn-dmf", -106.81711354, -16.640, -15.813, 1, 0, 0},
    {"A-cation-dmf/zn-ion", -59.34287889, -30.539, -22.743, 1, 1, 1},
    {"E-unconverged/fec-scf-maxscf3", -90.49471291, -7.791, -1.514, 0, 1, 1},
    {"E-unconverged/pc-geo-interrupted", -74.33970797, -6.867, -0.266, 1, 0, 0},
};

static int flag(cJSON *j, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(j, k);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

TEST(every_run_matches_the_manifest)
{
    char base[1024];
    snprintf(base, sizeof base, "%s/cp2k", SHARED_DATA());
    if (!cli_dir_exists(base)) SKIP("%s not found", base);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", base, rows[i].dir);
        int status;
        char *err = NULL;
        cJSON *j = cli_show_json(path, &status, &err);
        CHECK_MSG(j != NULL, "%s: %s", rows[i].dir, err ? err : "");
        free(err);
        if (!j) continue;
        double e = cJSON_GetObjectItem(j, "energy_eV")->valuedouble / HA;
        CHECK_MSG(fabs(e - rows[i].e_Ha) <= 5e-9, "%s: E %.9f Ha vs manifest %.8f", rows[i].dir, e, rows[i].e_Ha);
        CHECK_MSG(fabs(cJSON_GetObjectItem(j, "homo_eV")->valuedouble - rows[i].homo_eV) <= 5e-4, "%s: HOMO", rows[i].dir);
        CHECK_MSG(fabs(cJSON_GetObjectItem(j, "lumo_eV")->valuedouble - rows[i].lumo_eV) <= 5e-4, "%s: LUMO", rows[i].dir);
        CHECK_MSG(flag(j, "converged_electronic") == rows[i].scf_ok, "%s: SCF flag", rows[i].dir);
        CHECK_MSG(flag(j, "converged_ionic") == rows[i].geo_ok, "%s: geometry flag", rows[i].dir);
        CHECK_MSG(flag(j, "terminated_normally") == rows[i].ended, "%s: termination", rows[i].dir);
        CHECK_MSG(flag(j, "truncated") == !rows[i].ended, "%s: truncated flag", rows[i].dir);
        cJSON_Delete(j);
    }
}

TEST(metal_charges_match_the_manifest)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/cp2k/A-cation-dmf/li-dmf", SHARED_DATA());
    if (!cli_dir_exists(path)) SKIP("corpus not found");
    int status;
    cJSON *j = cli_show_json(path, &status, NULL);
    CHECK(j != NULL);
    if (!j) return;
    cJSON *q = cJSON_GetObjectItem(j, "charges");
    /* MANIFEST "Charge on the metal": Li13 Mulliken 0.843182, Hirshfeld 0.710 */
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(q, "mulliken"), "net_charge_e"), 12)->valuedouble,
               0.843182, 1e-6);
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(q, "hirshfeld"), "net_charge_e"), 12)->valuedouble,
               0.710, 5e-4);
    cJSON_Delete(j);
}

/* Zn 3d centre from the .pdos rows: sum w_d E / sum w_d with E - E_F, E_F from the header. */
TEST(zn_d_band_centre_from_pdos_rows)
{
    char dir[2048], file[2100];
    snprintf(dir, sizeof dir, "%s/cp2k/A-cation-dmf/zn-dmf-sp-pdos", SHARED_DATA());
    if (!cli_dir_exists(dir)) SKIP("corpus not found");
    snprintf(file, sizeof file, "%s/zn-dmf-sp-pdos-k5-1.pdos", dir);
    gzFile f = gzopen(file, "rb");
    CHECK(f != NULL);
    if (!f) return;
    char line[4096];
    double ef = NAN, s0 = 0, s1 = 0;
    while (gzgets(f, line, sizeof line)) {
        if (line[0] == '#') {
            char *p = strstr(line, "E(Fermi) =");
            if (p) ef = strtod(p + 10, NULL);
            continue;
        }
        /* MO index, E (a.u.), occupation, s, py, pz, px, d-2, d-1, d0, d+1, d+2, ... */
        double v[20];
        int n = 0;
        char *p = line, *end;
        while (n < 20 && (v[n] = strtod(p, &end), end != p)) {
            p = end;
            n++;
        }
        if (n < 12) continue;
        double wd = v[7] + v[8] + v[9] + v[10] + v[11];
        s0 += wd;
        s1 += wd * (v[1] - ef) * HA;
    }
    gzclose(f);
    double expect = s1 / s0;
    char args[2200];
    snprintf(args, sizeof args, "dband --json --atoms Zn '%s'", dir);
    int status;
    char *out = cli_run(args, &status, NULL);
    cJSON *j = status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    CHECK_MSG(j != NULL, "dband failed (%d)", status);
    if (!j) return;
    CHECK_NEAR(cJSON_GetObjectItem(j, "center_eV")->valuedouble, expect, 1e-9);
    CHECK_STR(cJSON_GetObjectItem(j, "method")->valuestring, "levels (weighted sums)");
    CHECK_NEAR(cJSON_GetObjectItem(j, "fermi_eV")->valuedouble, ef * HA, 1e-9);
    cJSON_Delete(j);
}

int main(void)
{
    RUN(every_run_matches_the_manifest);
    RUN(metal_charges_match_the_manifest);
    RUN(zn_d_band_centre_from_pdos_rows);
    return TEST_FINISH();
}
