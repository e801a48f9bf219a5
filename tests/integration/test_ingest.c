/* Integration tests of the campaign store through the real binary: ingest of the
 * project's fixture tree, export round trip against `show --json`, incremental
 * re-ingest, crash safety under SIGKILL at random moments (>= 20 trials), a concurrent
 * second writer, shard + merge equal to a single ingest, and a corrupted store refused. */
#include <hdf5.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "screen/campaign.h"
#include "screen/store.h"
#include "screen/store_seal.h"
#include "tests/cli.h"
#include "tests/store_test.h"

static char work[256];


static char *export_json(const char *store, int *status)
{
    char args[1024];
    snprintf(args, sizeof args, "export --json '%s'", store);
    return cli_run(args, status, NULL);
}

/* The tree: every run directory of the project's fixtures, copied (not linked) so that
 * the test can change it. */
static int make_tree(const char *dst)
{
    return cli_sh("mkdir -p '%s' && cp -r '%s'/. '%s'/", dst, FIXTURES(), dst);
}

/* How many runs of the store carry a content_crc64_xz that is not the checksum of their main
 * file as it is on disk (the readers' digest stands in for a second read of it); *n_checked
 * runs compared, the first mismatch's file into first. */
static int checksums_not_of_the_files(const char *store, int *n_checked, char *first, size_t n)
{
    int bad = 0;
    *n_checked = 0;
    first[0] = '\0';
    hid_t f = H5Fopen(store, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t runs = f < 0 ? -1 : H5Gopen2(f, "runs", H5P_DEFAULT);
    hsize_t n_runs = 0;
    if (runs >= 0) H5Gget_num_objs(runs, &n_runs);
    for (hsize_t i = 0; i < n_runs; i++) {
        char name[32] = "", main_file[1024] = "", hex[32] = "", want[32];
        H5Gget_objname_by_idx(runs, i, name, sizeof name);
        hid_t g = H5Gopen2(runs, name, H5P_DEFAULT);
        store_get_str(g, "main_file", main_file, sizeof main_file);
        store_get_str(g, "content_crc64_xz", hex, sizeof hex);
        H5Gclose(g);
        ds_err err;
        snprintf(want, sizeof want, "%016llx", campaign_file_hash(main_file, &err));
        (*n_checked)++;
        if (strcmp(hex, want) != 0 && bad++ == 0) snprintf(first, n, "%.900s: stored %s, file %s", main_file, hex, want);
    }
    if (runs >= 0) H5Gclose(runs);
    if (f >= 0) H5Fclose(f);
    return bad;
}

TEST(ingest_exports_what_show_prints)
{
    char tree[512], store[512];
    snprintf(tree, sizeof tree, "%s/tree", work);
    snprintf(store, sizeof store, "%s/c.h5", work);
    CHECK(make_tree(tree) == 0);
    int status;
    char args[2048], *err = NULL;
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 2 --quiet", tree, store);
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 0, "ingest failed: %s", err);
    /* --quiet: nothing on stderr, HDF5's own diagnostics included (the tree holds a run that
     * fails, whose group gets other attributes than a read run's) */
    CHECK_MSG(err && err[0] == '\0', "ingest --quiet wrote to stderr: %.300s", err ? err : "(null)");
    free(err);
    char *out = export_json(store, &status);
    cJSON *arr = status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    CHECK(cJSON_IsArray(arr) && cJSON_GetArraySize(arr) > 0);
    int compared = 0;
    for (cJSON *o = arr ? arr->child : NULL; o; o = o->next) {
        cJSON *path = cJSON_GetObjectItem(o, "path");
        if (!cJSON_IsString(path) || cJSON_GetObjectItem(o, "error")) continue;
        cJSON *shown = cli_show_json(path->valuestring, &status, NULL);
        CHECK_MSG(shown != NULL, "%s: show failed", path->valuestring);
        /* same keys, same values (numbers the very same doubles) */
        CHECK_MSG(shown && cli_json_identical(o, shown), "%s: export differs from show --json", path->valuestring);
        cJSON_Delete(shown);
        compared++;
    }
    CHECK(compared > 0);
    cJSON_Delete(arr);
    /* every run read back from its tables prints the very text show printed */
    char first[1024];
    int n_differ = 0, read_back = store_check_read_back(store, 1, &n_differ, first, sizeof first);
    CHECK_MSG(read_back == compared && n_differ == 0, "%d read back, %d differ: %s", read_back, n_differ, first);
    /* every run's checksum is of its main file (plain and gzip, VASP and CP2K, and the run
     * that fails, whose file is read again for it) */
    int n_checked = 0, n_bad = checksums_not_of_the_files(store, &n_checked, first, sizeof first);
    CHECK_MSG(n_checked == compared + 1 && n_bad == 0, "%d checked, %d wrong: %s", n_checked, n_bad, first);
    /* Re-ingest of the unchanged tree reads nothing again. */
    out = cli_run(args, &status, NULL);
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 2", tree, store);
    free(out);
    out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 0 read,"), "re-ingest: %s", out);
    /* the tree's one unreadable run is retried (failed runs are read again at every ingest) */
    CHECK_MSG(strstr(out, " 1 failed,") && strstr(out, "(copied)"), "re-ingest: %s", out);
    free(out);
}

