/* cmd_structure: `dftscreen structure PATH` — space group and symmetry-unique sites,
 * fragments with formulas and names, metal-site coordination, host-guest mapping, and
 * what a site selection resolves to. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "parsers/cube.h"
#include "parsers/detect.h"
#include "parsers/vasp_chgcar.h"
#include "screen/json_text.h"
#include "screen/commands.h"
#include "structures/coordination.h"
#include "structures/elements.h"
#include "structures/fragments.h"
#include "structures/hostguest.h"
#include "structures/select.h"
#include "structures/symmetry.h"

const char cmd_structure_help[] =
    "usage: dftscreen structure PATH [--symprec X] [--select SEL] [--json]\n"
    "                                [--tolerance F] [--cutoff A] [--names FILE] [--usual El=N]\n"
    "                                [--host PATH --guest PATH]\n"
    "\n"
    "Structural analysis of one run (VASP/CP2K directory or file, as `show` reads them; also\n"
    "a VASP volumetric file: CHGCAR, CHG, AECCAR*, LOCPOT, ELFCAR, PARCHG; or a .cube file).\n"
    "The structure is the run's final one (else the last step's, else the input).  Periodic\n"
    "along a, b, c unless the CP2K input says otherwise (PERIODIC NONE, XY, ...).\n"
    "\n"
    "  space group   spglib at --symprec X Angstrom (default 0.001; 0 = off), periodic cells\n"
    "                only: international symbol, number, Hall number, Wyckoff letters and the\n"
    "                symmetry-equivalent atoms; the unique sites are the first atom of each set\n"
    "  fragments     molecules, ions and extended fragments by covalent radii (Cordero et al.\n"
    "                2008) times --tolerance F (default 1.2), across periodic boundaries; a\n"
    "                ligand molecule bound to a single metal atom is its own fragment (Li+ and\n"
    "                DMF), one that bridges metals joins them (a MOF framework is one\n"
    "                fragment), as does a single atom on a metal (terminal oxo, hydride).\n"
    "                Names come from a built-in table (DMF, PC, EC, FEC, DME, TFSI, FSI, PF6,\n"
    "                H2O, Li+, Na+, Zn2+, ...) and --names FILE, lines 'FORMULA NAME'.\n"
    "  metal sites   per symmetry-unique metal site: non-metal neighbours within the bonding\n"
    "                criterion (or --cutoff A), coordination number, open site (host\n"
    "                coordination below the element's usual number; --usual Cu=4 overrides\n"
    "                the table), nearest guest atom (another fragment, or the guest found by\n"
    "                --host/--guest) and its distance\n"
    "  --host H --guest G   runs of the parts: reports which atoms of PATH are the guest\n"
    "  --select SEL  what a selection resolves to: 1,5-8 | Fe | metals | transition-metals |\n"
    "                alkali | alkaline-earth | all | fragment:N | molecule:NAME | unique:El,\n"
    "                comma-joined (union)\n"
    "  --json        one JSON object: spacegroup_symbol, spacegroup_number, hall_number,\n"
    "                equivalent_atoms, wyckoffs, unique_sites, standardized_cell and\n"
    "                primitive_cell (spglib, idealised: lattice_angstrom rows, species,\n"
    "                positions_fractional, volume_angstrom3), fragments (atoms, formula, name,\n"
    "                kind, periodic_dimension), metal_sites (index, element, coordination,\n"
    "                host_coordination, usual_coordination, open_site, neighbors,\n"
    "                nearest_guest, equivalent_atoms), guest, selection, errors.  Every atom\n"
    "                index is 1-based, as everywhere in dftscreen.\n"
    "\n"
    "Exit status: 0 when every analysis ran; 1 when the run cannot be read or an analysis\n"
    "failed (overlapping atoms closer than 0.5 A, a zero-volume or left-handed lattice, an\n"
    "unknown element, parts that do not add up to the complex): the message says which; the\n"
    "JSON still holds what could be computed, with the problem under \"errors\".  2: usage.\n";

typedef struct {
    const char *path, *select, *names_file, *host, *guest;
    double symprec, tolerance, cutoff;
    int json;
    coord_opts copts;
} st_opts;

/* Everything computed, for printing. */
typedef struct {
    ds_run run;
    cell_atoms atoms;
    int have_atoms, have_sym, have_frags, have_coord;
    sym_info sym;
    frag_set frags;
    coord_set coord;
    hg_map map;
    int have_map;
    unsigned char *selection;
    int *rep;                 /* per atom: the first atom symmetry-equivalent to it */
    cJSON *errors;
    int failed;
} st_result;

