/* campaign_walk: finds the run directories of a campaign and fingerprints them. */
#include <dirent.h>
#include <fcntl.h>
#include <isa-l/crc64.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "parsers/cp2k_dir.h"
#include "parsers/dir_listing.h"
#include "parsers/vasp_dir.h"
#include "screen/campaign.h"

/* The directories already walked, by (device, inode): a symlink loop or a directory reached
 * twice (two roots, a link to a sibling) is walked once.  An open-addressing hash set, so a
 * campaign of 10^5 run directories costs 10^5 probes, not the 10^10 of a list scan. */
typedef struct {
    dev_t dev;
    ino_t ino;
    int used;
} visited_dir;

typedef struct {
    visited_dir *slot;
    size_t n, cap; /* cap: 0 or a power of two, kept at least twice n */
} visited_set;

static size_t visited_hash(dev_t dev, ino_t ino, size_t cap)
{
    uint64_t x = (uint64_t)ino ^ ((uint64_t)dev * 0x9E3779B97F4A7C15ULL); /* splitmix64 finaliser */
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return (size_t)x & (cap - 1);
}

static visited_dir *visited_find(visited_dir *slot, size_t cap, dev_t dev, ino_t ino)
{
    size_t i = visited_hash(dev, ino, cap);
    while (slot[i].used && !(slot[i].dev == dev && slot[i].ino == ino)) i = (i + 1) & (cap - 1);
    return &slot[i];
}

/* 1 the first time a directory is seen, 0 after; -1 when out of memory. */
static int visit_once(visited_set *set, const struct stat *st)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 256;
        visited_dir *slot = calloc(cap, sizeof *slot);
        if (!slot) return -1;
        for (size_t i = 0; i < set->cap; i++)
            if (set->slot[i].used) *visited_find(slot, cap, set->slot[i].dev, set->slot[i].ino) = set->slot[i];
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    visited_dir *d = visited_find(set->slot, set->cap, st->st_dev, st->st_ino);
    if (d->used) return 0;
    d->dev = st->st_dev;
    d->ino = st->st_ino;
    d->used = 1;
    set->n++;
    return 1;
}

static int push_entry(campaign_list *list, const char *path, const char *main_file)
{
    if (list->n_entries == list->cap) {
        int cap = list->cap ? list->cap * 2 : 64;
        campaign_entry *ne = realloc(list->entries, (size_t)cap * sizeof *ne);
        if (!ne) return DS_ENOMEM;
        list->entries = ne;
        list->cap = cap;
    }
    campaign_entry *e = &list->entries[list->n_entries++];
    memset(e, 0, sizeof *e);
    snprintf(e->path, sizeof e->path, "%s", path);
    snprintf(e->main_file, sizeof e->main_file, "%s", main_file);
    return DS_OK;
}

/* Size and newest mtime over the regular files directly in the directory (any of them
 * changing means the run changed).  A subdirectory or other non-file typed by readdir needs
 * no stat; every other entry is stat'ed once, in the listing. */
static void fingerprint_dir(ds_dir_listing *dir, campaign_entry *e)
{
    for (int i = 0; i < dir->n_entries; i++) {
        const ds_dir_entry *de = &dir->entries[i];
        if (de->d_type != DT_REG && de->d_type != DT_LNK && de->d_type != DT_UNKNOWN) continue;
        if (ds_dir_entry_stat(dir, i) != 0 || !S_ISREG(de->mode)) continue;
        e->size += de->size;
        if (de->mtime_ns > e->mtime_ns) e->mtime_ns = de->mtime_ns;
    }
}

static int is_vasp_output_name(const char *nm)
{
    return strncmp(nm, "OUTCAR", 6) == 0 || (strncmp(nm, "vasprun", 7) == 0 && strstr(nm, ".xml") != NULL);
}

static int walk(const char *dir, campaign_list *list, visited_set *seen, int depth);

/* The entries of a listed directory, in name order: subdirectories are walked, and outside
 * run directories files named like VASP outputs with a suffix (OUTCAR_bulk,
 * vasprun_relax.xml.gz: several runs kept in one folder) are runs of their own. */
