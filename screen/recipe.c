/* recipe: JSON screening recipes, read with cJSON and validated (see recipe.h). */
#include "screen/recipe.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EV_TO_KCAL 23.060548
#define EV_TO_KJ 96.485332

static int bad(ds_err *err, const recipe *r, const char *json_path, const char *fmt, const char *a, const char *b);
static int check_keys(const cJSON *obj, const char *const *allowed, const recipe *r, const char *json_path, ds_err *err);
static int get_string(const cJSON *obj, const char *key, int required, char *dst, size_t n, const recipe *r,
                      const char *json_path, ds_err *err);
static int get_number(const cJSON *obj, const char *key, double *dst, const recipe *r, const char *json_path,
                      ds_err *err);
static int read_runs(const cJSON *obj, recipe_run *runs, int *n_runs, const recipe *r, const char *json_path,
                     ds_err *err);
static int read_candidates(const cJSON *root, recipe *r, ds_err *err);
static int read_descriptor(const cJSON *d, int i, recipe *r, ds_err *err);
static int read_criteria(const cJSON *root, recipe *r, ds_err *err);
static int read_ranking(const cJSON *root, recipe *r, ds_err *err);
static int check_roles(recipe *r, ds_err *err);
static int order_descriptors(recipe *r, ds_err *err);

static const char *const KINDS[] = {"reaction", "dband", "homo", "lumo", "gap", "charge_transfer", "net_charge",
                                    "scalar", "combine"};

const char *recipe_kind_name(recipe_desc_kind k) { return KINDS[k]; }

static int bad(ds_err *err, const recipe *r, const char *json_path, const char *fmt, const char *a, const char *b)
{
    char msg[900];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return ds_err_set(err, DS_EUSAGE, r->file, 0, "%s: %s", json_path, msg);
}

static int check_keys(const cJSON *obj, const char *const *allowed, const recipe *r, const char *json_path, ds_err *err)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++) ok = strcmp(c->string, allowed[i]) == 0;
        if (!ok) {
            char list[512] = "";
            for (int i = 0; allowed[i]; i++) {
                strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, allowed[i], sizeof list - strlen(list) - 1);
            }
            return bad(err, r, json_path, "unknown key '%s' (expected one of: %s)", c->string, list);
        }
    }
    return DS_OK;
}

static int get_string(const cJSON *obj, const char *key, int required, char *dst, size_t n, const recipe *r,
                      const char *json_path, ds_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) return required ? bad(err, r, json_path, "missing '%s' (a string)", key, NULL) : DS_OK;
    if (!cJSON_IsString(v) || !v->valuestring[0]) return bad(err, r, json_path, "'%s' must be a non-empty string", key, NULL);
    if (strlen(v->valuestring) >= n) return bad(err, r, json_path, "'%s' is too long", key, NULL);
    snprintf(dst, n, "%s", v->valuestring);
    return DS_OK;
}

static int get_number(const cJSON *obj, const char *key, double *dst, const recipe *r, const char *json_path,
                      ds_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) return DS_OK;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return bad(err, r, json_path, "'%s' must be a finite number", key, NULL);
    *dst = v->valuedouble;
    return DS_OK;
}

static int valid_name(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s == '/' || *s == '\n') return 0;
    return 1;
}

/* {"role": "path", ...} */
static int read_runs(const cJSON *obj, recipe_run *runs, int *n_runs, const recipe *r, const char *json_path,
                     ds_err *err)
{
    if (!cJSON_IsObject(obj)) return bad(err, r, json_path, "must be an object {\"role\": \"path\", ...}", NULL, NULL);
    *n_runs = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        char where[256];
        snprintf(where, sizeof where, "%s.%s", json_path, c->string);
        if (*n_runs >= RECIPE_MAX_ROLES) return bad(err, r, where, "too many runs (at most 16)", NULL, NULL);
        if (!valid_name(c->string) || strlen(c->string) >= RECIPE_NAME || c->string[0] == '@')
            return bad(err, r, where, "a role name must be a short word without '/' or a leading '@'", NULL, NULL);
        if (!cJSON_IsString(c) || !c->valuestring[0] || strlen(c->valuestring) >= RECIPE_PATH)
            return bad(err, r, where, "must be a run path (a non-empty string)", NULL, NULL);
        snprintf(runs[*n_runs].role, RECIPE_NAME, "%s", c->string);
        snprintf(runs[*n_runs].path, RECIPE_PATH, "%s", c->valuestring);
        (*n_runs)++;
    }
    if (*n_runs == 0) return bad(err, r, json_path, "names no run", NULL, NULL);
    return DS_OK;
}

