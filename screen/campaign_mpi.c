/* campaign_mpi: `mpirun -n N dftscreen ingest --mpi` (see campaign.h).  Every rank walks
 * the same tree (the walk is sorted, so every rank sees the same list; rank 0 checks the
 * counts agree) and ingests its shard with the single-process code into a shard store
 * next to the target; rank 0, which holds the target's writer lock for the whole run,
 * merges the shards with the target's previous content (vanished runs kept and marked)
 * and commits atomically.  The MPI calls live in this file only. */
#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "screen/campaign.h"

int campaign_ingest_mpi(const char *const *roots, int n_roots, const char *store_path, const ingest_options *opt,
                        ingest_summary *summary, int *is_root, ds_err *err)
{
    int was_initialised = 0, rank = 0, size = 1;
    MPI_Initialized(&was_initialised);
    if (!was_initialised) MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *is_root = rank == 0;
    memset(summary, 0, sizeof *summary);
    /* rank 0 takes the target's lock; the others learn whether it succeeded */
    int lock_fd = -1, rc = DS_OK;
    if (rank == 0) rc = campaign_store_lock(store_path, &lock_fd, err);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rc && rank != 0) ds_err_set(err, rc, store_path, 0, "rank 0 could not lock the store");
    /* the tree as every rank sees it */
    long found = -1, found_root = -1;
    if (!rc) {
        campaign_list list;
        if (campaign_find_runs(roots, n_roots, &list, err) == DS_OK) {
            found = list.n_entries;
            campaign_list_free(&list);
        }
        found_root = found;
        MPI_Bcast(&found_root, 1, MPI_LONG, 0, MPI_COMM_WORLD);
        int differs = found != found_root, any = 0;
        MPI_Allreduce(&differs, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        if (any)
            rc = ds_err_set(err, DS_EIO, roots[0], 0,
                            "the ranks see different trees (%ld runs on rank 0, %ld on rank %d): is the file system "
                            "shared and the tree unchanging during the ingest?",
                            found_root, found, rank);
    }
    char shard[1100];
    snprintf(shard, sizeof shard, "%s.mpi.%d", store_path, rank);
    ingest_summary mine;
    memset(&mine, 0, sizeof mine);
    if (!rc) {
        ingest_options o = *opt;
        o.shard_index = rank;
        o.shard_count = size;
        o.previous_store = store_path;
        o.progress = 0;
        unlink(shard); /* a shard left by an earlier crash is not a previous store */
        rc = campaign_ingest(roots, n_roots, shard, &o, &mine, err);
    }
    int worst = 0;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    int counts[6] = {mine.n_found, mine.n_read, mine.n_unchanged, mine.n_failed, mine.n_flagged, 0}, total[6];
    MPI_Reduce(counts, total, 6, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
    double seconds = mine.seconds, longest = 0;
    MPI_Reduce(&seconds, &longest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0 && !worst) {
        /* inputs: the previous store (when there is one), then the shards in rank order */
        char names[257][1100];
        const char *inputs[257];
        int n = 0, previous = -1;
        if (access(store_path, F_OK) == 0 && size < 256) {
            snprintf(names[n], sizeof names[n], "%s", store_path);
            previous = n;
            inputs[n] = names[n], n++;
        }
        for (int r = 0; r < size && n < 257; r++) {
            snprintf(names[n], sizeof names[n], "%s.mpi.%d", store_path, r);
            inputs[n] = names[n], n++;
        }
        worst = campaign_merge_ex(inputs, n, previous, store_path, &summary->n_vanished, err);
        summary->n_found = total[0] / 1, summary->n_read = total[1], summary->n_unchanged = total[2];
        summary->n_failed = total[3], summary->n_flagged = total[4], summary->seconds = longest;
    }
    MPI_Bcast(&worst, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (worst && !rc && rank != 0) ds_err_set(err, worst, store_path, 0, "another rank failed (rank 0 reports why)");
    /* shards and their lock files go; the target's lock is released last */
    char lock[1200];
    snprintf(lock, sizeof lock, "%s.lock", shard);
    unlink(shard);
    unlink(lock);
    MPI_Barrier(MPI_COMM_WORLD);
    if (lock_fd >= 0) close(lock_fd);
    if (!was_initialised) MPI_Finalize();
    return worst;
}
