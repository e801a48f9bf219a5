/* rank_eval: computes every descriptor of every candidate from its runs (reaction
 * energies through the consistency guard, d-band family, frontier orbitals, charges,
 * stored scalars, combinations), then ranks the candidates and estimates their top-k
 * probability (descriptors/score.h). */
#include "screen/rank.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/charge_transfer.h"
#include "descriptors/orbitals.h"
#include "descriptors/reaction.h"
#include "screen/run_dband.h"
#include "screen/run_json.h"
#include "structures/cell.h"
#include "structures/select.h"

static int role_run(const rank_result *r, int c, const char *role);
static void eval_descriptor(rank_result *r, int c, int d);
static int check_run_quality(rank_result *r, int c, const rank_run *rr, rank_value *v);

/* Index into r->runs of a role ("complex") or a reference ("@dmf"); -1 when absent. */
static int role_run(const rank_result *r, int c, const char *role)
{
    if (role[0] == '@') {
        for (int k = 0; k < r->rec.n_references; k++)
            if (!strcmp(r->rec.references[k].role, role + 1)) return r->ref_run[k];
        return -1;
    }
    const recipe_candidate *cand = &r->rec.candidates[c];
    for (int k = 0; k < cand->n_runs; k++)
        if (!strcmp(cand->runs[k].role, role)) return r->cand_run[c * RECIPE_MAX_ROLES + k];
    return -1;
}

static void add_provenance(rank_value *v, const char *path)
{
    size_t l = strlen(v->provenance);
    if (strstr(v->provenance, path)) return;
    snprintf(v->provenance + l, sizeof v->provenance - l, "%s%s", l ? ";" : "", path);
}

static void append_reason(rank_value *v, const char *text)
{
    size_t l = strlen(v->reason);
    if (strstr(v->reason, text)) return;
    snprintf(v->reason + l, sizeof v->reason - l, "%s%s", l ? "; " : "", text);
}

static void exclude(rank_value *v, const char *text)
{
    v->value = NAN;
    v->excluded = 1;
    append_reason(v, text);
}

/* A run that could not be read excludes; an unconverged SCF or a truncated output
 * excludes unless the recipe allows it (then provisional); an unconverged geometry is
 * provisional.  Returns 1 when the value may be computed. */
static int check_run_quality(rank_result *r, int c, const rank_run *rr, rank_value *v)
{
    char msg[1200];
    add_provenance(v, rr->path);
    if (rr->read_rc) {
        snprintf(msg, sizeof msg, "unreadable run: %s", rr->error);
        exclude(v, msg);
        return 0;
    }
    const ds_run *run = &rr->run;
    int bad_scf = run->converged_electronic == 0, cut = run->truncated > 0;
    if (bad_scf || cut) {
        snprintf(msg, sizeof msg, "%s: %s", rr->path, bad_scf ? "SCF not converged" : "output truncated (job killed?)");
        if (!r->rec.allow_unconverged) {
            exclude(v, msg);
            return 0;
        }
        v->provisional = 1;
        append_reason(v, msg);
        rank_add_warning(r, "%s: %s used because the recipe allows unconverged runs (candidate %s)", rr->path,
                         bad_scf ? "SCF not converged" : "truncated output", r->rec.candidates[c].name);
    }
    if (run->converged_ionic == 0) {
        snprintf(msg, sizeof msg, "%s: geometry not converged", rr->path);
        v->provisional = 1;
        append_reason(v, msg);
    }
    return 1;
}

/* Adds the counterpoise correction of the recipe's BSSE run to a reaction energy; the BSSE
 * run passes the same quality checks and consistency guard as the reaction's runs. */
