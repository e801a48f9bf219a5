/* report_tables: ranking.json (everything, machine-readable) and ranking.csv (one row per
 * candidate), plus the small helpers the writers share. */
#include "screen/json_text.h"
#include "screen/report.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

const char *report_method_name(score_method m)
{
    return m == SCORE_PARETO ? "pareto" : m == SCORE_LEXICOGRAPHIC ? "lexicographic" : "weighted";
}

int report_rank_of(const rank_result *r, int c)
{
    for (int i = 0; i < r->ranking.n_ranked; i++)
        if (r->ranking.order[i] == c) return i + 1;
    return 0;
}

const char *report_status(const rank_result *r, int c)
{
    if (report_rank_of(r, c)) return "ranked";
    int k = r->ranking.why[c];
    int d = k >= 0 ? r->rec.criteria[k].descriptor : -1;
    if (d >= 0 && r->values[c * r->rec.n_descriptors + d].excluded) return "excluded";
    return r->ranking.status[c] == SCORE_LIMIT ? "outside limits" : "missing value";
}

const char *report_goal_text(const score_criterion *c, char *buf, size_t n)
{
    if (c->goal == SCORE_TARGET) snprintf(buf, n, "target [%g, %g]", c->target_lo, c->target_hi);
    else snprintf(buf, n, "%s", c->goal == SCORE_MAXIMIZE ? "maximize" : "minimize");
    if (isfinite(c->limit_min) || isfinite(c->limit_max)) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, ", limits [%g, %g]", c->limit_min, c->limit_max);
    }
    return buf;
}

static cJSON *num_or_null(double v) { return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull(); }

static cJSON *split_paths(const char *joined)
{
    cJSON *a = cJSON_CreateArray();
    for (const char *p = joined; *p;) {
        const char *e = strchr(p, ';');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        char one[1024];
        snprintf(one, sizeof one, "%.*s", (int)l, p);
        cJSON_AddItemToArray(a, cJSON_CreateString(one));
        p += l + (e ? 1 : 0);
    }
    return a;
}

/* The reason a candidate is not ranked: the excluded descriptor's reason, or the limit. */
static void candidate_reason(const rank_result *r, int c, char *buf, size_t n)
{
    buf[0] = '\0';
    int k = r->ranking.why[c];
    if (k < 0) return;
    const recipe_criterion *cr = &r->rec.criteria[k];
    const recipe_descriptor *x = &r->rec.descriptors[cr->descriptor];
    const rank_value *v = &r->values[c * r->rec.n_descriptors + cr->descriptor];
    if (r->ranking.status[c] == SCORE_LIMIT)
        snprintf(buf, n, "%s = %g %s is outside the limits [%g, %g]", x->name, v->value, x->unit, cr->c.limit_min,
                 cr->c.limit_max);
    else snprintf(buf, n, "%s: %s", x->name, v->reason[0] ? v->reason : "not available");
}

