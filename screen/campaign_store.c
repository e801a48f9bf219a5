/* campaign_store: store header, index of a previous store, copies and atomic commit. */
#include "screen/campaign_store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen/store.h"
#include "screen/store_seal.h"

void campaign_store_write_header(hid_t file)
{
    store_attr_str(file, "format", STORE_FORMAT_NAME);
    store_attr_long(file, "format_version", STORE_FORMAT_VERSION);
    store_attr_str(file, "created_by", "dftscreen");
    store_attr_str(file, "units", "energies eV, lengths angstrom, magnetisation mu_B, charges e");
}

/* Takes off a copied run's change-detection attributes, before campaign_store_write_fingerprint
 * writes them anew (with the FNV-1a hash of stores written before the CRC-64). */
static void remove_fingerprint(hid_t g)
{
    static const char *const names[] = {"main_file",        "size_bytes",           "mtime_ns",
                                        "content_crc64_xz", "content_hash_fnv1a64", "reader_revision"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) store_attr_remove(g, names[i]);
}

int campaign_store_write_fingerprint(hid_t g, const campaign_entry *e, unsigned long long hash)
{
    char hex[32];
    snprintf(hex, sizeof hex, "%016llx", hash);
    int rc = store_attr_str(g, "main_file", e->main_file);
    rc |= store_attr_long(g, "size_bytes", (long)e->size);
    rc |= store_attr_long(g, "mtime_ns", (long)e->mtime_ns);
    rc |= store_attr_str(g, "content_crc64_xz", hex);
    rc |= store_attr_long(g, "reader_revision", STORE_READER_REVISION);
    return rc;
}

hid_t campaign_store_open_read(const char *store_path, ds_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors are reported as values, not printed */
    /* The seal first: no byte reaches HDF5's parser unless the whole file is as written. */
    if (store_seal_check(store_path, err)) return -1;
    if (H5Fis_hdf5(store_path) <= 0) {
        ds_err_set(err, DS_EFORMAT, store_path, 0, "not a readable HDF5 file (corrupted or not a store)");
        return -1;
    }
    hid_t f = H5Fopen(store_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        ds_err_set(err, DS_EFORMAT, store_path, 0, "HDF5 cannot open it (corrupted?)");
        return -1;
    }
    char fmt[64];
    store_get_str(f, "format", fmt, sizeof fmt);
    long version = store_get_long(f, "format_version", -1);
    if (strcmp(fmt, STORE_FORMAT_NAME) != 0 || version < STORE_FORMAT_OLDEST_READ || version > STORE_FORMAT_VERSION ||
        H5Lexists(f, "runs", H5P_DEFAULT) <= 0) {
        H5Fclose(f);
        ds_err_set(err, DS_EFORMAT, store_path, 0, "not a dftscreen campaign store of format version %d to %d",
                   STORE_FORMAT_OLDEST_READ, STORE_FORMAT_VERSION);
        return -1;
    }
    return f;
}

typedef struct {
    const char *path;
    int k;
} path_rec;

static int by_path_rec(const void *a, const void *b)
{
    return strcmp(((const path_rec *)a)->path, ((const path_rec *)b)->path);
}

/* idx->by_path: the indices in path order (for campaign_index_find). */
static int sort_index(campaign_index *idx)
{
    path_rec *r = malloc((size_t)(idx->n ? idx->n : 1) * sizeof *r);
    idx->by_path = malloc((size_t)(idx->n ? idx->n : 1) * sizeof *idx->by_path);
    if (!r || !idx->by_path) {
        free(r);
        return DS_ENOMEM;
    }
    for (int k = 0; k < idx->n; k++) r[k] = (path_rec){idx->paths[k], k};
    qsort(r, (size_t)idx->n, sizeof *r, by_path_rec);
    for (int k = 0; k < idx->n; k++) idx->by_path[k] = r[k].k;
    free(r);
    return DS_OK;
}

