/* cmd_bader: `dftscreen bader DENSITY` — Bader charges, volumes and surface distances of a
 * VASP CHGCAR/AECCAR or a cube density, net charges from ZVAL, and fragment charge transfer. */
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/bader.h"
#include "descriptors/charge_transfer.h"
#include "parsers/bader_acf.h"
#include "parsers/cube.h"
#include "parsers/detect.h"
#include "parsers/vasp_chgcar.h"
#include "screen/json_text.h"
#include "screen/commands.h"
#include "structures/elements.h"
#include "structures/select.h"

const char cmd_bader_help[] =
    "usage: dftscreen bader DENSITY [--ref FILE[+FILE]] [--method neargrid|weight]\n"
    "                       [--vacuum THRESH|auto|off] [--zval-from RUNDIR] [--fragments A:B]\n"
    "                       [--acf FILE] [--threads N] [--json]\n"
    "\n"
    "Grid-based Bader analysis, as the Henkelman group's `bader` program does it (and giving\n"
    "its numbers): DENSITY is a VASP CHGCAR/AECCAR/CHG (rho * V_cell on disk; of a spin-\n"
    "polarised file the total density is used) or a Gaussian/CP2K cube file (e/bohr^3), plain\n"
    "or gzipped.  Per atom: Bader electrons, volume (A^3), distance from the nucleus to the\n"
    "nearest zero-flux surface point (A); per basin: the position of its maximum.\n"
    "\n"
    "  --ref F[+G]     partition the basins of this density (the sum F + G, e.g.\n"
    "                  AECCAR0+AECCAR2, as the program's -ref CHGCAR_sum) and integrate DENSITY\n"
    "                  in them; same grid as DENSITY.  Recommended for VASP PAW densities.\n"
    "  --method M      neargrid (default; Tang, Sanville, Henkelman 2009, with the program's\n"
    "                  iterative edge refinement) or weight (Yu & Trinkle 2011)\n"
    "  --max-memory S  refuse a density (or reference) whose grid values would need more than S\n"
    "                  bytes (512M, 8G; default 32G), before reading or allocating it\n"
    "  --vacuum V      off (default), auto (= 1e-3 e/A^3) or a threshold in e/A^3: points of\n"
    "                  the reference (else the density) with |rho| <= V (neargrid) or rho <= V\n"
    "                  (weight), as the program does, are vacuum; their charge is reported apart\n"
    "  --zval-from D   read this run (VASP: POTCAR ZVAL via OUTCAR/vasprun.xml; CP2K: GTH\n"
    "                  valence charge q of each kind) for the valence electrons: net_charge_e =\n"
    "                  ZVAL - Bader electrons (positive: electrons given away); also names the\n"
    "                  elements of a VASP 4 file\n"
    "  --fragments A:B two site selections (1,5-8 | Na | metals | fragment:2 | molecule:DMF ...);\n"
    "                  reports each fragment's net charge and transfer_A_to_B_e = electrons A\n"
    "                  gave away, e.g. --fragments Na:C,H,O,N\n"
    "  --acf FILE      also write an ACF.dat (bader 1.05 layout; A and A^3 for every input)\n"
    "  --threads N     threads (default: all cores); results do not depend on it\n"
    "  --json          JSON: atoms (charge_e, volume_angstrom3, min_dist_angstrom, net_charge_e\n"
    "                  when ZVAL is known), basins, vacuum_charge_e, total_electrons, fragments\n"
    "\n"
    "Exit status 0 on success, 1 when a file cannot be read or the analysis fails, 2 on bad\n"
    "arguments.\n";

typedef struct {
    const char *density, *ref, *zval_from, *fragments, *acf;
    int method, json, vacuum, n_threads;
    double vacuum_thr;
    size_t max_bytes;
} bader_cli;

typedef struct {
    ds_grid grid;
    vasp_chgcar_info info;
    int is_vasp;
    size_t max_bytes; /* --max-memory: grids whose values would need more are refused unread */
} loaded_grid;

