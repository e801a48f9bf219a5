/* campaign_ingest: builds the campaign store.  Reading happens in worker threads (the
 * parsers are re-entrant); every HDF5 call stays on the calling thread (Debian's serial
 * HDF5 is not thread-safe).  The new store is written to "<store>.tmp.<pid>" and renamed
 * over the old one when complete: a kill at any moment leaves the old store untouched. */
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parsers/detect.h"
#include "screen/campaign.h"
#include "screen/campaign_store.h"
#include "screen/run_json.h"
#include "screen/store.h"
#include "screen/store_chunk.h"
#include "screen/sym_memo.h"

/* Entries per batch, 2 per thread within these bounds: two batches are in memory at once
 * (one read, one written), at most as many runs as the single batch of 64 of before. */
#define BATCH_MIN 16
#define BATCH_MAX 32
#define BATCH_PER_THREAD 2

typedef struct {
    const campaign_entry *entry;
    ds_run run;
    int rc;
    ds_err err;
    unsigned long long hash;
    int hashed; /* hash already taken (by the unchanged check): the main file is not read for it again */
    char *json; /* the run's show --json text (made by the reader thread), or NULL */
    store_packed packed; /* its large arrays deflated by the reader thread, for the writer */
} read_job;

typedef struct {
    read_job *jobs;
    int n_jobs;
    int next;
    pthread_mutex_t lock;
    sym_memo *memo; /* shared by the readers (thread-safe) */
} job_queue;

/* The checksum of the job's main output: the one its reader took of the bytes it parsed when
 * it read that file whole (the same CRC-64/XZ, of the same bytes: no second read, and the
 * stored checksum is of what was parsed even if the file changes meanwhile), else read again. */
static unsigned long long main_file_hash(const read_job *j)
{
    const char *main = j->entry->main_file;
    if (!main[0]) return 0;
    const run_file_digest *d = &j->run.main_digest;
    if (j->rc == DS_OK && d->file[0] && strcmp(d->file, main) == 0) return d->crc64_xz;
    ds_err herr;
    return campaign_file_hash(main, &herr);
}

static void *worker(void *arg)
{
    job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        int i = q->next++;
        pthread_mutex_unlock(&q->lock);
        if (i >= q->n_jobs) return NULL;
        read_job *j = &q->jobs[i];
        run_init(&j->run);
        memset(&j->packed, 0, sizeof j->packed);
        ds_err_clear(&j->err);
        j->rc = run_read_path(j->entry->path, &j->run, &j->err);
        j->json = NULL;
        if (j->rc == DS_OK) { /* the JSON text too: the store's writing thread is the bottleneck at high -j */
            snprintf(j->run.path, sizeof j->run.path, "%.511s", j->entry->path);
            j->json = run_show_json_text_memo(&j->run, 1e-3, 0, q->memo);
            /* and the large arrays deflated (store_prepack_run): at -j 2 on the 2000-run bench
             * tree that took the writing thread's share of the CPU (HDF5 and deflate, perf) from
             * 24% to 16%.  What runs out of memory here is compressed by the writer instead. */
            store_prepack_run(&j->run, j->json, &j->packed);
        }
        if (!j->hashed) j->hash = main_file_hash(j);
    }
}

/* A batch of entries in path order: those that need reading become jobs, read by reader
 * threads while the main thread writes the batch before (double buffering), then every entry
 * (copied or read) is written in path order, so the store's order does not depend on which
 * runs changed nor on the thread count. */
typedef struct {
    read_job *jobs;
    int *order; /* >= 0: job index; < 0: -(old index) - 1 */
    const campaign_entry **order_entry;
    int n_jobs, n_order, cap;
    job_queue q;
    pthread_t tid[64];
    int n_threads; /* reader threads started on it and not yet joined */
} batch;

static int batch_alloc(batch *b, int cap)
{
    memset(b, 0, sizeof *b);
    b->jobs = calloc((size_t)cap, sizeof *b->jobs);
    b->order = calloc((size_t)cap, sizeof *b->order);
    b->order_entry = calloc((size_t)cap, sizeof *b->order_entry);
    b->cap = cap;
    return b->jobs && b->order && b->order_entry ? DS_OK : DS_ENOMEM;
}

static void batch_free(batch *b)
{
    free(b->jobs);
    free(b->order);
    free(b->order_entry);
}

