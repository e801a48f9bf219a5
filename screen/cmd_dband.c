/* cmd_dband: `dftscreen dband PATH` — d-band (any orbital set) centre, width, filling,
 * skewness, kurtosis and upper edge of selected atoms, per spin and spin-summed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/dband.h"
#include "parsers/detect.h"
#include "screen/json_text.h"
#include "screen/commands.h"
#include "screen/run_dband.h"
#include <cJSON.h>

const char cmd_dband_help[] =
    "usage: dftscreen dband PATH [--atoms SEL] [--orbital d] [--spin up|down|both]\n"
    "                            [--window EMIN:EMAX] [--absolute] [--broadening SIGMA] [--json]\n"
    "\n"
    "Band-centre descriptors of the projected DOS of the selected atoms and orbitals.\n"
    "Definitions (Hammer & Norskov; identical to pymatgen CompleteDos 2022.11 on the same\n"
    "grid and window), with E measured from the Fermi level (or absolute with --absolute)\n"
    "and rho the projected DOS summed over the atoms and orbitals:\n"
    "  center_eV    int E rho dE / int rho dE                 (trapezoid rule, file's grid)\n"
    "  width_eV     sqrt of the second central moment\n"
    "  skewness     third central moment / width^3;  kurtosis  fourth / width^4\n"
    "  filling      int rho dE over grid points below E_F / int rho dE\n"
    "  upper_edge_eV  energy of the maximum of the Hilbert transform of rho (Xin et al.,\n"
    "               PRB 89, 115114 (2014)), transform over the whole grid\n"
    "The window (default: the whole grid) changes the centre by tenths of an eV, so every\n"
    "value is reported with window_eV.  spin both = up + down summed before the moments;\n"
    "noncollinear runs use the total (not m_x/m_y/m_z) projection.\n"
    "CP2K .pdos files list MO eigenvalues with weights: moments are exact weighted sums over\n"
    "the levels in the window; the upper edge comes from a Gaussian-broadened curve of width\n"
    "--broadening (default 0.1 eV).  Energies are relative to E(Fermi) of the .pdos header\n"
    "(UKS: the higher of the alpha and beta headers, one reference for both spins).\n"
    "\n"
    "  --atoms SEL     atoms (default transition-metals): 1,5-8 | Fe | metals |\n"
    "                  transition-metals | alkali | alkaline-earth | all, comma-joined\n"
    "  --orbital O     s, p, d (default), f, or one component as the file names it (dz2)\n"
    "  --spin S        up, down or both (default: both, and each spin separately)\n"
    "  --window A:B    integration window in eV relative to the reference; either side may\n"
    "                  be empty (':0' = occupied states only)\n"
    "  --absolute      energies not shifted by E_F\n";

typedef struct {
    const char *path, *atoms, *orbital, *spin;
    double emin, emax, broadening;
    int absolute, json;
} dband_opts;

static int parse_window(const char *s, double *lo, double *hi)
{
    const char *colon = strchr(s, ':');
    if (!colon) return -1;
    char *end;
    *lo = -INFINITY;
    *hi = INFINITY;
    if (colon != s) {
        *lo = strtod(s, &end);
        if (end != colon) return -1;
    }
    if (colon[1]) {
        *hi = strtod(colon + 1, &end);
        if (*end) return -1;
    }
    return *lo < *hi ? 0 : -1;
}

static int parse_args(int argc, char **argv, dband_opts *o)
{
    memset(o, 0, sizeof *o);
    o->atoms = "transition-metals";
    o->orbital = "d";
    o->spin = "both";
    o->emin = -INFINITY;
    o->emax = INFINITY;
    o->broadening = 0.1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (strcmp(a, "--json") == 0) o->json = 1;
        else if (strcmp(a, "--absolute") == 0) o->absolute = 1;
        else if (strcmp(a, "--atoms") == 0 && has_val) o->atoms = argv[++i];
        else if (strcmp(a, "--orbital") == 0 && has_val) o->orbital = argv[++i];
        else if (strcmp(a, "--spin") == 0 && has_val) o->spin = argv[++i];
        else if (strcmp(a, "--window") == 0 && has_val) {
            if (parse_window(argv[++i], &o->emin, &o->emax)) {
                fprintf(stderr, "dftscreen dband: --window wants EMIN:EMAX with EMIN < EMAX, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--broadening") == 0 && has_val) {
            char *end;
            o->broadening = strtod(argv[++i], &end);
            if (*end || !(o->broadening > 0)) {
                fprintf(stderr, "dftscreen dband: --broadening wants a positive width in eV\n");
                return 2;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dftscreen dband: unknown or incomplete option '%s'\n", a);
            return 2;
        } else if (!o->path) o->path = a;
        else {
            fprintf(stderr, "dftscreen dband: one PATH only\n");
            return 2;
        }
    }
    if (!o->path) {
        fputs(cmd_dband_help, stderr);
        return 2;
    }
    if (strcmp(o->spin, "up") && strcmp(o->spin, "down") && strcmp(o->spin, "both")) {
        fprintf(stderr, "dftscreen dband: --spin up, down or both\n");
        return 2;
    }
    return 0;
}

static cJSON *result_json(const dband_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "center_eV", r->center_eV);
    cJSON_AddNumberToObject(o, "width_eV", r->width_eV);
    cJSON_AddNumberToObject(o, "filling", r->filling);
    cJSON_AddNumberToObject(o, "skewness", r->skewness);
    cJSON_AddNumberToObject(o, "kurtosis", r->kurtosis);
    if (isfinite(r->upper_edge_eV)) cJSON_AddNumberToObject(o, "upper_edge_eV", r->upper_edge_eV);
    else cJSON_AddNullToObject(o, "upper_edge_eV");
    cJSON_AddItemToObject(o, "window_eV", cJSON_CreateDoubleArray(r->window_eV, 2));
    cJSON_AddNumberToObject(o, "states", r->states);
    return o;
}

static void print_result(const char *name, const dband_result *r)
{
    printf("  %-5s centre %9.4f  width %7.4f  filling %6.4f  skew %7.4f  kurt %7.4f  upper edge %8.4f  window [%g, %g] eV\n",
           name, r->center_eV, r->width_eV, r->filling, r->skewness, r->kurtosis, r->upper_edge_eV, r->window_eV[0],
           r->window_eV[1]);
}

/* Spin-resolved curves from a grid DOS: computes both, up, down into res (3 slots). */
int cmd_dband(int argc, char **argv)
{
    dband_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (run_read_path(o.path, &run, &err) != DS_OK) {
        fprintf(stderr, "dftscreen dband: %s\n", ds_err_format(&err, buf, sizeof buf));
        run_free(&run);
        return 1;
    }
    unsigned char *mask = calloc(run.n_atoms > 0 ? (size_t)run.n_atoms : 1, 1);
    run_dband_opts ro = {o.atoms, o.orbital, o.emin, o.emax, o.broadening, o.absolute};
    run_dband_out out;
    rc = mask ? run_dband(&run, &ro, mask, &out, &err) : ds_err_set(&err, DS_ENOMEM, NULL, 0, "out of memory");
    double fermi = out.fermi_eV;
    int grid = out.grid;
    dband_result *res = out.res;
    int *have = out.have;
    if (rc) {
        if (!err.file[0]) snprintf(err.file, sizeof err.file, "%s", o.path);
        fprintf(stderr, "dftscreen dband: %s\n", ds_err_format(&err, buf, sizeof buf));
        free(mask);
        run_free(&run);
        return 1;
    }
    int want = strcmp(o.spin, "up") == 0 ? 1 : strcmp(o.spin, "down") == 0 ? 2 : 0;
    if (want && !have[want]) {
        fprintf(stderr, "dftscreen dband: %s: the run is not spin-polarised (or that channel is empty): no '%s' spin\n",
                o.path, o.spin);
        free(mask);
        run_free(&run);
        return 1;
    }
    if (o.json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "path", o.path);
        cJSON *atoms = cJSON_CreateArray();
        for (int a = 0; a < run.n_atoms; a++)
            if (mask[a]) cJSON_AddItemToArray(atoms, cJSON_CreateNumber(a + 1));
        cJSON_AddItemToObject(j, "atoms", atoms);
        cJSON_AddStringToObject(j, "selection", o.atoms);
        cJSON_AddStringToObject(j, "orbital", o.orbital);
        cJSON_AddStringToObject(j, "reference", o.absolute ? "absolute" : "fermi");
        if (isfinite(fermi)) cJSON_AddNumberToObject(j, "fermi_eV", fermi);
        else cJSON_AddNullToObject(j, "fermi_eV");
        cJSON_AddStringToObject(j, "method", grid ? "grid (trapezoid)" : "levels (weighted sums)");
        if (!grid) cJSON_AddNumberToObject(j, "broadening_eV", o.broadening);
        cJSON_AddStringToObject(j, "spin", o.spin);
        cJSON *main = result_json(&res[want]);
        for (cJSON *c = main->child; c; c = c->next) cJSON_AddItemReferenceToObject(j, c->string, c);
        cJSON *spins = cJSON_CreateObject();
        if (have[1]) cJSON_AddItemToObject(spins, "up", result_json(&res[1]));
        if (have[2]) cJSON_AddItemToObject(spins, "down", result_json(&res[2]));
        cJSON_AddItemToObject(j, "spins", spins);
        char *text = json_text_print(j, 1);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(j);
        cJSON_Delete(main);
    } else {
        int n_sel = 0;
        for (int a = 0; a < run.n_atoms; a++) n_sel += mask[a];
        printf("%s: %s projection of %d atom(s) [%s], energies %s%s\n", o.path, o.orbital, n_sel, o.atoms,
               o.absolute ? "absolute" : "relative to E_F", grid ? "" : " (CP2K levels)");
        if (isfinite(fermi)) printf("  E_F = %.6f eV\n", fermi);
        print_result(want == 1 ? "up" : want == 2 ? "down" : "both", &res[want]);
        if (!want && have[1]) print_result("up", &res[1]);
        if (!want && have[2]) print_result("down", &res[2]);
    }
    free(mask);
    run_free(&run);
    return 0;
}