static int parse_args(int argc, char **argv, st_opts *o);
static int read_any(const char *path, ds_run *run, ds_err *err);
static void analyse(const st_opts *o, const frag_names *names, st_result *r);
static void set_representatives(st_result *r);
static int representative(const st_result *r, int a);
static cJSON *to_json(const st_opts *o, st_result *r);
static void print_text(const st_opts *o, const st_result *r);

static int parse_double(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *end || end == s || !isfinite(*out) ? -1 : 0;
}

static int parse_args(int argc, char **argv, st_opts *o)
{
    memset(o, 0, sizeof *o);
    o->symprec = 1e-3;
    o->tolerance = 1.2;
    coord_opts_default(&o->copts);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int val = i + 1 < argc;
        if (strcmp(a, "--json") == 0) o->json = 1;
        else if (strcmp(a, "--symprec") == 0 && val) {
            if (parse_double(argv[++i], &o->symprec) || o->symprec < 0) {
                fprintf(stderr, "dftscreen structure: --symprec needs a non-negative number, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--tolerance") == 0 && val) {
            if (parse_double(argv[++i], &o->tolerance) || !(o->tolerance > 0 && o->tolerance <= 5)) {
                fprintf(stderr, "dftscreen structure: --tolerance needs a factor in (0, 5], got '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--cutoff") == 0 && val) {
            if (parse_double(argv[++i], &o->cutoff) || !(o->cutoff > 0 && o->cutoff <= 20)) {
                fprintf(stderr, "dftscreen structure: --cutoff needs a distance in (0, 20] Angstrom, got '%s'\n",
                        argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--usual") == 0 && val) {
            const char *eq = strchr(argv[++i], '=');
            char sym[4] = "";
            int z = 0;
            if (eq && eq - argv[i] < 4) {
                memcpy(sym, argv[i], (size_t)(eq - argv[i]));
                sym[eq - argv[i]] = '\0';
                z = element_z(sym);
            }
            char *end = NULL;
            long n = eq ? strtol(eq + 1, &end, 10) : 0;
            if (!z || !end || *end || n < 1 || n > 12) {
                fprintf(stderr, "dftscreen structure: --usual needs ELEMENT=N (N from 1 to 12), got '%s'\n", argv[i]);
                return 2;
            }
            o->copts.usual_override[z] = (int)n;
        } else if (strcmp(a, "--select") == 0 && val) o->select = argv[++i];
        else if (strcmp(a, "--names") == 0 && val) o->names_file = argv[++i];
        else if (strcmp(a, "--host") == 0 && val) o->host = argv[++i];
        else if (strcmp(a, "--guest") == 0 && val) o->guest = argv[++i];
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dftscreen structure: unknown option or missing value '%s'\n%s", a, cmd_structure_help);
            return 2;
        } else if (!o->path) o->path = a;
        else {
            fprintf(stderr, "dftscreen structure: one PATH only\n");
            return 2;
        }
    }
    if (!o->path) {
        fputs(cmd_structure_help, stderr);
        return 2;
    }
    if (!o->host != !o->guest) {
        fprintf(stderr, "dftscreen structure: --host and --guest go together\n");
        return 2;
    }
    o->copts.cutoff = o->cutoff;
    o->copts.tolerance = o->tolerance;
    return 0;
}

/* *.cube and *.cube.gz (CP2K, Gaussian) */
static int is_cube_name(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcmp(path + n - 5, ".cube") == 0) || (n > 8 && strcmp(path + n - 8, ".cube.gz") == 0);
}

/* VASP volumetric files carry a structure; the run readers do not take them. */
static int is_volumetric_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char *const prefixes[] = {"CHGCAR", "CHG", "AECCAR", "LOCPOT", "ELFCAR", "PARCHG"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(base, prefixes[i], strlen(prefixes[i])) == 0) return 1;
    return 0;
}

