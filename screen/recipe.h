/* recipe: a screening workflow read from JSON (cJSON) and validated before any run is
 * read.  A recipe names the candidates and the runs of each (by role: "complex", "ion",
 * ...), shared reference runs ("@dmf" in a term), the descriptors to compute, the criteria
 * and the ranking method.  Every error names the recipe file and the JSON path of the
 * problem ("candidates[2].runs.complex: ...").  The format is documented in
 * workflows/README.md and `dftscreen help rank`. */
#ifndef DS_RECIPE_H
#define DS_RECIPE_H

#include "descriptors/score.h"
#include "parsers/io.h"

#define RECIPE_NAME 64
#define RECIPE_PATH 512
#define RECIPE_MAX_ROLES 16
#define RECIPE_MAX_TERMS 16
#define RECIPE_MAX_DESCRIPTORS 32

typedef struct {
    char role[RECIPE_NAME];
    char path[RECIPE_PATH]; /* relative to the root (or absolute); may hold glob characters */
} recipe_run;

typedef struct {
    char name[128];
    int n_runs;
    recipe_run runs[RECIPE_MAX_ROLES];
    char json_path[64];     /* "candidates[3]" or "candidates_from" (for messages) */
    char note[512];         /* the recipe's "note" on this candidate, shown in the reports; "" */
} recipe_candidate;

typedef enum {
    RD_REACTION, /* sum of coefficient x energy over runs */
    RD_DBAND,    /* d-band family quantity of selected atoms */
    RD_HOMO, RD_LUMO, RD_GAP,
    RD_CHARGE_TRANSFER, /* electrons gained by the selected atoms: -sum of their net charges */
    RD_NET_CHARGE,      /* sum of the net charges of the selected atoms */
    RD_SCALAR,          /* any number of the run's `show --json` object, by key */
    RD_COMBINE          /* sum of coefficient x other descriptors (same unit) */
} recipe_desc_kind;

typedef struct {
    char name[RECIPE_NAME]; /* a role, "@reference", or (combine) a descriptor name */
    double coefficient;
} recipe_term;

typedef struct {
    char name[RECIPE_NAME];
    recipe_desc_kind kind;
    char unit[16];          /* "eV", "kcal/mol", "kJ/mol" for energies; "e"; "" */
    double to_unit;         /* factor from the internal unit (eV or e) to `unit` */
    double uncertainty;     /* in `unit` */
    int n_terms;
    recipe_term terms[RECIPE_MAX_TERMS];
    char run[RECIPE_NAME];  /* role (or @reference) for single-run descriptors */
    char atoms[256];        /* selection (dband, charges) */
    char orbital[16];       /* dband */
    char spin[8];           /* "both", "up", "down" */
    char quantity[24];      /* dband: center, width, filling, skewness, kurtosis, upper_edge */
    char method[24];        /* charges: mulliken, hirshfeld, bader */
    char key[64];           /* scalar: show --json key */
    char bsse[RECIPE_NAME]; /* reaction: role (or @reference) of a CP2K counterpoise run; "" none */
    double emin, emax;      /* dband window relative to E_F */
    double broadening_eV;
    int is_energy;          /* reaction, dband energies, orbitals (eV-based) */
    int unit_given, uncertainty_given;
} recipe_descriptor;

typedef struct {
    int descriptor;         /* index into descriptors */
    score_criterion c;      /* in the descriptor's unit */
} recipe_criterion;

typedef struct {
    char file[RECIPE_PATH];
    char name[128];
    char description[1024];
    int allow_unconverged, allow_inconsistent;
    int n_references;
    recipe_run references[RECIPE_MAX_ROLES];
    int n_candidates;
    recipe_candidate *candidates;   /* owned */
    char from_glob[RECIPE_PATH];    /* candidates_from: pattern; "" when absent */
    int n_from_runs;
    recipe_run from_runs[RECIPE_MAX_ROLES]; /* "{}" stands for the matched path */
    int n_descriptors;
    recipe_descriptor descriptors[RECIPE_MAX_DESCRIPTORS];
    int order[RECIPE_MAX_DESCRIPTORS]; /* evaluation order (combine after its inputs) */
    int n_criteria;
    recipe_criterion criteria[RECIPE_MAX_DESCRIPTORS];
    score_method method;
    int top_k, samples;
    unsigned long long seed;
} recipe;

/* Reads and validates path.  DS_EFORMAT for malformed JSON (with the line), DS_EUSAGE for
 * a recipe that is valid JSON but wrong (with the JSON path). */
int recipe_read(const char *path, recipe *r, ds_err *err);
/* The same from text (path only names it in messages). */
int recipe_parse(const char *text, const char *path, recipe *r, ds_err *err);
void recipe_free(recipe *r);
/* Adds a candidate (used to expand candidates_from); DS_ENOMEM on failure. */
int recipe_add_candidate(recipe *r, const recipe_candidate *c);
/* Index of a descriptor by name, -1 when absent. */
int recipe_descriptor_index(const recipe *r, const char *name);
const char *recipe_kind_name(recipe_desc_kind k);

#endif