int report_write_json(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    cJSON *j = cJSON_CreateObject();
    cJSON *ro = cJSON_AddObjectToObject(j, "recipe");
    cJSON_AddStringToObject(ro, "name", rec->name);
    cJSON_AddStringToObject(ro, "file", rec->file);
    cJSON_AddStringToObject(ro, "description", rec->description);
    cJSON_AddStringToObject(ro, "method", report_method_name(rec->method));
    cJSON_AddNumberToObject(ro, "top_k", rec->top_k);
    cJSON_AddNumberToObject(ro, "samples", rec->samples);
    cJSON_AddNumberToObject(ro, "seed", (double)rec->seed);
    cJSON_AddBoolToObject(ro, "allow_unconverged", rec->allow_unconverged);
    cJSON_AddBoolToObject(ro, "allow_inconsistent", rec->allow_inconsistent);
    cJSON_AddStringToObject(j, "source", r->source);
    cJSON *ds = cJSON_AddArrayToObject(j, "descriptors");
    for (int d = 0; d < rec->n_descriptors; d++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", rec->descriptors[d].name);
        cJSON_AddStringToObject(o, "kind", recipe_kind_name(rec->descriptors[d].kind));
        cJSON_AddStringToObject(o, "unit", rec->descriptors[d].unit);
        cJSON_AddNumberToObject(o, "uncertainty", rec->descriptors[d].uncertainty);
        cJSON_AddItemToArray(ds, o);
    }
    cJSON *cs = cJSON_AddArrayToObject(j, "criteria");
    for (int k = 0; k < rec->n_criteria; k++) {
        const score_criterion *c = &rec->criteria[k].c;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "descriptor", rec->descriptors[rec->criteria[k].descriptor].name);
        cJSON_AddStringToObject(o, "goal", c->goal == SCORE_TARGET ? "target" : c->goal == SCORE_MAXIMIZE ? "maximize" : "minimize");
        if (c->goal == SCORE_TARGET) {
            double t[2] = {c->target_lo, c->target_hi};
            cJSON_AddItemToObject(o, "target", cJSON_CreateDoubleArray(t, 2));
        }
        cJSON_AddNumberToObject(o, "weight", c->weight);
        cJSON_AddItemToObject(o, "min", num_or_null(c->limit_min));
        cJSON_AddItemToObject(o, "max", num_or_null(c->limit_max));
        cJSON_AddItemToArray(cs, o);
    }
    cJSON *ca = cJSON_AddArrayToObject(j, "candidates");
    for (int i = 0; i < rec->n_candidates; i++) {
        int c = r->ranking.order[i];
        cJSON *o = cJSON_CreateObject();
        int rank = report_rank_of(r, c);
        cJSON_AddItemToObject(o, "rank", rank ? cJSON_CreateNumber(rank) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "name", rec->candidates[c].name);
        if (rec->candidates[c].note[0]) cJSON_AddStringToObject(o, "note", rec->candidates[c].note);
        cJSON_AddStringToObject(o, "status", report_status(r, c));
        char why[1200];
        candidate_reason(r, c, why, sizeof why);
        if (why[0]) cJSON_AddStringToObject(o, "reason", why);
        cJSON_AddItemToObject(o, "score", num_or_null(r->ranking.score[c]));
        cJSON_AddItemToObject(o, "pareto_front", r->ranking.front[c] ? cJSON_CreateNumber(r->ranking.front[c]) : cJSON_CreateNull());
        cJSON_AddNumberToObject(o, "top_k_probability", r->top_k_probability[c]);
        cJSON *vals = cJSON_AddObjectToObject(o, "descriptors");
        int provisional = 0;
        for (int d = 0; d < rec->n_descriptors; d++) {
            const rank_value *v = &r->values[c * rec->n_descriptors + d];
            cJSON *vo = cJSON_CreateObject();
            cJSON_AddItemToObject(vo, "value", num_or_null(v->value));
            cJSON_AddStringToObject(vo, "unit", rec->descriptors[d].unit);
            cJSON_AddBoolToObject(vo, "excluded", v->excluded);
            cJSON_AddBoolToObject(vo, "provisional", v->provisional);
            if (v->reason[0]) cJSON_AddStringToObject(vo, "reason", v->reason);
            cJSON_AddItemToObject(vo, "runs", split_paths(v->provenance));
            cJSON_AddItemToObject(vals, rec->descriptors[d].name, vo);
            provisional |= v->provisional;
        }
        cJSON_AddBoolToObject(o, "provisional", provisional);
        cJSON *runs = cJSON_AddObjectToObject(o, "runs");
        for (int k = 0; k < rec->candidates[c].n_runs; k++)
            cJSON_AddStringToObject(runs, rec->candidates[c].runs[k].role, r->runs[r->cand_run[c * RECIPE_MAX_ROLES + k]].path);
        cJSON_AddItemToArray(ca, o);
    }
    cJSON *refs = cJSON_AddObjectToObject(j, "references");
    for (int k = 0; k < rec->n_references; k++)
        cJSON_AddStringToObject(refs, rec->references[k].role, r->runs[r->ref_run[k]].path);
    cJSON *bad = cJSON_AddArrayToObject(j, "unreadable_runs");
    for (int i = 0; i < r->n_runs; i++)
        if (r->runs[i].read_rc) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "path", r->runs[i].path);
            cJSON_AddStringToObject(o, "error", r->runs[i].error);
            cJSON_AddItemToArray(bad, o);
        }
    cJSON *w = cJSON_AddArrayToObject(j, "warnings");
    for (int i = 0; i < r->n_warnings; i++) cJSON_AddItemToArray(w, cJSON_CreateString(r->warnings[i]));
    char *text = json_text_print(j, 1);
    int rc = text && fputs(text, f) >= 0 && fputc('\n', f) != EOF ? DS_OK : DS_EIO;
    cJSON_free(text);
    cJSON_Delete(j);
    return rc;
}