static void apply_bsse(rank_result *r, int c, const recipe_descriptor *x, const ds_run **rp, rank_value *v)
{
    const rank_run *rr = &r->runs[role_run(r, c, x->bsse)];
    if (!check_run_quality(r, c, rr, v)) return;
    rp[x->n_terms] = &rr->run;
    consistency_report rep;
    memset(&rep, 0, sizeof rep);
    char buf[1400];
    if (consistency_check(rp, x->n_terms + 1, &rep)) {
        exclude(v, "out of memory");
        return;
    }
    for (int i = 0; i < rep.n_findings; i++) {
        if (rep.findings[i].run_a != x->n_terms && rep.findings[i].run_b != x->n_terms) continue;
        consistency_format(&rep, rp, i, buf, sizeof buf);
        if (rep.findings[i].level == CONSISTENCY_REFUSE && !r->rec.allow_inconsistent) {
            char msg[1500];
            snprintf(msg, sizeof msg, "counterpoise run cannot be combined: %.1400s", buf);
            exclude(v, msg);
            consistency_report_free(&rep);
            return;
        }
        rank_add_warning(r, "%s / %s (bsse): %s", r->rec.candidates[c].name, x->name, buf);
        if (rep.findings[i].level == CONSISTENCY_REFUSE) v->provisional = 1, append_reason(v, buf);
    }
    consistency_report_free(&rep);
    double corr_eV;
    if (rank_bsse_correction(&rr->run, &corr_eV, buf, sizeof buf) != DS_OK) {
        exclude(v, buf);
        return;
    }
    v->value += corr_eV * x->to_unit;
}

static void eval_reaction(rank_result *r, int c, const recipe_descriptor *x, rank_value *v)
{
    reaction_term terms[RECIPE_MAX_TERMS];
    const ds_run *rp[RECIPE_MAX_TERMS + 1];
    for (int t = 0; t < x->n_terms; t++) {
        const rank_run *rr = &r->runs[role_run(r, c, x->terms[t].name)];
        if (!check_run_quality(r, c, rr, v)) return;
        terms[t].run = &rr->run;
        terms[t].coefficient = x->terms[t].coefficient;
        rp[t] = &rr->run;
    }
    int flags = (r->rec.allow_unconverged ? REACTION_ALLOW_UNCONVERGED : 0) |
                (r->rec.allow_inconsistent ? REACTION_ALLOW_INCONSISTENT : 0);
    reaction_result res;
    memset(&res, 0, sizeof res);
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (reaction_energy(terms, x->n_terms, flags, &res, &err) != DS_OK) {
        exclude(v, ds_err_format(&err, buf, sizeof buf));
    } else {
        v->value = res.energy_eV * x->to_unit;
        for (int i = 0; i < res.consistency.n_findings; i++) {
            consistency_format(&res.consistency, rp, i, buf, sizeof buf);
            rank_add_warning(r, "%s / %s: %s", r->rec.candidates[c].name, x->name, buf);
            if (res.consistency.findings[i].level == CONSISTENCY_REFUSE) v->provisional = 1, append_reason(v, buf);
        }
        for (int i = 0; i < res.n_warnings; i++)
            rank_add_warning(r, "%s / %s: %s", r->rec.candidates[c].name, x->name, res.warnings[i]);
        if (x->bsse[0]) apply_bsse(r, c, x, rp, v);
    }
    reaction_result_free(&res);
}

static void eval_dband(const recipe_descriptor *x, const ds_run *run, rank_value *v)
{
    run_dband_opts o = {x->atoms, x->orbital, x->emin, x->emax, x->broadening_eV, 0};
    run_dband_out out;
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (run_dband(run, &o, NULL, &out, &err) != DS_OK) {
        exclude(v, ds_err_format(&err, buf, sizeof buf));
        return;
    }
    int s = !strcmp(x->spin, "up") ? 1 : !strcmp(x->spin, "down") ? 2 : 0;
    if (!out.have[s]) {
        exclude(v, s ? "the run has no such spin channel (not spin-polarised?)" : "no states in the window");
        return;
    }
    const dband_result *d = &out.res[s];
    double q = !strcmp(x->quantity, "center")       ? d->center_eV
               : !strcmp(x->quantity, "width")      ? d->width_eV
               : !strcmp(x->quantity, "filling")    ? d->filling
               : !strcmp(x->quantity, "skewness")   ? d->skewness
               : !strcmp(x->quantity, "kurtosis")   ? d->kurtosis
                                                    : d->upper_edge_eV;
    v->value = x->is_energy ? q * x->to_unit : q;
}

