/* store: writes every field of a run into an HDF5 group and reads it back. */
#include "screen/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen/store_io.h"
#include "screen/store_settings.h"
#include "screen/store_table.h"

/* ---------------------------------------------------------------- writing */

/* The shapes of a run's arrays, shared by the writers below and store_prepack_run: the packed
 * chunks are found by array and shape, so both must see the same. */
static void structure_dims(const run_structure *s, hsize_t d33[2], hsize_t dn3[2])
{
    d33[0] = d33[1] = 3;
    dn3[0] = (hsize_t)s->n_atoms, dn3[1] = 3;
}

static void eigen_dims(const run_eigen *e, hsize_t d3[3], hsize_t dk[2], hsize_t *dn)
{
    d3[0] = (hsize_t)e->n_spins, d3[1] = (hsize_t)e->n_kpoints, d3[2] = (hsize_t)e->n_bands;
    dk[0] = (hsize_t)e->n_kpoints, dk[1] = 3;
    *dn = (hsize_t)e->n_kpoints;
}

static void dos_dims(const run_dos *d, hsize_t *dn, hsize_t d2[2], hsize_t d4[4])
{
    *dn = (hsize_t)d->n_points;
    d2[0] = (hsize_t)d->n_spins, d2[1] = (hsize_t)d->n_points;
    d4[0] = (hsize_t)d->n_pdos_atoms, d4[1] = (hsize_t)d->n_pdos_spins, d4[2] = (hsize_t)d->n_orbitals;
    d4[3] = (hsize_t)d->n_points;
}

static void pdos_set_dims(const run_pdos_set *p, hsize_t *dl, hsize_t dw[2])
{
    *dl = (hsize_t)p->n_levels;
    dw[0] = (hsize_t)p->n_levels, dw[1] = (hsize_t)p->n_orbitals;
}

static int write_structure(hid_t parent, const char *name, const run_structure *s, const store_packed *pk)
{
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return DS_EIO;
    int rc = store_attr_long(g, "has_lattice", s->has_lattice);
    hsize_t d33[2], dn3[2];
    structure_dims(s, d33, dn3);
    rc |= store_put_doubles(g, "lattice_angstrom", 2, d33, &s->lattice_angstrom[0][0], "angstrom");
    if (s->positions_angstrom)
        rc |= store_put_doubles_packed(g, "positions_angstrom", 2, dn3, &s->positions_angstrom[0][0], "angstrom", pk);
    if (s->selective) {
        int *sel = malloc((size_t)s->n_atoms * 3 * sizeof *sel + 1);
        if (!sel) rc = DS_ENOMEM;
        else {
            for (int i = 0; i < s->n_atoms * 3; i++) sel[i] = s->selective[i / 3][i % 3];
            rc |= store_put_ints(g, "selective_dynamics", (hsize_t)s->n_atoms * 3, sel);
            free(sel);
        }
    }
    H5Gclose(g);
    return rc ? DS_EIO : DS_OK;
}

/* kinds: one row per kind (element or CP2K KIND). */
static int write_kinds(hid_t run_g, const ds_run *run)
{
    if (run->n_kinds <= 0) return DS_OK;
    int n = run->n_kinds, rc = 0;
    char *sym = calloc((size_t)n, 4), *lab = calloc((size_t)n, 32), *pp = calloc((size_t)n, 96), *bas = calloc((size_t)n, 96);
    int *count = calloc((size_t)n, sizeof *count);
    double *zval = calloc((size_t)n, sizeof *zval), *mass = calloc((size_t)n, sizeof *mass);
    if (!sym || !lab || !pp || !bas || !count || !zval || !mass) rc = DS_ENOMEM;
    for (int k = 0; !rc && k < n; k++) {
        const run_kind *rk = &run->kinds[k];
        memcpy(sym + 4 * k, rk->symbol, 4);
        memcpy(lab + 32 * k, rk->label, 32);
        memcpy(pp + 96 * k, rk->pseudopotential, 96);
        memcpy(bas + 96 * k, rk->basis, 96);
        count[k] = rk->count;
        zval[k] = rk->zval;
        mass[k] = rk->mass_amu;
    }
    if (!rc) {
        const store_column cols[] = {
            {"symbol", STORE_COL_STR, sym, 4, ""},          {"label", STORE_COL_STR, lab, 32, ""},
            {"count", STORE_COL_I32, count, 0, ""},         {"zval_e", STORE_COL_F64, zval, 0, "e"},
            {"mass_amu", STORE_COL_F64, mass, 0, "amu"},    {"pseudopotential", STORE_COL_STR, pp, 96, ""},
            {"basis", STORE_COL_STR, bas, 96, ""},
        };
        rc = store_put_table(run_g, "kinds", (hsize_t)n, (int)(sizeof cols / sizeof *cols), cols);
    }
    free(sym), free(lab), free(pp), free(bas), free(count), free(zval), free(mass);
    return rc ? DS_EIO : DS_OK;
}