/* The readers run ahead of the writing thread by one batch (16 to 32 entries):
 * whatever the thread count, with batches read while others are written and runs copied
 * from a previous store between them, the store exports byte for byte the same. */
TEST(thread_counts_and_batches_give_the_same_store)
{
    char tree[512], s1[512], s3[512], s8[512], args[2048];
    snprintf(tree, sizeof tree, "%s/batches", work);
    snprintf(s1, sizeof s1, "%s/j1.h5", work);
    snprintf(s3, sizeof s3, "%s/j3.h5", work);
    snprintf(s8, sizeof s8, "%s/j8.h5", work);
    for (int c = 0; c < 6; c++) { /* six copies of the fixture tree: several batches */
        char sub[600];
        snprintf(sub, sizeof sub, "%s/copy%d", tree, c);
        CHECK(make_tree(sub) == 0);
    }
    int status;
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 1 --quiet", tree, s1);
    free(cli_run(args, &status, NULL));
    CHECK(status == 0);
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 3 --quiet", tree, s3);
    free(cli_run(args, &status, NULL));
    CHECK(status == 0);
    /* a previous store holding every other copy: copied and read runs interleave */
    CHECK(cli_sh("rm -rf '%s/copy1' '%s/copy3' '%s/copy5'", tree, tree, tree) == 0);
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 8 --quiet", tree, s8);
    free(cli_run(args, &status, NULL));
    CHECK(status == 0);
    for (int c = 1; c < 6; c += 2) {
        char sub[600];
        snprintf(sub, sizeof sub, "%s/copy%d", tree, c);
        CHECK(make_tree(sub) == 0);
    }
    free(cli_run(args, &status, NULL));
    CHECK(status == 0);
    char *e1 = export_json(s1, &status), *e3 = export_json(s3, &status), *e8 = export_json(s8, &status);
    CHECK(e1 && e3 && e8 && strlen(e1) > 1000);
    CHECK_MSG(e1 && e3 && strcmp(e1, e3) == 0, "-j 1 and -j 3 stores export differently");
    CHECK_MSG(e1 && e8 && strcmp(e1, e8) == 0, "-j 8 over a previous store exports differently");
    free(e1), free(e3), free(e8);
}

/* A tree of readable runs only, unchanged: the store file is not rewritten at all (same
 * inode contents, same mtime) and the summary says so. */
TEST(unchanged_tree_leaves_the_store_as_it_was)
{
    char tree[512], store[512];
    snprintf(tree, sizeof tree, "%s/good", work);
    snprintf(store, sizeof store, "%s/good.h5", work);
    CHECK(cli_sh("mkdir -p '%s' && cp -r '%s/cp2k/h2o' '%s/vasp' '%s'/", tree, FIXTURES(), FIXTURES(), tree) == 0);
    int status;
    char args[2048];
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 2", tree, store);
    char *out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 0 failed,"), "first ingest: %s", out);
    free(out);
    CHECK(cli_sh("cp -p '%s' '%s.before'", store, store) == 0);
    out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 0 read,") && strstr(out, "(store left as it was)"), "re-ingest: %s", out);
    free(out);
    CHECK(cli_sh("cmp -s '%s' '%s.before' && [ ! '%s' -nt '%s.before' ] && [ ! '%s.before' -nt '%s' ]", store, store, store,
                 store, store, store) == 0);
}