int recipe_add_candidate(recipe *r, const recipe_candidate *c)
{
    recipe_candidate *m = realloc(r->candidates, (size_t)(r->n_candidates + 1) * sizeof *m);
    if (!m) return DS_ENOMEM;
    r->candidates = m;
    r->candidates[r->n_candidates++] = *c;
    return DS_OK;
}

static int read_candidates(const cJSON *root, recipe *r, ds_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "candidates");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(root, "candidates_from");
    if (list && !cJSON_IsArray(list)) return bad(err, r, "candidates", "must be an array of objects", NULL, NULL);
    int i = 0, rc;
    for (const cJSON *c = list ? list->child : NULL; c; c = c->next, i++) {
        recipe_candidate cand;
        memset(&cand, 0, sizeof cand);
        snprintf(cand.json_path, sizeof cand.json_path, "candidates[%d]", i);
        static const char *const keys[] = {"name", "runs", "note", NULL};
        if (!cJSON_IsObject(c)) return bad(err, r, cand.json_path, "must be an object with 'name' and 'runs'", NULL, NULL);
        if ((rc = check_keys(c, keys, r, cand.json_path, err))) return rc;
        if ((rc = get_string(c, "name", 1, cand.name, sizeof cand.name, r, cand.json_path, err))) return rc;
        if ((rc = get_string(c, "note", 0, cand.note, sizeof cand.note, r, cand.json_path, err))) return rc;
        for (int k = 0; k < r->n_candidates; k++)
            if (strcmp(r->candidates[k].name, cand.name) == 0)
                return bad(err, r, cand.json_path, "candidate name '%s' is used twice", cand.name, NULL);
        char where[96];
        snprintf(where, sizeof where, "%s.runs", cand.json_path);
        const cJSON *runs = cJSON_GetObjectItemCaseSensitive(c, "runs");
        if (!runs) return bad(err, r, cand.json_path, "missing 'runs'", NULL, NULL);
        if ((rc = read_runs(runs, cand.runs, &cand.n_runs, r, where, err))) return rc;
        if (recipe_add_candidate(r, &cand)) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    if (from) {
        static const char *const keys[] = {"glob", "runs", NULL};
        if (!cJSON_IsObject(from)) return bad(err, r, "candidates_from", "must be an object with 'glob' and 'runs'", NULL, NULL);
        if ((rc = check_keys(from, keys, r, "candidates_from", err))) return rc;
        if ((rc = get_string(from, "glob", 1, r->from_glob, sizeof r->from_glob, r, "candidates_from", err))) return rc;
        const cJSON *runs = cJSON_GetObjectItemCaseSensitive(from, "runs");
        if (!runs) return bad(err, r, "candidates_from", "missing 'runs' (paths with {} for the matched folder)", NULL, NULL);
        if ((rc = read_runs(runs, r->from_runs, &r->n_from_runs, r, "candidates_from.runs", err))) return rc;
        for (int k = 0; k < r->n_from_runs; k++)
            if (!strstr(r->from_runs[k].path, "{}"))
                return bad(err, r, "candidates_from.runs", "'%s' has no {} (the matched folder)", r->from_runs[k].role, NULL);
    }
    if (r->n_candidates == 0 && !r->from_glob[0])
        return bad(err, r, "candidates", "the candidate list is empty (give 'candidates' or 'candidates_from')", NULL, NULL);
    return DS_OK;
}