static int parse_args(int argc, char **argv, bader_cli *o);
static int load_density(const char *path, const char *species_hint, loaded_grid *lg, ds_err *err);
static int load_reference(const char *spec, const loaded_grid *dens, loaded_grid *out, ds_err *err);
static int resolve_fragments(const char *spec, const ds_grid *g, unsigned char *ma, unsigned char *mb, char fa[512],
                             char fb[512], ds_err *err);

static int parse_args(int argc, char **argv, bader_cli *o)
{
    memset(o, 0, sizeof *o);
    o->vacuum_thr = BADER_VACUUM_AUTO;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (strcmp(a, "--json") == 0) o->json = 1;
        else if (strcmp(a, "--ref") == 0 && has_val) o->ref = argv[++i];
        else if (strcmp(a, "--zval-from") == 0 && has_val) o->zval_from = argv[++i];
        else if (strcmp(a, "--fragments") == 0 && has_val) o->fragments = argv[++i];
        else if (strcmp(a, "--acf") == 0 && has_val) o->acf = argv[++i];
        else if (strcmp(a, "--method") == 0 && has_val) {
            const char *m = argv[++i];
            if (strcmp(m, "neargrid") == 0) o->method = BADER_NEARGRID;
            else if (strcmp(m, "weight") == 0) o->method = BADER_WEIGHT;
            else {
                fprintf(stderr, "dftscreen bader: --method is neargrid or weight, got '%s'\n", m);
                return 2;
            }
        } else if (strcmp(a, "--vacuum") == 0 && has_val) {
            const char *v = argv[++i];
            if (strcmp(v, "off") == 0) o->vacuum = 0;
            else if (strcmp(v, "auto") == 0) o->vacuum = 1;
            else {
                char *end;
                o->vacuum_thr = strtod(v, &end);
                if (*end || !isfinite(o->vacuum_thr)) {
                    fprintf(stderr, "dftscreen bader: --vacuum is off, auto or a threshold in e/A^3, got '%s'\n", v);
                    return 2;
                }
                o->vacuum = 1;
            }
        } else if (strcmp(a, "--max-memory") == 0 && has_val) {
            char *end;
            double v = strtod(argv[++i], &end);
            double unit = (*end == 'k' || *end == 'K') ? 1e3 : (*end == 'M' || *end == 'm') ? 1e6
                        : (*end == 'G' || *end == 'g') ? 1e9 : (*end == 'T' || *end == 't') ? 1e12 : 1;
            if (unit != 1) end++;
            if (*end || !(v > 0) || v * unit > 1e18) {
                fprintf(stderr, "dftscreen bader: --max-memory wants a size such as 512M or 8G, got '%s'\n", argv[i]);
                return 2;
            }
            o->max_bytes = (size_t)(v * unit);
        } else if (strcmp(a, "--threads") == 0 && has_val) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 0 || n > 256) {
                fprintf(stderr, "dftscreen bader: --threads needs 0..256, got '%s'\n", argv[i]);
                return 2;
            }
            o->n_threads = (int)n;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dftscreen bader: unknown option or missing value '%s'\n%s", a, cmd_bader_help);
            return 2;
        } else if (!o->density) o->density = a;
        else {
            fprintf(stderr, "dftscreen bader: one DENSITY only (use --ref for a reference)\n");
            return 2;
        }
    }
    if (!o->density) {
        fputs(cmd_bader_help, stderr);
        return 2;
    }
    if (o->fragments && !o->zval_from) {
        fprintf(stderr, "dftscreen bader: --fragments needs --zval-from RUNDIR (the valence electrons)\n");
        return 2;
    }
    return 0;
}