/* The structure a volumetric grid carries, as the run's input structure. */
static int run_from_grid(const char *path, const ds_grid *g, run_code code, ds_run *run, ds_err *err)
{
    int rc = run_set_species(run, g->n_atoms);
    if (!rc) rc = run_structure_alloc(&run->initial, g->n_atoms);
    if (rc) return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    run->code = code;
    snprintf(run->path, sizeof run->path, "%s", path);
    run->has_initial = 1;
    run->initial.has_lattice = 1;
    memcpy(run->initial.lattice_angstrom, g->lattice_angstrom, sizeof g->lattice_angstrom);
    for (int a = 0; a < g->n_atoms; a++) {
        const char *sym = element_symbol(g->atomic_numbers[a]);
        snprintf(run->species[a], sizeof run->species[a], "%s", sym ? sym : "?");
        memcpy(run->initial.positions_angstrom[a], g->positions_angstrom[a], sizeof(double[3]));
    }
    run_add_source(run, "structure", path);
    return DS_OK;
}

static int read_volumetric(const char *path, ds_run *run, ds_err *err)
{
    ds_grid g;
    grid_init(&g);
    int rc;
    if (is_cube_name(path)) {
        rc = cube_read(path, 0, &g, err);
        if (!rc) rc = run_from_grid(path, &g, RUN_CODE_CP2K, run, err);
    } else {
        vasp_chgcar_opts vo = {0, 1, NULL, NULL};
        vasp_chgcar_info info;
        memset(&info, 0, sizeof info);
        rc = vasp_chgcar_read(path, &vo, &g, &info, err);
        if (!rc && !info.species_known)
            rc = ds_err_set(err, DS_EFORMAT, path, 0, "VASP 4 volumetric file without species: elements unknown");
        if (!rc) rc = run_from_grid(path, &g, RUN_CODE_VASP, run, err);
        vasp_chgcar_info_free(&info);
    }
    grid_free(&g);
    return rc;
}

static int read_any(const char *path, ds_run *run, ds_err *err)
{
    if ((is_volumetric_name(path) || is_cube_name(path)) && ds_file_exists(path)) return read_volumetric(path, run, err);
    return run_read_path(path, run, err);
}

static void add_error(st_result *r, const char *what, const ds_err *err)
{
    char buf[1400], line[1600];
    snprintf(line, sizeof line, "%s: %s", what, ds_err_format(err, buf, sizeof buf));
    cJSON_AddItemToArray(r->errors, cJSON_CreateString(line));
    fprintf(stderr, "dftscreen structure: %s\n", line);
    r->failed = 1;
}

/* Reads a part for --host/--guest into run and atoms; 0 on success. */
static int read_part(const char *what, const char *path, ds_run *run, cell_atoms *atoms, st_result *r)
{
    ds_err err;
    ds_err_clear(&err);
    int rc = read_any(path, run, &err);
    if (!rc) rc = cell_atoms_from_run(run, atoms, &err);
    if (rc) add_error(r, what, &err);
    return rc;
}