static int read_terms(const cJSON *d, recipe_descriptor *x, const recipe *r, const char *where, ds_err *err)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "terms");
    char w[128];
    snprintf(w, sizeof w, "%s.terms", where);
    if (!t) return bad(err, r, where, "missing 'terms' ({\"role\": coefficient, ...})", NULL, NULL);
    if (!cJSON_IsObject(t) || !t->child) return bad(err, r, w, "must be a non-empty object {\"name\": coefficient}", NULL, NULL);
    for (const cJSON *c = t->child; c; c = c->next) {
        char wk[200];
        snprintf(wk, sizeof wk, "%s.%s", w, c->string);
        if (x->n_terms >= RECIPE_MAX_TERMS) return bad(err, r, w, "too many terms (at most 16)", NULL, NULL);
        if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble) || c->valuedouble == 0)
            return bad(err, r, wk, "the coefficient must be a non-zero number", NULL, NULL);
        if (strlen(c->string) >= RECIPE_NAME) return bad(err, r, wk, "name too long", NULL, NULL);
        snprintf(x->terms[x->n_terms].name, RECIPE_NAME, "%s", c->string);
        x->terms[x->n_terms++].coefficient = c->valuedouble;
    }
    return DS_OK;
}

static int read_descriptor(const cJSON *d, int i, recipe *r, ds_err *err)
{
    char where[64];
    snprintf(where, sizeof where, "descriptors[%d]", i);
    static const char *const keys[] = {"name", "kind", "unit", "uncertainty", "terms", "run", "atoms", "orbital",
                                       "spin", "quantity", "method", "key", "window", "broadening", "to", "bsse", "note", NULL};
    if (!cJSON_IsObject(d)) return bad(err, r, where, "must be an object", NULL, NULL);
    int rc = check_keys(d, keys, r, where, err);
    if (rc) return rc;
    recipe_descriptor *x = &r->descriptors[i];
    memset(x, 0, sizeof *x);
    char kind[32];
    if ((rc = get_string(d, "name", 1, x->name, sizeof x->name, r, where, err))) return rc;
    if ((rc = get_string(d, "kind", 1, kind, sizeof kind, r, where, err))) return rc;
    int k = -1;
    for (int j = 0; j < (int)(sizeof KINDS / sizeof *KINDS); j++)
        if (strcmp(kind, KINDS[j]) == 0) k = j;
    if (k < 0)
        return bad(err, r, where, "unknown descriptor kind '%s' (known: reaction, dband, homo, lumo, gap, "
                   "charge_transfer, net_charge, scalar, combine)%s", kind, NULL);
    x->kind = (recipe_desc_kind)k;
    for (int j = 0; j < i; j++)
        if (strcmp(r->descriptors[j].name, x->name) == 0) return bad(err, r, where, "descriptor name '%s' is used twice", x->name, NULL);
    x->emin = -INFINITY, x->emax = INFINITY, x->broadening_eV = 0.1;
    snprintf(x->orbital, sizeof x->orbital, "d");
    snprintf(x->spin, sizeof x->spin, "both");
    snprintf(x->quantity, sizeof x->quantity, "center");
    snprintf(x->method, sizeof x->method, "hirshfeld");
    snprintf(x->atoms, sizeof x->atoms, "transition-metals");
    int single_run = x->kind != RD_REACTION && x->kind != RD_COMBINE;
    if (!single_run && (rc = read_terms(d, x, r, where, err))) return rc;
    if (single_run && (rc = get_string(d, "run", 1, x->run, sizeof x->run, r, where, err))) return rc;
    if ((rc = get_string(d, "orbital", 0, x->orbital, sizeof x->orbital, r, where, err))) return rc;
    if ((rc = get_string(d, "spin", 0, x->spin, sizeof x->spin, r, where, err))) return rc;
    if ((rc = get_string(d, "quantity", 0, x->quantity, sizeof x->quantity, r, where, err))) return rc;
    if ((rc = get_string(d, "method", 0, x->method, sizeof x->method, r, where, err))) return rc;
    if ((rc = get_string(d, "key", x->kind == RD_SCALAR, x->key, sizeof x->key, r, where, err))) return rc;
    if ((rc = get_string(d, "bsse", 0, x->bsse, sizeof x->bsse, r, where, err))) return rc;
    if (x->bsse[0] && x->kind != RD_REACTION)
        return bad(err, r, where, "'bsse' (a counterpoise run) belongs to reaction descriptors only", NULL, NULL);
    if ((rc = get_string(d, "atoms", 0, x->atoms, sizeof x->atoms, r, where, err))) return rc;
    if ((rc = get_string(d, "to", x->kind == RD_CHARGE_TRANSFER, x->atoms, sizeof x->atoms, r, where, err))) return rc;
    if ((rc = get_number(d, "broadening", &x->broadening_eV, r, where, err))) return rc;
    if (x->broadening_eV <= 0) return bad(err, r, where, "'broadening' must be > 0 eV", NULL, NULL);
    const cJSON *win = cJSON_GetObjectItemCaseSensitive(d, "window");
    if (win) {
        const cJSON *a = cJSON_GetArrayItem(win, 0), *b = cJSON_GetArrayItem(win, 1);
        if (!cJSON_IsArray(win) || cJSON_GetArraySize(win) != 2 || !(cJSON_IsNumber(a) || cJSON_IsNull(a)) ||
            !(cJSON_IsNumber(b) || cJSON_IsNull(b)))
            return bad(err, r, where, "'window' must be [EMIN, EMAX] in eV relative to E_F (null = open)", NULL, NULL);
        if (cJSON_IsNumber(a)) x->emin = a->valuedouble;
        if (cJSON_IsNumber(b)) x->emax = b->valuedouble;
        if (!(x->emin < x->emax)) return bad(err, r, where, "'window' needs EMIN < EMAX", NULL, NULL);
    }
    if (strcmp(x->spin, "both") && strcmp(x->spin, "up") && strcmp(x->spin, "down"))
        return bad(err, r, where, "'spin' must be both, up or down, not '%s'", x->spin, NULL);
    static const char *const quantities[] = {"center", "width", "filling", "skewness", "kurtosis", "upper_edge", NULL};
    int qok = 0;
    for (int j = 0; quantities[j]; j++) qok |= strcmp(x->quantity, quantities[j]) == 0;
    if (x->kind == RD_DBAND && !qok)
        return bad(err, r, where, "'quantity' must be center, width, filling, skewness, kurtosis or upper_edge, not '%s'",
                   x->quantity, NULL);
    if ((x->kind == RD_CHARGE_TRANSFER || x->kind == RD_NET_CHARGE) && strcmp(x->method, "mulliken") &&
        strcmp(x->method, "hirshfeld") && strcmp(x->method, "bader"))
        return bad(err, r, where, "'method' must be mulliken, hirshfeld or bader, not '%s'", x->method, NULL);
    /* units: energies in eV (or kcal/mol, kJ/mol); charges in e; d-band shape numbers none */
    x->is_energy = x->kind == RD_REACTION || x->kind == RD_HOMO || x->kind == RD_LUMO || x->kind == RD_GAP ||
                   (x->kind == RD_DBAND && (!strcmp(x->quantity, "center") || !strcmp(x->quantity, "width") ||
                                            !strcmp(x->quantity, "upper_edge")));
    int is_charge = x->kind == RD_CHARGE_TRANSFER || x->kind == RD_NET_CHARGE;
    snprintf(x->unit, sizeof x->unit, "%s", x->is_energy ? "eV" : is_charge ? "e" : "");
    x->unit_given = cJSON_GetObjectItemCaseSensitive(d, "unit") != NULL;
    x->uncertainty_given = cJSON_GetObjectItemCaseSensitive(d, "uncertainty") != NULL;
    if ((rc = get_string(d, "unit", 0, x->unit, sizeof x->unit, r, where, err))) return rc;
    x->to_unit = 1.0;
    if (x->is_energy) {
        if (!strcmp(x->unit, "kcal/mol")) x->to_unit = EV_TO_KCAL;
        else if (!strcmp(x->unit, "kJ/mol")) x->to_unit = EV_TO_KJ;
        else if (strcmp(x->unit, "eV")) return bad(err, r, where, "energy 'unit' must be eV, kcal/mol or kJ/mol, not '%s'", x->unit, NULL);
    } else if (x->kind == RD_COMBINE) {
        /* unit resolved from the inputs in check_roles */
    } else if (is_charge && strcmp(x->unit, "e"))
        return bad(err, r, where, "a charge's 'unit' is e, not '%s'", x->unit, NULL);
    x->uncertainty = x->is_energy ? 0.05 * x->to_unit : is_charge ? 0.02 : x->kind == RD_DBAND ? 0.02 : 0.0;
    if ((rc = get_number(d, "uncertainty", &x->uncertainty, r, where, err))) return rc;
    if (x->uncertainty < 0) return bad(err, r, where, "'uncertainty' must be >= 0", NULL, NULL);
    return DS_OK;
}

