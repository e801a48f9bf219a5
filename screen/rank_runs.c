/* rank_runs: finds and reads the runs a recipe names — in a folder tree (paths relative
 * to the root, glob patterns allowed) or in a campaign store (a recipe path matches a
 * stored run whose path ends with it, component by component) — expands candidates_from,
 * and reads every distinct run once. */
#include "screen/rank.h"

#include <fnmatch.h>
#include <glob.h>
#include <hdf5.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/detect.h"
#include "screen/campaign_store.h"
#include "screen/store.h"

typedef struct {
    hid_t file, runs_g;
    int n;
    char (*path)[1024];
    char (*group)[32];
} store_index;

static int store_index_open(const char *campaign, store_index *ix, ds_err *err);
static void store_index_close(store_index *ix);
static int expand_candidates_from(rank_result *r, const rank_source *src, const store_index *ix, ds_err *err);
static int resolve(rank_result *r, const rank_source *src, const store_index *ix, const char *pattern,
                   const char *json_path, int *index, ds_err *err);
static void read_run(rank_run *rr, const store_index *ix);

int rank_add_warning(rank_result *r, const char *fmt, ...)
{
    char (*w)[1024] = realloc(r->warnings, (size_t)(r->n_warnings + 1) * sizeof *w);
    if (!w) return DS_ENOMEM;
    r->warnings = w;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->n_warnings], sizeof *w, fmt, ap);
    va_end(ap);
    for (int i = 0; i < r->n_warnings; i++) /* the same warning once */
        if (strcmp(r->warnings[i], r->warnings[r->n_warnings]) == 0) return DS_OK;
    r->n_warnings++;
    return DS_OK;
}

static int has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* Number of '/'-separated components. */
static int components(const char *s)
{
    int n = 1;
    for (; *s; s++)
        if (*s == '/' && s[1]) n++;
    return n;
}

/* The last k components of path (pointer into it), or NULL when it has fewer. */
static const char *suffix_components(const char *path, int k)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') len--;
    const char *p = path + len;
    int seen = 0;
    while (p > path) {
        p--;
        if (*p == '/' && ++seen == k) return p + 1;
    }
    return seen + 1 == k ? path : NULL;
}

