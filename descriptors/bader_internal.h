/* bader_internal: what descriptors/bader.c shares with its two partition methods
 * (bader_neargrid.c, bader_weight.c): the grid geometry, a deterministic thread pool and the
 * basins a method hands back.  Not part of the public API. */
#ifndef DS_BADER_INTERNAL_H
#define DS_BADER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "descriptors/bader.h"

#define BDR_VACUUM (-1)

/* The grid a method partitions.  Points are numbered in grid.h order (third axis fastest),
 * which is also the order in which the Fortran program visits them. */
typedef struct {
    int n[3];
    size_t npts;
    const double *ref;        /* values whose basins are found (the reference, or the density) */
    const double *chg;        /* values integrated over the basins */
    const unsigned char *vac; /* 1 for vacuum points, NULL when vacuum is off */
    double voxel[3][3];       /* rows: the grid step along each axis, Cartesian (A) */
    int n_threads;
    int compat;               /* BADER_COMPAT_* bits */
} bdr_grid;

/* Basins as a method returns them.  label[p] is the basin a point counts for in the atom
 * assignment and the surface distance (neargrid: its basin; weight: the basin of its largest
 * flux), BDR_VACUUM for vacuum. */
typedef struct {
    int32_t *label;           /* npts, owned */
    int n_basins;
    size_t *max_index;        /* grid point of each maximum, owned */
    size_t *attractor_index;  /* point used to pick the basin's atom (= max_index unless compat), owned */
    double *charge_sum;       /* sum of chg (weighted) per basin, owned */
    double *points;           /* grid points (weighted) per basin, owned */
    double vac_charge_sum, vac_points;
} bdr_basins;

int bdr_neargrid(const bdr_grid *g, bdr_basins *out, ds_err *err);
int bdr_weight(const bdr_grid *g, bdr_basins *out, ds_err *err);
void bdr_basins_free(bdr_basins *b);

/* Runs fn(ctx, task, thread) for task = 0..n_tasks-1 on n_threads threads (tasks handed out
 * in order; thread in 0..n_threads-1 indexes per-thread scratch).  Results must not depend on
 * which thread ran a task. */
void bdr_parallel(int n_threads, int n_tasks, void (*fn)(void *ctx, int task, int thread), void *ctx);

/* Sums chg and point counts per basin from labels, in a fixed block order (the result does
 * not depend on the number of threads). */
int bdr_sum_labels(const bdr_grid *g, bdr_basins *b);

/* The points one walk has visited (a small hash set, reused across walks). */
typedef struct {
    uint32_t *key, *gen, *path;
    size_t cap, n, path_cap;
    uint32_t cur;
} bdr_visit;

int bdr_visit_reset(bdr_visit *v);             /* empties the set; -1 out of memory */
int bdr_visit_has(const bdr_visit *v, uint32_t p);
int bdr_visit_add(bdr_visit *v, uint32_t p);   /* -1 out of memory */
void bdr_visit_free(bdr_visit *v);

/* Neighbour index with periodic wrap along one axis. */
static inline int bdr_wrap(int i, int n)
{
    return i < 0 ? i + n : (i >= n ? i - n : i);
}

#endif
