/* cmd_ingest: `dftscreen ingest ROOT... -o campaign.h5` and `dftscreen merge`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "screen/campaign.h"
#include "screen/commands.h"

const char cmd_ingest_help[] =
    "usage: dftscreen ingest ROOT... -o campaign.h5 [-j THREADS] [--shard I/N | --mpi] [--quiet]\n"
    "\n"
    "Walks the trees (symlinked directories are followed once: no loops), recognises VASP\n"
    "and CP2K run directories, reads them in THREADS threads (default: all cores; the main\n"
    "one also writes the store while the others read on), checks them (termination, SCF and\n"
    "geometry convergence, truncation, overflow fields) and stores everything in one HDF5\n"
    "file (layout: docs/store.md; readable with h5dump/h5py).\n"
    "  - a run that cannot be read is stored with its error and listed; the ingest goes on\n"
    "  - incremental: unchanged runs (same size and mtime, or same content hash of the main\n"
    "    output) are copied from the previous store, not read again; runs that disappeared\n"
    "    from the tree are kept and marked vanished\n"
    "  - safe: the new store is written beside the old one and renamed over it when complete,\n"
    "    so a kill at any moment leaves the previous store intact; a second ingest on the same\n"
    "    store waits for nothing and stops with a message naming the lock\n"
    "  --shard I/N   read only every N-th run starting at I (0-based): one job-array task per\n"
    "                shard, then `dftscreen merge` the shard stores\n"
    "  --mpi         under `mpirun -n N`: the ranks read one shard each (same file system), rank 0\n"
    "                merges them into the store under its lock; the store equals a single-process\n"
    "                ingest (incremental too: unchanged runs reused, vanished ones kept and marked)\n";

const char cmd_merge_help[] =
    "usage: dftscreen merge -o campaign.h5 SHARD.h5...\n"
    "\n"
    "Combines stores written by `ingest --shard` into one; a run present in several inputs\n"
    "is taken from the last input that has it.\n";

static void print_summary(const ingest_summary *s, const char *store)
{
    printf("%s: %d runs found; %d read, %d unchanged (%s), %d failed, %d flagged, %d vanished; %.2f s\n", store,
           s->n_found, s->n_read, s->n_unchanged, s->store_untouched ? "store left as it was" : "copied", s->n_failed,
           s->n_flagged, s->n_vanished, s->seconds);
    if (s->n_failed || s->n_flagged)
        printf("  see `dftscreen ls %s --filter failed` and `--filter flagged`\n", store);
}

/* glibc hands a freed block of 128 kB or more back to the kernel (its own mmap, or a trim of the
 * heap top) and takes fresh zeroed pages for the next run's file buffer and arrays: a page fault
 * and a cleared page per 4 kB, run after run.  How many depended on glibc's moving threshold, so
 * on unrelated allocation sizes: 50,000 to 138,000 faults for the same 500-run ingest at -j 1,
 * 180,000 to 320,000 for 2000 runs at -j 2.  Blocks below 32 MB now stay in the heap and the
 * heap keeps up to 64 MB at its top: 22,000 and 37,000 faults, about 8% less CPU than the
 * 138,000-fault case, and peak memory about the same (97 MB at -j 1, 146-149 MB at -j 2).
 * A batch of DOS-heavy runs (16-32 parsed runs of 5 MB of PDOS each) frees more than 64 MB at
 * once, which went back to the kernel between batches and was faulted in again: 100 copies of
 * cs2sni6 at -j 1 took 156,000 faults; with up to 256 MB kept, 34,500 and 10% less CPU (1.63 ->
 * 1.47 s), peak RSS 147.6 -> 149.0 MB (the batch's peak is the same; it is only not handed back
 * in between).  The mixed bench tree is unchanged (21,800 faults). */
static void keep_freed_memory(void)
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

int cmd_ingest(int argc, char **argv)
{
    keep_freed_memory();
    const char *roots[256];
    int n_roots = 0, quiet = 0, mpi = 0;
    const char *out = NULL;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    ingest_options opt = {.threads = ncpu > 0 ? (int)ncpu : 1, .shard_index = 0, .shard_count = 1};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) opt.threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--quiet") == 0) quiet = 1;
        else if (strcmp(argv[i], "--mpi") == 0) mpi = 1;
        else if (strcmp(argv[i], "--shard") == 0 && i + 1 < argc) {
            if (sscanf(argv[++i], "%d/%d", &opt.shard_index, &opt.shard_count) != 2 || opt.shard_count < 1 ||
                opt.shard_index < 0 || opt.shard_index >= opt.shard_count) {
                fprintf(stderr, "dftscreen ingest: --shard wants I/N with 0 <= I < N, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "dftscreen ingest: unknown or incomplete option '%s'\n", argv[i]);
            return 2;
        } else if (n_roots < 256) roots[n_roots++] = argv[i];
    }
    if (!out || n_roots == 0 || opt.threads < 1 || (mpi && opt.shard_count > 1)) {
        fputs(cmd_ingest_help, stderr);
        return 2;
    }
    opt.progress = !quiet && isatty(fileno(stderr));
    ingest_summary sum;
    ds_err err;
    ds_err_clear(&err);
    int is_root = 1;
    int rc = mpi ? campaign_ingest_mpi(roots, n_roots, out, &opt, &sum, &is_root, &err)
                 : campaign_ingest(roots, n_roots, out, &opt, &sum, &err);
    if (rc != DS_OK) {
        char buf[1400];
        if (is_root || err.msg[0]) fprintf(stderr, "dftscreen ingest: %s\n", ds_err_format(&err, buf, sizeof buf));
        return 1;
    }
    if (!quiet && is_root) print_summary(&sum, out);
    return 0;
}

int cmd_merge(int argc, char **argv)
{
    const char *inputs[1024];
    int n = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
        else if (n < 1024) inputs[n++] = argv[i];
    }
    if (!out || n == 0) {
        fputs(cmd_merge_help, stderr);
        return 2;
    }
    ds_err err;
    ds_err_clear(&err);
    if (campaign_merge(inputs, n, out, &err) != DS_OK) {
        char buf[1400];
        fprintf(stderr, "dftscreen merge: %s\n", ds_err_format(&err, buf, sizeof buf));
        return 1;
    }
    printf("%s: merged %d stores\n", out, n);
    return 0;
}
