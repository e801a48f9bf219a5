/* store_read: rebuilds a ds_run from its HDF5 group (the inverse of store_write_run), so
 * descriptors can be computed from the store without the original files.  Every array
 * read is checked against the counts it must agree with: a corrupted store gives an
 * error, not a wrong run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/store.h"
#include "screen/store_io.h"
#include "screen/store_settings.h"
#include "screen/store_table.h"

static int bad(ds_err *err, const char *what)
{
    return ds_err_set(err, DS_EFORMAT, NULL, 0, "store: %s missing or inconsistent", what);
}

static int read_structure(hid_t parent, const char *name, run_structure *s, int n_atoms, int *present, ds_err *err)
{
    *present = 0;
    if (H5Lexists(parent, name, H5P_DEFAULT) <= 0) return DS_OK;
    hid_t g = H5Gopen2(parent, name, H5P_DEFAULT);
    if (g < 0) return bad(err, name);
    hsize_t n = 0;
    double *lat = store_get_doubles(g, "lattice_angstrom", &n);
    double *pos = NULL;
    int rc = DS_OK;
    if (!lat || n != 9) rc = bad(err, "lattice");
    if (!rc && run_structure_alloc(s, n_atoms)) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    if (!rc) {
        memcpy(s->lattice_angstrom, lat, sizeof s->lattice_angstrom);
        s->has_lattice = (int)store_get_long(g, "has_lattice", 1);
        pos = store_get_doubles(g, "positions_angstrom", &n);
        if (pos && n == (hsize_t)n_atoms * 3) memcpy(s->positions_angstrom, pos, n * sizeof *pos);
        else if (pos || n_atoms > 0) rc = bad(err, "positions");
        hsize_t ns = 0;
        int *sel = store_get_ints(g, "selective_dynamics", &ns);
        if (sel && ns == (hsize_t)n_atoms * 3) {
            s->selective = malloc((size_t)n_atoms * sizeof *s->selective + 1);
            if (s->selective)
                for (hsize_t i = 0; i < ns; i++) s->selective[i / 3][i % 3] = (unsigned char)sel[i];
        }
        free(sel);
    }
    free(lat);
    free(pos);
    H5Gclose(g);
    *present = rc == DS_OK;
    return rc;
}

/* kinds: the table, or the group of one dataset per column (format 2). */
static int read_kinds(hid_t run_g, ds_run *run, ds_err *err)
{
    if (H5Lexists(run_g, "kinds", H5P_DEFAULT) <= 0) return DS_OK;
    hsize_t n = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
    char *sym = store_get_column_strings(run_g, "kinds", "symbol", "kinds/symbol", 4, &n);
    char *lab = store_get_column_strings(run_g, "kinds", "label", "kinds/label", 32, &n2);
    char *pp = store_get_column_strings(run_g, "kinds", "pseudopotential", "kinds/pseudopotential", 96, &n3);
    char *bas = store_get_column_strings(run_g, "kinds", "basis", "kinds/basis", 96, &n4);
    int *count = store_get_column_ints(run_g, "kinds", "count", "kinds/count", &n5);
    double *zval = store_get_column_doubles(run_g, "kinds", "zval_e", "kinds/zval", &n6);
    double *mass = store_get_column_doubles(run_g, "kinds", "mass_amu", "kinds/mass", &n7);
    int rc = DS_OK;
    if (!sym || !lab || !pp || !bas || !count || !zval || !mass || n2 != n || n3 != n || n4 != n || n5 != n ||
        n6 != n || n7 != n || n > 100000)
        rc = bad(err, "kinds");
    if (!rc) {
        run->kinds = calloc(n ? n : 1, sizeof *run->kinds);
        if (!run->kinds) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    for (hsize_t k = 0; !rc && k < n; k++) {
        run_kind *rk = &run->kinds[k];
        memcpy(rk->symbol, sym + 4 * k, 3);
        memcpy(rk->label, lab + 32 * k, 31);
        memcpy(rk->pseudopotential, pp + 96 * k, 95);
        memcpy(rk->basis, bas + 96 * k, 95);
        rk->count = count[k];
        rk->zval = zval[k];
        rk->mass_amu = mass[k];
    }
    if (!rc) run->n_kinds = (int)n;
    free(sym), free(lab), free(pp), free(bas), free(count), free(zval), free(mass);
    return rc;
}

/* A step geometry array: trajectory/name, or steps/name in a format 2 store. */
static double *get_trajectory(hid_t run_g, const char *name, hsize_t *count)
{
    char path[64];
    snprintf(path, sizeof path, "trajectory/%s", name);
    double *v = store_get_doubles(run_g, path, count);
    if (v) return v;
    snprintf(path, sizeof path, "steps/%s", name);
    return store_get_doubles(run_g, path, count);
}

/* steps: the table (format 3) or the group with attribute n_steps (format 2); the per-step
 * geometry in trajectory/ (format 3) or steps/ (format 2). */
static int read_steps(hid_t run_g, ds_run *run, ds_err *err)
{
    if (H5Lexists(run_g, "steps", H5P_DEFAULT) <= 0) return DS_OK;
    long long n = store_table_rows(run_g, "steps");
    if (n < 0) {
        hid_t g = H5Gopen2(run_g, "steps", H5P_DEFAULT);
        n = g < 0 ? -1 : store_get_long(g, "n_steps", 0);
        if (g >= 0) H5Gclose(g);
    }
    int rc = DS_OK;
    if (n < 0 || n > 10000000) rc = bad(err, "n_steps");
    const char *names[6] = {"energy_free_eV", "energy_no_entropy_eV", "energy_sigma0_eV", "energy_dispersion_eV",
                            "max_force_eV_per_angstrom", "magnetization_total_muB"};
    const char *old[6] = {"steps/energy_free_eV", "steps/energy_no_entropy_eV", "steps/energy_sigma0_eV",
                          "steps/energy_dispersion_eV", "steps/max_force_eV_per_angstrom", "steps/magnetization_total"};
    double *v[6] = {0};
    int *iv[3] = {0};
    const char *inames[3] = {"n_scf_steps", "scf_converged", "has_structure"};
    const char *iold[3] = {"steps/n_scf_steps", "steps/scf_converged", "steps/has_structure"};
    double *pos = NULL, *lat = NULL, *frc = NULL;
    hsize_t cnt, npos = 0, nlat = 0, nfrc = 0;
    for (int k = 0; !rc && n > 0 && k < 6; k++)
        if (!(v[k] = store_get_column_doubles(run_g, "steps", names[k], old[k], &cnt)) || cnt != (hsize_t)n)
            rc = bad(err, names[k]);
    for (int k = 0; !rc && n > 0 && k < 3; k++)
        if (!(iv[k] = store_get_column_ints(run_g, "steps", inames[k], iold[k], &cnt)) || cnt != (hsize_t)n)
            rc = bad(err, inames[k]);
    if (!rc && n > 0) {
        pos = get_trajectory(run_g, "positions_angstrom", &npos);
        lat = get_trajectory(run_g, "lattice_angstrom", &nlat);
        frc = get_trajectory(run_g, "forces_eV_per_angstrom", &nfrc);
        size_t per = (size_t)run->n_atoms * 3;
        if ((pos && npos != (hsize_t)n * per) || (lat && nlat != (hsize_t)n * 9) || (frc && nfrc != (hsize_t)n * per))
            rc = bad(err, "step geometry");
    }
    for (long i = 0; !rc && i < n; i++) {
        run_step *s = run_push_step(run);
        if (!s) {
            rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        s->energy_free_eV = v[0][i];
        s->energy_no_entropy_eV = v[1][i];
        s->energy_sigma0_eV = v[2][i];
        s->energy_dispersion_eV = v[3][i];
        s->max_force_eV_per_angstrom = v[4][i];
        s->magnetization_total = v[5][i];
        s->n_scf_steps = iv[0][i];
        s->scf_converged = iv[1][i];
        size_t per = (size_t)run->n_atoms * 3;
        if (iv[2][i] && pos && lat) {
            if (run_structure_alloc(&s->structure, run->n_atoms)) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
            else {
                memcpy(s->structure.positions_angstrom, pos + i * per, per * sizeof *pos);
                memcpy(s->structure.lattice_angstrom, lat + i * 9, 9 * sizeof *lat);
                s->structure.has_lattice = !isnan(lat[i * 9]);
                s->has_structure = 1;
            }
        }
        if (frc && !isnan(frc[i * per])) {
            s->forces_eV_per_angstrom = malloc(per * sizeof(double) + 1);
            if (s->forces_eV_per_angstrom) memcpy(s->forces_eV_per_angstrom, frc + i * per, per * sizeof(double));
        }
    }
    for (int k = 0; k < 6; k++) free(v[k]);
    for (int k = 0; k < 3; k++) free(iv[k]);
    free(pos), free(lat), free(frc);
    return rc;
}

static int read_eigen_dos(hid_t run_g, ds_run *run, ds_err *err)
{
    if (H5Lexists(run_g, "eigen", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(run_g, "eigen", H5P_DEFAULT);
        hid_t d = H5Dopen2(g, "energies_eV", H5P_DEFAULT);
        hsize_t dims[3] = {0, 0, 0}, n = 0, m = 0, nk = 0, nw = 0;
        if (d >= 0) {
            hid_t sp = H5Dget_space(d);
            if (H5Sget_simple_extent_ndims(sp) == 3) H5Sget_simple_extent_dims(sp, dims, NULL);
            H5Sclose(sp);
            H5Dclose(d);
        }
        run_eigen *e = &run->eigen;
        e->energies_eV = store_get_doubles(g, "energies_eV", &n);
        e->occupations = store_get_doubles(g, "occupations", &m);
        e->kpoints_frac = store_get_doubles(g, "kpoints_frac", &nk);
        e->kweights = store_get_doubles(g, "kweights", &nw);
        e->n_spins = (int)dims[0];
        e->n_kpoints = (int)dims[1];
        e->n_bands = (int)dims[2];
        H5Gclose(g);
        if (!e->energies_eV || n != dims[0] * dims[1] * dims[2] || (e->occupations && m != n)) return bad(err, "eigen");
        run->has_eigen = 1;
    }
    if (H5Lexists(run_g, "dos", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(run_g, "dos", H5P_DEFAULT);
        run_dos *d = &run->dos;
        hsize_t n = 0, nt = 0, ni = 0, np = 0, no = 0;
        d->energies_eV = store_get_doubles(g, "energies_eV", &n);
        d->total = store_get_doubles(g, "total", &nt);
        d->integrated = store_get_doubles(g, "integrated", &ni);
        d->n_points = (int)n;
        d->n_spins = (int)store_get_long(g, "n_spins", 1);
        d->n_pdos_spins = (int)store_get_long(g, "n_pdos_spins", 0);
        d->pdos = store_get_doubles(g, "pdos", &np);
        char *labels = d->pdos ? store_get_strings(g, "orbital_labels", &no, 12) : NULL;
        H5Gclose(g);
        if (!d->energies_eV || (d->total && nt != n * (hsize_t)d->n_spins)) {
            free(labels);
            return bad(err, "dos");
        }
        if (d->pdos) {
            d->n_orbitals = (int)no;
            d->orbital_labels = (char (*)[12])labels;
            hsize_t per_atom = (hsize_t)d->n_pdos_spins * no * n;
            if (!labels || per_atom == 0 || np % per_atom) return bad(err, "pdos");
            d->n_pdos_atoms = (int)(np / per_atom);
        }
        run->has_dos = 1;
    }
    if (H5Lexists(run_g, "pdos_sets", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(run_g, "pdos_sets", H5P_DEFAULT);
        hsize_t n_sets = 0;
        H5Gget_num_objs(g, &n_sets);
        run->pdos_sets = calloc(n_sets ? n_sets : 1, sizeof *run->pdos_sets);
        for (hsize_t i = 0; run->pdos_sets && i < n_sets; i++) {
            char name[32];
            snprintf(name, sizeof name, "%llu", (unsigned long long)i);
            if (H5Lexists(g, name, H5P_DEFAULT) <= 0) continue;
            hid_t s = H5Gopen2(g, name, H5P_DEFAULT);
            run_pdos_set *p = &run->pdos_sets[run->n_pdos_sets];
            hsize_t nl = 0, no = 0, nw = 0, nocc = 0;
            store_get_str(s, "kind", p->kind, sizeof p->kind);
            store_get_str(s, "element", p->element, sizeof p->element);
            store_get_str(s, "source", p->source, sizeof p->source);
            p->spin = (int)store_get_long(s, "spin", 0);
            p->fermi_eV = store_get_double(s, "fermi_eV");
            p->energies_eV = store_get_doubles(s, "energies_eV", &nl);
            p->occupations = store_get_doubles(s, "occupations", &nocc);
            p->weights = store_get_doubles(s, "weights", &nw);
            p->orbital_labels = (char (*)[12])store_get_strings(s, "orbital_labels", &no, 12);
            p->n_levels = (int)nl;
            p->n_orbitals = (int)no;
            run->n_pdos_sets++;
            H5Gclose(s);
            if (!p->energies_eV || !p->weights || !p->orbital_labels || nw != nl * no || nocc != nl) {
                H5Gclose(g);
                return bad(err, "pdos set");
            }
        }
        H5Gclose(g);
    }
    return DS_OK;
}

/* settings and the parameters (every echoed INCAR tag / CP2K keyword): format 3 has the
 * tables settings and parameters, format 2 the group settings with param_names/param_values. */
static void read_settings(hid_t run_g, ds_run *run)
{
    store_settings_read(run_g, &run->settings);
    hsize_t n = 0, m = 0;
    char *names = store_get_column_strings(run_g, "parameters", "name", "settings/param_names", 48, &n);
    char *values = store_get_column_strings(run_g, "parameters", "value", "settings/param_values", 96, &m);
    for (hsize_t i = 0; names && values && n == m && i < n; i++) {
        char nm[49], vl[97];
        memcpy(nm, names + 48 * i, 48);
        nm[48] = '\0';
        memcpy(vl, values + 96 * i, 96);
        vl[96] = '\0';
        run_add_param(run, nm, vl);
    }
    free(names);
    free(values);
}

/* bsse/: attributes for the interaction energies, one row per configuration. */
static void read_bsse(hid_t g, run_bsse *bs)
{
    hid_t b = H5Gopen2(g, "bsse", H5P_DEFAULT);
    if (b < 0) return;
    bs->present = 1;
    bs->n_fragments = (int)store_get_long(b, "n_fragments", 0);
    bs->interaction_eV = store_get_double(b, "interaction_eV");
    bs->corrected_interaction_eV = store_get_double(b, "corrected_interaction_eV");
    bs->correction_eV = store_get_double(b, "correction_eV");
    bs->printed_cp_corrected_total_eV = store_get_double(b, "printed_cp_corrected_total_eV");
    bs->printed_interaction_eV = store_get_double(b, "printed_interaction_eV");
    hsize_t nh = 0, ne = 0, nl = 0, nc = 0, ns = 0;
    /* the table configurations; in a format 2 store, one dataset per column */
    double *h = store_get_column_doubles(b, "configurations", "energies_Ha", "energies_Ha", &nh);
    double *e = store_get_column_doubles(b, "configurations", "energies_eV", "energies_eV", &ne);
    char *l = store_get_column_strings(b, "configurations", "labels", "labels", sizeof bs->labels[0], &nl);
    char *c = store_get_column_strings(b, "configurations", "conf", "conf", sizeof bs->conf[0], &nc);
    char *s = store_get_column_strings(b, "configurations", "subconf", "subconf", sizeof bs->subconf[0], &ns);
    if (h && e && l && c && s && nh == ne && ne == nl && nl == nc && nc == ns && ne <= RUN_BSSE_MAX_CONFIGS) {
        bs->n_configs = (int)ne;
        memcpy(bs->energies_Ha, h, ne * sizeof *h);
        memcpy(bs->energies_eV, e, ne * sizeof *e);
        memcpy(bs->labels, l, ne * sizeof bs->labels[0]);
        memcpy(bs->conf, c, ne * sizeof bs->conf[0]);
        memcpy(bs->subconf, s, ne * sizeof bs->subconf[0]);
        for (hsize_t i = 0; i < ne; i++) /* fixed-width strings: terminate whatever the file holds */
            bs->labels[i][sizeof bs->labels[0] - 1] = bs->conf[i][sizeof bs->conf[0] - 1] = bs->subconf[i][sizeof bs->subconf[0] - 1] = '\0';
    }
    free(h), free(e), free(l), free(c), free(s);
    H5Gclose(b);
}

static void read_misc(hid_t g, ds_run *run)
{
    hsize_t n = 0;
    double *mag = store_get_column_doubles(g, "atoms", "magnetization_muB", "magnetization_per_site", &n);
    if (mag && n == (hsize_t)run->n_atoms) run->magnetization_per_site = mag;
    else free(mag);
    if (H5Lexists(g, "charges", H5P_DEFAULT) > 0) {
        hid_t c = H5Gopen2(g, "charges", H5P_DEFAULT);
        hsize_t nm = 0;
        H5Gget_num_objs(c, &nm);
        for (hsize_t i = 0; i < nm; i++) {
            char method[24] = "";
            /* creation order (the run's); format 2 stores track none: by name */
            if (H5Lget_name_by_idx(c, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, method, sizeof method, H5P_DEFAULT) < 0)
                H5Gget_objname_by_idx(c, i, method, sizeof method);
            /* a table per method; in a format 2 store, a group of one dataset per column */
            char old[64];
            hsize_t np = 0, nq = 0, ns = 0;
            snprintf(old, sizeof old, "%s/population_e", method);
            double *pop = store_get_column_doubles(c, method, "population_e", old, &np);
            snprintf(old, sizeof old, "%s/net_charge_e", method);
            double *net = store_get_column_doubles(c, method, "net_charge_e", old, &nq);
            snprintf(old, sizeof old, "%s/spin_moment", method);
            double *spin = store_get_column_doubles(c, method, "spin_moment_muB", old, &ns);
            run_charges *q = np == nq && np > 0 ? run_add_charges(run, method, (int)np) : NULL;
            if (q) {
                memcpy(q->population_e, pop, np * sizeof *pop);
                memcpy(q->net_charge_e, net, np * sizeof *net);
                if (spin && ns == np) {
                    q->spin_moment = spin;
                    spin = NULL;
                }
            }
            free(pop), free(net), free(spin);
        }
        H5Gclose(c);
    }
    if (H5Lexists(g, "bsse", H5P_DEFAULT) > 0) read_bsse(g, &run->bsse);
    hid_t d = H5Lexists(g, "warnings", H5P_DEFAULT) > 0 ? H5Dopen2(g, "warnings", H5P_DEFAULT) : -1;
    if (d >= 0) {
        hid_t t = H5Dget_type(d);
        size_t w = H5Tget_size(t);
        H5Tclose(t);
        H5Dclose(d);
        hsize_t nw = 0;
        char *buf = store_get_strings(g, "warnings", &nw, w);
        for (hsize_t i = 0; buf && i < nw; i++) {
            char *line = malloc(w + 1);
            if (!line) break;
            memcpy(line, buf + w * i, w);
            line[w] = '\0';
            run_add_warning(run, "%s", line);
            free(line);
        }
        free(buf);
    }
    hsize_t nq = 0, nf = 0;
    char *q = store_get_column_strings(g, "sources", "quantity", "source_quantities", 32, &nq);
    char *f = store_get_column_strings(g, "sources", "file", "source_files", 256, &nf);
    for (hsize_t i = 0; q && f && nq == nf && i < nq; i++) {
        char qq[33], ff[257];
        memcpy(qq, q + 32 * i, 32);
        qq[32] = '\0';
        memcpy(ff, f + 256 * i, 256);
        ff[256] = '\0';
        run_add_source(run, qq, ff);
    }
    free(q);
    free(f);
}

int store_read_run(hid_t g, ds_run *run, ds_err *err)
{
    char code[16];
    store_get_str(g, "code", code, sizeof code);
    run->code = strcmp(code, "vasp") == 0 ? RUN_CODE_VASP : strcmp(code, "cp2k") == 0 ? RUN_CODE_CP2K : RUN_CODE_UNKNOWN;
    store_get_str(g, "path", run->path, sizeof run->path);
    store_get_str(g, "code_version", run->code_version, sizeof run->code_version);
    store_get_str(g, "title", run->title, sizeof run->title);
    long n_atoms = store_get_long(g, "n_atoms", 0);
    if (n_atoms < 0 || n_atoms > 10000000) return bad(err, "n_atoms");
    run->fermi_eV = store_get_double(g, "fermi_eV");
    run->homo_eV = store_get_double(g, "homo_eV");
    run->lumo_eV = store_get_double(g, "lumo_eV");
    run->magnetization_total = store_get_double(g, "magnetization_total");
    run->terminated_normally = (int)store_get_long(g, "terminated_normally", -1);
    run->converged_electronic = (int)store_get_long(g, "converged_electronic", -1);
    run->converged_ionic = (int)store_get_long(g, "converged_ionic", -1);
    run->truncated = (int)store_get_long(g, "truncated", 0);
    run->has_overflow_fields = (int)store_get_long(g, "has_overflow_fields", 0);
    run->has_nonfinite = (int)store_get_long(g, "has_nonfinite", 0);
    run->n_code_warnings = (int)store_get_long(g, "n_code_warnings", -1);
    if (n_atoms > 0) {
        hsize_t n = 0, nk = 0;
        char *sp = store_get_column_strings(g, "atoms", "species", "species", 4, &n);
        int *koa = store_get_column_ints(g, "atoms", "kind_of_atom", "kind_of_atom", &nk);
        int ok = sp && n == (hsize_t)n_atoms && run_set_species(run, (int)n_atoms) == DS_OK;
        if (ok) {
            memcpy(run->species, sp, n * 4);
            for (long a = 0; a < n_atoms; a++) run->species[a][3] = '\0';
            if (koa && nk == n) memcpy(run->kind_of_atom, koa, n * sizeof *koa);
        }
        free(sp);
        free(koa);
        if (!ok) return bad(err, "species");
    }
    int rc = read_kinds(g, run, err);
    if (!rc) rc = read_structure(g, "initial", &run->initial, (int)n_atoms, &run->has_initial, err);
    if (!rc) rc = read_structure(g, "final", &run->final, (int)n_atoms, &run->has_final, err);
    if (!rc) rc = read_steps(g, run, err);
    if (!rc) rc = read_eigen_dos(g, run, err);
    if (!rc) {
        read_settings(g, run);
        read_misc(g, run);
    }
    return rc;
}
