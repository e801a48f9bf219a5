/* dir_listing: one readdir of a directory, kept sorted, so that the many "is NAME (or
 * NAME.gz) here, and which?" questions a run directory is asked cost a binary search, not a
 * stat each. */
#ifndef DS_DIR_LISTING_H
#define DS_DIR_LISTING_H

#include <stddef.h>

#include "parsers/io.h"

/* One name of the directory ("." and ".." are left out).  d_type is what readdir said; an
 * entry is stat'ed only when that does not answer the question (a symlink, DT_UNKNOWN from
 * file systems that do not fill d_type) or when its size or mtime is asked for, and then
 * once: the result stays in the entry. */
typedef struct {
    const char *name;
    unsigned char d_type;   /* DT_* */
    signed char stat_state; /* 0: not stat'ed yet; 1: mode/size/mtime_ns valid; -1: stat failed */
    unsigned int mode;      /* st_mode of stat (symlinks followed) */
    long long size;         /* st_size */
    long long mtime_ns;     /* st_mtim in ns */
} ds_dir_entry;

typedef struct {
    const char *dir;        /* borrowed from the caller of ds_dir_list: must outlive the listing */
    ds_dir_entry *entries;  /* sorted by strcmp of name (alphasort's order: no setlocale here) */
    int n_entries;
    char *names;            /* the entries' names, one block */
    /* The directory could not be listed for a reason that does not rule out files under it
     * (no read permission on a searchable directory, out of file descriptors or memory):
     * n_entries is 0 and every query stats the path, as ds_find_variant does. */
    int unlisted;
} ds_dir_listing;

/* Lists dir.  On failure returns DS_EIO (DS_ENOMEM) with err set, and the listing still
 * answers queries: empty for a missing path or a non-directory (nothing can be found under
 * it), stat-backed (unlisted) otherwise.  Free with ds_dir_listing_free either way. */
int ds_dir_list(const char *dir, ds_dir_listing *listing, ds_err *err);
void ds_dir_listing_free(ds_dir_listing *listing);

/* Index of the entry named name, or -1. */
int ds_dir_find(const ds_dir_listing *listing, const char *name);
/* Stats entry i once (following symlinks); 0 when mode/size/mtime_ns are valid, -1 when stat
 * failed (a dangling symlink). */
int ds_dir_entry_stat(ds_dir_listing *listing, int i);
/* 1 if entry i is a regular file or a symlink to one (ds_file_exists's test). */
int ds_dir_entry_is_file(ds_dir_listing *listing, int i);

/* ds_file_exists(dir/name) from the listing. */
int ds_dir_has_file(ds_dir_listing *listing, const char *name);
/* 1 if stat(dir/name) would succeed, whatever the type (a directory too; not a dangling link). */
int ds_dir_exists(ds_dir_listing *listing, const char *name);
/* ds_find_variant from the listing: dir/name if it is a regular file, else dir/name.gz,
 * into out (1); else out = "" (0). */
int ds_dir_find_variant(ds_dir_listing *listing, const char *name, char *out, size_t n);
/* "dir/name" into out; 1 if it fit. */
int ds_dir_path(const ds_dir_listing *listing, const char *name, char *out, size_t n);

#endif