static int read_criteria(const cJSON *root, recipe *r, ds_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "criteria");
    if (!cJSON_IsArray(list) || !list->child)
        return bad(err, r, "criteria", "missing or empty: give at least one {\"descriptor\": ..., \"goal\": ...}", NULL, NULL);
    int i = 0, rc;
    for (const cJSON *c = list->child; c; c = c->next, i++) {
        char where[64], name[RECIPE_NAME], goal[16] = "minimize";
        snprintf(where, sizeof where, "criteria[%d]", i);
        static const char *const keys[] = {"descriptor", "goal", "target", "weight", "min", "max", "note", NULL};
        if (!cJSON_IsObject(c)) return bad(err, r, where, "must be an object", NULL, NULL);
        if (i >= RECIPE_MAX_DESCRIPTORS) return bad(err, r, where, "too many criteria", NULL, NULL);
        if ((rc = check_keys(c, keys, r, where, err))) return rc;
        if ((rc = get_string(c, "descriptor", 1, name, sizeof name, r, where, err))) return rc;
        if ((rc = get_string(c, "goal", 0, goal, sizeof goal, r, where, err))) return rc;
        recipe_criterion *k = &r->criteria[i];
        k->descriptor = recipe_descriptor_index(r, name);
        if (k->descriptor < 0) return bad(err, r, where, "no descriptor named '%s'", name, NULL);
        score_criterion *s = &k->c;
        s->goal = !strcmp(goal, "minimize") ? SCORE_MINIMIZE : !strcmp(goal, "maximize") ? SCORE_MAXIMIZE : SCORE_TARGET;
        if (strcmp(goal, "minimize") && strcmp(goal, "maximize") && strcmp(goal, "target"))
            return bad(err, r, where, "'goal' must be minimize, maximize or target, not '%s'", goal, NULL);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "target");
        if (s->goal == SCORE_TARGET) {
            const cJSON *a = cJSON_GetArrayItem(t, 0), *b = cJSON_GetArrayItem(t, 1);
            if (!cJSON_IsArray(t) || cJSON_GetArraySize(t) != 2 || !cJSON_IsNumber(a) || !cJSON_IsNumber(b) ||
                a->valuedouble > b->valuedouble)
                return bad(err, r, where, "goal 'target' needs \"target\": [LO, HI] with LO <= HI", NULL, NULL);
            s->target_lo = a->valuedouble, s->target_hi = b->valuedouble;
        } else if (t)
            return bad(err, r, where, "'target' is only for goal 'target'", NULL, NULL);
        s->weight = 1.0, s->limit_min = -INFINITY, s->limit_max = INFINITY;
        if ((rc = get_number(c, "weight", &s->weight, r, where, err))) return rc;
        if ((rc = get_number(c, "min", &s->limit_min, r, where, err))) return rc;
        if ((rc = get_number(c, "max", &s->limit_max, r, where, err))) return rc;
        if (!(s->weight > 0)) return bad(err, r, where, "'weight' must be > 0", NULL, NULL);
        if (!(s->limit_min <= s->limit_max)) return bad(err, r, where, "'min' is above 'max'", NULL, NULL);
        s->uncertainty = r->descriptors[k->descriptor].uncertainty;
        r->n_criteria++;
    }
    return DS_OK;
}