static void eval_orbital(const recipe_descriptor *x, const ds_run *run, rank_value *v)
{
    orbitals_result o;
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (orbitals_of_run(run, 1e-8, &o, NULL, &err) != DS_OK) {
        exclude(v, ds_err_format(&err, buf, sizeof buf));
        return;
    }
    double e = x->kind == RD_HOMO ? o.homo_eV : x->kind == RD_LUMO ? o.lumo_eV : o.gap_eV;
    if (!isfinite(e)) exclude(v, x->kind == RD_LUMO ? "no unoccupied level printed" : "no occupied level");
    else v->value = e * x->to_unit;
}

static void eval_charge(const recipe_descriptor *x, const ds_run *run, rank_value *v)
{
    const run_charges *ch = NULL;
    for (int i = 0; i < run->n_charges; i++)
        if (!strcmp(run->charges[i].method, x->method)) ch = &run->charges[i];
    char buf[1400];
    if (!ch || ch->n_atoms != run->n_atoms) {
        snprintf(buf, sizeof buf, "the run has no %s charges", x->method);
        exclude(v, buf);
        return;
    }
    cell_atoms atoms;
    ds_err err;
    ds_err_clear(&err);
    unsigned char *mask = calloc((size_t)(run->n_atoms > 0 ? run->n_atoms : 1), 1);
    int rc = mask ? cell_atoms_from_run(run, &atoms, &err) : ds_err_set(&err, DS_ENOMEM, NULL, 0, "out of memory");
    if (!rc) {
        select_context ctx = {&atoms, NULL, 0};
        rc = select_atoms_ext(x->atoms, &ctx, mask, &err);
    }
    if (rc) {
        exclude(v, ds_err_format(&err, buf, sizeof buf));
        free(mask);
        return;
    }
    /* Bader populations (ACF.dat) carry no net charge: ZVAL - electrons, ZVAL from the run */
    double *net = ch->net_charge_e, *computed = NULL;
    if (!strcmp(x->method, "bader")) {
        double *zval = malloc((size_t)run->n_atoms * sizeof *zval);
        computed = malloc((size_t)run->n_atoms * sizeof *computed);
        if (!zval || !computed || charge_zval_from_run(run, run->n_atoms, NULL, zval, &err) != DS_OK) {
            exclude(v, zval && computed ? ds_err_format(&err, buf, sizeof buf) : "out of memory");
            free(zval), free(computed), free(mask);
            return;
        }
        charge_net(ch->population_e, zval, run->n_atoms, computed);
        net = computed;
        free(zval);
    }
    double sum = 0;
    for (int a = 0; a < run->n_atoms; a++)
        if (mask[a]) sum += net[a];
    free(mask);
    free(computed);
    if (!isfinite(sum)) exclude(v, "a selected atom has no charge");
    else v->value = x->kind == RD_CHARGE_TRANSFER ? -sum : sum;
}

/* "a.b.c" in the run's show --json object. */
static void eval_scalar(const recipe_descriptor *x, ds_run *run, rank_value *v)
{
    char *text = run_show_json_text(run, 1e-3, 0);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    char key[64], *save = NULL;
    snprintf(key, sizeof key, "%s", x->key);
    const cJSON *o = j;
    for (char *part = strtok_r(key, ".", &save); part && o; part = strtok_r(NULL, ".", &save))
        o = cJSON_GetObjectItemCaseSensitive(o, part);
    char buf[200];
    if (!cJSON_IsNumber(o)) {
        snprintf(buf, sizeof buf, "the run's JSON has no number '%s'", x->key);
        exclude(v, buf);
    } else v->value = o->valuedouble * x->to_unit;
    cJSON_Delete(j);
}