/* RFC 4180 field: quoted when it holds a comma, quote or newline. */
static void csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else fputs(s, f);
    fputc(last ? '\n' : ',', f);
}

int report_write_csv(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    char buf[1400];
    fputs("rank,candidate,status,score,pareto_front,top_k_probability,", f);
    for (int d = 0; d < rec->n_descriptors; d++) {
        snprintf(buf, sizeof buf, "%s%s%s", rec->descriptors[d].name, rec->descriptors[d].unit[0] ? "_" : "",
                 rec->descriptors[d].unit);
        for (char *p = buf; *p; p++)
            if (*p == '/') *p = '_';
        csv_field(f, buf, 0);
    }
    fputs("provisional,reason,runs\n", f);
    for (int i = 0; i < rec->n_candidates; i++) {
        int c = r->ranking.order[i], rank = report_rank_of(r, c);
        if (rank) fprintf(f, "%d,", rank);
        else fputc(',', f);
        csv_field(f, rec->candidates[c].name, 0);
        csv_field(f, report_status(r, c), 0);
        if (isfinite(r->ranking.score[c])) fprintf(f, "%.6f,", r->ranking.score[c]);
        else fputc(',', f);
        if (r->ranking.front[c]) fprintf(f, "%d,", r->ranking.front[c]);
        else fputc(',', f);
        fprintf(f, "%.4f,", r->top_k_probability[c]);
        int provisional = 0;
        char runs[4096] = "";
        for (int d = 0; d < rec->n_descriptors; d++) {
            const rank_value *v = &r->values[c * rec->n_descriptors + d];
            if (isfinite(v->value)) fprintf(f, "%.17g,", v->value);
            else fputc(',', f);
            provisional |= v->provisional;
        }
        for (int k = 0; k < rec->candidates[c].n_runs; k++) {
            size_t l = strlen(runs);
            snprintf(runs + l, sizeof runs - l, "%s%s=%s", k ? ";" : "", rec->candidates[c].runs[k].role,
                     r->runs[r->cand_run[c * RECIPE_MAX_ROLES + k]].path);
        }
        fputs(provisional ? "yes," : "no,", f);
        candidate_reason(r, c, buf, sizeof buf);
        csv_field(f, buf, 0);
        csv_field(f, runs, 1);
    }
    return ferror(f) ? DS_EIO : DS_OK;
}

static int write_one(const rank_result *r, const char *outdir, const char *name, int (*fn)(const rank_result *, FILE *),
                     ds_err *err)
{
    char path[1200], tmp[1300];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return ds_err_set(err, DS_EIO, tmp, 0, "cannot write: %s", strerror(errno));
    int rc = fn(r, f);
    if (fclose(f) != 0) rc = DS_EIO;
    if (!rc && rename(tmp, path) != 0) rc = DS_EIO;
    if (rc) {
        remove(tmp);
        return ds_err_set(err, DS_EIO, path, 0, "writing failed (disk full?)");
    }
    return DS_OK;
}

int report_write_all(const rank_result *r, const char *outdir, ds_err *err)
{
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
        return ds_err_set(err, DS_EIO, outdir, 0, "cannot create the output folder: %s", strerror(errno));
    int rc = write_one(r, outdir, "ranking.json", report_write_json, err);
    if (!rc) rc = write_one(r, outdir, "ranking.csv", report_write_csv, err);
    if (!rc) rc = write_one(r, outdir, "report.md", report_write_md, err);
    if (!rc) rc = write_one(r, outdir, "report.html", report_write_html, err);
    return rc;
}