static void analyse(const st_opts *o, const frag_names *names, st_result *r)
{
    ds_err err;
    ds_err_clear(&err);
    frag_opts fo;
    frag_opts_default(&fo);
    fo.tolerance = o->tolerance;
    fo.names = names;
    if (cell_atoms_from_run(&r->run, &r->atoms, &err) != DS_OK) {
        add_error(r, "structure", &err);
        return;
    }
    r->have_atoms = 1;
    if (o->symprec > 0 && cell_fully_periodic(&r->atoms.cell)) {
        if (sym_analyse(r->atoms.s, r->atoms.species, o->symprec, &r->sym, &err) == DS_OK) {
            r->have_sym = 1;
            set_representatives(r);
        } else add_error(r, "symmetry", &err);
    }
    if (fragments_find(&r->atoms, &fo, &r->frags, &err) == DS_OK) r->have_frags = 1;
    else add_error(r, "fragments", &err);
    if (o->host) {
        ds_run hr, gr;
        run_init(&hr);
        run_init(&gr);
        cell_atoms ha, ga;
        if (read_part("host", o->host, &hr, &ha, r) == 0 && read_part("guest", o->guest, &gr, &ga, r) == 0) {
            if (hostguest_map(&r->atoms, &ha, &ga, &fo, &r->map, &err) == DS_OK) r->have_map = 1;
            else add_error(r, "host-guest", &err);
        }
        run_free(&hr);
        run_free(&gr);
    }
    if (r->have_frags || r->have_map) {
        if (coordination_analyse(&r->atoms, r->have_frags ? &r->frags : NULL, r->have_map ? r->map.guest : NULL, NULL,
                                 &o->copts, &r->coord, &err) == DS_OK)
            r->have_coord = 1;
        else add_error(r, "coordination", &err);
    }
    if (o->select) {
        r->selection = calloc((size_t)r->atoms.n_atoms, 1);
        select_context ctx = {&r->atoms, &fo, o->symprec > 0 ? o->symprec : 1e-3};
        if (!r->selection || select_atoms_ext(o->select, &ctx, r->selection, &err) != DS_OK) {
            add_error(r, "selection", &err);
            free(r->selection);
            r->selection = NULL;
        }
    }
}

/* Symmetry class representative of atom a: the first atom equivalent to it. */
static int representative(const st_result *r, int a)
{
    return r->rep ? r->rep[a] : a;
}

static void set_representatives(st_result *r)
{
    int n = r->atoms.n_atoms;
    r->rep = malloc((size_t)n * sizeof *r->rep);
    int *first = malloc((size_t)n * sizeof *first);
    if (!r->rep || !first) {
        free(r->rep);
        free(first);
        r->rep = NULL;
        return;
    }
    for (int a = 0; a < n; a++) first[a] = -1;
    for (int a = 0; a < n; a++) {
        int cls = r->sym.equivalent_atoms[a];
        if (cls < 0 || cls >= n) {
            r->rep[a] = a;
            continue;
        }
        if (first[cls] < 0) first[cls] = a;
        r->rep[a] = first[cls];
    }
    free(first);
}

/* A spglib cell as JSON: lattice rows (Angstrom), species, fractional positions, volume. */
static cJSON *cell_json(const sym_cell *c)
{
    cJSON *o = cJSON_CreateObject(), *lat = cJSON_CreateArray(), *sp = cJSON_CreateArray(), *pos = cJSON_CreateArray();
    for (int r = 0; r < 3; r++) cJSON_AddItemToArray(lat, cJSON_CreateDoubleArray(c->lattice_angstrom[r], 3));
    for (int a = 0; a < c->n_atoms; a++) {
        const char *el = c->atomic_numbers[a] > 0 ? element_symbol(c->atomic_numbers[a]) : NULL;
        cJSON_AddItemToArray(sp, cJSON_CreateString(el ? el : "X"));
        cJSON_AddItemToArray(pos, cJSON_CreateDoubleArray(c->positions_frac[a], 3));
    }
    const double (*L)[3] = c->lattice_angstrom;
    double vol = L[0][0] * (L[1][1] * L[2][2] - L[1][2] * L[2][1]) - L[0][1] * (L[1][0] * L[2][2] - L[1][2] * L[2][0]) +
                 L[0][2] * (L[1][0] * L[2][1] - L[1][1] * L[2][0]);
    cJSON_AddNumberToObject(o, "n_atoms", c->n_atoms);
    cJSON_AddNumberToObject(o, "volume_angstrom3", fabs(vol));
    cJSON_AddItemToObject(o, "lattice_angstrom", lat);
    cJSON_AddItemToObject(o, "species", sp);
    cJSON_AddItemToObject(o, "positions_fractional", pos);
    return o;
}

static cJSON *index_array(const int *idx, int n)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < n; i++) cJSON_AddItemToArray(arr, cJSON_CreateNumber(idx[i] + 1));
    return arr;
}

static cJSON *mask_array(const unsigned char *m, int n)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        if (m[i]) cJSON_AddItemToArray(arr, cJSON_CreateNumber(i + 1));
    return arr;
}

