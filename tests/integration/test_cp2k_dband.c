/* The d-band centre of each Cu of the project's Cu2(HCOO)4 paddlewheel (UKS triplet, CP2K
 * 2023.1, tests/fixtures/cp2k/cu2-paddlewheel) per spin and spin-summed, through the real
 * binary, against a direct weighted sum over the .pdos rows computed here: the d weight of
 * each MO row (columns d-2 ... d+2 located from the header) times its energy minus E_F, with
 * E_F the higher of the alpha and beta header values. */
#include <zlib.h>

#include "tests/cli.h"

#define HA 27.211386245988

typedef struct {
    char kind[16];
    double fermi_Ha;
    double s0, s1_Ha; /* sum w_d, sum w_d * E (Hartree, absolute) */
} pdos_sums;

static int sum_file(const char *path, pdos_sums *out)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return 0;
    char line[8192];
    int dcol[5], nd = 0;
    memset(out, 0, sizeof *out);
    out->fermi_Ha = NAN;
    while (gzgets(f, line, sizeof line)) {
        if (line[0] == '#') {
            char *k = strstr(line, "atomic kind");
            if (k) sscanf(k + 11, "%15s", out->kind);
            char *e = strstr(line, "E(Fermi) =");
            if (e) out->fermi_Ha = strtod(e + 10, NULL);
            if (strstr(line, "Occupation")) { /* column names after "#": MO, Eigenvalue [a.u.], Occupation, s, py, ... */
                char *tok = strstr(line, "Occupation") + 10;
                int col = 3;
                char name[16];
                int used;
                while (sscanf(tok, "%15s%n", name, &used) == 1) {
                    if (name[0] == 'd' && nd < 5) dcol[nd++] = col;
                    col++;
                    tok += used;
                }
            }
            continue;
        }
        double v[64];
        int n = 0;
        char *p = line, *end;
        while (n < 64 && (v[n] = strtod(p, &end), end != p)) p = end, n++;
        if (nd != 5 || n <= dcol[4]) continue;
        double wd = 0;
        for (int i = 0; i < 5; i++) wd += v[dcol[i]];
        out->s0 += wd;
        out->s1_Ha += wd * v[1];
    }
    gzclose(f);
    return nd == 5;
}

static double centre(cJSON *j, const char *spin)
{
    cJSON *o = spin ? cJSON_GetObjectItem(cJSON_GetObjectItem(j, "spins"), spin) : j;
    cJSON *c = cJSON_GetObjectItem(o, "center_eV");
    return cJSON_IsNumber(c) ? c->valuedouble : NAN;
}

TEST(d_band_centre_per_copper_and_spin_from_pdos_rows)
{
    char dir[1024], file[1200];
    snprintf(dir, sizeof dir, "%s/cp2k/cu2-paddlewheel", FIXTURES());
    /* [metal][spin] sums; the kind number of a file is not assumed: the header says */
    pdos_sums cu[2][2];
    int found[2][2] = {{0, 0}, {0, 0}};
    double fermi_Ha = -INFINITY;
    const char *spin_tag[2] = {"ALPHA", "BETA"};
    for (int s = 0; s < 2; s++)
        for (int k = 1; k <= 5; k++) {
            snprintf(file, sizeof file, "%s/cu2-paddlewheel-%s_k%d-1.pdos", dir, spin_tag[s], k);
            pdos_sums t;
            int has_d = sum_file(file, &t);
            CHECK_MSG(!isnan(t.fermi_Ha), "%s: no E(Fermi)", file);
            if (t.fermi_Ha > fermi_Ha) fermi_Ha = t.fermi_Ha;
            int m = strcmp(t.kind, "Cu1") == 0 ? 0 : strcmp(t.kind, "Cu2") == 0 ? 1 : -1;
            if (m >= 0 && has_d) cu[m][s] = t, found[m][s] = 1;
        }
    CHECK(found[0][0] && found[0][1] && found[1][0] && found[1][1]);
    if (!(found[0][0] && found[0][1] && found[1][0] && found[1][1])) return;
    for (int m = 0; m < 2; m++) {
        char args[1400];
        snprintf(args, sizeof args, "dband --json --atoms %d '%s'", m + 1, dir); /* Cu1 is atom 1, Cu2 atom 2 */
        int status = -1;
        char *out = cli_run(args, &status, NULL);
        cJSON *j = status == 0 ? cJSON_Parse(out) : NULL;
        free(out);
        CHECK_MSG(j != NULL, "dband --atoms %d failed (%d)", m + 1, status);
        if (!j) continue;
        CHECK_NEAR(cJSON_GetObjectItem(j, "fermi_eV")->valuedouble, fermi_Ha * HA, 1e-9);
        double up = (cu[m][0].s1_Ha / cu[m][0].s0 - fermi_Ha) * HA;
        double down = (cu[m][1].s1_Ha / cu[m][1].s0 - fermi_Ha) * HA;
        double both = ((cu[m][0].s1_Ha + cu[m][1].s1_Ha) / (cu[m][0].s0 + cu[m][1].s0) - fermi_Ha) * HA;
        CHECK_NEAR(centre(j, "up"), up, 1e-9);
        CHECK_NEAR(centre(j, "down"), down, 1e-9);
        CHECK_NEAR(centre(j, NULL), both, 1e-9);
        /* an open d shell: the minority (beta) d band lies higher than the majority one */
        CHECK(down > up);
        cJSON_Delete(j);
    }
}

int main(void)
{
    RUN(d_band_centre_per_copper_and_spin_from_pdos_rows);
    return TEST_FINISH();
}