static int read_ranking(const cJSON *root, recipe *r, ds_err *err)
{
    r->method = SCORE_WEIGHTED, r->top_k = 1, r->samples = 2000, r->seed = 20261123ULL;
    const cJSON *rk = cJSON_GetObjectItemCaseSensitive(root, "ranking");
    if (!rk) return DS_OK;
    static const char *const keys[] = {"method", "top_k", "samples", "seed", "note", NULL};
    if (!cJSON_IsObject(rk)) return bad(err, r, "ranking", "must be an object", NULL, NULL);
    int rc = check_keys(rk, keys, r, "ranking", err);
    if (rc) return rc;
    char m[24] = "weighted";
    if ((rc = get_string(rk, "method", 0, m, sizeof m, r, "ranking", err))) return rc;
    if (!strcmp(m, "weighted")) r->method = SCORE_WEIGHTED;
    else if (!strcmp(m, "pareto")) r->method = SCORE_PARETO;
    else if (!strcmp(m, "lexicographic")) r->method = SCORE_LEXICOGRAPHIC;
    else return bad(err, r, "ranking.method", "must be weighted, pareto or lexicographic, not '%s'", m, NULL);
    double k = r->top_k, s = r->samples, seed = (double)r->seed;
    if ((rc = get_number(rk, "top_k", &k, r, "ranking", err)) || (rc = get_number(rk, "samples", &s, r, "ranking", err)) ||
        (rc = get_number(rk, "seed", &seed, r, "ranking", err)))
        return rc;
    if (k < 1 || k > 1e6 || k != floor(k)) return bad(err, r, "ranking.top_k", "must be a whole number >= 1", NULL, NULL);
    if (s < 0 || s > 1e6 || s != floor(s)) return bad(err, r, "ranking.samples", "must be a whole number from 0 to 1000000", NULL, NULL);
    if (seed < 0 || seed > 9e15 || seed != floor(seed)) return bad(err, r, "ranking.seed", "must be a whole number >= 0", NULL, NULL);
    r->top_k = (int)k, r->samples = (int)s, r->seed = (unsigned long long)seed;
    return DS_OK;
}