/* A run stored by another reader revision is read again although its files did not
 * change; the others are copied; afterwards the store is current and left as it is. */
TEST(runs_stored_by_an_older_reader_are_read_again)
{
    char store[512];
    snprintf(store, sizeof store, "%s/good.h5", work);
    hid_t f = H5Fopen(store, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) return;
    hid_t g = H5Gopen2(f, "/runs/r0000000", H5P_DEFAULT);
    CHECK(g >= 0 && store_get_long(g, "reader_revision", -1) == STORE_READER_REVISION);
    CHECK(H5Adelete(g, "reader_revision") >= 0); /* what a store of revision 1 looks like */
    H5Gclose(g);
    H5Fclose(f);
    ds_err err;
    CHECK(store_seal_write(store, &err) == DS_OK);
    char tree[512], args[2048];
    snprintf(tree, sizeof tree, "%s/good", work);
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 2", tree, store);
    int status;
    char *out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 1 read,") && strstr(out, "(copied)"), "re-ingest: %s", out);
    free(out);
    out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 0 read,") && strstr(out, "(store left as it was)"), "third ingest: %s", out);
    free(out);
}

/* A store written before the content checksum was CRC-64/XZ (it has content_hash_fnv1a64):
 * a run copied from it gets its CRC-64 then, and a run whose mtime moved while it has no
 * CRC-64 is read again (its old hash cannot vouch for the content). */
static int strip_crc(const char *store, const char *group, char *main_file, size_t n)
{
    hid_t f = H5Fopen(store, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0) return -1;
    hid_t g = H5Gopen2(f, group, H5P_DEFAULT);
    int rc = g < 0 || H5Adelete(g, "content_crc64_xz") < 0 ? -1 : 0;
    if (!rc) rc = store_attr_remove(g, "content_hash_fnv1a64") || store_attr_str(g, "content_hash_fnv1a64", "0123456789abcdef");
    if (g >= 0 && main_file) store_get_str(g, "main_file", main_file, n);
    if (g >= 0) H5Gclose(g);
    H5Fclose(f);
    ds_err err;
    return rc || store_seal_write(store, &err) != DS_OK ? -1 : 0;
}

/* Moves the mtime of every file beside `file` (its run directory's files) to 2001: a run's
 * fingerprint is the newest mtime of its files, so touching the main file alone changes it only
 * when that file happened to be the newest (cp -r copies in directory order: machine-dependent). */
static int touch_run_files(const char *file)
{
    return cli_sh("find \"$(dirname '%s')\" -maxdepth 1 -type f -exec touch -d '2001-02-03 04:05:06' {} +", file);
}

TEST(runs_without_a_crc64_get_one_or_are_read_again)
{
    char store[512], tree[512], args[2048], main_file[1024] = "", other[1024] = "";
    snprintf(store, sizeof store, "%s/good.h5", work);
    snprintf(tree, sizeof tree, "%s/good", work);
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 2", tree, store);
    CHECK(strip_crc(store, "/runs/r0000000", main_file, sizeof main_file) == 0);
    hid_t f = H5Fopen(store, H5F_ACC_RDONLY, H5P_DEFAULT), g;
    for (int i = 1; i < 100 && !other[0]; i++) { /* another run that has a main file (not a failed one) */
        char name[32];
        snprintf(name, sizeof name, "/runs/r%07d", i);
        if (H5Lexists(f, name, H5P_DEFAULT) <= 0) break;
        g = H5Gopen2(f, name, H5P_DEFAULT);
        store_get_str(g, "main_file", other, sizeof other);
        H5Gclose(g);
    }
    H5Fclose(f);
    CHECK(main_file[0] && other[0] && strcmp(main_file, other) != 0);
    /* another run's file touched, same bytes: the store is rewritten with nothing read, and
     * the run without a CRC-64 (size and mtime as stored) is copied with one */
    CHECK(touch_run_files(other) == 0);
    int status;
    char *out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 0 read,") && strstr(out, "(copied)"), "re-ingest: %s", out);
    free(out);
    f = H5Fopen(store, H5F_ACC_RDONLY, H5P_DEFAULT);
    g = H5Gopen2(f, "/runs/r0000000", H5P_DEFAULT);
    char hex[32] = "", want[32];
    store_get_str(g, "content_crc64_xz", hex, sizeof hex);
    H5Gclose(g);
    H5Fclose(f);
    ds_err err;
    snprintf(want, sizeof want, "%016llx", campaign_file_hash(main_file, &err));
    CHECK_MSG(strcmp(hex, want) == 0, "stored %s, file %s", hex, want);
    /* without a CRC-64 again, and its own file touched: read again */
    CHECK(strip_crc(store, "/runs/r0000000", NULL, 0) == 0);
    CHECK(touch_run_files(main_file) == 0);
    out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 1 read,"), "re-ingest after touch: %s", out);
    free(out);
}