int campaign_index_open(const char *store_path, campaign_index *idx, ds_err *err)
{
    memset(idx, 0, sizeof *idx);
    idx->file = -1;
    struct stat st;
    if (stat(store_path, &st) != 0) return DS_OK;
    idx->file = campaign_store_open_read(store_path, err);
    if (idx->file < 0) {
        size_t l = strlen(err->msg);
        snprintf(err->msg + l, sizeof err->msg - l, "; it is left untouched (move it away to start a new store)");
        return err->code;
    }
    hid_t runs = H5Gopen2(idx->file, "runs", H5P_DEFAULT);
    hsize_t n = 0;
    H5Gget_num_objs(runs, &n);
    idx->paths = calloc(n ? n : 1, sizeof *idx->paths);
    idx->groups = calloc(n ? n : 1, sizeof *idx->groups);
    idx->size = calloc(n ? n : 1, sizeof *idx->size);
    idx->mtime_ns = calloc(n ? n : 1, sizeof *idx->mtime_ns);
    idx->hash = calloc(n ? n : 1, sizeof *idx->hash);
    idx->seen = calloc(n ? n : 1, 1);
    idx->hash_known = calloc(n ? n : 1, 1);
    if (!idx->paths || !idx->groups || !idx->size || !idx->mtime_ns || !idx->hash || !idx->seen || !idx->hash_known) {
        H5Gclose(runs);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    for (hsize_t i = 0; i < n; i++) {
        char name[32] = "";
        H5Gget_objname_by_idx(runs, i, name, sizeof name);
        hid_t g = H5Gopen2(runs, name, H5P_DEFAULT);
        if (g < 0) continue;
        int k = idx->n++;
        snprintf(idx->groups[k], sizeof idx->groups[k], "%s", name);
        store_get_str(g, "path", idx->paths[k], sizeof idx->paths[k]);
        idx->size[k] = store_get_long(g, "size_bytes", -1);
        idx->mtime_ns[k] = store_get_long(g, "mtime_ns", -1);
        char hex[32];
        store_get_str(g, "content_crc64_xz", hex, sizeof hex);
        idx->hash[k] = strtoull(hex, NULL, 16);
        idx->hash_known[k] = hex[0] != '\0'; /* absent in stores written before the CRC-64 */
        /* A run that failed or vanished before, or that an older reader stored, is read again. */
        if (H5Aexists(g, "error") > 0 || H5Aexists(g, "vanished") > 0 ||
            store_get_long(g, "reader_revision", 1) != STORE_READER_REVISION)
            idx->size[k] = -2;
        H5Gclose(g);
    }
    H5Gclose(runs);
    return sort_index(idx) ? ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory") : DS_OK;
}

int campaign_index_all_unchanged(const campaign_index *idx, const campaign_list *list)
{
    if (idx->file < 0 || list->n_entries != idx->n) return 0;
    for (int i = 0; i < list->n_entries; i++) {
        const campaign_entry *e = &list->entries[i];
        int k = campaign_index_find(idx, e->path);
        if (k < 0 || idx->size[k] < 0 || idx->size[k] != e->size || idx->mtime_ns[k] != e->mtime_ns) return 0;
    }
    return 1; /* n equal and every entry found: the paths are the same set */
}

int campaign_index_find(const campaign_index *idx, const char *path)
{
    int lo = 0, hi = idx->n - 1;
    while (lo <= hi && idx->by_path) {
        int mid = lo + (hi - lo) / 2, k = idx->by_path[mid], c = strcmp(idx->paths[k], path);
        if (c == 0) return k;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* 1 when run k was stored with main_file as its main output: its checksum is of that file.  A
 * store written before the walk chose the file the reader reads (a CP2K directory with several
 * outputs, a VASP directory whose only output is OUTCAR_MAG) may name another. */
static int stored_main_file_is(const campaign_index *idx, int k, const char *main_file)
{
    char src[64], stored[1024];
    snprintf(src, sizeof src, "/runs/%s", idx->groups[k]);
    hid_t g = H5Gopen2(idx->file, src, H5P_DEFAULT);
    if (g < 0) return 0;
    store_get_str(g, "main_file", stored, sizeof stored);
    H5Gclose(g);
    return strcmp(stored, main_file) == 0;
}

int campaign_index_unchanged(const campaign_index *idx, int k, const campaign_entry *e, unsigned long long *hash,
                             int *hashed)
{
    if (idx->size[k] == -2) return 0;
    if (idx->size[k] == e->size && idx->mtime_ns[k] == e->mtime_ns) return 1;
    if (!e->main_file[0]) return 0;
    if (!idx->hash_known[k] || idx->size[k] != e->size || !stored_main_file_is(idx, k, e->main_file)) return 0;
    ds_err err;
    *hash = campaign_file_hash(e->main_file, &err);
    *hashed = 1;
    return *hash == idx->hash[k];
}

void campaign_index_mark_seen(campaign_index *idx, int k)
{
    idx->seen[k] = 1;
}

static int copy_group(campaign_index *idx, int k, hid_t runs_g, const char *name, ds_err *err)
{
    char src[64];
    snprintf(src, sizeof src, "/runs/%s", idx->groups[k]);
    if (H5Ocopy(idx->file, src, runs_g, name, H5P_DEFAULT, H5P_DEFAULT) < 0)
        return ds_err_set(err, DS_EIO, idx->paths[k], 0, "copying the stored run failed (store corrupted?)");
    return DS_OK;
}

int campaign_index_copy(campaign_index *idx, int k, hid_t runs_g, const char *name, const campaign_entry *e,
                        ds_err *err)
{
    int rc = copy_group(idx, k, runs_g, name, err);
    if (rc) return rc;
    hid_t g = H5Gopen2(runs_g, name, H5P_DEFAULT);
    ds_err herr;
    /* a run copied from a store that has no CRC-64 for it, or one of another file, gets one now
     * (the copy holds the stored main_file: no second look into the old store) */
    char stored[1024];
    store_get_str(g, "main_file", stored, sizeof stored);
    int keep = !e->main_file[0] || (idx->hash_known[k] && strcmp(stored, e->main_file) == 0);
    unsigned long long hash = keep ? idx->hash[k] : campaign_file_hash(e->main_file, &herr);
    remove_fingerprint(g);
    campaign_store_write_fingerprint(g, e, hash);
    H5Gclose(g);
    return DS_OK;
}

int campaign_index_copy_vanished(campaign_index *idx, int k, hid_t runs_g, const char *name, ds_err *err)
{
    int rc = copy_group(idx, k, runs_g, name, err);
    if (rc) return rc;
    hid_t g = H5Gopen2(runs_g, name, H5P_DEFAULT);
    store_attr_remove(g, "vanished");
    store_attr_long(g, "vanished", 1);
    H5Gclose(g);
    return DS_OK;
}

void campaign_index_close(campaign_index *idx)
{
    if (idx->file >= 0) H5Fclose(idx->file);
    free(idx->paths);
    free(idx->groups);
    free(idx->size);
    free(idx->mtime_ns);
    free(idx->by_path);
    free(idx->hash);
    free(idx->seen);
    free(idx->hash_known);
    memset(idx, 0, sizeof *idx);
    idx->file = -1;
}

hid_t campaign_store_create(const char *tmp_path, ds_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors are reported as values, not printed */
    hid_t fcpl = store_seal_fcpl();
    /* A store is written once, front to back, and never has an object deleted: HDF5's tracking
     * of freed file space (a skip list of sections, searched at every allocation as object
     * headers grow) finds nothing worth reusing.  Without it: 1% fewer instructions for an
     * ingest (callgrind, 200 runs: 6.566G -> 6.502G), 0.2% more bytes; HDF5 1.10 or later reads
     * such a file (superblock version 2). */
    if (fcpl >= 0 && H5Pset_file_space_strategy(fcpl, H5F_FSPACE_STRATEGY_NONE, 0, 1) < 0) {
        H5Pclose(fcpl);
        fcpl = -1;
    }
    hid_t f = fcpl < 0 ? -1 : H5Fcreate(tmp_path, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    if (fcpl >= 0) H5Pclose(fcpl);
    if (f < 0) ds_err_set(err, DS_EIO, tmp_path, 0, "cannot create the new store");
    else campaign_store_write_header(f);
    return f;
}

int campaign_store_commit(const char *tmp_path, const char *store_path, ds_err *err)
{
    if (store_seal_write(tmp_path, err)) {
        unlink(tmp_path);
        return err->code;
    }
    int fd = open(tmp_path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        if (fd >= 0) close(fd);
        unlink(tmp_path);
        return ds_err_set(err, DS_EIO, tmp_path, 0, "cannot flush the new store to disk: %s", strerror(errno));
    }
    close(fd);
    if (rename(tmp_path, store_path) != 0) {
        unlink(tmp_path);
        return ds_err_set(err, DS_EIO, store_path, 0, "cannot replace the store: %s", strerror(errno));
    }
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", store_path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return DS_OK;
}
