/* test_campaign_walk: the tree walk of `ingest` (campaign_find_runs, screen/campaign_walk.c)
 * finds each run directory once: not again through a symlink loop, a link to a sibling or a
 * second root that overlaps the first; and it stays correct past thousands of directories
 * (the visited set grows and rehashes). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen/campaign.h"
#include "tests/test.h"

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(" F=  -.1E+01 E0= -.1E+01  d E =-.1E-05\n", f);
        fclose(f);
    }
}

static int count_runs_named(const campaign_list *l, const char *suffix)
{
    int n = 0;
    size_t ls = strlen(suffix);
    for (int i = 0; i < l->n_entries; i++) {
        size_t lp = strlen(l->entries[i].path);
        n += lp >= ls && strcmp(l->entries[i].path + lp - ls, suffix) == 0;
    }
    return n;
}

/* Each case has at most one way back per directory, so a walk that forgot what it visited
 * fails fast (64 levels of duplicates) instead of exploring an exponential number of paths. */
TEST(a_symlink_loop_gives_its_run_once)
{
    CHECK(mkdir(T_WORK("loop"), 0755) == 0);
    CHECK(mkdir(T_WORK("loop/a"), 0755) == 0);
    CHECK(mkdir(T_WORK("loop/a/run1"), 0755) == 0);
    touch(T_WORK("loop/a/run1/OSZICAR"));
    CHECK(symlink("..", T_WORK("loop/a/up")) == 0); /* back to the top */
    const char *roots[1] = {T_WORK("loop")};
    campaign_list l;
    ds_err err;
    CHECK(campaign_find_runs(roots, 1, &l, &err) == DS_OK);
    CHECK_MSG(l.n_entries == 1 && count_runs_named(&l, "/run1") == 1, "%d runs", l.n_entries);
    campaign_list_free(&l);
}

TEST(a_run_reached_twice_or_under_two_roots_is_listed_once)
{
    CHECK(mkdir(T_WORK("twice"), 0755) == 0);
    CHECK(mkdir(T_WORK("twice/a"), 0755) == 0);
    CHECK(mkdir(T_WORK("twice/a/run1"), 0755) == 0);
    touch(T_WORK("twice/a/run1/OSZICAR"));
    CHECK(mkdir(T_WORK("twice/b"), 0755) == 0);
    CHECK(symlink("../a", T_WORK("twice/b/to_a")) == 0);           /* a sibling reached twice */
    const char *roots[2] = {T_WORK("twice"), T_WORK("twice/a")}; /* the second inside the first */
    campaign_list l;
    ds_err err;
    CHECK(campaign_find_runs(roots, 2, &l, &err) == DS_OK);
    CHECK_MSG(l.n_entries == 1 && count_runs_named(&l, "/run1") == 1, "%d runs", l.n_entries);
    campaign_list_free(&l);
}

TEST(thousands_of_directories_are_each_walked_once)
{
    CHECK(mkdir(T_WORK("many"), 0755) == 0);
    char rel[64], target[64];
    int n_dirs = 3000, n_runs = 0;
    for (int i = 0; i < n_dirs; i++) {
        snprintf(rel, sizeof rel, "many/d%04d", i);
        CHECK(mkdir(T_WORK(rel), 0755) == 0);
        if (i % 7 == 0) { /* every seventh is a run */
            snprintf(rel, sizeof rel, "many/d%04d/OSZICAR", i);
            touch(T_WORK(rel));
            n_runs++;
        }
        if (i + 1 < n_dirs) { /* and each links to the next: reached again from its neighbour */
            snprintf(rel, sizeof rel, "many/d%04d/next", i);
            snprintf(target, sizeof target, "../d%04d", i + 1);
            CHECK(symlink(target, T_WORK(rel)) == 0);
        }
    }
    const char *roots[1] = {T_WORK("many")};
    campaign_list l;
    ds_err err;
    CHECK(campaign_find_runs(roots, 1, &l, &err) == DS_OK);
    CHECK_MSG(l.n_entries == n_runs, "%d runs, expected %d", l.n_entries, n_runs);
    for (int i = 1; i < l.n_entries; i++) CHECK(strcmp(l.entries[i - 1].path, l.entries[i].path) < 0);
    campaign_list_free(&l);
}

static void write_text(const char *path, const char *text, int copies)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    for (int i = 0; i < copies; i++) fputs(text, f);
    fclose(f);
}

static const char *main_file_of(const campaign_list *l, const char *run_suffix)
{
    size_t ls = strlen(run_suffix);
    for (int i = 0; i < l->n_entries; i++) {
        size_t lp = strlen(l->entries[i].path);
        if (lp >= ls && strcmp(l->entries[i].path + lp - ls, run_suffix) == 0) return l->entries[i].main_file;
    }
    return "";
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The main output a run's checksum is taken of is the file its reader reads: of several CP2K
 * outputs the largest with the CP2K banner (not the first by name, nor a larger log without
 * the banner); in a VASP directory whose only output is OUTCAR_MAG, that file. */
TEST(the_main_output_is_the_file_the_reader_reads)
{
    CHECK(mkdir(T_WORK("mains"), 0755) == 0);
    CHECK(mkdir(T_WORK("mains/cp2k"), 0755) == 0);
    write_text(T_WORK("mains/cp2k/a.out"), " GLOBAL| Run type  ENERGY\n", 1);
    write_text(T_WORK("mains/cp2k/run.out"), " GLOBAL| Run type  ENERGY\n CP2K| version string:  CP2K version 2023.1\n", 20);
    write_text(T_WORK("mains/cp2k/z.log"), "no banner in this log\n", 200);
    CHECK(mkdir(T_WORK("mains/vasp"), 0755) == 0);
    touch(T_WORK("mains/vasp/OUTCAR_MAG"));
    const char *roots[1] = {T_WORK("mains")};
    campaign_list l;
    ds_err err;
    CHECK(campaign_find_runs(roots, 1, &l, &err) == DS_OK);
    CHECK_MSG(l.n_entries == 2, "%d runs", l.n_entries);
    const char *cp2k = main_file_of(&l, "/mains/cp2k"), *vasp = main_file_of(&l, "/mains/vasp");
    CHECK_MSG(ends_with(cp2k, "/mains/cp2k/run.out"), "CP2K main output: \"%s\"", cp2k);
    CHECK_MSG(ends_with(vasp, "/mains/vasp/OUTCAR_MAG"), "VASP main output: \"%s\"", vasp);
    campaign_list_free(&l);
}

int main(void)
{
    if (T_WORKDIR_MAKE("walk_test")) return 1;
    RUN(a_symlink_loop_gives_its_run_once);
    RUN(a_run_reached_twice_or_under_two_roots_is_listed_once);
    RUN(thousands_of_directories_are_each_walked_once);
    RUN(the_main_output_is_the_file_the_reader_reads);
    if (T_WORKDIR_REMOVE()) return 1;
    return TEST_FINISH();
}