static cJSON *atom_ref(const st_result *r, int a, double d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", a + 1);
    cJSON_AddStringToObject(o, "element", r->atoms.species[a]);
    cJSON_AddNumberToObject(o, "distance_angstrom", d);
    return o;
}

static cJSON *to_json(const st_opts *o, st_result *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "path", o->path);
    int n = r->have_atoms ? r->atoms.n_atoms : 0;
    cJSON_AddNumberToObject(j, "n_atoms", n);
    if (r->have_atoms) {
        char f[256];
        frag_hill_formula(r->atoms.species, NULL, n, f, sizeof f);
        cJSON_AddStringToObject(j, "formula", f);
        cJSON *per = cJSON_CreateArray();
        for (int k = 0; k < 3; k++) cJSON_AddItemToArray(per, cJSON_CreateBool(r->atoms.cell.pbc[k]));
        cJSON_AddItemToObject(j, "periodic", per);
    }
    cJSON_AddNumberToObject(j, "symprec_angstrom", o->symprec);
    if (r->have_sym) {
        cJSON_AddStringToObject(j, "spacegroup_symbol", r->sym.spacegroup_symbol);
        cJSON_AddNumberToObject(j, "spacegroup_number", r->sym.spacegroup_number);
        cJSON_AddNumberToObject(j, "hall_number", r->sym.hall_number);
        cJSON_AddItemToObject(j, "equivalent_atoms", index_array(r->sym.equivalent_atoms, n));
        cJSON *w = cJSON_CreateArray(), *u = cJSON_CreateArray();
        for (int a = 0; a < n; a++) {
            cJSON_AddItemToArray(w, cJSON_CreateString(r->sym.wyckoffs[a]));
            if (representative(r, a) != a) continue;
            int mult = 0;
            for (int b = a; b < n; b++) mult += representative(r, b) == a;
            cJSON *s = cJSON_CreateObject();
            cJSON_AddNumberToObject(s, "index", a + 1);
            cJSON_AddStringToObject(s, "element", r->atoms.species[a]);
            cJSON_AddStringToObject(s, "wyckoff", r->sym.wyckoffs[a]);
            cJSON_AddNumberToObject(s, "multiplicity", mult);
            cJSON_AddItemToArray(u, s);
        }
        cJSON_AddItemToObject(j, "wyckoffs", w);
        cJSON_AddItemToObject(j, "unique_sites", u);
        cJSON_AddItemToObject(j, "standardized_cell", cell_json(&r->sym.standardized));
        cJSON_AddItemToObject(j, "primitive_cell", cell_json(&r->sym.primitive));
    } else {
        const char *keys[] = {"spacegroup_symbol", "spacegroup_number", "hall_number", "equivalent_atoms", "wyckoffs",
                              "unique_sites", "standardized_cell", "primitive_cell"};
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) cJSON_AddNullToObject(j, keys[k]);
    }
    if (r->have_frags) {
        cJSON *fa = cJSON_CreateArray();
        for (int f = 0; f < r->frags.n_fragments; f++) {
            const fragment *fr = &r->frags.fragments[f];
            cJSON *fo = cJSON_CreateObject();
            cJSON_AddNumberToObject(fo, "index", f + 1);
            cJSON_AddItemToObject(fo, "atoms", index_array(fr->atoms, fr->n_atoms));
            cJSON_AddStringToObject(fo, "formula", fr->formula);
            if (fr->name[0]) cJSON_AddStringToObject(fo, "name", fr->name);
            else cJSON_AddNullToObject(fo, "name");
            cJSON_AddStringToObject(fo, "kind", frag_kind_name(fr->kind));
            cJSON_AddNumberToObject(fo, "periodic_dimension", fr->periodic_dimension);
            cJSON_AddItemToArray(fa, fo);
        }
        cJSON_AddItemToObject(j, "fragments", fa);
    } else cJSON_AddNullToObject(j, "fragments");
    if (r->have_coord) {
        cJSON *ma = cJSON_CreateArray();
        for (int s = 0; s < r->coord.n_sites; s++) {
            const coord_site *cs = &r->coord.sites[s];
            if (representative(r, cs->atom) != cs->atom) continue;
            cJSON *mo = cJSON_CreateObject();
            cJSON_AddNumberToObject(mo, "index", cs->atom + 1);
            cJSON_AddStringToObject(mo, "element", cs->element);
            cJSON_AddNumberToObject(mo, "coordination", cs->coordination);
            cJSON_AddNumberToObject(mo, "host_coordination", cs->host_coordination);
            if (cs->usual > 0) cJSON_AddNumberToObject(mo, "usual_coordination", cs->usual);
            else cJSON_AddNullToObject(mo, "usual_coordination");
            if (cs->open_site >= 0) cJSON_AddBoolToObject(mo, "open_site", cs->open_site);
            else cJSON_AddNullToObject(mo, "open_site");
            cJSON_AddNumberToObject(mo, "metal_neighbors", cs->n_metal_neighbors);
            cJSON *nb = cJSON_CreateArray();
            for (int k = 0; k < cs->coordination; k++)
                cJSON_AddItemToArray(nb, atom_ref(r, cs->neighbors[k], cs->distances[k]));
            cJSON_AddItemToObject(mo, "neighbors", nb);
            if (cs->nearest_guest >= 0)
                cJSON_AddItemToObject(mo, "nearest_guest", atom_ref(r, cs->nearest_guest, cs->nearest_guest_distance));
            else cJSON_AddNullToObject(mo, "nearest_guest");
            cJSON *eq = cJSON_CreateArray();
            for (int b = 0; b < n; b++)
                if (representative(r, b) == cs->atom) cJSON_AddItemToArray(eq, cJSON_CreateNumber(b + 1));
            cJSON_AddItemToObject(mo, "equivalent_atoms", eq);
            cJSON_AddItemToArray(ma, mo);
        }
        cJSON_AddItemToObject(j, "metal_sites", ma);
    } else cJSON_AddNullToObject(j, "metal_sites");
    if (r->have_map) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddItemToObject(g, "atoms", mask_array(r->map.guest, n));
        cJSON_AddStringToObject(g, "method", r->map.method);
        cJSON_AddItemToObject(j, "guest", g);
    } else if (o->host) cJSON_AddNullToObject(j, "guest");
    if (o->select) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "expression", o->select);
        if (r->selection) cJSON_AddItemToObject(s, "atoms", mask_array(r->selection, n));
        else cJSON_AddNullToObject(s, "atoms");
        cJSON_AddItemToObject(j, "selection", s);
    }
    cJSON_AddItemToObject(j, "errors", r->errors);
    r->errors = NULL;
    return j;
}