/* The next entries of the list from *start (this shard's only), up to the batch's capacity. */
static void batch_fill(batch *b, const campaign_list *list, int *start, campaign_index *old, const ingest_options *opt)
{
    b->n_jobs = b->n_order = 0;
    while (*start < list->n_entries && b->n_order < b->cap) {
        int i = (*start)++;
        if (opt->shard_count > 1 && i % opt->shard_count != opt->shard_index) continue;
        const campaign_entry *e = &list->entries[i];
        int k = campaign_index_find(old, e->path);
        if (k >= 0) campaign_index_mark_seen(old, k);
        b->order_entry[b->n_order] = e;
        unsigned long long hash = 0;
        int hashed = 0;
        if (k >= 0 && campaign_index_unchanged(old, k, e, &hash, &hashed)) {
            b->order[b->n_order++] = -k - 1;
            continue;
        }
        memset(&b->jobs[b->n_jobs], 0, sizeof b->jobs[b->n_jobs]);
        b->jobs[b->n_jobs].entry = e;
        b->jobs[b->n_jobs].hash = hash;
        b->jobs[b->n_jobs].hashed = hashed;
        b->order[b->n_order++] = b->n_jobs++;
    }
}

/* Starts up to n_readers reader threads on the batch's jobs (0: the batch is read by
 * batch_finish); a thread that cannot be created leaves its share to the others. */
static void batch_start(batch *b, int n_readers, sym_memo *memo)
{
    b->n_threads = 0;
    b->q.memo = memo;
    b->q.jobs = b->jobs;
    b->q.n_jobs = b->n_jobs;
    b->q.next = 0;
    pthread_mutex_init(&b->q.lock, NULL);
    int nt = n_readers > 64 ? 64 : n_readers;
    if (nt > b->n_jobs) nt = b->n_jobs;
    for (int t = 0; t < nt; t++)
        if (pthread_create(&b->tid[b->n_threads], NULL, worker, &b->q) == 0) b->n_threads++;
}

/* The calling thread reads what is left of the batch, then waits for its reader threads. */
static void batch_finish(batch *b)
{
    worker(&b->q);
    for (int t = 0; t < b->n_threads; t++) pthread_join(b->tid[t], NULL);
    b->n_threads = 0;
    pthread_mutex_destroy(&b->q.lock);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void progress(int done, int total, double t0)
{
    double dt = now_seconds() - t0, rate = dt > 0 ? done / dt : 0;
    int width = 30, fill = total ? done * width / total : width;
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %d/%d runs  %.1f runs/s  ETA %.0f s   ", bar, done, total, rate,
            rate > 0 ? (total - done) / rate : 0.0);
    fflush(stderr);
}

static int is_flagged(const ds_run *run)
{
    return run->truncated > 0 || run->converged_electronic == 0 || run->converged_ionic == 0 ||
           run->terminated_normally == 0 || run->has_overflow_fields > 0;
}