/* A CP2K run directory that holds a smaller output before the one the reader reads (an
 * earlier attempt kept as a.out): an edit of the read output that keeps its size, with its
 * mtime moved, is found by the content checksum and the run read again, as the checksum is
 * of that file and not of a.out. */
TEST(a_same_size_edit_of_the_read_output_is_read_again)
{
    char tree[512], store[512], run[600], args[2048];
    snprintf(tree, sizeof tree, "%s/twoout", work);
    snprintf(store, sizeof store, "%s/twoout.h5", work);
    snprintf(run, sizeof run, "%s/h2o", tree);
    CHECK(cli_sh("mkdir -p '%s' && zcat '%s/cp2k/h2o/h2o.out.gz' > '%s/h2o.out' && cp '%s/cp2k/h2o/h2o.inp' '%s/' && "
                 "head -c 4000 '%s/h2o.out' > '%s/a.out'",
                 run, FIXTURES(), run, FIXTURES(), run, run, run) == 0);
    snprintf(args, sizeof args, "ingest '%s' -o '%s' -j 1", tree, store);
    int status;
    char *out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 1 read,"), "first ingest: %s", out);
    free(out);
    char *before = export_json(store, &status);
    CHECK(before && strstr(before, "-17.135668980398933") == NULL); /* eV in the export, not Ha */
    /* the total energy's last digits changed in place (same size), the mtime moved on */
    CHECK(cli_sh("sed -i 's/-17.135668980398933/-17.135668980398999/' '%s/h2o.out' && touch -d '2030-01-01' '%s/h2o.out' "
                 "'%s/a.out' && touch -d '2001-01-01' '%s/h2o.inp'",
                 run, run, run, run) == 0);
    out = cli_run(args, &status, NULL);
    CHECK_MSG(status == 0 && strstr(out, " 1 read,"), "re-ingest after the edit: %s", out);
    free(out);
    char *after = export_json(store, &status);
    CHECK_MSG(before && after && strcmp(before, after) != 0, "the export did not change");
    free(before);
    free(after);
}

TEST(kill_at_random_moments_keeps_a_readable_store)
{
    char tree[512], store[512], before[512];
    snprintf(tree, sizeof tree, "%s/tree", work);
    snprintf(store, sizeof store, "%s/c.h5", work);
    snprintf(before, sizeof before, "%s/before.json", work);
    int status;
    char *old_export = export_json(store, &status);
    CHECK(status == 0);
    /* Touch every file: the next ingest must hash everything and rewrite the store. */
    CHECK(cli_sh("find '%s' -type f -exec touch {} +", tree) == 0);
    unsigned seed = 12345;
    int trials = 0, killed_midway = 0;
    for (; trials < 24; trials++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl(DS_BIN(), DS_BIN(), "ingest", tree, "-o", store, "-j", "2", "--quiet", (char *)NULL);
            _exit(127);
        }
        seed = seed * 1103515245u + 12345u;
        struct timespec ts = {0, (long)((seed >> 8) % 60000) * 1000L}; /* 0..60 ms */
        nanosleep(&ts, NULL);
        int st;
        if (kill(pid, SIGKILL) == 0) killed_midway++;
        waitpid(pid, &st, 0);
        char *now = export_json(store, &status);
        CHECK_MSG(status == 0, "trial %d: store unreadable after kill", trials);
        cJSON *a = cJSON_Parse(old_export), *b = now ? cJSON_Parse(now) : NULL;
        CHECK_MSG(b && cli_json_identical(a, b), "trial %d: store content changed by a killed ingest", trials);
        cJSON_Delete(a);
        cJSON_Delete(b);
        free(now);
        /* a completed ingest (the kill came too late) is the new content: also fine */
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            free(old_export);
            old_export = export_json(store, &status);
        }
    }
    CHECK(trials >= 20 && killed_midway > 0);
    free(old_export);
    /* stale temporaries are never read; the lock file stays, unlocked */
    CHECK(cli_sh("ls '%s'/c.h5.tmp.* >/dev/null 2>&1 || true", work) == 0);
}

