/* dir_listing: every answer is the one stat gives (ds_file_exists, ds_find_variant, stat):
 * plain NAME before NAME.gz, regular files and symlinks to them only, a missing or unreadable
 * directory; lookups in a directory of thousands of names; an entry stat'ed at most once. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsers/dir_listing.h"
#include "tests/test.h"

static void touch(const char *rel, const char *text)
{
    FILE *f = fopen(T_WORK(rel), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The answers ds_dir_* give for name must be those of the stat-based functions. */
static void check_same_as_stat(ds_dir_listing *l, const char *name)
{
    char want[1024], got[1024], path[1024];
    snprintf(path, sizeof path, "%s/%s", l->dir, name);
    struct stat st;
    CHECK_MSG(ds_dir_has_file(l, name) == ds_file_exists(path), "has_file %s", name);
    CHECK_MSG(ds_dir_exists(l, name) == (stat(path, &st) == 0), "exists %s", name);
    int w = ds_find_variant(l->dir, name, want, sizeof want);
    int g = ds_dir_find_variant(l, name, got, sizeof got);
    CHECK_MSG(w == g && strcmp(want, got) == 0, "find_variant %s: %d '%s', stat says %d '%s'", name, g, got, w, want);
}

TEST(missing_directory_is_an_error_and_an_empty_listing)
{
    ds_dir_listing l;
    ds_err err;
    ds_err_clear(&err);
    int rc = ds_dir_list(T_WORK("no-such-dir"), &l, &err);
    CHECK(rc == DS_EIO);
    CHECK_STR(err.file, T_WORK("no-such-dir"));
    CHECK(l.n_entries == 0 && !l.unlisted);
    char out[512] = "x";
    CHECK(ds_dir_find_variant(&l, "OUTCAR", out, sizeof out) == 0 && out[0] == '\0');
    CHECK(!ds_dir_has_file(&l, "OUTCAR") && !ds_dir_exists(&l, "OUTCAR"));
    ds_dir_listing_free(&l);
    /* A file is no directory: nothing is under it. */
    touch("plain", "x\n");
    rc = ds_dir_list(T_WORK("plain"), &l, NULL);
    CHECK(rc == DS_EIO && l.n_entries == 0 && !l.unlisted);
    CHECK(ds_dir_find(&l, "x") < 0);
    ds_dir_listing_free(&l);
}

TEST(empty_directory_lists_nothing)
{
    mkdir(T_WORK("empty"), 0755);
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("empty"), &l, NULL) == DS_OK);
    CHECK(l.n_entries == 0 && !l.unlisted);
    char out[512];
    CHECK(ds_dir_find(&l, "OUTCAR") < 0 && ds_dir_find_variant(&l, "OUTCAR", out, sizeof out) == 0);
    check_same_as_stat(&l, "OUTCAR");
    check_same_as_stat(&l, ".");
    ds_dir_listing_free(&l);
}

TEST(plain_name_is_preferred_over_gz)
{
    mkdir(T_WORK("pref"), 0755);
    touch("pref/OUTCAR", "plain\n");
    touch("pref/OUTCAR.gz", "gz\n");
    touch("pref/DOSCAR.gz", "gz\n");
    ds_dir_listing l;
    const char *dir = T_WORK("pref");
    CHECK(ds_dir_list(dir, &l, NULL) == DS_OK);
    char out[512], want[512];
    CHECK(ds_dir_find_variant(&l, "OUTCAR", out, sizeof out) == 1);
    snprintf(want, sizeof want, "%s/OUTCAR", dir);
    CHECK_STR(out, want);
    CHECK(ds_dir_find_variant(&l, "DOSCAR", out, sizeof out) == 1);
    snprintf(want, sizeof want, "%s/DOSCAR.gz", dir);
    CHECK_STR(out, want);
    CHECK(ds_dir_find_variant(&l, "EIGENVAL", out, sizeof out) == 0 && out[0] == '\0');
    /* A prefix of a present name is not that name. */
    CHECK(ds_dir_find_variant(&l, "OUTCA", out, sizeof out) == 0);
    CHECK(ds_dir_find_variant(&l, "DOSCAR.g", out, sizeof out) == 0);
    const char *names[] = {"OUTCAR", "OUTCAR.gz", "DOSCAR", "DOSCAR.gz", "EIGENVAL", "OUTCA", ""};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) check_same_as_stat(&l, names[i]);
    ds_dir_listing_free(&l);
}

