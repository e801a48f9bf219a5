/* report_html: report.html, one self-contained page (inline CSS and SVG, no scripts, no
 * external resources): the ranking table, a bar chart per energy descriptor, the projected
 * DOS curves behind each d-band descriptor with the centres marked, a scatter of the first
 * two criteria with the Pareto front, and the top-k probability chart. */
#include "screen/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/dband.h"
#include "descriptors/pdos_select.h"
#include "screen/html.h"
#include "screen/svg.h"
#include "structures/select.h"

#define DOS_POINTS 600

static const char CSS[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;color:#222;}"
    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "td:nth-child(2),th:nth-child(2){text-align:left}.prov{color:#a15c00}.excl{color:#999}"
    "svg{display:block;margin:1em 0;max-width:100%;height:auto}" /* the charts style themselves (screen/svg.c) */
    ".note{color:#555;font-size:.9em}";

static void esc(FILE *f, const char *s)
{
    strbuf sb = {0};
    html_escape(&sb, s);
    if (sb.data) fputs(sb.data, f);
    strbuf_free(&sb);
}

/* Charts are built in memory (screen/svg.h) and copied to the page; a chart that could
 * not be built (out of memory) is left out. */
static void put_chart(FILE *f, strbuf *sb, int rc)
{
    if (rc == DS_OK && sb->data) fputs(sb->data, f);
    strbuf_free(sb);
}

static void ranking_table(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    int nd = rec->n_descriptors;
    fputs("<table><tr><th>rank</th><th>candidate</th>", f);
    for (int d = 0; d < nd; d++) {
        fputs("<th>", f);
        esc(f, rec->descriptors[d].name);
        if (rec->descriptors[d].unit[0]) {
            fputs(" (", f);
            esc(f, rec->descriptors[d].unit);
            fputs(")", f);
        }
        fputs("</th>", f);
    }
    fprintf(f, "<th>score</th><th>front</th><th>P(top %d)</th></tr>\n", rec->top_k);
    for (int i = 0; i < rec->n_candidates; i++) {
        int c = r->ranking.order[i], rank = report_rank_of(r, c);
        fputs("<tr>", f);
        if (rank) fprintf(f, "<td>%d</td><td>", rank);
        else fputs("<td class=\"excl\">&ndash;</td><td class=\"excl\">", f);
        esc(f, rec->candidates[c].name);
        fputs("</td>", f);
        for (int d = 0; d < nd; d++) {
            const rank_value *v = &r->values[c * nd + d];
            fprintf(f, "<td class=\"%s\" title=\"", v->excluded ? "excl" : v->provisional ? "prov" : "");
            esc(f, v->reason);
            if (isfinite(v->value)) fprintf(f, "\">%.4f%s</td>", v->value, v->provisional ? " (p)" : "");
            else fprintf(f, "\">%s</td>", v->excluded ? "excluded" : "n/a");
        }
        if (rank) fprintf(f, "<td>%.3f</td><td>%d</td><td>%.2f</td></tr>\n", r->ranking.score[c], r->ranking.front[c],
                          r->top_k_probability[c]);
        else {
            fputs("<td colspan=\"3\" class=\"excl\">", f);
            esc(f, report_status(r, c));
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</table><p class=\"note\">(p) provisional: an unconverged geometry or a run used under an allow flag; hover a "
          "cell for the reason.</p>\n",
          f);
}

static void energy_bars(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    int n = rec->n_candidates, nd = rec->n_descriptors;
    const char **labels = malloc((size_t)(n ? n : 1) * sizeof *labels);
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v), *e = malloc((size_t)(n ? n : 1) * sizeof *e);
    for (int d = 0; labels && v && e && d < nd; d++) {
        const recipe_descriptor *x = &rec->descriptors[d];
        if (!x->is_energy) continue;
        for (int i = 0; i < n; i++) {
            int c = r->ranking.order[i];
            labels[i] = rec->candidates[c].name;
            v[i] = r->values[c * nd + d].value;
            e[i] = x->uncertainty;
        }
        double window[2], *wp = NULL;
        for (int k = 0; k < rec->n_criteria; k++)
            if (rec->criteria[k].descriptor == d && rec->criteria[k].c.goal == SCORE_TARGET)
                window[0] = rec->criteria[k].c.target_lo, window[1] = rec->criteria[k].c.target_hi, wp = window;
        char title[160];
        snprintf(title, sizeof title, "%s (%s) per candidate, ranked order", x->name, recipe_kind_name(x->kind));
        strbuf sb = {0};
        put_chart(f, &sb, svg_bar_chart(&sb, title, x->unit, n, labels, v, e, wp));
    }
    free(labels), free(v), free(e);
}

/* The projected DOS a d-band descriptor used, relative to E_F, on a common grid. */
static int dos_curve(const ds_run *run, const recipe_descriptor *x, double *grid, double *curve)
{
    unsigned char *mask = calloc((size_t)(run->n_atoms > 0 ? run->n_atoms : 1), 1);
    ds_err err;
    int ok = mask && run->species && select_atoms(x->atoms, (const char (*)[4])run->species, run->n_atoms, mask, &err) == DS_OK;
    double lo = -10, hi = 5;
    for (int i = 0; i < DOS_POINTS; i++) grid[i] = lo + (hi - lo) * i / (DOS_POINTS - 1), curve[i] = 0;
    if (ok && run->has_dos && run->dos.n_pdos_atoms > 0) {
        int np = run->dos.n_points, ns = 0;
        double *up = malloc((size_t)np * sizeof *up), *dn = malloc((size_t)np * sizeof *dn);
        ok = up && dn && pdos_grid_sum(&run->dos, mask, run->n_atoms, x->orbital, up, dn, &ns, &err) == DS_OK;
        for (int i = 0; ok && i < DOS_POINTS; i++) { /* linear interpolation onto the grid */
            double E = grid[i] + run->fermi_eV;
            const double *en = run->dos.energies_eV;
            if (E < en[0] || E > en[np - 1]) continue;
            int j = 0;
            while (j < np - 2 && en[j + 1] < E) j++;
            double t = en[j + 1] > en[j] ? (E - en[j]) / (en[j + 1] - en[j]) : 0;
            for (int s = 0; s < ns; s++) {
                const double *y = s ? dn : up;
                curve[i] += y[j] + t * (y[j + 1] - y[j]);
            }
        }
        free(up), free(dn);
    } else if (ok) {
        double fermi = NAN;
        for (int p = 0; p < run->n_pdos_sets && !isfinite(fermi); p++) fermi = run->pdos_sets[p].fermi_eV;
        if (!isfinite(fermi)) fermi = run->fermi_eV;
        ok = 0;
        double *tmp = malloc(DOS_POINTS * sizeof *tmp);
        for (int s = 0; tmp && isfinite(fermi) && s < 2; s++) {
            double *en = NULL, *w = NULL;
            int nl = 0;
            if (pdos_levels_sum(run, mask, x->orbital, s, &en, &w, &nl, &err) != DS_OK) break;
            for (int i = 0; i < nl; i++) en[i] -= fermi;
            dband_broaden(en, w, nl, x->broadening_eV, lo, hi, DOS_POINTS, tmp);
            for (int i = 0; i < DOS_POINTS; i++) curve[i] += tmp[i];
            free(en), free(w);
            ok = 1;
        }
        free(tmp);
    }
    free(mask);
    return ok;
}

static void dos_charts(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    int nd = rec->n_descriptors;
    for (int d = 0; d < nd; d++) {
        const recipe_descriptor *x = &rec->descriptors[d];
        if (x->kind != RD_DBAND) continue;
        svg_series s[8];
        svg_marker m[8];
        double *mem = malloc(sizeof(double) * 2 * DOS_POINTS * 8);
        int ns = 0;
        for (int i = 0; mem && i < rec->n_candidates && ns < 8; i++) {
            int c = r->ranking.order[i];
            const rank_value *v = &r->values[c * nd + d];
            const char *role = x->run;
            int run_index = -1;
            if (role[0] == '@') {
                for (int k = 0; k < rec->n_references; k++)
                    if (!strcmp(rec->references[k].role, role + 1)) run_index = r->ref_run[k];
            } else
                for (int k = 0; k < rec->candidates[c].n_runs; k++)
                    if (!strcmp(rec->candidates[c].runs[k].role, role)) run_index = r->cand_run[c * RECIPE_MAX_ROLES + k];
            if (run_index < 0 || v->excluded || r->runs[run_index].read_rc) continue;
            double *g = mem + (size_t)ns * 2 * DOS_POINTS, *y = g + DOS_POINTS;
            if (!dos_curve(&r->runs[run_index].run, x, g, y)) continue;
            s[ns] = (svg_series){rec->candidates[c].name, DOS_POINTS, g, y};
            m[ns] = (svg_marker){rec->candidates[c].name, strcmp(x->quantity, "center") ? NAN : v->value / x->to_unit};
            ns++;
        }
        if (ns) {
            char title[200], yl[64];
            snprintf(title, sizeof title, "%s-projected DOS of %s (%s); dashed: d-band centres", x->orbital, x->atoms, x->name);
            snprintf(yl, sizeof yl, "PDOS (states/eV)");
            strbuf sb = {0};
            put_chart(f, &sb, svg_line_chart(&sb, title, "E - E_F (eV)", yl, ns, s, strcmp(x->quantity, "center") ? 0 : ns, m));
        }
        free(mem);
    }
}

static void scatter_and_probability(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    int n = rec->n_candidates, nd = rec->n_descriptors;
    const char **labels = malloc((size_t)(n ? n : 1) * sizeof *labels);
    double *x = malloc((size_t)(n ? n : 1) * sizeof *x), *y = malloc((size_t)(n ? n : 1) * sizeof *y);
    int *front = malloc((size_t)(n ? n : 1) * sizeof *front);
    if (labels && x && y && front && rec->n_criteria >= 2) {
        int dx = rec->criteria[0].descriptor, dy = rec->criteria[1].descriptor;
        for (int c = 0; c < n; c++) {
            labels[c] = rec->candidates[c].name;
            x[c] = r->values[c * nd + dx].value, y[c] = r->values[c * nd + dy].value;
            front[c] = r->ranking.front[c] == 1;
        }
        char xl[96], yl[96], title[240];
        snprintf(xl, sizeof xl, "%s (%s)", rec->descriptors[dx].name, rec->descriptors[dx].unit);
        snprintf(yl, sizeof yl, "%s (%s)", rec->descriptors[dy].name, rec->descriptors[dy].unit);
        snprintf(title, sizeof title, "%s vs %s; orange: Pareto front", rec->descriptors[dy].name, rec->descriptors[dx].name);
        strbuf sb = {0};
        put_chart(f, &sb, svg_scatter(&sb, title, xl, yl, n, labels, x, y, front));
    }
    if (labels && x) {
        for (int i = 0; i < n; i++) {
            int c = r->ranking.order[i];
            labels[i] = rec->candidates[c].name, x[i] = r->top_k_probability[c];
        }
        char title[120];
        snprintf(title, sizeof title, "Probability of being in the top %d (%d samples)", rec->top_k, rec->samples);
        strbuf sb = {0};
        put_chart(f, &sb, svg_probability_chart(&sb, title, n, labels, x));
    }
    free(labels), free(x), free(y), free(front);
}

int report_write_html(const rank_result *r, FILE *f)
{
    const recipe *rec = &r->rec;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    esc(f, rec->name[0] ? rec->name : "Screening report");
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>", CSS);
    esc(f, rec->name[0] ? rec->name : "Screening report");
    fputs("</h1>\n<p>", f);
    esc(f, rec->description);
    fputs("</p><p class=\"note\">Recipe <code>", f);
    esc(f, rec->file);
    fputs("</code>, runs from <code>", f);
    esc(f, r->source);
    fprintf(f, "</code>; ranking <b>%s</b>; P(top %d) from %d Monte-Carlo samples (seed %llu).</p>\n",
            report_method_name(rec->method), rec->top_k, rec->samples, rec->seed);
    fputs("<h2>Ranking</h2>\n", f);
    ranking_table(r, f);
    fputs("<h2>Charts</h2>\n", f);
    energy_bars(r, f);
    dos_charts(r, f);
    scatter_and_probability(r, f);
    int any_cnote = 0;
    for (int c = 0; c < rec->n_candidates; c++) {
        if (!rec->candidates[c].note[0]) continue;
        fputs(any_cnote++ ? "<li><b>" : "<h2>Notes on candidates</h2>\n<ul>\n<li><b>", f);
        esc(f, rec->candidates[c].name);
        fputs("</b>: ", f);
        esc(f, rec->candidates[c].note);
        fputs("</li>\n", f);
    }
    if (any_cnote) fputs("</ul>\n", f);
    fputs("<h2>Consistency guard and warnings</h2>\n<ul>\n", f);
    if (!r->n_warnings) fputs("<li>No warnings: every combined run has consistent settings.</li>\n", f);
    for (int i = 0; i < r->n_warnings; i++) {
        fputs("<li>", f);
        esc(f, r->warnings[i]);
        fputs("</li>\n", f);
    }
    for (int i = 0; i < r->n_runs; i++)
        if (r->runs[i].read_rc) {
            fputs("<li>unreadable run <code>", f);
            esc(f, r->runs[i].path);
            fputs("</code>: ", f);
            esc(f, r->runs[i].error);
            fputs("</li>\n", f);
        }
    fputs("</ul>\n<p class=\"note\">Written by dftscreen rank. Energies in eV unless stated; 1 eV = 23.060548 kcal/mol = "
          "96.485332 kJ/mol.</p>\n</body></html>\n",
          f);
    return ferror(f) ? DS_EIO : DS_OK;
}