TEST(second_writer_is_refused_with_a_message)
{
    char store[512];
    snprintf(store, sizeof store, "%s/c.h5", work);
    /* Hold the lock from a shell the way an ingest does, then try an ingest. */
    char args[2048];
    snprintf(args, sizeof args, "flock -n '%s.lock' -c 'sleep 2' & sleep 0.3; '%s' ingest '%s/tree' -o '%s' --quiet; echo rc=$?; wait",
             store, DS_BIN(), work, store);
    FILE *p = popen(args, "r");
    char buf[4096] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    pclose(p);
    CHECK_MSG(strstr(buf, "rc=1") != NULL, "%s", buf); /* the shell waited for the holder */
}

TEST(shards_merged_equal_single_ingest)
{
    char store[512], s0[512], s1[512], merged[512];
    snprintf(store, sizeof store, "%s/c.h5", work);
    snprintf(s0, sizeof s0, "%s/s0.h5", work);
    snprintf(s1, sizeof s1, "%s/s1.h5", work);
    snprintf(merged, sizeof merged, "%s/m.h5", work);
    CHECK(cli_sh("'%s' ingest '%s/tree' -o '%s' --quiet && '%s' ingest '%s/tree' -o '%s' --shard 0/2 --quiet && "
             "'%s' ingest '%s/tree' -o '%s' --shard 1/2 --quiet && '%s' merge -o '%s' '%s' '%s' >/dev/null",
             DS_BIN(), work, store, DS_BIN(), work, s0, DS_BIN(), work, s1, DS_BIN(), merged, s0, s1) == 0);
    int st1, st2;
    char *a = export_json(store, &st1), *b = export_json(merged, &st2);
    cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
    CHECK_MSG(st1 == 0 && st2 == 0 && ja && jb, "export status %d/%d", st1, st2);
    CHECK_MSG(ja && jb && cli_json_identical(ja, jb), "single ingest:\n%.2000s\nshards merged:\n%.2000s", a ? a : "",
              b ? b : "");
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    free(a);
    free(b);
}

TEST(corrupted_store_is_detected_not_overwritten)
{
    char store[512];
    snprintf(store, sizeof store, "%s/bad.h5", work);
    /* eight bytes overwritten in the middle of the file: HDF5 metadata or stored numbers */
    CHECK(cli_sh("cp '%s/c.h5' '%s' && printf 'XXXXXXXX' | dd of='%s' bs=1 seek=$(( $(stat -c %%s '%s') / 2 )) "
                 "conv=notrunc 2>/dev/null",
                 work, store, store, store) == 0);
    int status;
    char *err = NULL;
    char args[1024];
    snprintf(args, sizeof args, "ls '%s'", store);
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 1 && strstr(err, "bad.h5") && strstr(err, "corrupted"), "%s", err);
    free(err);
    snprintf(args, sizeof args, "ingest '%s/tree' -o '%s' --quiet", work, store);
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 1 && strstr(err, "left untouched"), "%s", err);
    free(err);
}

/* A store of format 2 (tests/fixtures/store/format2.h5) is taken as the previous store: its runs
 * are read again and written as format 3 tables; a run no longer in the tree keeps its format 2
 * group, marked vanished, and is still read. */