/* "1-12,15" */
static void print_ranges(const int *idx, int n)
{
    for (int i = 0; i < n;) {
        int k = i;
        while (k + 1 < n && idx[k + 1] == idx[k] + 1) k++;
        if (k > i) printf("%s%d-%d", i ? "," : "", idx[i] + 1, idx[k] + 1);
        else printf("%s%d", i ? "," : "", idx[i] + 1);
        i = k + 1;
    }
}

static void print_mask(const unsigned char *m, int n)
{
    int *idx = malloc((size_t)(n > 0 ? n : 1) * sizeof *idx), c = 0;
    if (!idx) return;
    for (int i = 0; i < n; i++)
        if (m[i]) idx[c++] = i;
    print_ranges(idx, c);
    printf(" (%d atoms)\n", c);
    free(idx);
}

static void print_text(const st_opts *o, const st_result *r)
{
    if (!r->have_atoms) return;
    int n = r->atoms.n_atoms;
    char f[256];
    frag_hill_formula(r->atoms.species, NULL, n, f, sizeof f);
    printf("%s\n  atoms          %d  %s\n", o->path, n, f);
    const ds_cell *c = &r->atoms.cell;
    if (c->has_lattice)
        printf("  cell           volume %.4f A^3, periodic along %s%s%s%s\n", c->volume, c->pbc[0] ? "a" : "",
               c->pbc[1] ? "b" : "", c->pbc[2] ? "c" : "", c->pbc[0] || c->pbc[1] || c->pbc[2] ? "" : "none");
    else printf("  cell           none (molecule)\n");
    if (r->have_sym) {
        printf("  space group    %s (%d), Hall %d, at symprec %g A\n", r->sym.spacegroup_symbol, r->sym.spacegroup_number,
               r->sym.hall_number, o->symprec);
        printf("  cells          standardised %d atoms, primitive %d atoms (spglib, idealised)\n  unique sites  ",
               r->sym.standardized.n_atoms, r->sym.primitive.n_atoms);
        for (int a = 0; a < n; a++) {
            if (representative(r, a) != a) continue;
            int mult = 0;
            for (int b = a; b < n; b++) mult += representative(r, b) == a;
            printf(" %s%d(%s,x%d)", r->atoms.species[a], a + 1, r->sym.wyckoffs[a], mult);
        }
        printf("\n");
    }
    if (r->have_frags) {
        printf("  fragments      %d\n", r->frags.n_fragments);
        for (int k = 0; k < r->frags.n_fragments; k++) {
            const fragment *fr = &r->frags.fragments[k];
            printf("    %-4d %-14s %-10s %-9s atoms ", k + 1, fr->formula, fr->name[0] ? fr->name : "-",
                   fr->kind == FRAG_EXTENDED ? (fr->periodic_dimension == 3   ? "framework"
                                                : fr->periodic_dimension == 2 ? "layer"
                                                                              : "chain")
                                             : frag_kind_name(fr->kind));
            print_ranges(fr->atoms, fr->n_atoms);
            printf("\n");
        }
    }
    if (r->have_map) {
        printf("  guest atoms    (%s) ", r->map.method);
        print_mask(r->map.guest, n);
    }
    if (r->have_coord && r->coord.n_sites) {
        printf("  metal sites (one per symmetry-unique site)\n");
        for (int s = 0; s < r->coord.n_sites; s++) {
            const coord_site *cs = &r->coord.sites[s];
            if (representative(r, cs->atom) != cs->atom) continue;
            printf("    %s%-5d CN %d (host %d", cs->element, cs->atom + 1, cs->coordination, cs->host_coordination);
            if (cs->usual > 0) printf(", usual %d", cs->usual);
            printf(")%s", cs->open_site == 1 ? "  OPEN" : cs->open_site == 0 ? "  saturated" : "");
            if (cs->nearest_guest >= 0)
                printf("  nearest guest %s%d at %.3f A", r->atoms.species[cs->nearest_guest], cs->nearest_guest + 1,
                       cs->nearest_guest_distance);
            printf("\n");
        }
    }
    if (o->select && r->selection) {
        printf("  selection '%s' -> ", o->select);
        print_mask(r->selection, n);
    }
}