int recipe_descriptor_index(const recipe *r, const char *name)
{
    for (int i = 0; i < r->n_descriptors; i++)
        if (strcmp(r->descriptors[i].name, name) == 0) return i;
    return -1;
}

static int has_role(const recipe_run *runs, int n, const char *role)
{
    for (int i = 0; i < n; i++)
        if (strcmp(runs[i].role, role) == 0) return 1;
    return 0;
}

/* Every role a descriptor uses must exist in every candidate (or be a reference). */
static int check_one_role(const recipe *r, const char *role, const char *where, ds_err *err)
{
    if (role[0] == '@') {
        if (!has_role(r->references, r->n_references, role + 1))
            return bad(err, r, where, "'%s' names no entry of 'references'", role, NULL);
        return DS_OK;
    }
    for (int c = 0; c < r->n_candidates; c++)
        if (!has_role(r->candidates[c].runs, r->candidates[c].n_runs, role)) {
            char w[256];
            snprintf(w, sizeof w, "%s.runs", r->candidates[c].json_path);
            return bad(err, r, w, "no run for role '%s' (used by %s)", role, where);
        }
    if (r->from_glob[0] && !has_role(r->from_runs, r->n_from_runs, role))
        return bad(err, r, "candidates_from.runs", "no run for role '%s' (used by %s)", role, where);
    return DS_OK;
}