static int load_density(const char *path, const char *species_hint, loaded_grid *lg, ds_err *err)
{
    size_t max_bytes = lg->max_bytes;
    grid_init(&lg->grid);
    memset(&lg->info, 0, sizeof lg->info);
    if (!ds_file_exists(path)) return ds_err_set(err, DS_EIO, path, 0, "no such file");
    lg->is_vasp = vasp_chgcar_sniff(path);
    if (lg->is_vasp) {
        vasp_chgcar_opts vo = {.max_bytes = max_bytes, .max_sets = 1, .species_hint = species_hint};
        return vasp_chgcar_read(path, &vo, &lg->grid, &lg->info, err);
    }
    int rc = cube_read(path, max_bytes, &lg->grid, err);
    if (rc != DS_OK) return rc;
    /* A cube holds atomic units; a density cube is e/bohr^3. */
    if (!lg->grid.units[0] || strcmp(lg->grid.units, "atomic units") == 0 || strcmp(lg->grid.units, "a.u.") == 0)
        snprintf(lg->grid.units, sizeof lg->grid.units, "e/bohr^3");
    return DS_OK;
}

/* F or F+G (sum on the same grid).  A path that exists as a whole is taken as one file. */
static int load_reference(const char *spec, const loaded_grid *dens, loaded_grid *out, ds_err *err)
{
    char a[1024], b[1024] = "";
    snprintf(a, sizeof a, "%s", spec);
    const char *plus = strchr(spec, '+');
    if (!ds_file_exists(spec) && plus) {
        snprintf(a, sizeof a, "%.*s", (int)(plus - spec), spec);
        snprintf(b, sizeof b, "%s", plus + 1);
    }
    out->max_bytes = dens->max_bytes;
    int rc = load_density(a, NULL, out, err);
    if (rc != DS_OK) return rc;
    if (memcmp(out->grid.n, dens->grid.n, sizeof out->grid.n) != 0)
        return ds_err_set(err, DS_EUSAGE, a, 0, "reference grid %d x %d x %d differs from the density's %d x %d x %d",
                          out->grid.n[0], out->grid.n[1], out->grid.n[2], dens->grid.n[0], dens->grid.n[1], dens->grid.n[2]);
    if (!b[0]) return DS_OK;
    loaded_grid second;
    second.max_bytes = dens->max_bytes;
    rc = load_density(b, NULL, &second, err);
    if (rc == DS_OK && (memcmp(second.grid.n, out->grid.n, sizeof out->grid.n) != 0 ||
                        strcmp(second.grid.units, out->grid.units) != 0))
        rc = ds_err_set(err, DS_EUSAGE, b, 0, "cannot add %s to %s: grids %d x %d x %d (%s) and %d x %d x %d (%s) differ", b,
                        a, second.grid.n[0], second.grid.n[1], second.grid.n[2], second.grid.units, out->grid.n[0],
                        out->grid.n[1], out->grid.n[2], out->grid.units);
    if (rc == DS_OK) {
        size_t n = grid_n_points(&out->grid);
        for (size_t p = 0; p < n; p++) out->grid.values[0][p] += second.grid.values[0][p];
    }
    grid_free(&second.grid);
    vasp_chgcar_info_free(&second.info);
    return rc;
}

/* "A:B" where A and B are selections that may themselves contain ':' (fragment:2): the split
 * is the one colon at which both sides are valid selections. */