/* Per-step geometry as [n_steps][n_atoms][3] with NAN rows for steps that have none. */
static int write_trajectory(hid_t run_g, const ds_run *run)
{
    int n = run->n_steps, na = run->n_atoms, rc = 0, any_geo = 0, any_force = 0;
    for (int i = 0; i < n; i++) {
        any_geo |= run->steps[i].has_structure && run->steps[i].structure.n_atoms == na;
        any_force |= run->steps[i].forces_eV_per_angstrom != NULL;
    }
    if (na <= 0 || !(any_geo || any_force)) return DS_OK;
    size_t per = (size_t)na * 3;
    double *pos = malloc((size_t)n * per * sizeof *pos), *lat = malloc((size_t)n * 9 * sizeof *lat),
           *frc = malloc((size_t)n * per * sizeof *frc);
    if (!pos || !lat || !frc) rc = DS_ENOMEM;
    for (int i = 0; !rc && i < n; i++) {
        const run_step *s = &run->steps[i];
        int ok = s->has_structure && s->structure.n_atoms == na && s->structure.positions_angstrom;
        for (size_t j = 0; j < per; j++) {
            pos[i * per + j] = ok ? (&s->structure.positions_angstrom[0][0])[j] : NAN;
            frc[i * per + j] = s->forces_eV_per_angstrom ? (&s->forces_eV_per_angstrom[0][0])[j] : NAN;
        }
        for (int j = 0; j < 9; j++) lat[i * 9 + j] = ok && s->structure.has_lattice ? (&s->structure.lattice_angstrom[0][0])[j] : NAN;
    }
    hid_t g = rc ? -1 : H5Gcreate2(run_g, "trajectory", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (!rc && g < 0) rc = DS_EIO;
    hsize_t dp[3] = {(hsize_t)n, (hsize_t)na, 3}, dl[3] = {(hsize_t)n, 3, 3};
    if (!rc && any_geo) {
        rc |= store_put_doubles(g, "positions_angstrom", 3, dp, pos, "angstrom");
        rc |= store_put_doubles(g, "lattice_angstrom", 3, dl, lat, "angstrom");
    }
    if (!rc && any_force) rc |= store_put_doubles(g, "forces_eV_per_angstrom", 3, dp, frc, "eV/angstrom");
    if (g >= 0) H5Gclose(g);
    free(pos), free(lat), free(frc);
    return rc ? DS_EIO : DS_OK;
}

/* steps: one row per ionic step (energies, force, SCF count and convergence). */
static int write_steps(hid_t run_g, const ds_run *run)
{
    int n = run->n_steps, rc = 0;
    if (n <= 0) return DS_OK;
    double *v = malloc((size_t)n * 6 * sizeof *v);
    int *iv = malloc((size_t)n * 3 * sizeof *iv);
    if (!v || !iv) rc = DS_ENOMEM;
    for (int i = 0; !rc && i < n; i++) {
        const run_step *s = &run->steps[i];
        v[i] = s->energy_free_eV;
        v[n + i] = s->energy_no_entropy_eV;
        v[2 * n + i] = s->energy_sigma0_eV;
        v[3 * n + i] = s->energy_dispersion_eV;
        v[4 * n + i] = s->max_force_eV_per_angstrom;
        v[5 * n + i] = s->magnetization_total;
        iv[i] = s->n_scf_steps;
        iv[n + i] = s->scf_converged;
        iv[2 * n + i] = s->has_structure;
    }
    if (!rc) {
        const store_column cols[] = {
            {"energy_free_eV", STORE_COL_F64, v, 0, "eV"},
            {"energy_no_entropy_eV", STORE_COL_F64, v + n, 0, "eV"},
            {"energy_sigma0_eV", STORE_COL_F64, v + 2 * n, 0, "eV"},
            {"energy_dispersion_eV", STORE_COL_F64, v + 3 * n, 0, "eV"},
            {"max_force_eV_per_angstrom", STORE_COL_F64, v + 4 * n, 0, "eV/angstrom"},
            {"magnetization_total_muB", STORE_COL_F64, v + 5 * n, 0, "mu_B"},
            {"n_scf_steps", STORE_COL_I32, iv, 0, ""},
            {"scf_converged", STORE_COL_I32, iv + n, 0, ""},
            {"has_structure", STORE_COL_I32, iv + 2 * n, 0, ""},
        };
        rc = store_put_table(run_g, "steps", (hsize_t)n, (int)(sizeof cols / sizeof *cols), cols);
    }
    free(v);
    free(iv);
    if (!rc) rc = write_trajectory(run_g, run);
    return rc ? DS_EIO : DS_OK;
}

static int write_eigen_dos(hid_t run_g, const ds_run *run, const store_packed *pk)
{
    int rc = 0;
    if (run->has_eigen) {
        const run_eigen *e = &run->eigen;
        hid_t g = H5Gcreate2(run_g, "eigen", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) return DS_EIO;
        hsize_t d3[3], dk[2], dn;
        eigen_dims(e, d3, dk, &dn);
        if (e->energies_eV) rc |= store_put_doubles_packed(g, "energies_eV", 3, d3, e->energies_eV, "eV", pk);
        if (e->occupations) rc |= store_put_doubles_packed(g, "occupations", 3, d3, e->occupations, "electrons", pk);
        if (e->kpoints_frac)
            rc |= store_put_doubles_packed(g, "kpoints_frac", 2, dk, e->kpoints_frac, "reciprocal fractional", pk);
        if (e->kweights) rc |= store_put_doubles_packed(g, "kweights", 1, &dn, e->kweights, "", pk);
        H5Gclose(g);
    }
    if (run->has_dos) {
        const run_dos *d = &run->dos;
        hid_t g = H5Gcreate2(run_g, "dos", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) return DS_EIO;
        hsize_t dn, d2[2], d4[4];
        dos_dims(d, &dn, d2, d4);
        rc |= store_put_doubles_packed(g, "energies_eV", 1, &dn, d->energies_eV, "eV (absolute)", pk);
        if (d->total) rc |= store_put_doubles_packed(g, "total", 2, d2, d->total, "states/eV", pk);
        if (d->integrated) rc |= store_put_doubles_packed(g, "integrated", 2, d2, d->integrated, "states", pk);
        if (d->pdos && d->n_pdos_atoms > 0) {
            rc |= store_put_doubles_packed(g, "pdos", 4, d4, d->pdos, "states/eV", pk);
            rc |= store_put_strings(g, "orbital_labels", (hsize_t)d->n_orbitals, 12, &d->orbital_labels[0][0]);
        }
        store_attr_long(g, "n_spins", d->n_spins);
        store_attr_long(g, "n_pdos_spins", d->n_pdos_spins);
        H5Gclose(g);
    }
    if (run->n_pdos_sets > 0) {
        hid_t g = H5Gcreate2(run_g, "pdos_sets", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) return DS_EIO;
        for (int i = 0; i < run->n_pdos_sets; i++) {
            const run_pdos_set *p = &run->pdos_sets[i];
            char name[16];
            snprintf(name, sizeof name, "%d", i);
            hid_t s = H5Gcreate2(g, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            if (s < 0) {
                rc = DS_EIO;
                break;
            }
            hsize_t dl, dw[2];
            pdos_set_dims(p, &dl, dw);
            store_attr_str(s, "kind", p->kind);
            store_attr_str(s, "element", p->element);
            store_attr_str(s, "source", p->source);
            store_attr_long(s, "spin", p->spin);
            store_attr_double(s, "fermi_eV", p->fermi_eV);
            rc |= store_put_doubles_packed(s, "energies_eV", 1, &dl, p->energies_eV, "eV", pk);
            rc |= store_put_doubles_packed(s, "occupations", 1, &dl, p->occupations, "electrons", pk);
            rc |= store_put_doubles_packed(s, "weights", 2, dw, p->weights, "", pk);
            rc |= store_put_strings(s, "orbital_labels", (hsize_t)p->n_orbitals, 12, &p->orbital_labels[0][0]);
            H5Gclose(s);
        }
        H5Gclose(g);
    }
    return rc ? DS_EIO : DS_OK;
}

/* settings: one row, a column per run_settings field that a comparison of energies checks. */
/* The parameters table's two columns (name, value), in arrays the caller frees: for the writer
 * and for store_prepack_run, which packs the table under the address of run->params. */
static int param_columns(const ds_run *run, char **names, char **values, store_column pcols[2])
{
    *names = calloc((size_t)run->n_params, 48);
    *values = calloc((size_t)run->n_params, 96);
    if (!*names || !*values) return DS_ENOMEM;
    for (int i = 0; i < run->n_params; i++) {
        memcpy(*names + 48 * i, run->params[i].name, 48);
        memcpy(*values + 96 * i, run->params[i].value, 96);
    }
    pcols[0] = (store_column){"name", STORE_COL_STR, *names, 48, ""};
    pcols[1] = (store_column){"value", STORE_COL_STR, *values, 96, ""};
    return DS_OK;
}

static int write_settings(hid_t run_g, const ds_run *run, const store_packed *pk)
{
    store_column cols[STORE_TABLE_MAX_COLS];
    int n = store_settings_columns(cols, &run->settings);
    int rc = store_put_table(run_g, "settings", 1, n, cols);
    if (!rc && run->n_params > 0) {
        char *names = NULL, *values = NULL;
        store_column pcols[2];
        rc = param_columns(run, &names, &values, pcols);
        if (!rc) rc = store_put_table_packed(run_g, "parameters", (hsize_t)run->n_params, 2, pcols, pk, run->params);
        free(names);
        free(values);
    }
    return rc ? DS_EIO : DS_OK;
}

static int write_misc(hid_t g, const ds_run *run)
{
    int rc = 0;
    if (run->n_charges) {
        /* the methods in the order the run has them (the reader lists them so, as show does) */
        hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
        H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        hid_t c = H5Gcreate2(g, "charges", H5P_DEFAULT, gcpl, H5P_DEFAULT);
        H5Pclose(gcpl);
        for (int i = 0; c >= 0 && i < run->n_charges; i++) {
            const run_charges *q = &run->charges[i];
            const store_column cols[] = {{"population_e", STORE_COL_F64, q->population_e, 0, "e"},
                                         {"net_charge_e", STORE_COL_F64, q->net_charge_e, 0, "e"},
                                         {"spin_moment_muB", STORE_COL_F64, q->spin_moment, 0, "mu_B"}};
            rc |= store_put_table(c, q->method, (hsize_t)q->n_atoms, 3, cols);
        }
        if (c >= 0) H5Gclose(c);
    }
    if (run->bsse.present) {
        const run_bsse *bs = &run->bsse;
        hid_t b = H5Gcreate2(g, "bsse", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (b >= 0) {
            hsize_t dn = (hsize_t)bs->n_configs;
            store_attr_long(b, "n_fragments", bs->n_fragments);
            store_attr_double(b, "interaction_eV", bs->interaction_eV);
            store_attr_double(b, "corrected_interaction_eV", bs->corrected_interaction_eV);
            store_attr_double(b, "correction_eV", bs->correction_eV);
            store_attr_double(b, "printed_cp_corrected_total_eV", bs->printed_cp_corrected_total_eV);
            store_attr_double(b, "printed_interaction_eV", bs->printed_interaction_eV);
            if (dn) {
                const store_column cols[] = {
                    {"energies_Ha", STORE_COL_F64, bs->energies_Ha, 0, "Ha"},
                    {"energies_eV", STORE_COL_F64, bs->energies_eV, 0, "eV"},
                    {"labels", STORE_COL_STR, &bs->labels[0][0], sizeof bs->labels[0], ""},
                    {"conf", STORE_COL_STR, &bs->conf[0][0], sizeof bs->conf[0], ""},
                    {"subconf", STORE_COL_STR, &bs->subconf[0][0], sizeof bs->subconf[0], ""},
                };
                rc |= store_put_table(b, "configurations", dn, (int)(sizeof cols / sizeof *cols), cols);
            }
            H5Gclose(b);
        }
    }
    if (run->n_warnings > 0) {
        size_t w = 1;
        for (int i = 0; i < run->n_warnings; i++)
            if (strlen(run->warnings[i]) + 1 > w) w = strlen(run->warnings[i]) + 1;
        char *buf = calloc((size_t)run->n_warnings, w);
        if (buf) {
            for (int i = 0; i < run->n_warnings; i++) memcpy(buf + w * i, run->warnings[i], strlen(run->warnings[i]));
            rc |= store_put_strings(g, "warnings", (hsize_t)run->n_warnings, w, buf);
            free(buf);
        }
    }
    if (run->n_sources > 0) {
        char *q = calloc((size_t)run->n_sources, 32), *f = calloc((size_t)run->n_sources, 256);
        if (q && f) {
            for (int i = 0; i < run->n_sources; i++) {
                memcpy(q + 32 * i, run->sources[i].quantity, 32);
                memcpy(f + 256 * i, run->sources[i].file, 256);
            }
            const store_column cols[] = {{"quantity", STORE_COL_STR, q, 32, ""}, {"file", STORE_COL_STR, f, 256, ""}};
            rc |= store_put_table(g, "sources", (hsize_t)run->n_sources, 2, cols);
        }
        free(q);
        free(f);
    }
    return rc ? DS_EIO : DS_OK;
}

int store_prepack_run(const ds_run *run, const char *json_text, store_packed *pk)
{
    int rc = 0;
    const run_structure *st[2] = {run->has_initial ? &run->initial : NULL, run->has_final ? &run->final : NULL};
    for (int k = 0; k < 2; k++) {
        if (!st[k] || !st[k]->positions_angstrom) continue;
        hsize_t d33[2], dn3[2];
        structure_dims(st[k], d33, dn3);
        rc |= store_prepack_doubles(pk, 2, dn3, &st[k]->positions_angstrom[0][0]);
    }
    if (run->has_eigen) {
        const run_eigen *e = &run->eigen;
        hsize_t d3[3], dk[2], dn;
        eigen_dims(e, d3, dk, &dn);
        rc |= store_prepack_doubles(pk, 3, d3, e->energies_eV);
        rc |= store_prepack_doubles(pk, 3, d3, e->occupations);
        rc |= store_prepack_doubles(pk, 2, dk, e->kpoints_frac);
        rc |= store_prepack_doubles(pk, 1, &dn, e->kweights);
    }
    if (run->has_dos) {
        const run_dos *d = &run->dos;
        hsize_t dn, d2[2], d4[4];
        dos_dims(d, &dn, d2, d4);
        rc |= store_prepack_doubles(pk, 1, &dn, d->energies_eV);
        rc |= store_prepack_doubles(pk, 2, d2, d->total);
        rc |= store_prepack_doubles(pk, 2, d2, d->integrated);
        if (d->n_pdos_atoms > 0) rc |= store_prepack_doubles(pk, 4, d4, d->pdos);
    }
    for (int i = 0; i < run->n_pdos_sets; i++) {
        const run_pdos_set *p = &run->pdos_sets[i];
        hsize_t dl, dw[2];
        pdos_set_dims(p, &dl, dw);
        rc |= store_prepack_doubles(pk, 1, &dl, p->energies_eV);
        rc |= store_prepack_doubles(pk, 1, &dl, p->occupations);
        rc |= store_prepack_doubles(pk, 2, dw, p->weights);
    }
    rc |= store_prepack_text(pk, json_text);
    if (run->n_params > 0) {
        char *names = NULL, *values = NULL;
        store_column pcols[2];
        rc |= param_columns(run, &names, &values, pcols) ? -1 : store_prepack_table(pk, run->params, (hsize_t)run->n_params, 2, pcols);
        free(names);
        free(values);
    }
    return rc ? -1 : 0;
}

int store_write_run(hid_t g, const ds_run *run, const char *json_text, ds_err *err)
{
    return store_write_run_packed(g, run, json_text, NULL, err);
}

int store_write_run_packed(hid_t g, const ds_run *run, const char *json_text, const store_packed *pk, ds_err *err)
{
    int rc = 0;
    rc |= store_attr_str(g, "path", run->path);
    rc |= store_attr_str(g, "code", run_code_name(run->code));
    rc |= store_attr_str(g, "code_version", run->code_version);
    rc |= store_attr_str(g, "title", run->title);
    rc |= store_attr_long(g, "n_atoms", run->n_atoms);
    rc |= store_attr_double(g, "energy_eV", run_energy_eV(run));
    rc |= store_attr_double(g, "fermi_eV", run->fermi_eV);
    rc |= store_attr_double(g, "homo_eV", run->homo_eV);
    rc |= store_attr_double(g, "lumo_eV", run->lumo_eV);
    rc |= store_attr_double(g, "magnetization_total", run->magnetization_total);
    rc |= store_attr_long(g, "terminated_normally", run->terminated_normally);
    rc |= store_attr_long(g, "converged_electronic", run->converged_electronic);
    rc |= store_attr_long(g, "converged_ionic", run->converged_ionic);
    rc |= store_attr_long(g, "truncated", run->truncated);
    rc |= store_attr_long(g, "has_overflow_fields", run->has_overflow_fields);
    rc |= store_attr_long(g, "has_nonfinite", run->has_nonfinite);
    rc |= store_attr_long(g, "n_code_warnings", run->n_code_warnings);
    if (run->n_atoms > 0) { /* a column without data (no magnetisation) is left out */
        const store_column cols[] = {{"species", STORE_COL_STR, run->species ? &run->species[0][0] : NULL, 4, ""},
                                     {"kind_of_atom", STORE_COL_I32, run->kind_of_atom, 0, ""},
                                     {"magnetization_muB", STORE_COL_F64, run->magnetization_per_site, 0, "mu_B"}};
        rc |= store_put_table(g, "atoms", (hsize_t)run->n_atoms, 3, cols);
    }
    if (!rc) rc = write_kinds(g, run);
    if (!rc && run->has_initial) rc = write_structure(g, "initial", &run->initial, pk);
    if (!rc && run->has_final) rc = write_structure(g, "final", &run->final, pk);
    if (!rc) rc = write_steps(g, run);
    if (!rc) rc = write_eigen_dos(g, run, pk);
    if (!rc) rc = write_settings(g, run, pk);
    if (!rc) rc = write_misc(g, run);
    if (!rc && json_text) rc = store_put_text_packed(g, "show_json", json_text, pk);
    if (rc) return ds_err_set(err, DS_EIO, run->path, 0, "HDF5 write of the run failed");
    return DS_OK;
}