TEST(symlink_to_regular_file_is_a_file)
{
    mkdir(T_WORK("lnk"), 0755);
    touch("lnk/target.txt", "data\n");
    CHECK(symlink("target.txt", T_WORK("lnk/OUTCAR")) == 0);
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("lnk"), &l, NULL) == DS_OK);
    int i = ds_dir_find(&l, "OUTCAR");
    CHECK(i >= 0 && l.entries[i].d_type != DT_REG);
    CHECK(ds_dir_has_file(&l, "OUTCAR"));
    CHECK(i >= 0 && ds_dir_entry_stat(&l, i) == 0 && S_ISREG(l.entries[i].mode) && l.entries[i].size == 5);
    check_same_as_stat(&l, "OUTCAR");
    ds_dir_listing_free(&l);
}

TEST(symlink_to_directory_and_dangling_symlink_are_no_files)
{
    mkdir(T_WORK("bad"), 0755);
    mkdir(T_WORK("bad/realdir"), 0755);
    CHECK(symlink("realdir", T_WORK("bad/vasprun.xml")) == 0);
    CHECK(symlink("nowhere", T_WORK("bad/OSZICAR")) == 0);
    touch("bad/OSZICAR.gz", "gz\n");
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("bad"), &l, NULL) == DS_OK);
    CHECK(!ds_dir_has_file(&l, "vasprun.xml"));
    CHECK(ds_dir_exists(&l, "vasprun.xml")); /* stat succeeds on a link to a directory */
    CHECK(!ds_dir_has_file(&l, "OSZICAR"));
    CHECK(!ds_dir_exists(&l, "OSZICAR")); /* nor on a dangling one */
    char out[512];
    CHECK(ds_dir_find_variant(&l, "vasprun.xml", out, sizeof out) == 0);
    CHECK(ds_dir_find_variant(&l, "OSZICAR", out, sizeof out) == 1 && strstr(out, "/OSZICAR.gz"));
    const char *names[] = {"vasprun.xml", "OSZICAR", "realdir", "nowhere"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) check_same_as_stat(&l, names[i]);
    ds_dir_listing_free(&l);
}

TEST(subdirectory_named_like_a_file_is_no_file)
{
    mkdir(T_WORK("sub"), 0755);
    mkdir(T_WORK("sub/OUTCAR"), 0755);
    touch("sub/OUTCAR.gz", "gz\n");
    touch("sub/OUTCAR/inner", "x\n");
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("sub"), &l, NULL) == DS_OK);
    CHECK(!ds_dir_has_file(&l, "OUTCAR"));
    CHECK(ds_dir_exists(&l, "OUTCAR"));
    char out[512];
    CHECK(ds_dir_find_variant(&l, "OUTCAR", out, sizeof out) == 1 && strstr(out, "/OUTCAR.gz"));
    /* Names with a '/' reach below the directory: they are the stat they stand for. */
    CHECK(ds_dir_has_file(&l, "OUTCAR/inner"));
    const char *names[] = {"OUTCAR", "OUTCAR.gz", "OUTCAR/inner", "OUTCAR/none", ".", ".."};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) check_same_as_stat(&l, names[i]);
    CHECK(ds_dir_find(&l, ".") < 0 && ds_dir_find(&l, "..") < 0);
    ds_dir_listing_free(&l);
}

TEST(thousands_of_names_sorted_and_found)
{
    enum { N = 3000 };
    mkdir(T_WORK("many"), 0755);
    char rel[64];
    for (int i = 0; i < N; i++) {
        /* not created in name order */
        snprintf(rel, sizeof rel, "many/proj-k%d-%d.pdos", (i * 7919) % N, i % 3);
        touch(rel, "");
    }
    touch("many/OUTCAR.gz", "");
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("many"), &l, NULL) == DS_OK);
    CHECK(l.n_entries == N + 1);
    int sorted = 1;
    for (int i = 1; i < l.n_entries; i++)
        if (strcmp(l.entries[i - 1].name, l.entries[i].name) >= 0) sorted = 0;
    CHECK(sorted);
    int found = 0, wrong = 0;
    for (int i = 0; i < N; i++) {
        snprintf(rel, sizeof rel, "proj-k%d-%d.pdos", (i * 7919) % N, i % 3);
        int k = ds_dir_find(&l, rel);
        found += k >= 0;
        if (k >= 0 && strcmp(l.entries[k].name, rel) != 0) wrong++;
        snprintf(rel, sizeof rel, "proj-k%d-%d.pdos", (i * 7919) % N, 3 + i % 3);
        if (ds_dir_find(&l, rel) >= 0) wrong++;
    }
    CHECK_MSG(found == N && wrong == 0, "found %d of %d, %d wrong", found, N, wrong);
    char out[512];
    CHECK(ds_dir_find_variant(&l, "OUTCAR", out, sizeof out) == 1 && strstr(out, "/OUTCAR.gz"));
    check_same_as_stat(&l, "proj-k17-2.pdos");
    check_same_as_stat(&l, "proj-k17-1.pdos");
    ds_dir_listing_free(&l);
}