static int resolve_fragments(const char *spec, const ds_grid *g, unsigned char *ma, unsigned char *mb, char fa[512],
                             char fb[512], ds_err *err)
{
    int n = g->n_atoms;
    char (*species)[4] = calloc((size_t)n, sizeof *species);
    run_structure s = {0};
    if (!species || run_structure_alloc(&s, n) != 0) {
        free(species);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    int rc = DS_OK;
    for (int i = 0; i < n && rc == DS_OK; i++) {
        const char *sym = element_symbol(g->atomic_numbers[i]);
        if (!sym) rc = ds_err_set(err, DS_EUSAGE, NULL, 0, "atom %d has no known element (a VASP 4 file: give --zval-from)", i + 1);
        else snprintf(species[i], sizeof species[i], "%s", sym);
        memcpy(s.positions_angstrom[i], g->positions_angstrom[i], sizeof s.positions_angstrom[i]);
    }
    s.has_lattice = 1;
    memcpy(s.lattice_angstrom, g->lattice_angstrom, sizeof s.lattice_angstrom);
    cell_atoms atoms;
    if (rc == DS_OK) rc = cell_atoms_init(&atoms, &s, (const char(*)[4])species, NULL, err);
    int found = 0;
    char left[512], first_err[768] = "";
    for (const char *c = strchr(spec, ':'); rc == DS_OK && c; c = strchr(c + 1, ':')) {
        snprintf(left, sizeof left, "%.*s", (int)(c - spec), spec);
        select_context ctx = {.atoms = &atoms};
        unsigned char *ta = calloc((size_t)n, 1), *tb = calloc((size_t)n, 1);
        ds_err e1;
        ds_err_clear(&e1);
        if (ta && tb && left[0] && c[1] && select_atoms_ext(left, &ctx, ta, &e1) == DS_OK &&
            select_atoms_ext(c + 1, &ctx, tb, &e1) == DS_OK) {
            if (found++ == 0) {
                memcpy(ma, ta, (size_t)n);
                memcpy(mb, tb, (size_t)n);
                snprintf(fa, 512, "%s", left);
                snprintf(fb, 512, "%.511s", c + 1);
            }
        } else if (!first_err[0] && e1.msg[0]) {
            snprintf(first_err, sizeof first_err, "%s", e1.msg);
        }
        free(ta);
        free(tb);
    }
    if (rc == DS_OK && found == 0)
        rc = ds_err_set(err, DS_EUSAGE, NULL, 0, "--fragments '%s' is not A:B with two site selections%s%.600s", spec,
                        first_err[0] ? ": " : "", first_err);
    else if (rc == DS_OK && found > 1)
        rc = ds_err_set(err, DS_EUSAGE, NULL, 0, "--fragments '%s' splits into A:B in more than one way", spec);
    run_structure_free(&s);
    free(species);
    return rc;
}

static cJSON *vec3(const double v[3])
{
    return cJSON_CreateDoubleArray(v, 3);
}

static void add_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v)) cJSON_AddNumberToObject(o, k, v);
    else cJSON_AddNullToObject(o, k);
}

static cJSON *fragment_json(const char *sel, const unsigned char *mask, int n, const ct_fragment *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "selection", sel);
    cJSON *at = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        if (mask[i]) cJSON_AddItemToArray(at, cJSON_CreateNumber(i + 1));
    cJSON_AddItemToObject(o, "atoms", at);
    cJSON_AddNumberToObject(o, "zval_e", f->zval_e);
    cJSON_AddNumberToObject(o, "electrons_e", f->electrons_e);
    cJSON_AddNumberToObject(o, "net_charge_e", f->net_charge_e);
    return o;
}