static void eval_combine(rank_result *r, int c, const recipe_descriptor *x, rank_value *v)
{
    int nd = r->rec.n_descriptors;
    v->value = 0;
    for (int t = 0; t < x->n_terms; t++) {
        int j = recipe_descriptor_index(&r->rec, x->terms[t].name);
        const rank_value *in = &r->values[c * nd + j];
        const recipe_descriptor *y = &r->rec.descriptors[j];
        char buf[900];
        if (in->excluded || !isfinite(in->value)) {
            snprintf(buf, sizeof buf, "needs %s: %s", y->name, in->reason[0] ? in->reason : "not available");
            exclude(v, buf);
            return;
        }
        v->value += x->terms[t].coefficient * in->value / y->to_unit * x->to_unit;
        if (in->provisional) v->provisional = 1, append_reason(v, in->reason);
        for (const char *p = in->provenance; *p;) {
            const char *e = strchr(p, ';');
            char one[1024];
            snprintf(one, sizeof one, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
            add_provenance(v, one);
            p = e ? e + 1 : p + strlen(p);
        }
    }
}

static void eval_descriptor(rank_result *r, int c, int d)
{
    const recipe_descriptor *x = &r->rec.descriptors[d];
    rank_value *v = &r->values[c * r->rec.n_descriptors + d];
    v->value = NAN;
    if (x->kind == RD_REACTION) {
        eval_reaction(r, c, x, v);
        return;
    }
    if (x->kind == RD_COMBINE) {
        eval_combine(r, c, x, v);
        return;
    }
    rank_run *rr = &r->runs[role_run(r, c, x->run)];
    if (!check_run_quality(r, c, rr, v)) return;
    switch (x->kind) {
    case RD_DBAND: eval_dband(x, &rr->run, v); break;
    case RD_HOMO:
    case RD_LUMO:
    case RD_GAP: eval_orbital(x, &rr->run, v); break;
    case RD_CHARGE_TRANSFER:
    case RD_NET_CHARGE: eval_charge(x, &rr->run, v); break;
    default: eval_scalar(x, &rr->run, v); break;
    }
}

int rank_evaluate(recipe *rec, const rank_source *src, rank_result *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    out->rec = *rec;
    memset(rec, 0, sizeof *rec); /* ownership of the candidates moves */
    snprintf(out->source, sizeof out->source, "%s %s", src->campaign ? "--campaign" : "--root",
             src->campaign ? src->campaign : src->root);
    for (int d = 0; d < out->rec.n_descriptors; d++)
        if (out->rec.descriptors[d].bsse[0] && !rank_bsse_supported())
            return ds_err_set(err, DS_EUSAGE, out->rec.file, 0,
                              "descriptors[%d].bsse: counterpoise (BSSE) correction is not yet available: this "
                              "build's CP2K reader does not read BSSE configurations (remove 'bsse' to rank "
                              "without it)", d);
    int rc = rank_resolve_runs(out, src, err);
    if (rc) return rc;
    recipe *r = &out->rec;
    int nc = r->n_candidates, nd = r->n_descriptors, nk = r->n_criteria;
    out->values = calloc((size_t)nc * nd, sizeof *out->values);
    out->criteria_values = malloc((size_t)(nc ? nc : 1) * (nk ? nk : 1) * sizeof(double));
    out->top_k_probability = calloc((size_t)(nc ? nc : 1), sizeof(double));
    if (!out->values || !out->criteria_values || !out->top_k_probability)
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    for (int c = 0; c < nc; c++)
        for (int i = 0; i < nd; i++) eval_descriptor(out, c, r->order[i]);
    score_criterion crit[RECIPE_MAX_DESCRIPTORS];
    for (int k = 0; k < nk; k++) {
        crit[k] = r->criteria[k].c;
        for (int c = 0; c < nc; c++)
            out->criteria_values[c * nk + k] = out->values[c * nd + r->criteria[k].descriptor].value;
    }
    if (score_rank(out->criteria_values, nc, crit, nk, r->method, &out->ranking) ||
        score_topk_probability(out->criteria_values, nc, crit, nk, r->method, r->top_k, r->samples, r->seed,
                               out->top_k_probability))
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    return DS_OK;
}

void rank_result_free(rank_result *r)
{
    for (int i = 0; i < r->n_runs; i++) run_free(&r->runs[i].run);
    free(r->runs);
    free(r->cand_run);
    free(r->ref_run);
    free(r->values);
    free(r->criteria_values);
    free(r->top_k_probability);
    free(r->warnings);
    score_ranking_free(&r->ranking);
    recipe_free(&r->rec);
    memset(r, 0, sizeof *r);
}
