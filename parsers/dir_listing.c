/* dir_listing: one readdir of a directory, sorted, answering the name questions the run
 * readers and the campaign walk ask of it (see dir_listing.h).  Answers are those of stat on
 * the path (ds_file_exists, ds_find_variant): readdir's d_type stands in for stat where it
 * cannot differ from it, and where the listing cannot answer (unlisted directory, a name with
 * a '/', "." or "..", a path that does not fit) the query is the stat it replaces. */
#include "parsers/dir_listing.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b);
static int read_entries(DIR *d, ds_dir_listing *l);
static int answer_by_stat(const ds_dir_listing *l, const char *name);
static int type_known(unsigned char d_type);
static int join_path(const char *dir, const char *name, const char *suffix, char *out, size_t n);

static int by_name(const void *a, const void *b)
{
    return strcmp(((const ds_dir_entry *)a)->name, ((const ds_dir_entry *)b)->name);
}

/* readdir into entries (names kept as offsets into one block while it grows); DS_ENOMEM or
 * DS_EIO when readdir fails part-way. */
static int read_entries(DIR *d, ds_dir_listing *l)
{
    size_t cap = 0, names_len = 0, names_cap = 0;
    struct dirent *de;
    for (errno = 0; (de = readdir(d)); errno = 0) {
        const char *nm = de->d_name;
        if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0'))) continue;
        size_t len = strlen(nm) + 1;
        if ((size_t)l->n_entries == cap) {
            cap = cap ? cap * 2 : 32;
            ds_dir_entry *ne = realloc(l->entries, cap * sizeof *ne);
            if (!ne) return DS_ENOMEM;
            l->entries = ne;
        }
        if (names_len + len > names_cap) {
            names_cap = names_cap ? names_cap * 2 : 1024;
            while (names_cap < names_len + len) names_cap *= 2;
            char *nn = realloc(l->names, names_cap);
            if (!nn) return DS_ENOMEM;
            l->names = nn;
        }
        memcpy(l->names + names_len, nm, len);
        ds_dir_entry *e = &l->entries[l->n_entries++];
        memset(e, 0, sizeof *e);
        e->name = (const char *)(uintptr_t)names_len; /* an offset until the block stops moving */
        e->d_type = de->d_type;
        names_len += len;
    }
    if (errno) return DS_EIO;
    for (int i = 0; i < l->n_entries; i++) l->entries[i].name = l->names + (uintptr_t)l->entries[i].name;
    if (l->n_entries > 1) qsort(l->entries, (size_t)l->n_entries, sizeof *l->entries, by_name); /* entries NULL when empty */
    return DS_OK;
}

int ds_dir_list(const char *dir, ds_dir_listing *l, ds_err *err)
{
    memset(l, 0, sizeof *l);
    l->dir = dir;
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        /* Nothing can be found under a missing path or a file: an empty listing is exact. */
        l->unlisted = !(e == ENOENT || e == ENOTDIR);
        return ds_err_set(err, e == ENOMEM ? DS_ENOMEM : DS_EIO, dir, 0, "cannot list the directory: %s", strerror(e));
    }
    int rc = read_entries(d, l);
    int e = errno;
    closedir(d);
    if (rc == DS_OK) return DS_OK;
    free(l->entries);
    free(l->names);
    l->entries = NULL;
    l->names = NULL;
    l->n_entries = 0;
    l->unlisted = 1;
    if (rc == DS_ENOMEM) return ds_err_set(err, DS_ENOMEM, dir, 0, "out of memory listing the directory");
    return ds_err_set(err, DS_EIO, dir, 0, "cannot read the directory: %s", strerror(e));
}

void ds_dir_listing_free(ds_dir_listing *l)
{
    free(l->entries);
    free(l->names);
    memset(l, 0, sizeof *l);
}

int ds_dir_find(const ds_dir_listing *l, const char *name)
{
    if (l->n_entries == 0) return -1;
    ds_dir_entry key = {.name = name};
    const ds_dir_entry *e = bsearch(&key, l->entries, (size_t)l->n_entries, sizeof key, by_name);
    return e ? (int)(e - l->entries) : -1;
}

int ds_dir_path(const ds_dir_listing *l, const char *name, char *out, size_t n)
{
    return join_path(l->dir, name, "", out, n);
}

int ds_dir_entry_stat(ds_dir_listing *l, int i)
{
    ds_dir_entry *e = &l->entries[i];
    if (e->stat_state == 0) {
        char path[4096];
        struct stat st;
        if (ds_dir_path(l, e->name, path, sizeof path) && stat(path, &st) == 0) {
            e->stat_state = 1;
            e->mode = st.st_mode;
            e->size = st.st_size;
            e->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        } else e->stat_state = -1;
    }
    return e->stat_state == 1 ? 0 : -1;
}

/* d_type that is the type stat would report (a symlink's target, or DT_UNKNOWN, is not). */
static int type_known(unsigned char d_type)
{
    return d_type != DT_LNK && d_type != DT_UNKNOWN;
}

int ds_dir_entry_is_file(ds_dir_listing *l, int i)
{
    const ds_dir_entry *e = &l->entries[i];
    if (type_known(e->d_type)) return e->d_type == DT_REG;
    return ds_dir_entry_stat(l, i) == 0 && S_ISREG(e->mode);
}

/* Queries the listing cannot answer from its names: they are the stat they replace. */
static int answer_by_stat(const ds_dir_listing *l, const char *name)
{
    return l->unlisted || !name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

int ds_dir_has_file(ds_dir_listing *l, const char *name)
{
    if (answer_by_stat(l, name)) {
        char path[4096];
        return ds_dir_path(l, name, path, sizeof path) && ds_file_exists(path);
    }
    int i = ds_dir_find(l, name);
    return i >= 0 && ds_dir_entry_is_file(l, i);
}

int ds_dir_exists(ds_dir_listing *l, const char *name)
{
    if (answer_by_stat(l, name)) {
        char path[4096];
        struct stat st;
        return ds_dir_path(l, name, path, sizeof path) && stat(path, &st) == 0;
    }
    int i = ds_dir_find(l, name);
    if (i < 0) return 0;
    return type_known(l->entries[i].d_type) || ds_dir_entry_stat(l, i) == 0;
}

/* dir/name + suffix into out (memcpy: this is on every probe); 1 if it fit. */
static int join_path(const char *dir, const char *name, const char *suffix, char *out, size_t n)
{
    size_t ld = strlen(dir), ln = strlen(name), ls = strlen(suffix);
    if (ld + 1 + ln + ls >= n) return 0;
    memcpy(out, dir, ld);
    out[ld] = '/';
    memcpy(out + ld + 1, name, ln);
    memcpy(out + ld + 1 + ln, suffix, ls + 1);
    return 1;
}

int ds_dir_find_variant(ds_dir_listing *l, const char *name, char *out, size_t n)
{
    char gz[1024];
    size_t len = strlen(name);
    /* A path that does not fit out is stat'ed truncated by ds_find_variant: let it. */
    if (answer_by_stat(l, name) || len + 4 > sizeof gz || !join_path(l->dir, name, ".gz", out, n))
        return ds_find_variant(l->dir, name, out, n);
    memcpy(gz, name, len);
    memcpy(gz + len, ".gz", 4);
    int i = ds_dir_find(l, name);
    if (i >= 0 && ds_dir_entry_is_file(l, i)) return join_path(l->dir, name, "", out, n);
    i = ds_dir_find(l, gz);
    if (i >= 0 && ds_dir_entry_is_file(l, i)) return 1; /* out holds dir/name.gz */
    out[0] = '\0';
    return 0;
}