static int check_roles(recipe *r, ds_err *err)
{
    for (int i = 0; i < r->n_descriptors; i++) {
        const recipe_descriptor *x = &r->descriptors[i];
        char where[160];
        int rc;
        if (x->kind == RD_COMBINE) {
            /* A combination of energies is an energy (any energy unit); otherwise the
             * inputs must share one unit, which the result keeps. */
            recipe_descriptor *m = &r->descriptors[i];
            for (int t = 0; t < x->n_terms; t++) {
                snprintf(where, sizeof where, "descriptors[%d].terms.%s", i, x->terms[t].name);
                int j = recipe_descriptor_index(r, x->terms[t].name);
                if (j < 0) return bad(err, r, where, "no descriptor named '%s'", x->terms[t].name, NULL);
                const recipe_descriptor *y = &r->descriptors[j];
                if (t == 0) {
                    m->is_energy = y->is_energy;
                    if (!m->unit_given) snprintf(m->unit, sizeof m->unit, "%s", y->is_energy ? "eV" : y->unit);
                    if (m->is_energy) {
                        m->to_unit = !strcmp(m->unit, "kcal/mol") ? EV_TO_KCAL : !strcmp(m->unit, "kJ/mol") ? EV_TO_KJ : 1.0;
                        if (strcmp(m->unit, "eV") && m->to_unit == 1.0)
                            return bad(err, r, where, "an energy combination's unit must be eV, kcal/mol or kJ/mol, not '%s'",
                                       m->unit, NULL);
                    } else if (m->unit_given && strcmp(m->unit, y->unit))
                        return bad(err, r, where, "unit '%s' cannot be expressed in '%s'", y->unit, m->unit);
                    else m->to_unit = y->to_unit;
                    if (!m->uncertainty_given) m->uncertainty = y->uncertainty / y->to_unit * m->to_unit;
                } else if (y->is_energy != m->is_energy || (!m->is_energy && strcmp(y->unit, m->unit)))
                    return bad(err, r, where, "unit '%s' cannot be combined with '%s'", y->unit, m->unit);
            }
            continue;
        }
        if (x->kind == RD_REACTION) {
            for (int t = 0; t < x->n_terms; t++) {
                snprintf(where, sizeof where, "descriptors[%d].terms.%s", i, x->terms[t].name);
                if ((rc = check_one_role(r, x->terms[t].name, where, err))) return rc;
            }
            snprintf(where, sizeof where, "descriptors[%d].bsse", i);
            if (x->bsse[0] && (rc = check_one_role(r, x->bsse, where, err))) return rc;
        } else {
            snprintf(where, sizeof where, "descriptors[%d].run", i);
            if ((rc = check_one_role(r, x->run, where, err))) return rc;
        }
    }
    return DS_OK;
}

/* Depth-first topological order of the combine dependencies; a cycle is an error that
 * names it ("a -> b -> a"). */
static int visit(recipe *r, int i, int *state, int *stack, int depth, int *n_out, ds_err *err)
{
    if (state[i] == 2) return DS_OK;
    stack[depth] = i;
    if (state[i] == 1) {
        char chain[600] = "";
        int start = 0;
        while (stack[start] != i) start++;
        for (int k = start; k <= depth; k++) {
            strncat(chain, r->descriptors[stack[k]].name, sizeof chain - strlen(chain) - 1);
            if (k < depth) strncat(chain, " -> ", sizeof chain - strlen(chain) - 1);
        }
        char where[64];
        snprintf(where, sizeof where, "descriptors[%d].terms", i);
        return bad(err, r, where, "the descriptors depend on each other in a cycle: %s", chain, NULL);
    }
    state[i] = 1;
    recipe_descriptor *x = &r->descriptors[i];
    if (x->kind == RD_COMBINE)
        for (int t = 0; t < x->n_terms; t++) {
            int j = recipe_descriptor_index(r, x->terms[t].name);
            int rc = visit(r, j, state, stack, depth + 1, n_out, err);
            if (rc) return rc;
        }
    state[i] = 2;
    r->order[(*n_out)++] = i;
    return DS_OK;
}

static int order_descriptors(recipe *r, ds_err *err)
{
    int state[RECIPE_MAX_DESCRIPTORS] = {0}, stack[RECIPE_MAX_DESCRIPTORS + 1], n = 0;
    for (int i = 0; i < r->n_descriptors; i++) {
        int rc = visit(r, i, state, stack, 0, &n, err);
        if (rc) return rc;
    }
    return DS_OK;
}