static void print_text(const bader_cli *o, const ds_grid *g, const bader_result *r, const double *zval, const double *net,
                       double expected, const ct_transfer *tr, const char *fa, const char *fb, const char *const *warn,
                       int n_warn)
{
    printf("Bader analysis (%s) of %s\n", o->method == BADER_WEIGHT ? "weight, Yu & Trinkle" : "near-grid with edge refinement",
           o->density);
    printf("  grid %d x %d x %d, %d atoms, %d maxima (%d with more than 0.001 e)\n", g->n[0], g->n[1], g->n[2], r->n_atoms,
           r->n_basins, r->n_significant);
    printf("  basins of: %s\n", o->ref ? o->ref : "the density itself");
    if (o->vacuum) printf("  vacuum: %s <= %g e/A^3\n", o->method == BADER_WEIGHT ? "rho" : "|rho|", o->vacuum_thr);
    printf("\n    #  el      charge_e  net_charge_e  volume_A3  min_dist_A\n");
    for (int a = 0; a < r->n_atoms; a++) {
        const char *el = element_symbol(g->atomic_numbers[a]);
        printf("  %3d  %-3s %12.6f", a + 1, el ? el : "?", r->charge_e[a]);
        if (zval) printf("  %12.6f", net[a]);
        else printf("  %12s", "-");
        printf("  %9.4f  %10.6f\n", r->volume_angstrom3[a], isfinite(r->min_dist_angstrom[a]) ? r->min_dist_angstrom[a] : 0.0);
    }
    printf("\n  vacuum charge   %.6f e (%.4f A^3)\n", r->vacuum_charge_e, r->vacuum_volume_angstrom3);
    printf("  total electrons %.6f\n", r->total_electrons);
    if (zval) {
        double z = 0;
        for (int a = 0; a < r->n_atoms; a++) z += zval[a];
        printf("  valence electrons (ZVAL) %.6f; the run had %.6f electrons\n", z, expected);
    }
    if (tr) {
        printf("\n  fragment A (%s): %d atoms, net charge %+.6f e\n", fa, tr->a.n_atoms, tr->a.net_charge_e);
        printf("  fragment B (%s): %d atoms, net charge %+.6f e\n", fb, tr->b.n_atoms, tr->b.net_charge_e);
        printf("  transfer A -> B  %.6f e  (net(A) + net(B) = %+.6f e)\n", tr->transfer_a_to_b_e, tr->imbalance_e);
    }
    for (int i = 0; i < n_warn; i++) printf("  warning: %s\n", warn[i]);
}

static char *result_json(const bader_cli *o, const ds_grid *g, const bader_result *r, const double *zval, const double *net,
                         double expected, const ct_transfer *tr, const char *fa, const char *fb, const unsigned char *ma,
                         const unsigned char *mb, const char *const *warn, int n_warn)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "density", o->density);
    if (o->ref) cJSON_AddStringToObject(j, "reference", o->ref);
    else cJSON_AddNullToObject(j, "reference");
    cJSON_AddStringToObject(j, "method", o->method == BADER_WEIGHT ? "weight" : "neargrid");
    int n3[3] = {g->n[0], g->n[1], g->n[2]};
    cJSON_AddItemToObject(j, "grid", cJSON_CreateIntArray(n3, 3));
    if (o->vacuum) cJSON_AddNumberToObject(j, "vacuum_threshold_e_per_angstrom3", o->vacuum_thr);
    else cJSON_AddNullToObject(j, "vacuum_threshold_e_per_angstrom3");
    cJSON *atoms = cJSON_CreateArray();
    for (int a = 0; a < r->n_atoms; a++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "index", a + 1);
        const char *el = element_symbol(g->atomic_numbers[a]);
        if (el) cJSON_AddStringToObject(x, "element", el);
        else cJSON_AddNullToObject(x, "element");
        cJSON_AddItemToObject(x, "position_angstrom", vec3(g->positions_angstrom[a]));
        cJSON_AddNumberToObject(x, "charge_e", r->charge_e[a]);
        cJSON_AddNumberToObject(x, "volume_angstrom3", r->volume_angstrom3[a]);
        add_num(x, "min_dist_angstrom", r->min_dist_angstrom[a]);
        if (zval) {
            cJSON_AddNumberToObject(x, "zval_e", zval[a]);
            cJSON_AddNumberToObject(x, "net_charge_e", net[a]);
        }
        cJSON_AddItemToArray(atoms, x);
    }
    cJSON_AddItemToObject(j, "atoms", atoms);
    cJSON *basins = cJSON_CreateArray();
    for (int b = 0; b < r->n_basins; b++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToObject(x, "max_position_angstrom", vec3(r->basin_max_angstrom[b]));
        cJSON_AddItemToObject(x, "max_grid_index", cJSON_CreateIntArray(r->basin_max_grid[b], 3));
        cJSON_AddNumberToObject(x, "charge_e", r->basin_charge_e[b]);
        cJSON_AddNumberToObject(x, "volume_angstrom3", r->basin_volume_angstrom3[b]);
        cJSON_AddNumberToObject(x, "atom", r->basin_atom[b] + 1);
        cJSON_AddNumberToObject(x, "atom_distance_angstrom", r->basin_atom_dist_angstrom[b]);
        cJSON_AddItemToArray(basins, x);
    }
    cJSON_AddItemToObject(j, "basins", basins);
    cJSON_AddNumberToObject(j, "n_significant_basins", r->n_significant);
    cJSON_AddNumberToObject(j, "vacuum_charge_e", r->vacuum_charge_e);
    cJSON_AddNumberToObject(j, "vacuum_volume_angstrom3", r->vacuum_volume_angstrom3);
    cJSON_AddNumberToObject(j, "total_electrons", r->total_electrons);
    if (zval) {
        double z = 0;
        for (int a = 0; a < r->n_atoms; a++) z += zval[a];
        cJSON_AddNumberToObject(j, "zval_total_e", z);
        add_num(j, "run_electrons", expected);
        cJSON_AddStringToObject(j, "zval_from", o->zval_from);
    }
    if (tr) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddItemToObject(f, "A", fragment_json(fa, ma, r->n_atoms, &tr->a));
        cJSON_AddItemToObject(f, "B", fragment_json(fb, mb, r->n_atoms, &tr->b));
        cJSON_AddNumberToObject(f, "transfer_A_to_B_e", tr->transfer_a_to_b_e);
        cJSON_AddNumberToObject(f, "imbalance_e", tr->imbalance_e);
        cJSON_AddItemToObject(j, "fragments", f);
    }
    cJSON *w = cJSON_CreateArray();
    for (int i = 0; i < n_warn; i++) cJSON_AddItemToArray(w, cJSON_CreateString(warn[i]));
    cJSON_AddItemToObject(j, "warnings", w);
    char *text = json_text_print(j, 1);
    cJSON_Delete(j);
    return text;
}

