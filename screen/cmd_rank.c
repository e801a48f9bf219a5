/* cmd_rank: `dftscreen rank RECIPE.json [--root DIR | --campaign FILE] -o OUTDIR` — a
 * screening recipe evaluated and ranked; the reports written to OUTDIR. */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/commands.h"
#include "screen/rank.h"
#include "screen/report.h"

const char cmd_rank_help[] =
    "usage: dftscreen rank RECIPE.json [--root DIR | --campaign FILE.h5] -o OUTDIR [--quiet]\n"
    "\n"
    "Evaluates a screening recipe and ranks its candidates.  Runs are read from the folder\n"
    "tree DIR (default: the recipe's folder; recipe paths are relative to it, glob patterns\n"
    "allowed) or from a campaign store written by `dftscreen ingest` (a recipe path matches\n"
    "the stored run whose path ends with it).  Writes OUTDIR/report.md, report.html\n"
    "(self-contained, inline SVG charts), ranking.csv and ranking.json.\n"
    "\n"
    "Recipe (JSON; workflows/README.md documents it with examples):\n"
    "  name, description\n"
    "  references       {\"dmf\": \"dmf\"}: shared runs, used as \"@dmf\" in terms\n"
    "  candidates       [{\"name\": \"Li+\", \"runs\": {\"complex\": \"li-dmf\", \"ion\": \"li-ion\"}}, ...]\n"
    "  candidates_from  {\"glob\": \"mofs/*\", \"runs\": {\"host\": \"{}/host\", \"complex\": \"{}/host+TFSI\"}}\n"
    "  descriptors      [{\"name\", \"kind\", ...}], kinds:\n"
    "     reaction        terms {\"complex\": 1, \"ion\": -1, \"@dmf\": -1}: sum c_i E_i through the\n"
    "                     consistency guard (functional, dispersion, cutoff/ENCUT, pseudopotentials,\n"
    "                     basis sets); unit eV (default), kcal/mol or kJ/mol; \"bsse\": ROLE adds the\n"
    "                     counterpoise correction of a CP2K RUN_TYPE BSSE run (needs a CP2K reader\n"
    "                     that reads BSSE configurations; otherwise refused)\n"
    "     dband           run, atoms (selection), orbital, spin, window [EMIN, EMAX] (eV from E_F),\n"
    "                     quantity center|width|filling|skewness|kurtosis|upper_edge\n"
    "     homo, lumo, gap run\n"
    "     charge_transfer run, to (selection, e.g. molecule:DMF), method hirshfeld|mulliken|bader:\n"
    "                     electrons gained by the selection = -(sum of its net charges)\n"
    "     net_charge      run, atoms, method: sum of the net charges\n"
    "     scalar          run, key: any number of the run's `show --json` (dotted path)\n"
    "     combine         terms {\"descriptor\": coefficient, ...}\n"
    "     every kind: uncertainty (default 0.05 eV for energies, 0.02 e for charges)\n"
    "  criteria         [{\"descriptor\", \"goal\": minimize|maximize|target, \"target\": [LO, HI],\n"
    "                     \"weight\", \"min\", \"max\"}]\n"
    "  ranking          {\"method\": weighted|pareto|lexicographic, \"top_k\", \"samples\", \"seed\"}\n"
    "  allow_unconverged, allow_inconsistent   use such runs anyway (values marked provisional)\n"
    "Runs whose SCF did not converge or whose output is truncated are excluded by default\n"
    "and listed with the reason; an unconverged geometry makes a value provisional.\n";

int cmd_rank(int argc, char **argv)
{
    const char *recipe_path = NULL, *root = NULL, *campaign = NULL, *outdir = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--root") && i + 1 < argc) root = argv[++i];
        else if (!strcmp(argv[i], "--campaign") && i + 1 < argc) campaign = argv[++i];
        else if (!strcmp(argv[i], "-o") && i + 1 < argc) outdir = argv[++i];
        else if (!strcmp(argv[i], "--quiet")) quiet = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "dftscreen rank: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!recipe_path) recipe_path = argv[i];
        else {
            fprintf(stderr, "dftscreen rank: one recipe at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!recipe_path || !outdir || (root && campaign)) {
        fputs(cmd_rank_help, stderr);
        return 2;
    }
    char dir[1024];
    if (!root && !campaign) {
        snprintf(dir, sizeof dir, "%s", recipe_path);
        root = dirname(dir);
    }
    recipe rec;
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (recipe_read(recipe_path, &rec, &err) != DS_OK) {
        fprintf(stderr, "dftscreen rank: %s\n", ds_err_format(&err, buf, sizeof buf));
        return 1;
    }
    rank_source src = {campaign ? NULL : root, campaign};
    rank_result res;
    int rc = rank_evaluate(&rec, &src, &res, &err);
    if (!rc) rc = report_write_all(&res, outdir, &err);
    if (rc) {
        fprintf(stderr, "dftscreen rank: %s\n", ds_err_format(&err, buf, sizeof buf));
        rank_result_free(&res);
        return 1;
    }
    if (!quiet) {
        const recipe *r = &res.rec;
        printf("%s: %d candidate(s), %d ranked (%s)\n", r->name[0] ? r->name : recipe_path, r->n_candidates,
               res.ranking.n_ranked, report_method_name(r->method));
        for (int i = 0; i < r->n_candidates; i++) {
            int c = res.ranking.order[i], rank = report_rank_of(&res, c);
            if (rank) printf("  %2d. %-24s score %.3f  P(top %d) %.2f", rank, r->candidates[c].name, res.ranking.score[c], r->top_k,
                             res.top_k_probability[c]);
            else printf("   -. %-24s %s", r->candidates[c].name, report_status(&res, c));
            for (int k = 0; k < r->n_criteria && rank; k++) {
                const recipe_descriptor *x = &r->descriptors[r->criteria[k].descriptor];
                double v = res.values[c * r->n_descriptors + r->criteria[k].descriptor].value;
                printf("  %s %.4f %s", x->name, v, x->unit);
            }
            putchar('\n');
        }
        if (res.n_warnings) printf("%d warning(s): see %s/report.md\n", res.n_warnings, outdir);
        printf("wrote %s/report.md, report.html, ranking.csv, ranking.json\n", outdir);
    }
    rank_result_free(&res);
    return 0;
}