static int store_index_open(const char *campaign, store_index *ix, ds_err *err)
{
    memset(ix, 0, sizeof *ix);
    ix->file = campaign_store_open_read(campaign, err);
    if (ix->file < 0) return err->code ? err->code : DS_EIO;
    ix->runs_g = H5Gopen2(ix->file, "runs", H5P_DEFAULT);
    if (ix->runs_g < 0) {
        H5Fclose(ix->file);
        return ds_err_set(err, DS_EFORMAT, campaign, 0, "no /runs group: not a dftscreen campaign store");
    }
    hsize_t n = 0;
    H5Gget_num_objs(ix->runs_g, &n);
    ix->path = calloc(n ? n : 1, sizeof *ix->path);
    ix->group = calloc(n ? n : 1, sizeof *ix->group);
    if (!ix->path || !ix->group) {
        store_index_close(ix);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    for (hsize_t i = 0; i < n; i++) {
        H5Gget_objname_by_idx(ix->runs_g, i, ix->group[ix->n], sizeof ix->group[ix->n]);
        hid_t g = H5Gopen2(ix->runs_g, ix->group[ix->n], H5P_DEFAULT);
        if (g < 0) continue;
        store_get_str(g, "path", ix->path[ix->n], sizeof ix->path[ix->n]);
        if (H5Aexists(g, "vanished") <= 0 && ix->path[ix->n][0]) ix->n++;
        H5Gclose(g);
    }
    return DS_OK;
}

static void store_index_close(store_index *ix)
{
    if (ix->runs_g > 0) H5Gclose(ix->runs_g);
    if (ix->file > 0) H5Fclose(ix->file);
    free(ix->path);
    free(ix->group);
    memset(ix, 0, sizeof *ix);
}

/* Matching stored runs for a recipe path: by suffix, glob characters allowed. */
static int store_matches(const store_index *ix, const char *pattern, int *first, int *count)
{
    int k = components(pattern);
    *count = 0;
    for (int i = 0; i < ix->n; i++) {
        const char *s = suffix_components(ix->path[i], k);
        char tmp[1024];
        if (!s) continue;
        snprintf(tmp, sizeof tmp, "%s", s);
        size_t l = strlen(tmp);
        while (l > 1 && tmp[l - 1] == '/') tmp[--l] = '\0';
        if (fnmatch(pattern, tmp, FNM_PATHNAME) == 0) {
            if (!*count) *first = i;
            (*count)++;
        }
    }
    return *count;
}

static int find_or_add_run(rank_result *r, const char *path, int *index)
{
    for (int i = 0; i < r->n_runs; i++)
        if (strcmp(r->runs[i].path, path) == 0) return *index = i, DS_OK;
    rank_run *m = realloc(r->runs, (size_t)(r->n_runs + 1) * sizeof *m);
    if (!m) return DS_ENOMEM;
    r->runs = m;
    memset(&m[r->n_runs], 0, sizeof *m);
    snprintf(m[r->n_runs].path, sizeof m->path, "%s", path);
    run_init(&m[r->n_runs].run);
    m[r->n_runs].read_rc = -1; /* not read yet */
    *index = r->n_runs++;
    return DS_OK;
}

static int resolve(rank_result *r, const rank_source *src, const store_index *ix, const char *pattern,
                   const char *json_path, int *index, ds_err *err)
{
    char full[1100];
    if (ix) {
        int first = -1, count = 0;
        store_matches(ix, pattern, &first, &count);
        if (count == 0)
            return ds_err_set(err, DS_EUSAGE, r->rec.file, 0, "%s: '%s' matches no run of the campaign store %s", json_path,
                              pattern, src->campaign);
        if (count > 1)
            return ds_err_set(err, DS_EUSAGE, r->rec.file, 0,
                              "%s: '%s' matches %d runs of the campaign store (e.g. %s): make the path longer",
                              json_path, pattern, count, ix->path[first]);
        return find_or_add_run(r, ix->path[first], index) ? ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory") : DS_OK;
    }
    if (pattern[0] == '/') snprintf(full, sizeof full, "%s", pattern);
    else snprintf(full, sizeof full, "%s/%s", src->root, pattern);
    if (has_glob(pattern)) {
        glob_t g;
        int grc = glob(full, 0, NULL, &g);
        size_t n = grc == 0 ? g.gl_pathc : 0;
        if (n == 1) snprintf(full, sizeof full, "%s", g.gl_pathv[0]);
        if (grc == 0) globfree(&g);
        if (n != 1)
            return ds_err_set(err, DS_EUSAGE, r->rec.file, 0, "%s: '%s' matches %zu runs under %s (exactly one is needed)",
                              json_path, pattern, n, src->root);
    }
    struct stat st;
    if (stat(full, &st) != 0)
        return ds_err_set(err, DS_EUSAGE, r->rec.file, 0, "%s: run '%s' not found (looked for %s)", json_path, pattern, full);
    return find_or_add_run(r, full, index) ? ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory") : DS_OK;
}

static int add_from_candidate(rank_result *r, const char *middle)
{
    recipe *rec = &r->rec;
    for (int c = 0; c < rec->n_candidates; c++)
        if (strcmp(rec->candidates[c].name, middle) == 0) return DS_OK;
    recipe_candidate cand;
    memset(&cand, 0, sizeof cand);
    snprintf(cand.name, sizeof cand.name, "%s", middle);
    snprintf(cand.json_path, sizeof cand.json_path, "candidates_from");
    cand.n_runs = rec->n_from_runs;
    for (int k = 0; k < rec->n_from_runs; k++) {
        const char *t = rec->from_runs[k].path, *brace = strstr(t, "{}");
        snprintf(cand.runs[k].role, RECIPE_NAME, "%s", rec->from_runs[k].role);
        snprintf(cand.runs[k].path, RECIPE_PATH, "%.*s%s%s", (int)(brace - t), t, middle, brace + 2);
    }
    return recipe_add_candidate(rec, &cand);
}

/* candidates_from: every folder matching the glob (root), or every stored path whose
 * suffix matches the first role's template with the glob in place of {} (campaign). */
static int expand_candidates_from(rank_result *r, const rank_source *src, const store_index *ix, ds_err *err)
{
    recipe *rec = &r->rec;
    int before = rec->n_candidates;
    if (!ix) {
        char full[1100];
        snprintf(full, sizeof full, "%s/%s", src->root, rec->from_glob);
        glob_t g;
        if (glob(full, GLOB_ONLYDIR, NULL, &g) == 0) {
            size_t skip = strlen(src->root) + 1;
            for (size_t i = 0; i < g.gl_pathc; i++)
                if (strlen(g.gl_pathv[i]) > skip && add_from_candidate(r, g.gl_pathv[i] + skip)) {
                    globfree(&g);
                    return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
                }
            globfree(&g);
        }
    } else {
        const char *t = rec->from_runs[0].path, *brace = strstr(t, "{}");
        size_t pre = (size_t)(brace - t), post = strlen(brace + 2);
        for (int i = 0; i < ix->n; i++)
            for (int k = components(t); k <= components(ix->path[i]); k++) {
                const char *s = suffix_components(ix->path[i], k);
                size_t l = s ? strlen(s) : 0;
                if (!s || l <= pre + post || strncmp(s, t, pre) || strcmp(s + l - post, brace + 2)) continue;
                char middle[RECIPE_PATH];
                snprintf(middle, sizeof middle, "%.*s", (int)(l - pre - post), s + pre);
                if (fnmatch(rec->from_glob, middle, FNM_PATHNAME) == 0 && add_from_candidate(r, middle))
                    return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
            }
    }
    if (rec->n_candidates == before)
        return ds_err_set(err, DS_EUSAGE, rec->file, 0, "candidates_from.glob: '%s' matches nothing in %s", rec->from_glob,
                          ix ? src->campaign : src->root);
    return DS_OK;
}

static void read_run(rank_run *rr, const store_index *ix)
{
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (!ix) {
        rr->read_rc = run_read_path(rr->path, &rr->run, &err);
    } else {
        rr->read_rc = DS_ENODATA;
        for (int i = 0; i < ix->n; i++) {
            if (strcmp(ix->path[i], rr->path)) continue;
            hid_t g = H5Gopen2(ix->runs_g, ix->group[i], H5P_DEFAULT);
            char stored_error[1024] = "";
            store_get_str(g, "error", stored_error, sizeof stored_error);
            if (stored_error[0]) rr->read_rc = ds_err_set(&err, DS_EFORMAT, rr->path, 0, "%s", stored_error);
            else rr->read_rc = store_read_run(g, &rr->run, &err);
            H5Gclose(g);
            break;
        }
    }
    if (rr->read_rc) snprintf(rr->error, sizeof rr->error, "%s", ds_err_format(&err, buf, sizeof buf));
    else snprintf(rr->run.path, sizeof rr->run.path, "%.511s", rr->path);
}

int rank_resolve_runs(rank_result *r, const rank_source *src, ds_err *err)
{
    store_index ix;
    int use_store = src->campaign != NULL;
    if (use_store) {
        int rc = store_index_open(src->campaign, &ix, err);
        if (rc) return rc;
    }
    const store_index *pix = use_store ? &ix : NULL;
    int rc = r->rec.from_glob[0] ? expand_candidates_from(r, src, pix, err) : DS_OK;
    int nc = r->rec.n_candidates;
    r->cand_run = malloc((size_t)(nc ? nc : 1) * RECIPE_MAX_ROLES * sizeof *r->cand_run);
    r->ref_run = malloc(RECIPE_MAX_ROLES * sizeof *r->ref_run);
    if (!rc && (!r->cand_run || !r->ref_run)) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    for (int k = 0; !rc && k < r->rec.n_references; k++) {
        char where[128];
        snprintf(where, sizeof where, "references.%s", r->rec.references[k].role);
        rc = resolve(r, src, pix, r->rec.references[k].path, where, &r->ref_run[k], err);
    }
    for (int c = 0; !rc && c < nc; c++) {
        const recipe_candidate *cand = &r->rec.candidates[c];
        for (int k = 0; !rc && k < cand->n_runs; k++) {
            char where[320];
            snprintf(where, sizeof where, "%s.runs.%s", cand->json_path, cand->runs[k].role);
            if (!strcmp(cand->json_path, "candidates_from"))
                snprintf(where, sizeof where, "candidates_from.runs.%s (candidate %s)", cand->runs[k].role, cand->name);
            rc = resolve(r, src, pix, cand->runs[k].path, where, &r->cand_run[c * RECIPE_MAX_ROLES + k], err);
        }
    }
    for (int i = 0; !rc && i < r->n_runs; i++) read_run(&r->runs[i], pix);
    if (use_store) store_index_close(&ix);
    return rc;
}
