/* report_md: report.md — the ranking as a chemist reads it: ranked table with units,
 * every descriptor with its provenance, candidates not ranked and why, what the
 * consistency guard said, and how the ranking was made. */
#include "screen/report.h"

#include <math.h>
#include <string.h>

/* Markdown table cells: '|' and newlines would break the row. */
static void cell(FILE *f, const char *s)
{
    fputs(" ", f);
    for (; *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n') fputc(' ', f);
        else fputc(*s, f);
    }
    fputs(" |", f);
}

static void value_cell(FILE *f, const rank_value *v)
{
    char buf[64];
    if (isfinite(v->value)) snprintf(buf, sizeof buf, "%.4f%s", v->value, v->provisional ? " (p)" : "");
    else snprintf(buf, sizeof buf, "%s", v->excluded ? "excluded" : "n/a");
    cell(f, buf);
}

int report_write_md(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    int nd = rec->n_descriptors;
    char buf[1400];
    fprintf(f, "# %s\n\n", rec->name[0] ? rec->name : "Screening report");
    if (rec->description[0]) fprintf(f, "%s\n\n", rec->description);
    fprintf(f, "Recipe `%s`, runs from `%s`. Ranking: **%s**", rec->file, r->source, report_method_name(rec->method));
    fprintf(f, "; P(top %d) from %d Monte-Carlo samples (seed %llu) with each descriptor perturbed by its uncertainty.\n\n",
            rec->top_k, rec->samples, rec->seed);
    fputs("## Ranking\n\n| rank | candidate |", f);
    for (int k = 0; k < rec->n_criteria; k++) {
        const recipe_descriptor *x = &rec->descriptors[rec->criteria[k].descriptor];
        snprintf(buf, sizeof buf, "%s%s%s%s", x->name, x->unit[0] ? " (" : "", x->unit, x->unit[0] ? ")" : "");
        cell(f, buf);
    }
    fprintf(f, " score | Pareto front | P(top %d) |\n|---|---|", rec->top_k);
    for (int k = 0; k < rec->n_criteria; k++) fputs("---|", f);
    fputs("---|---|---|\n", f);
    for (int i = 0; i < r->ranking.n_ranked; i++) {
        int c = r->ranking.order[i];
        fprintf(f, "| %d |", i + 1);
        cell(f, rec->candidates[c].name);
        for (int k = 0; k < rec->n_criteria; k++) value_cell(f, &r->values[c * nd + rec->criteria[k].descriptor]);
        fprintf(f, " %.3f | %d | %.2f |\n", r->ranking.score[c], r->ranking.front[c], r->top_k_probability[c]);
    }
    fputs("\n(p) = provisional: computed from a run with an unconverged geometry, or one used under an allow flag "
          "(see below).\n",
          f);
    if (r->ranking.n_ranked >= 2) {
        int best = r->ranking.order[0];
        double p = r->top_k_probability[best];
        if (p < 0.8)
            fprintf(f, "\n**Close call:** the first candidate is in the top %d in only %.0f%% of the samples: the ranking "
                       "is not settled within the stated uncertainties.\n",
                    rec->top_k, 100 * p);
    }
    int n_not = rec->n_candidates - r->ranking.n_ranked;
    if (n_not) {
        fputs("\n## Not ranked\n\n| candidate | status | reason |\n|---|---|---|\n", f);
        for (int i = r->ranking.n_ranked; i < rec->n_candidates; i++) {
            int c = r->ranking.order[i];
            int k = r->ranking.why[c], d = k >= 0 ? rec->criteria[k].descriptor : 0;
            const rank_value *v = &r->values[c * nd + d];
            fputs("|", f);
            cell(f, rec->candidates[c].name);
            cell(f, report_status(r, c));
            if (r->ranking.status[c] == SCORE_LIMIT)
                snprintf(buf, sizeof buf, "%s = %.4f %s outside [%g, %g]", rec->descriptors[d].name, v->value,
                         rec->descriptors[d].unit, rec->criteria[k].c.limit_min, rec->criteria[k].c.limit_max);
            else snprintf(buf, sizeof buf, "%s: %s", rec->descriptors[d].name, v->reason[0] ? v->reason : "not available");
            cell(f, buf);
            fputc('\n', f);
        }
    }
    fputs("\n## Every descriptor\n\n| candidate |", f);
    for (int d = 0; d < nd; d++) {
        snprintf(buf, sizeof buf, "%s (%s%s%s)", rec->descriptors[d].name, recipe_kind_name(rec->descriptors[d].kind),
                 rec->descriptors[d].unit[0] ? ", " : "", rec->descriptors[d].unit);
        cell(f, buf);
    }
    fputs("\n|---|", f);
    for (int d = 0; d < nd; d++) fputs("---|", f);
    fputc('\n', f);
    for (int i = 0; i < rec->n_candidates; i++) {
        int c = r->ranking.order[i];
        fputs("|", f);
        cell(f, rec->candidates[c].name);
        for (int d = 0; d < nd; d++) value_cell(f, &r->values[c * nd + d]);
        fputc('\n', f);
    }
    int any_note = 0;
    for (int c = 0; c < rec->n_candidates; c++)
        for (int d = 0; d < nd; d++) {
            const rank_value *v = &r->values[c * nd + d];
            if (!v->provisional || v->excluded) continue;
            if (!any_note++) fputs("\nProvisional values:\n\n", f);
            fprintf(f, "- %s / %s: %s\n", rec->candidates[c].name, rec->descriptors[d].name, v->reason);
        }
    int any_cnote = 0;
    for (int c = 0; c < rec->n_candidates; c++) {
        if (!rec->candidates[c].note[0]) continue;
        if (!any_cnote++) fputs("\n## Notes on candidates\n\n", f);
        fprintf(f, "- **%s**: %s\n", rec->candidates[c].name, rec->candidates[c].note);
    }
    fputs("\n## Consistency guard and warnings\n\n", f);
    if (!r->n_warnings) fputs("No warnings: every combined run has consistent settings.\n", f);
    for (int i = 0; i < r->n_warnings; i++) fprintf(f, "- %s\n", r->warnings[i]);
    int unreadable = 0;
    for (int i = 0; i < r->n_runs; i++)
        if (r->runs[i].read_rc) {
            if (!unreadable++) fputs("\nRuns that could not be read:\n\n", f);
            fprintf(f, "- `%s`: %s\n", r->runs[i].path, r->runs[i].error);
        }
    fputs("\n## Criteria\n\n| descriptor | goal | weight | uncertainty |\n|---|---|---|---|\n", f);
    for (int k = 0; k < rec->n_criteria; k++) {
        const recipe_descriptor *x = &rec->descriptors[rec->criteria[k].descriptor];
        fputs("|", f);
        cell(f, x->name);
        cell(f, report_goal_text(&rec->criteria[k].c, buf, sizeof buf));
        fprintf(f, " %g | %g %s |\n", rec->criteria[k].c.weight, x->uncertainty, x->unit);
    }
    fputs("\n## Runs\n\n", f);
    for (int k = 0; k < rec->n_references; k++)
        fprintf(f, "- reference `@%s`: `%s`\n", rec->references[k].role, r->runs[r->ref_run[k]].path);
    for (int c = 0; c < rec->n_candidates; c++) {
        fprintf(f, "- %s:", rec->candidates[c].name);
        for (int k = 0; k < rec->candidates[c].n_runs; k++)
            fprintf(f, " %s `%s`%s", rec->candidates[c].runs[k].role,
                    r->runs[r->cand_run[c * RECIPE_MAX_ROLES + k]].path, k + 1 < rec->candidates[c].n_runs ? "," : "");
        fputc('\n', f);
    }
    fputs("\nEnergies in eV unless a unit says otherwise (1 eV = 23.060548 kcal/mol = 96.485332 kJ/mol; "
          "1 Ha = 27.211386245988 eV). Reaction energies are sum(coefficient x E) over the runs' final total energies "
          "(VASP energy(sigma->0), CP2K ENERGY| Total FORCE_EVAL), negative = favourable; no zero-point or thermal "
          "corrections; ",
          f);
    int n_bsse = 0;
    for (int d = 0; d < rec->n_descriptors; d++)
        if (rec->descriptors[d].bsse[0]) fprintf(f, "%s%s", n_bsse++ ? ", " : "", rec->descriptors[d].name);
    fputs(n_bsse ? " include the counterpoise (BSSE) correction of their CP2K BSSE run, the others none.\n"
                 : "no counterpoise (BSSE) correction.\n",
          f);
    return ferror(f) ? DS_EIO : DS_OK;
}