/* Writes a freshly read run (or its failure) as /runs/<name>. */
static int write_job(hid_t runs_g, const char *name, read_job *j, ingest_summary *sum)
{
    hid_t g = H5Gcreate2(runs_g, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return DS_EIO;
    int rc = campaign_store_write_fingerprint(g, j->entry, j->hash);
    if (j->rc != DS_OK) {
        char buf[1400];
        rc |= store_attr_str(g, "path", j->entry->path);
        store_attr_str(g, "error", ds_err_format(&j->err, buf, sizeof buf));
        sum->n_failed++;
    } else {
        ds_err err;
        rc |= store_write_run_packed(g, &j->run, j->json, &j->packed, &err);
        sum->n_read++;
        if (is_flagged(&j->run)) sum->n_flagged++;
    }
    H5Gclose(g);
    return rc ? DS_EIO : DS_OK;
}

int campaign_store_lock(const char *store_path, int *fd_out, ds_err *err)
{
    char lock_path[1100];
    snprintf(lock_path, sizeof lock_path, "%s.lock", store_path);
    int fd = open(lock_path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return ds_err_set(err, DS_EIO, lock_path, 0, "cannot create the lock file: %s", strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = read(fd, pid, sizeof pid - 1);
        pid[n > 0 ? n : 0] = '\0';
        close(fd);
        return ds_err_set(err, DS_EUSAGE, store_path, 0,
                          "another dftscreen is writing this store (lock %s held by process %s); wait for it to finish",
                          lock_path, pid[0] ? pid : "?");
    }
    if (ftruncate(fd, 0) == 0) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld", (long)getpid());
        if (write(fd, pid, (size_t)n) < 0) { /* the pid is informative only */ }
    }
    *fd_out = fd;
    return DS_OK;
}

int campaign_ingest(const char *const *roots, int n_roots, const char *store_path, const ingest_options *opt,
                    ingest_summary *sum, ds_err *err)
{
    memset(sum, 0, sizeof *sum);
    double t0 = now_seconds();
    int lock_fd = -1;
    int rc = campaign_store_lock(store_path, &lock_fd, err);
    if (rc) return rc;
    campaign_list list;
    rc = campaign_find_runs(roots, n_roots, &list, err);
    campaign_index old;
    memset(&old, 0, sizeof old);
    old.file = -1; /* no previous store opened (yet): nothing for campaign_index_close to close */
    if (!rc) rc = campaign_index_open(opt->previous_store ? opt->previous_store : store_path, &old, err);
    /* Nothing changed (every run's size and mtime as stored, no run gone or new): the store
     * already holds what a rewrite would write, so it is left as it is. */
    if (!rc && opt->shard_count <= 1 && !opt->previous_store && campaign_index_all_unchanged(&old, &list)) {
        sum->n_found = sum->n_unchanged = list.n_entries;
        sum->store_untouched = 1;
        campaign_index_close(&old);
        campaign_list_free(&list);
        flock(lock_fd, LOCK_UN);
        close(lock_fd);
        sum->seconds = now_seconds() - t0;
        return DS_OK;
    }
    char tmp_path[1100];
    snprintf(tmp_path, sizeof tmp_path, "%s.tmp.%ld", store_path, (long)getpid());
    hid_t file = -1, runs_g = -1;
    if (!rc) {
        file = campaign_store_create(tmp_path, err);
        if (file < 0) rc = err->code;
    }
    if (!rc) {
        runs_g = H5Gcreate2(file, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (runs_g < 0) rc = ds_err_set(err, DS_EIO, tmp_path, 0, "cannot create /runs");
    }
    int threads = opt->threads > 0 ? opt->threads : 1;
    int cap = threads * BATCH_PER_THREAD;
    cap = cap < BATCH_MIN ? BATCH_MIN : cap > BATCH_MAX ? BATCH_MAX : cap;
    batch bat[2];
    int balloc = batch_alloc(&bat[0], cap) | batch_alloc(&bat[1], cap);
    if (balloc && !rc) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    int n_written = 0, total = 0;
    for (int i = 0; i < list.n_entries; i++)
        if (opt->shard_count <= 1 || i % opt->shard_count == opt->shard_index) total++;
    sum->n_found = total;
    int done = 0, start = 0, cur = 0;
    sym_memo *memo = sym_memo_new(); /* NULL (out of memory): every structure analysed */
    /* -j N is N threads in all: N-1 reader threads, and this one, which helps read a batch
     * to its end and then writes it to the store (HDF5 is written from this thread only)
     * while the readers go on with the next batch.  -j 1 reads and writes in turn. */
    if (!rc) {
        batch_fill(&bat[0], &list, &start, &old, opt);
        batch_start(&bat[0], threads - 1, memo);
    }
    while (!balloc && bat[cur].n_order > 0) {
        batch *b = &bat[cur], *next = &bat[1 - cur];
        batch_finish(b);
        next->n_order = next->n_jobs = 0;
        if (!rc && start < list.n_entries) {
            batch_fill(next, &list, &start, &old, opt);
            batch_start(next, threads - 1, memo);
        }
        for (int o = 0; o < b->n_order; o++) {
            char name[32];
            snprintf(name, sizeof name, "r%07d", n_written++);
            if (b->order[o] < 0) {
                if (!rc && campaign_index_copy(&old, -b->order[o] - 1, runs_g, name, b->order_entry[o], err)) rc = err->code;
                sum->n_unchanged++;
            } else {
                read_job *j = &b->jobs[b->order[o]];
                if (!rc && write_job(runs_g, name, j, sum))
                    rc = ds_err_set(err, DS_EIO, tmp_path, 0, "HDF5 write failed for %s", j->entry->path);
                run_free(&j->run);
                free(j->json);
                j->json = NULL;
                store_packed_free(&j->packed);
            }
            done++;
        }
        if (opt->progress) progress(done, total, t0);
        cur = 1 - cur;
    }
    batch_free(&bat[0]);
    batch_free(&bat[1]);
    sym_memo_free(memo);
    /* Runs the old store had and the tree no longer has: kept, marked vanished. */
    if (!rc && opt->shard_count <= 1) {
        for (int k = 0; k < old.n; k++) {
            if (old.seen[k]) continue;
            char name[32];
            snprintf(name, sizeof name, "r%07d", n_written++);
            if (campaign_index_copy_vanished(&old, k, runs_g, name, err)) {
                rc = err->code;
                break;
            }
            sum->n_vanished++;
        }
    }
    if (opt->progress && total) fputc('\n', stderr);
    if (runs_g >= 0) H5Gclose(runs_g);
    if (file >= 0) {
        H5Fflush(file, H5F_SCOPE_GLOBAL);
        H5Fclose(file);
    }
    campaign_index_close(&old);
    campaign_list_free(&list);
    if (!rc) rc = campaign_store_commit(tmp_path, store_path, err);
    else unlink(tmp_path);
    flock(lock_fd, LOCK_UN);
    close(lock_fd);
    sum->seconds = now_seconds() - t0;
    return rc;
}
