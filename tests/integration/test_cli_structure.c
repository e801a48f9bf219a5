/* Integration tests of `dftscreen structure` on the project's structure fixtures
 * (tests/fixtures/structures): JSON keys, text output, selections, host-guest mapping,
 * user names, and the errors for overlapping atoms, left-handed lattices, unknown
 * elements and bad options. */
#include "tests/cli.h"

static char *fixture(const char *name)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/structures/%s", FIXTURES(), name);
    return buf[k];
}

static cJSON *run_json(const char *args, int *status, char **err)
{
    char cmd[6000];
    snprintf(cmd, sizeof cmd, "structure --json %s", args);
    char *out = cli_run(cmd, status, err);
    cJSON *j = out ? cJSON_Parse(out) : NULL;
    free(out);
    return j;
}

static cJSON *get(cJSON *o, const char *key)
{
    return cJSON_GetObjectItem(o, key);
}

TEST(json_keys_for_a_cation_complex)
{
    char args[2048];
    snprintf(args, sizeof args, "'%s'", fixture("POSCAR_li_dmf"));
    int status;
    char *err = NULL;
    cJSON *j = run_json(args, &status, &err);
    CHECK_MSG(j && status == 0, "status %d: %s", status, err ? err : "");
    free(err);
    if (!j) return;
    const char *keys[] = {"spacegroup_symbol", "spacegroup_number", "hall_number", "equivalent_atoms", "wyckoffs",
                          "unique_sites",      "fragments",         "metal_sites", "errors"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) CHECK_MSG(get(j, keys[k]) != NULL, "no key %s", keys[k]);
    cJSON *fr = get(j, "fragments");
    CHECK(cJSON_GetArraySize(fr) == 2);
    CHECK_STR(get(cJSON_GetArrayItem(fr, 0), "name")->valuestring, "DMF");
    CHECK_STR(get(cJSON_GetArrayItem(fr, 1), "name")->valuestring, "Li+");
    CHECK(cJSON_GetArraySize(get(cJSON_GetArrayItem(fr, 0), "atoms")) == 12);
    cJSON *site = cJSON_GetArrayItem(get(j, "metal_sites"), 0);
    CHECK(cJSON_GetNumberValue(get(site, "index")) == 13);
    CHECK(cJSON_IsTrue(get(site, "open_site")));
    CHECK_NEAR(cJSON_GetNumberValue(get(get(site, "nearest_guest"), "distance_angstrom")), 1.80, 1e-9);
    /* equivalent atoms are 1-based and point at an atom of the same element */
    cJSON *eq = get(j, "equivalent_atoms");
    CHECK(cJSON_GetArraySize(eq) == 13);
    cJSON_Delete(j);
}

TEST(selection_and_host_guest)
{
    char args[4096];
    snprintf(args, sizeof args, "--select 'molecule:DMF,fragment:2' --host '%s' --guest '%s' '%s'", fixture("POSCAR_li"),
             fixture("POSCAR_dmf"), fixture("POSCAR_li_dmf"));
    int status;
    cJSON *j = run_json(args, &status, NULL);
    CHECK(j && status == 0);
    if (!j) return;
    CHECK(cJSON_GetArraySize(get(get(j, "selection"), "atoms")) == 13);
    CHECK_STR(get(get(j, "guest"), "method")->valuestring, "fragments");
    CHECK(cJSON_GetArraySize(get(get(j, "guest"), "atoms")) == 12);
    cJSON_Delete(j);
    /* text output */
    snprintf(args, sizeof args, "structure --select unique:C '%s'", fixture("POSCAR_fecn3_framework"));
    char *out = cli_run(args, &status, NULL);
    CHECK(status == 0 && out);
    CHECK_MSG(out && strstr(out, "R3m (160)") && strstr(out, "framework") && strstr(out, "-> 2 (1 atoms)"), "%s",
              out ? out : "");
    free(out);
}

/* A VASP volumetric file carries a structure: a CHGCAR written from the fixture POSCAR
 * plus a 2x2x2 grid, plain and gzipped. */
TEST(volumetric_file_structure)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/CHGCAR_ds_%d", (int)getpid());
    for (int gz = 0; gz < 2; gz++) {
        FILE *in = fopen(fixture("POSCAR_li_dmf"), "r"), *out = fopen(path, "w");
        char buf[512];
        while (in && out && fgets(buf, sizeof buf, in)) fputs(buf, out);
        if (out) fputs("\n    2    2    2\n 1.0 2.0 3.0 4.0 5.0\n 6.0 7.0 8.0\n", out);
        if (in) fclose(in);
        if (out) fclose(out);
        char file[80], cmd[256];
        snprintf(file, sizeof file, "%s%s", path, gz ? ".gz" : "");
        if (gz) {
            snprintf(cmd, sizeof cmd, "gzip -f '%s'", path);
            CHECK(system(cmd) == 0);
        }
        char args[256];
        snprintf(args, sizeof args, "'%s'", file);
        int status;
        char *err = NULL;
        cJSON *j = run_json(args, &status, &err);
        CHECK_MSG(j && status == 0, "%s: status %d: %s", file, status, err ? err : "");
        free(err);
        if (j) {
            CHECK(cJSON_GetArraySize(get(j, "fragments")) == 2);
            CHECK_STR(get(j, "spacegroup_symbol")->valuestring, "Pm");
        }
        cJSON_Delete(j);
        unlink(file);
    }
}

