/* Integration tests through the real binary: command dispatch, help, and the errors a
 * user sees for paths that are missing, empty, garbage or not a run. */
#include <unistd.h>

#include "tests/cli.h"

static char tmpdir[256];

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

TEST(usage_and_help)
{
    int status;
    char *err = NULL;
    char *out = cli_run("", &status, &err);
    CHECK(status == 2);
    CHECK(strstr(err, "usage: dftscreen") != NULL);
    free(out);
    free(err);
    out = cli_run("help show", &status, NULL);
    CHECK(status == 0 && strstr(out, "--json") != NULL);
    free(out);
    out = cli_run("help nosuch", &status, NULL);
    CHECK(status == 2);
    free(out);
    out = cli_run("--version", &status, NULL);
    CHECK(status == 0 && strstr(out, "dftscreen ") == out);
    free(out);
    out = cli_run("frobnicate", &status, &err);
    CHECK(status == 2 && strstr(err, "no such command 'frobnicate'") != NULL);
    free(out);
    free(err);
}

TEST(show_missing_path_names_it)
{
    int status;
    char *err = NULL;
    cJSON *j = cli_show_json("/nonexistent/run dir", &status, &err);
    CHECK(j == NULL && status == 1);
    CHECK_MSG(strstr(err, "/nonexistent/run dir") != NULL, "stderr: %s", err);
    free(err);
}

TEST(show_empty_directory_says_what_is_missing)
{
    int status;
    char *err = NULL;
    cJSON *j = cli_show_json(tmpdir, &status, &err);
    CHECK(j == NULL && status == 1);
    CHECK_MSG(strstr(err, "vasprun.xml") && strstr(err, "CP2K"), "stderr: %s", err);
    free(err);
}

TEST(show_garbage_and_empty_files_fail_cleanly)
{
    char path[512];
    unsigned char garbage[4096];
    unsigned s = 12345;
    for (size_t i = 0; i < sizeof garbage; i++) garbage[i] = (unsigned char)((s = s * 1103515245u + 12345u) >> 16);
    const char *names[] = {"OUTCAR", "vasprun.xml", "random.bin", "DOSCAR", "POSCAR"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        for (int empty = 0; empty < 2; empty++) {
            snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
            write_bytes(path, garbage, empty ? 0 : sizeof garbage);
            int status;
            char *err = NULL;
            cJSON *j = cli_show_json(path, &status, &err);
            /* Never a crash (status 1 = a clean refusal with a message naming the file). */
            CHECK_MSG(status == 1 && j == NULL, "%s (%s): status %d", names[i], empty ? "empty" : "garbage", status);
            CHECK_MSG(strstr(err, names[i]) != NULL, "%s: stderr does not name the file: %s", names[i], err);
            cJSON_Delete(j);
            free(err);
            unlink(path);
        }
    }
}

TEST(table_reports_unreadable_rows_and_fails)
{
    char args[1024];
    snprintf(args, sizeof args, "table --format csv '/nonexistent/x'");
    int status;
    char *out = cli_run(args, &status, NULL);
    CHECK(status == 1);
    CHECK(strstr(out, "run,code,formula") == out);
    CHECK(strstr(out, "/nonexistent/x,unreadable") != NULL);
    free(out);
}

/* bader --max-memory: a grid needing more than the limit is refused before it is read. */
TEST(bader_max_memory_refuses_large_grids)
{
    char args[1024], *err = NULL;
    int status;
    snprintf(args, sizeof args, "bader '%s/bader/CHGCAR_spin' --max-memory 100", FIXTURES());
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 1 && err && strstr(err, "CHGCAR_spin") && strstr(err, "more than the limit"), "%s", err ? err : "");
    free(err);
    err = NULL;
    snprintf(args, sizeof args, "bader '%s/bader/CHGCAR_spin' --max-memory 1M --json", FIXTURES());
    free(cli_run(args, &status, &err));
    CHECK(status == 0);
    free(err);
    snprintf(args, sizeof args, "bader '%s/bader/CHGCAR_spin' --max-memory lots", FIXTURES());
    free(cli_run(args, &status, NULL));
    CHECK(status == 2);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ds_cli_testXXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    RUN(usage_and_help);
    RUN(show_missing_path_names_it);
    RUN(show_empty_directory_says_what_is_missing);
    RUN(show_garbage_and_empty_files_fail_cleanly);
    RUN(table_reports_unreadable_rows_and_fails);
    RUN(bader_max_memory_refuses_large_grids);
    rmdir(tmpdir);
    return TEST_FINISH();
}