TEST(a_format_2_store_is_read_again_as_format_3)
{
    char dir[512], bin[4096], store[600], first[1024];
    snprintf(dir, sizeof dir, "%s/v2", work);
    snprintf(store, sizeof store, "%s/c.h5", dir);
    CHECK(realpath(DS_BIN(), bin) != NULL);
    const char *fx = FIXTURES();
    CHECK(cli_sh("mkdir -p '%s/tests/fixtures/vasp' '%s/tests/fixtures/cp2k' && cp -r '%s/vasp/feo-relax' '%s/tests/fixtures/vasp/'"
                 " && cp -r '%s/cp2k/lih2o-bsse' '%s/cp2k/oh-uks' '%s/tests/fixtures/cp2k/' && cp '%s/store/format2.h5' '%s'",
                 dir, dir, fx, dir, fx, fx, dir, fx, store) == 0);
    /* the paths as the format 2 store has them: relative to the repository root */
    CHECK(cli_sh("cd '%s' && '%s' ingest tests/fixtures/vasp/feo-relax tests/fixtures/cp2k/lih2o-bsse tests/fixtures/cp2k/oh-uks"
                 " -o c.h5 --quiet", dir, bin) == 0);
    ds_err err;
    hid_t f = campaign_store_open_read(store, &err);
    CHECK_MSG(f >= 0, "%s", err.msg);
    if (f < 0) return;
    CHECK(store_get_long(f, "format_version", -1) == STORE_FORMAT_VERSION);
    int tables = 0, vanished_v2 = 0;
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "/runs/r%07d", i);
        hid_t g = H5Gopen2(f, name, H5P_DEFAULT);
        CHECK(g >= 0);
        if (g < 0) continue;
        H5O_info_t info;
        int steps_table = H5Oget_info_by_name2(g, "steps", &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
                          info.type == H5O_TYPE_DATASET;
        if (store_get_long(g, "vanished", 0) == 1) vanished_v2 += !steps_table;
        else tables += steps_table;
        H5Gclose(g);
    }
    H5Fclose(f);
    CHECK_MSG(tables == 3 && vanished_v2 == 1, "%d runs as tables, %d vanished in format 2", tables, vanished_v2);
    int n_differ = 0, read_back = store_check_read_back(store, 0, &n_differ, first, sizeof first);
    CHECK_MSG(read_back == 4 && n_differ == 0, "%d read back, %d differ: %s", read_back, n_differ, first);
}

/* A root that does not exist stops the ingest with one message naming it, and nothing from
 * HDF5 (the previous store was never opened: there is no file to close). */
TEST(a_missing_root_is_one_clear_message)
{
    char args[1024], *err = NULL;
    int status;
    snprintf(args, sizeof args, "ingest '%s/no-such-root' -o '%s/missing.h5' --quiet", work, work);
    free(cli_run(args, &status, &err));
    CHECK(status != 0);
    CHECK_MSG(err && strstr(err, "no-such-root: no such file or directory") && !strstr(err, "HDF5"), "stderr: %.400s",
              err ? err : "(null)");
    free(err);
}

int main(void)
{
    snprintf(work, sizeof work, "/tmp/ds_ingest_testXXXXXX");
    if (!mkdtemp(work)) return 1;
    RUN(ingest_exports_what_show_prints);
    RUN(thread_counts_and_batches_give_the_same_store);
    RUN(unchanged_tree_leaves_the_store_as_it_was);
    RUN(runs_stored_by_an_older_reader_are_read_again);
    RUN(runs_without_a_crc64_get_one_or_are_read_again);
    RUN(a_same_size_edit_of_the_read_output_is_read_again);
    RUN(kill_at_random_moments_keeps_a_readable_store);
    RUN(second_writer_is_refused_with_a_message);
    RUN(shards_merged_equal_single_ingest);
    RUN(corrupted_store_is_detected_not_overwritten);
    RUN(a_format_2_store_is_read_again_as_format_3);
    RUN(a_missing_root_is_one_clear_message);
    cli_sh("rm -rf '%s'", work);
    return TEST_FINISH();
}