int cmd_structure(int argc, char **argv)
{
    st_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;
    frag_names names = {0, 0, NULL};
    ds_err err;
    ds_err_clear(&err);
    if (o.names_file && frag_names_load(o.names_file, &names, &err) != DS_OK) {
        char buf[1400];
        fprintf(stderr, "dftscreen structure: %s\n", ds_err_format(&err, buf, sizeof buf));
        frag_names_free(&names);
        return 1;
    }
    st_result r;
    memset(&r, 0, sizeof r);
    run_init(&r.run);
    r.errors = cJSON_CreateArray();
    if (read_any(o.path, &r.run, &err) != DS_OK) {
        char buf[1400];
        fprintf(stderr, "dftscreen structure: %s\n", ds_err_format(&err, buf, sizeof buf));
        r.failed = 1;
    } else {
        analyse(&o, &names, &r);
        if (o.json) {
            cJSON *j = to_json(&o, &r);
            char *text = json_text_print(j, 1);
            if (text) printf("%s\n", text);
            cJSON_free(text);
            cJSON_Delete(j);
        } else print_text(&o, &r);
    }
    int status = r.failed ? 1 : 0;
    cJSON_Delete(r.errors);
    if (r.have_sym) sym_info_free(&r.sym);
    if (r.have_frags) frag_set_free(&r.frags);
    if (r.have_coord) coord_set_free(&r.coord);
    if (r.have_map) hg_map_free(&r.map);
    free(r.selection);
    free(r.rep);
    run_free(&r.run);
    frag_names_free(&names);
    return status;
}
