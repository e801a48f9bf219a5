/* campaign: a screening campaign's runs in one HDF5 store.  Finds run directories under
 * roots, reads them in parallel threads, and writes the store crash-safely: the new
 * store is built in a temporary file beside the target and renamed over it only when
 * complete, so a kill at any moment leaves the previous store intact; a lock file keeps
 * a second writer out.  Re-ingest copies unchanged runs (same size and mtime, or same
 * content hash) from the previous store instead of reading them again. */
#ifndef DS_CAMPAIGN_H
#define DS_CAMPAIGN_H

#include "parsers/io.h"

typedef struct {
    char path[1024];       /* run directory or file, as found under its root */
    char main_file[1024];  /* the file whose size/mtime/hash decide "changed" */
    long long size, mtime_ns;
} campaign_entry;

typedef struct {
    int n_entries, cap;
    campaign_entry *entries;
} campaign_list;

/* Walks roots (directories or single run files); symlinked directories are followed once
 * (a (device, inode) set stops loops).  Entries are sorted by path. */
int campaign_find_runs(const char *const *roots, int n_roots, campaign_list *out, ds_err *err);
void campaign_list_free(campaign_list *list);

typedef struct {
    int n_found, n_read, n_unchanged, n_failed, n_flagged, n_vanished;
    int store_untouched; /* 1: nothing changed, the store file was not rewritten */
    double seconds;
} ingest_summary;

typedef struct {
    int threads;           /* worker threads (>= 1) */
    int shard_index, shard_count; /* read only entries with index % count == index */
    int progress;          /* draw a progress bar on stderr */
    const char *previous_store; /* store whose unchanged runs are reused (NULL: store_path) */
} ingest_options;

int campaign_ingest(const char *const *roots, int n_roots, const char *store_path, const ingest_options *opt,
                    ingest_summary *summary, ds_err *err);

/* Merges shard stores into one (later inputs win for the same run path). */
int campaign_merge(const char *const *inputs, int n_inputs, const char *store_path, ds_err *err);
/* As campaign_merge; when previous >= 0, inputs[previous] is the store being updated: its
 * runs that no later input replaces are no longer in the tree and are kept, marked
 * vanished, after the others (exactly what a single-process incremental ingest writes). */
int campaign_merge_ex(const char *const *inputs, int n_inputs, int previous, const char *store_path, int *n_vanished,
                      ds_err *err);
/* The writer's lock (STORE.lock, flock): DS_EUSAGE naming the holder when taken. */
int campaign_store_lock(const char *store_path, int *fd_out, ds_err *err);
/* `mpirun -n N dftscreen ingest --mpi`: every rank ingests one shard (rank/N) of the tree
 * into STORE.mpi.RANK, reusing STORE's unchanged runs; rank 0 then merges them into STORE
 * under the writer's lock.  The store equals a single-process ingest of the same tree.
 * Initialises and finalises MPI itself.  Returns the same status on every rank. */
int campaign_ingest_mpi(const char *const *roots, int n_roots, const char *store_path, const ingest_options *opt,
                        ingest_summary *summary, int *is_root, ds_err *err);

/* CRC-64/XZ of a file's bytes as stored (a .gz is not decompressed); 0 when it cannot be read. */
unsigned long long campaign_file_hash(const char *path, ds_err *err);

#endif