int recipe_parse(const char *text, const char *path, recipe *r, ds_err *err)
{
    memset(r, 0, sizeof *r);
    snprintf(r->file, sizeof r->file, "%s", path);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 0);
    if (!root) {
        long line = 1, col = 1;
        for (const char *p = text; end && p < end && *p; p++) {
            if (*p == '\n') line++, col = 1;
            else col++;
        }
        return ds_err_set(err, DS_EFORMAT, path, line, "malformed JSON near column %ld (a missing comma, quote or brace?)", col);
    }
    int rc = DS_OK;
    static const char *const keys[] = {"name", "description", "allow_unconverged", "allow_inconsistent", "references",
                                       "candidates", "candidates_from", "descriptors", "criteria", "ranking", "note",
                                       NULL};
    if (!cJSON_IsObject(root)) rc = bad(err, r, "(top level)", "a recipe is a JSON object", NULL, NULL);
    if (!rc) rc = check_keys(root, keys, r, "(top level)", err);
    if (!rc) rc = get_string(root, "name", 0, r->name, sizeof r->name, r, "(top level)", err);
    if (!rc) rc = get_string(root, "description", 0, r->description, sizeof r->description, r, "(top level)", err);
    const cJSON *au = cJSON_GetObjectItemCaseSensitive(root, "allow_unconverged");
    const cJSON *ai = cJSON_GetObjectItemCaseSensitive(root, "allow_inconsistent");
    if (!rc && au && !cJSON_IsBool(au)) rc = bad(err, r, "allow_unconverged", "must be true or false", NULL, NULL);
    if (!rc && ai && !cJSON_IsBool(ai)) rc = bad(err, r, "allow_inconsistent", "must be true or false", NULL, NULL);
    r->allow_unconverged = cJSON_IsTrue(au), r->allow_inconsistent = cJSON_IsTrue(ai);
    const cJSON *refs = cJSON_GetObjectItemCaseSensitive(root, "references");
    if (!rc && refs) rc = read_runs(refs, r->references, &r->n_references, r, "references", err);
    if (!rc) rc = read_candidates(root, r, err);
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(root, "descriptors");
    if (!rc && (!cJSON_IsArray(ds) || !ds->child))
        rc = bad(err, r, "descriptors", "missing or empty: give at least one descriptor", NULL, NULL);
    int i = 0;
    for (const cJSON *d = ds ? ds->child : NULL; !rc && d; d = d->next, i++) {
        if (i >= RECIPE_MAX_DESCRIPTORS) rc = bad(err, r, "descriptors", "too many descriptors (at most 32)", NULL, NULL);
        else rc = read_descriptor(d, i, r, err);
        r->n_descriptors = i + 1;
    }
    if (!rc) rc = check_roles(r, err);
    if (!rc) rc = order_descriptors(r, err);
    if (!rc) rc = read_criteria(root, r, err);
    if (!rc) rc = read_ranking(root, r, err);
    cJSON_Delete(root);
    if (rc) recipe_free(r);
    return rc;
}

int recipe_read(const char *path, recipe *r, ds_err *err)
{
    memset(r, 0, sizeof *r);
    FILE *f = fopen(path, "rb");
    if (!f) return ds_err_set(err, DS_EIO, path, 0, "cannot open the recipe: %s", strerror(errno));
    char *text = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            if (cap > (64u << 20)) {
                free(text), fclose(f);
                return ds_err_set(err, DS_EFORMAT, path, 0, "the recipe is larger than 64 MB: not a recipe");
            }
            cap = cap ? cap * 2 : 8192;
            char *m = realloc(text, cap);
            if (!m) {
                free(text), fclose(f);
                return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
            }
            text = m;
        }
        size_t k = fread(text + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0) break;
    }
    fclose(f);
    text[n] = '\0';
    if (strlen(text) != n) {
        free(text);
        return ds_err_set(err, DS_EFORMAT, path, 0, "the recipe contains NUL bytes: not a JSON text");
    }
    int rc = recipe_parse(text, path, r, err);
    free(text);
    return rc;
}

void recipe_free(recipe *r)
{
    free(r->candidates);
    r->candidates = NULL;
    r->n_candidates = 0;
}