TEST(user_names_file)
{
    char names[64], args[4096];
    snprintf(names, sizeof names, "/tmp/ds_names_%d", (int)getpid());
    FILE *f = fopen(names, "w");
    fputs("# names\nNOC3H7 my-amide\n", f);
    fclose(f);
    snprintf(args, sizeof args, "--names '%s' '%s'", names, fixture("POSCAR_dmf"));
    int status;
    cJSON *j = run_json(args, &status, NULL);
    CHECK(j && status == 0);
    if (j) CHECK_STR(get(cJSON_GetArrayItem(get(j, "fragments"), 0), "name")->valuestring, "my-amide");
    cJSON_Delete(j);
    f = fopen(names, "w");
    fputs("NOC3H7\n", f);
    fclose(f);
    snprintf(args, sizeof args, "structure --names '%s' '%s'", names, fixture("POSCAR_dmf"));
    char *err = NULL;
    char *out = cli_run(args, &status, &err);
    CHECK(status == 1);
    CHECK_MSG(err && strstr(err, ":1:") && strstr(err, "FORMULA NAME"), "%s", err ? err : "");
    free(out);
    free(err);
    unlink(names);
}

/* Writes a variant of a fixture with some lines replaced (1-based line -> text). */
static void variant(const char *src, const char *dst, int line_a, const char *text_a, int line_b, const char *text_b)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    char buf[512];
    for (int ln = 1; in && out && fgets(buf, sizeof buf, in); ln++) {
        if (ln == line_a) fprintf(out, "%s\n", text_a);
        else if (ln == line_b) fprintf(out, "%s\n", text_b);
        else fputs(buf, out);
    }
    if (in) fclose(in);
    if (out) fclose(out);
}

TEST(clear_errors)
{
    char path[64], args[2048];
    snprintf(path, sizeof path, "/tmp/POSCAR_ds_bad_%d", (int)getpid());
    int status;
    char *err = NULL;
    /* atom 2 onto atom 1 (0.1 A apart) */
    variant(fixture("POSCAR_li_dmf"), path, 10, "     11.13000000     8.00000000     8.00000000", 0, "");
    snprintf(args, sizeof args, "'%s'", path);
    cJSON *j = run_json(args, &status, &err);
    CHECK(status == 1);
    CHECK_MSG(err && strstr(err, "atoms 1 (C) and 2 (C) overlap: 0.100 A apart"), "%s", err ? err : "");
    CHECK(j && cJSON_IsString(get(j, "spacegroup_symbol")) && cJSON_IsNull(get(j, "fragments")));
    cJSON_Delete(j);
    free(err);
    /* left-handed: b and c swapped */
    variant(fixture("POSCAR_li_dmf"), path, 4, "  0 0 16", 5, "  0 16 0");
    snprintf(args, sizeof args, "structure '%s'", path);
    char *out = cli_run(args, &status, &err);
    CHECK(status == 1);
    CHECK_MSG(err && strstr(err, "left-handed lattice"), "%s", err ? err : "");
    free(out);
    free(err);
    /* zero volume */
    variant(fixture("POSCAR_li_dmf"), path, 5, "  16 16 0", 0, "");
    out = cli_run(args, &status, &err);
    CHECK(status == 1);
    /* the POSCAR reader or the structure analysis says so, naming the file */
    CHECK_MSG(err && strstr(err, path) && (strstr(err, "zero-volume lattice") || strstr(err, "volume 0")), "%s",
              err ? err : "");
    free(out);
    free(err);
    unlink(path);
    /* bad options */
    const char *bad[] = {"structure", "structure --symprec -1 x", "structure --tolerance 0 x", "structure --usual Q=4 x",
                         "structure --host a x", "structure --bogus x", "structure a b"};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        out = cli_run(bad[b], &status, NULL);
        CHECK_MSG(status == 2, "'%s' exited %d", bad[b], status);
        free(out);
    }
    out = cli_run("structure /nonexistent/path", &status, &err);
    CHECK(status == 1 && err && strstr(err, "/nonexistent/path"));
    free(out);
    free(err);
}

int main(void)
{
    RUN(json_keys_for_a_cation_complex);
    RUN(selection_and_host_guest);
    RUN(volumetric_file_structure);
    RUN(user_names_file);
    RUN(clear_errors);
    return TEST_FINISH();
}
