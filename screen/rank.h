/* rank: a recipe (screen/recipe.h) evaluated over runs read from a folder tree (--root)
 * or from a campaign store (--campaign): every candidate's runs resolved and read once,
 * run quality checked, descriptors computed, candidates ranked (descriptors/score.h) with
 * their top-k probability.  The reports (report_*.c) only print what is here. */
#ifndef DS_RANK_H
#define DS_RANK_H

#include "parsers/run.h"
#include "screen/recipe.h"

/* One distinct run the recipe uses, read once. */
typedef struct {
    char path[1024];      /* as resolved (file system path or store path) */
    ds_run run;
    int read_rc;          /* DS_OK, or the reading error */
    char error[1024];
} rank_run;

typedef struct {
    double value;         /* in the descriptor's unit; NAN when not available */
    int excluded;         /* 1 when a run or the guard excluded it */
    int provisional;      /* computed from runs used under an allow flag, or an unconverged geometry */
    char reason[768];     /* why excluded, or the warnings behind provisional */
    char provenance[1024];/* the run paths it came from, ';'-separated */
} rank_value;

typedef struct {
    const char *root;      /* folder the recipe's paths are relative to (NULL with campaign) */
    const char *campaign;  /* HDF5 store (NULL with root) */
} rank_source;

typedef struct {
    recipe rec;                /* owned (candidates_from expanded) */
    char source[1024];         /* "--root DIR" or "--campaign FILE" (for the report) */
    int n_runs;
    rank_run *runs;            /* owned */
    int *cand_run;             /* [candidate * RECIPE_MAX_ROLES + role]: index into runs */
    int *ref_run;              /* [reference]: index into runs */
    rank_value *values;        /* [candidate * n_descriptors + descriptor] */
    double *criteria_values;   /* [candidate * n_criteria + k] (what was ranked) */
    score_ranking ranking;
    double *top_k_probability; /* per candidate */
    int n_warnings;
    char (*warnings)[1024];    /* owned */
} rank_result;

/* Evaluates rec (ownership moves into out, even on error).  DS_EUSAGE for recipe problems
 * that need the runs to see (a path matching no run or several), with the JSON path;
 * runs that exist but cannot be read exclude their candidates and are reported. */
int rank_evaluate(recipe *rec, const rank_source *src, rank_result *out, ds_err *err);
void rank_result_free(rank_result *r);

/* Counterpoise (rank_bsse.c): 1 when this build's run model holds the BSSE configuration
 * energies; the correction (eV, >= 0) of a CP2K BSSE run, or an error with why set. */
int rank_bsse_supported(void);
int rank_bsse_correction(const ds_run *run, double *correction_eV, char *why, size_t n);

/* Internal steps, in rank_runs.c. */
int rank_resolve_runs(rank_result *r, const rank_source *src, ds_err *err);
int rank_add_warning(rank_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
