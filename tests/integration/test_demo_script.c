/* `make demo` itself: workflows/demo.sh run with the real binary into a temporary directory
 * must exit 0 and write everything its header promises: the example-run table (with the
 * deliberately aborted oh-abort listed and its reason), the guard's refusal, one show --json
 * per example run, the ingested campaign store, and both recipe reports with every
 * candidate ranked.  (A stop once shipped a demo that exited 1 half-way: no test ran it.) */
#include "tests/cli.h"

static int file_has(const char *dir, const char *name, const char *needle)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n > 0 && (!needle || strstr(buf, needle) != NULL);
}

static int count_lines(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p && fscanf(p, "%d", &n) != 1) n = -1;
    if (p) pclose(p);
    return n;
}

TEST(demo_script_writes_every_report)
{
    char dir[] = "/tmp/ds_demo_scriptXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    const char *root = t_env_("DS_ROOT", ".");
    char out[300];
    snprintf(out, sizeof out, "%s/out", dir);
    int rc = cli_sh("sh '%s/workflows/demo.sh' '%s' '%s' > '%s/log' 2>&1", root, DS_BIN(), out, dir);
    CHECK_MSG(rc == 0, "demo.sh exited %d (log in %s/log)", rc, dir);
    if (rc) return;
    /* the example-run table: one row per example run, the aborted one with its reason */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh '%s/workflows/demo_runs.sh' '%s' | wc -w", root, root);
    int n_runs = count_lines(cmd);
    CHECK(n_runs > 10);
    snprintf(cmd, sizeof cmd, "grep -c '^| /' '%s/summary.md'", out);
    CHECK_MSG(count_lines(cmd) == n_runs, "%d table rows for %d example runs", count_lines(cmd), n_runs);
    CHECK(file_has(out, "summary.md", "oh-abort | unreadable:"));
    CHECK(file_has(out, "summary.md", "REFUSE CUTOFF"));
    CHECK(file_has(out, "summary.md", " eV = "));
    snprintf(cmd, sizeof cmd, "ls '%s/json' | grep -c '\\.json$'", out);
    CHECK(count_lines(cmd) == n_runs);
    /* the campaign store: every run folder of the demo campaign, readable by ls */
    snprintf(cmd, sizeof cmd, "'%s' ls '%s/campaign.h5' | grep -c cp2k", DS_BIN(), out);
    int n_store = count_lines(cmd);
    snprintf(cmd, sizeof cmd, "find '%s/workflows/demo_campaign' -name '*.out.gz' | wc -l", root);
    CHECK_MSG(n_store > 0 && n_store == count_lines(cmd), "%d runs in the store, %d outputs", n_store, count_lines(cmd));
    /* both reports, every candidate ranked */
    static const char *const reports[] = {"cation_dmf", "na_anode"};
    static const int ranked[] = {5, 3};
    for (int r = 0; r < 2; r++) {
        char sub[400];
        snprintf(sub, sizeof sub, "%s/%s", out, reports[r]);
        CHECK(file_has(sub, "report.md", "## Ranking"));
        CHECK(file_has(sub, "report.html", "</html>"));
        CHECK(file_has(sub, "ranking.csv", NULL));
        char path[500];
        snprintf(path, sizeof path, "%s/ranking.json", sub);
        cJSON *j = load_json_file(path);
        CHECK(j != NULL);
        int n = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates")) n += cJSON_IsNumber(cJSON_GetObjectItem(c, "rank"));
        CHECK_MSG(n == ranked[r], "%s: %d candidates ranked, expected %d", reports[r], n, ranked[r]);
        cJSON_Delete(j);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(cli_sh("%s", cmd) == 0);
}

int main(void)
{
    RUN(demo_script_writes_every_report);
    return TEST_FINISH();
}