static int walk_entries(ds_dir_listing *dir, int is_run, campaign_list *list, visited_set *seen, int depth)
{
    for (int i = 0; i < dir->n_entries; i++) {
        const ds_dir_entry *de = &dir->entries[i];
        const char *nm = de->name;
        if (nm[0] == '.') continue;
        char sub[1024];
        if (!ds_dir_path(dir, nm, sub, sizeof sub)) continue;
        /* walk stats a directory itself; a typed file that cannot be a run needs no stat */
        if (de->d_type == DT_DIR) {
            int rc = walk(sub, list, seen, depth + 1);
            if (rc) return rc;
            continue;
        }
        if (de->d_type == DT_REG && (is_run || !is_vasp_output_name(nm))) continue;
        if (de->d_type != DT_REG && de->d_type != DT_LNK && de->d_type != DT_UNKNOWN) continue; /* fifo, socket, ... */
        if (ds_dir_entry_stat(dir, i) != 0) continue;
        int rc = DS_OK;
        if (S_ISDIR(de->mode)) rc = walk(sub, list, seen, depth + 1);
        else if (!is_run && S_ISREG(de->mode) && is_vasp_output_name(nm)) {
            rc = push_entry(list, sub, sub);
            if (!rc) {
                list->entries[list->n_entries - 1].size = de->size;
                list->entries[list->n_entries - 1].mtime_ns = de->mtime_ns;
            }
        }
        if (rc) return rc;
    }
    return DS_OK;
}

/* One listing of dir answers the detection, the main output, the fingerprint and the walk on. */
static int walk(const char *dir, campaign_list *list, visited_set *seen, int depth)
{
    struct stat st;
    if (depth > 64 || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return DS_OK;
    int first = visit_once(seen, &st);
    if (first < 0) return DS_ENOMEM;
    if (!first) return DS_OK;
    ds_dir_listing listing;
    ds_dir_list(dir, &listing, NULL);
    /* a run directory, and its main output: the file its reader reads first (detect.c tries
     * VASP, then CP2K), so that the content checksum is taken of what the run was read from */
    char main_file[1024];
    int is_run = vasp_dir_main_output(&listing, main_file, sizeof main_file) ||
                 cp2k_dir_main_output(&listing, main_file, sizeof main_file);
    int rc = DS_OK;
    if (is_run) {
        rc = push_entry(list, dir, main_file);
        if (!rc) fingerprint_dir(&listing, &list->entries[list->n_entries - 1]);
    }
    if (!rc) rc = walk_entries(&listing, is_run, list, seen, depth);
    ds_dir_listing_free(&listing);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const campaign_entry *)a)->path, ((const campaign_entry *)b)->path);
}

int campaign_find_runs(const char *const *roots, int n_roots, campaign_list *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    visited_set seen = {0};
    int rc = DS_OK;
    for (int r = 0; r < n_roots && rc == DS_OK; r++) {
        char root[1024];
        snprintf(root, sizeof root, "%s", roots[r]);
        size_t l = strlen(root);
        while (l > 1 && root[l - 1] == '/') root[--l] = '\0';
        struct stat st;
        if (stat(root, &st) != 0) {
            rc = ds_err_set(err, DS_EIO, root, 0, "no such file or directory");
            break;
        }
        if (S_ISREG(st.st_mode)) {
            rc = push_entry(out, root, root);
            if (!rc) {
                out->entries[out->n_entries - 1].size = st.st_size;
                out->entries[out->n_entries - 1].mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
            }
        } else rc = walk(root, out, &seen, 0);
    }
    free(seen.slot);
    if (rc == DS_ENOMEM) ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory while walking the tree");
    if (rc) return rc;
    qsort(out->entries, (size_t)out->n_entries, sizeof *out->entries, by_path);
    return DS_OK;
}

void campaign_list_free(campaign_list *list)
{
    free(list->entries);
    memset(list, 0, sizeof *list);
}

/* CRC-64/XZ (ECMA-182, reflected: ISA-L's crc64_ecma_refl, PCLMUL, over 10 GB/s) of the raw
 * bytes: change detection only, so the file is checksummed as stored (a .gz is not
 * decompressed).  It replaced a word-wise FNV-1a 64 that ran at a fifth of the speed: on the
 * 2000 main files of the bench tree, read and checksum take 255 ms instead of 410 ms. */
unsigned long long campaign_file_hash(const char *path, ds_err *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        ds_err_set(err, DS_EIO, path, 0, "cannot open for hashing");
        return 0;
    }
    uint64_t h = 0;
    unsigned char buf[1 << 16];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) h = crc64_ecma_refl(h, buf, (uint64_t)got);
    close(fd);
    return h;
}