TEST(an_entry_is_stat_ed_once_and_a_typed_one_not_at_all)
{
    mkdir(T_WORK("once"), 0755);
    touch("once/POSCAR", "12345\n");
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("once"), &l, NULL) == DS_OK);
    int i = ds_dir_find(&l, "POSCAR");
    CHECK(i >= 0);
    if (i < 0) return;
    if (l.entries[i].d_type == DT_UNKNOWN) SKIP("this file system does not fill d_type");
    CHECK(ds_dir_has_file(&l, "POSCAR") && l.entries[i].stat_state == 0);
    CHECK(ds_dir_entry_stat(&l, i) == 0 && l.entries[i].size == 6);
    touch("once/POSCAR", "1234567890\n"); /* the listing keeps what it saw */
    CHECK(ds_dir_entry_stat(&l, i) == 0 && l.entries[i].size == 6);
    ds_dir_listing_free(&l);
}

TEST(unreadable_directory_is_answered_by_stat)
{
    if (geteuid() == 0) SKIP("root reads any directory");
    mkdir(T_WORK("noread"), 0755);
    touch("noread/OUTCAR", "x\n");
    chmod(T_WORK("noread"), 0311); /* searchable, not readable */
    ds_dir_listing l;
    CHECK(ds_dir_list(T_WORK("noread"), &l, NULL) == DS_EIO);
    CHECK(l.unlisted && l.n_entries == 0);
    CHECK(ds_dir_has_file(&l, "OUTCAR"));
    check_same_as_stat(&l, "OUTCAR");
    check_same_as_stat(&l, "OSZICAR");
    ds_dir_listing_free(&l);
    chmod(T_WORK("noread"), 0755);
}

/* Out of file descriptors (root can provoke this, unlike EACCES): stat still works. */
TEST(directory_unlisted_for_want_of_descriptors_is_answered_by_stat)
{
    mkdir(T_WORK("nofd"), 0755);
    touch("nofd/OUTCAR.gz", "x\n");
    struct rlimit old;
    if (getrlimit(RLIMIT_NOFILE, &old) != 0) SKIP("getrlimit failed");
    struct rlimit low = old;
    low.rlim_cur = 64;
    if (setrlimit(RLIMIT_NOFILE, &low) != 0) SKIP("setrlimit failed");
    int fds[64], n_fds = 0;
    while (n_fds < 64 && (fds[n_fds] = open("/dev/null", O_RDONLY)) >= 0) n_fds++;
    ds_dir_listing l;
    ds_err err;
    ds_err_clear(&err);
    int rc = ds_dir_list(T_WORK("nofd"), &l, &err);
    int unlisted = l.unlisted, n_entries = l.n_entries;
    int has_gz = ds_dir_has_file(&l, "OUTCAR.gz");
    char out[512];
    int found = ds_dir_find_variant(&l, "OUTCAR", out, sizeof out);
    while (n_fds > 0) close(fds[--n_fds]);
    setrlimit(RLIMIT_NOFILE, &old);
    CHECK_MSG(rc == DS_EIO && unlisted && n_entries == 0, "rc %d unlisted %d n %d: %s", rc, unlisted, n_entries, err.msg);
    CHECK(has_gz && found == 1 && strstr(out, "/OUTCAR.gz"));
    check_same_as_stat(&l, "OUTCAR");
    ds_dir_listing_free(&l);
}

int main(void)
{
    if (T_WORKDIR_MAKE("dirlist")) return 1;
    RUN(missing_directory_is_an_error_and_an_empty_listing);
    RUN(empty_directory_lists_nothing);
    RUN(plain_name_is_preferred_over_gz);
    RUN(symlink_to_regular_file_is_a_file);
    RUN(symlink_to_directory_and_dangling_symlink_are_no_files);
    RUN(subdirectory_named_like_a_file_is_no_file);
    RUN(thousands_of_names_sorted_and_found);
    RUN(an_entry_is_stat_ed_once_and_a_typed_one_not_at_all);
    RUN(unreadable_directory_is_answered_by_stat);
    RUN(directory_unlisted_for_want_of_descriptors_is_answered_by_stat);
    if (T_WORKDIR_REMOVE()) return 1;
    return TEST_FINISH();
}