static int write_acf(const char *path, const ds_grid *g, const bader_result *r, ds_err *err)
{
    bader_acf acf = {.n_atoms = r->n_atoms, .n_columns = 7, .has_footer = 1};
    acf.position = g->positions_angstrom;
    acf.charge_e = r->charge_e;
    acf.volume = r->volume_angstrom3;
    double *md = malloc((size_t)r->n_atoms * sizeof *md);
    if (!md) return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    for (int a = 0; a < r->n_atoms; a++) md[a] = isfinite(r->min_dist_angstrom[a]) ? r->min_dist_angstrom[a] : 0.0;
    acf.min_dist = md;
    acf.vacuum_charge_e = r->vacuum_charge_e;
    acf.vacuum_volume = r->vacuum_volume_angstrom3;
    acf.n_electrons = r->total_electrons;
    int rc = bader_acf_write(path, &acf, err);
    free(md);
    return rc;
}

int cmd_bader(int argc, char **argv)
{
    bader_cli o;
    int urc = parse_args(argc, argv, &o);
    if (urc) return urc;
    ds_err err;
    ds_err_clear(&err);
    ds_run run;
    run_init(&run);
    loaded_grid dens = {0}, ref = {0};
    bader_result res = {0};
    double *zval = NULL, *net = NULL;
    unsigned char *ma = NULL, *mb = NULL;
    const char *warn[8];
    int n_warn = 0, status = 1, rc = DS_OK;
    char species_hint[1024] = "", fa[512] = "", fb[512] = "";
    ct_transfer tr;
    int have_tr = 0;
    double expected = NAN;

    if (o.zval_from) {
        rc = run_read_path(o.zval_from, &run, &err);
        for (int k = 0; rc == DS_OK && k < run.n_kinds; k++) {
            size_t l = strlen(species_hint);
            snprintf(species_hint + l, sizeof species_hint - l, "%s%s", k ? " " : "", run.kinds[k].symbol);
        }
    }
    dens.max_bytes = ref.max_bytes = o.max_bytes;
    if (rc == DS_OK) rc = load_density(o.density, species_hint[0] ? species_hint : NULL, &dens, &err);
    if (rc == DS_OK && o.ref) rc = load_reference(o.ref, &dens, &ref, &err);
    if (rc == DS_OK) {
        bader_opts bo;
        bader_opts_default(&bo);
        bo.method = o.method == BADER_WEIGHT ? BADER_WEIGHT : BADER_NEARGRID;
        bo.vacuum = o.vacuum;
        bo.vacuum_e_per_angstrom3 = o.vacuum_thr;
        bo.n_threads = o.n_threads;
        if (dens.is_vasp) bo.atoms_frac = (const double(*)[3])dens.info.positions_frac;
        rc = bader_partition(&dens.grid, o.ref ? &ref.grid : NULL, &bo, &res, &err);
    }
    if (rc == DS_OK && dens.is_vasp && !o.ref)
        warn[n_warn++] = "no --ref: for VASP PAW valence densities the program's authors recommend the basins of "
                         "AECCAR0+AECCAR2 (--ref AECCAR0+AECCAR2)";
    if (rc == DS_OK && dens.is_vasp && !dens.info.species_known)
        warn[n_warn++] = "VASP 4 file without element names: give --zval-from RUNDIR to name them";
    if (rc == DS_OK && o.zval_from) {
        zval = malloc((size_t)res.n_atoms * sizeof *zval);
        net = malloc((size_t)res.n_atoms * sizeof *net);
        if (!zval || !net) rc = ds_err_set(&err, DS_ENOMEM, NULL, 0, "out of memory");
        else rc = charge_zval_from_run(&run, res.n_atoms, dens.grid.atomic_numbers, zval, &err);
        if (rc == DS_OK) {
            charge_net(res.charge_e, zval, res.n_atoms, net);
            double z = 0;
            for (int a = 0; a < res.n_atoms; a++) z += zval[a];
            /* electrons the run had: NELECT when the code printed it, else ZVAL minus the charge */
            expected = isfinite(run.settings.nelect) ? run.settings.nelect
                                                     : z - (isfinite(run.settings.charge) ? run.settings.charge : 0);
            if (fabs(expected - res.total_electrons) > 0.01)
                warn[n_warn++] = "the density does not integrate to the run's valence electrons within 0.01 e (missing "
                                 "core density, a density of another run, or too coarse a grid)";
        }
    }
    if (rc == DS_OK && o.fragments) {
        ma = calloc((size_t)res.n_atoms, 1);
        mb = calloc((size_t)res.n_atoms, 1);
        if (!ma || !mb) rc = ds_err_set(&err, DS_ENOMEM, NULL, 0, "out of memory");
        else rc = resolve_fragments(o.fragments, &dens.grid, ma, mb, fa, fb, &err);
        if (rc == DS_OK) rc = charge_transfer(res.charge_e, zval, ma, mb, res.n_atoms, &tr, &err);
        have_tr = rc == DS_OK;
    }
    if (rc == DS_OK && o.acf) rc = write_acf(o.acf, &dens.grid, &res, &err);
    if (rc == DS_OK) {
        if (o.json) {
            char *text =
                result_json(&o, &dens.grid, &res, zval, net, expected, have_tr ? &tr : NULL, fa, fb, ma, mb, warn, n_warn);
            if (text) {
                fputs(text, stdout);
                fputc('\n', stdout);
            }
            cJSON_free(text);
        } else {
            print_text(&o, &dens.grid, &res, zval, net, expected, have_tr ? &tr : NULL, fa, fb, warn, n_warn);
        }
        status = 0;
    } else {
        char buf[1400];
        fprintf(stderr, "dftscreen bader: %s\n", ds_err_format(&err, buf, sizeof buf));
        status = err.code == DS_EUSAGE ? 2 : 1;
    }
    free(zval);
    free(net);
    free(ma);
    free(mb);
    bader_result_free(&res);
    grid_free(&dens.grid);
    vasp_chgcar_info_free(&dens.info);
    grid_free(&ref.grid);
    vasp_chgcar_info_free(&ref.info);
    run_free(&run);
    return status;
}
