/* Ingest of the whole real-data corpus (../shared/data: every VASP and CP2K case): every run
 * is stored (each case of vasp/reference.json that holds a run output, each CP2K run folder
 * of cp2k/MANIFEST.md, the two OUTCARs of moo3-bulk-and-slab as runs of their own), nothing
 * fails, `export --json` round-trips each run's `show --json` exactly, and each run read back
 * from the store's tables and arrays prints that same text.  Skipped,
 * saying so, without the corpus. */
#include <unistd.h>

#include "tests/cli.h"
#include "tests/store_test.h"

TEST(every_corpus_run_stored_and_round_tripped)
{
    if (!cli_dir_exists(SHARED_DATA())) {
        SKIP("corpus not found: ../shared/data");
        return;
    }
    char dir[] = "/tmp/ds_corpus_ingestXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char args[2048], *err = NULL;
    int status;
    snprintf(args, sizeof args, "ingest '%s/vasp' '%s/cp2k' -o '%s/c.h5' -j 2 --quiet", SHARED_DATA(), SHARED_DATA(), dir);
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 0, "%s", err ? err : "");
    free(err);
    snprintf(args, sizeof args, "export --json '%s/c.h5'", dir);
    char *out = cli_run(args, &status, NULL);
    cJSON *arr = status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    CHECK(cJSON_IsArray(arr));
    /* run folders the corpus documents (cases without any run output - a lone DOSCAR,
     * POSCARs, a CHGCAR, an ACF - are not runs) */
    static const char *const expected[] = {
        "vasp/ag-bulk-ispin2-pdos-ionic-unconverged", "vasp/al-h-n-vasp46-relax", "vasp/co-ispin2-relax-magnetization",
        "vasp/cs2sni6-soc-noncollinear-optics", "vasp/feo-afm-ggau-relax-ispin2-lorbit11",
        "vasp/fes2-slab-relax-diverged-unfinished", "vasp/h2o-molecule-aeccar", "vasp/k-sn-o-static-ispin2-lorbit11",
        "vasp/moo3-bulk-and-slab/OUTCAR_MoO3_bulk", "vasp/moo3-bulk-and-slab/OUTCAR_MoO3_slab",
        "vasp/mote2-vasp651-scf-vaspout-h5", "vasp/nb-ni-ti-n-slab-aborted", "vasp/nh3-neb-3-images/01",
        "vasp/nh3-neb-3-images/02", "vasp/nh3-neb-3-images/03", "vasp/oso2-static-pdos-ispin1",
        "vasp/pt-slab-12atoms-pdos-ispin1", "vasp/si-lorbit10-ispin2-doscar", "vasp/si-relax-ionic-unconverged",
        "vasp/si-vasp642-relax-ispin2-lorbit11", "vasp/v-o-truncated-vasprun",
        "vasp/y-o-vasp641-ispin2-lorbit11-elec-unconverged", "vasp/zns-vasp611-locpot", "cp2k/A-cation-dmf/dmf",
        "cp2k/A-cation-dmf/k-ion", "cp2k/A-cation-dmf/li-dmf", "cp2k/A-cation-dmf/li-ion", "cp2k/A-cation-dmf/mg-ion",
        "cp2k/A-cation-dmf/na-ion", "cp2k/A-cation-dmf/zn-dmf", "cp2k/A-cation-dmf/zn-dmf-sp-pdos",
        "cp2k/A-cation-dmf/zn-ion", "cp2k/E-unconverged/fec-scf-maxscf3", "cp2k/E-unconverged/pc-geo-interrupted"};
    int n_expected = (int)(sizeof expected / sizeof *expected), found = 0, compared = 0;
    for (int i = 0; i < n_expected; i++) {
        char want[1024];
        snprintf(want, sizeof want, "%s/%s", SHARED_DATA(), expected[i]);
        const cJSON *o, *hit = NULL;
        cJSON_ArrayForEach(o, arr)
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "path")), want)) hit = o;
        CHECK_MSG(hit != NULL, "%s: not stored", expected[i]);
        if (!hit) continue;
        found++;
        CHECK_MSG(!cJSON_GetObjectItem(hit, "error"), "%s: stored as failed: %s", expected[i],
                  cJSON_GetStringValue(cJSON_GetObjectItem(hit, "error")));
        cJSON *shown = cli_show_json(want, &status, NULL);
        CHECK_MSG(shown && cli_json_identical(hit, shown), "%s: export differs from show --json", expected[i]);
        compared += shown != NULL;
        cJSON_Delete(shown);
    }
    CHECK(found == n_expected && compared == n_expected);
    CHECK_MSG(cJSON_GetArraySize(arr) == n_expected, "%d runs stored, %d expected", cJSON_GetArraySize(arr), n_expected);
    cJSON_Delete(arr);
    char store[600], first[1024];
    snprintf(store, sizeof store, "%s/c.h5", dir);
    int n_differ = 0, read_back = store_check_read_back(store, 1, &n_differ, first, sizeof first);
    CHECK_MSG(read_back == n_expected && n_differ == 0, "%d read back, %d differ: %s", read_back, n_differ, first);
    snprintf(args, sizeof args, "rm -rf '%s'", dir);
    CHECK(system(args) == 0);
}

int main(void)
{
    RUN(every_corpus_run_stored_and_round_tripped);
    return TEST_FINISH();
}
