/* run_json: ds_run -> cJSON object.  cJSON prints doubles with up to 17 significant
 * digits, so values round-trip exactly. */
#include "screen/json_text.h"
#include "screen/run_json.h"

#include <math.h>

#include "descriptors/xc_identity.h"
#include "screen/sym_memo.h"
#include "structures/formula.h"

static cJSON *num_or_null(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static cJSON *flag(int v)
{
    return v < 0 ? cJSON_CreateNull() : cJSON_CreateBool(v != 0);
}

static cJSON *int_or_null(int v, int unknown)
{
    return v == unknown ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static cJSON *str_or_null(const char *s)
{
    return s && s[0] ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *matrix3(const double m[3][3])
{
    cJSON *rows = cJSON_CreateArray();
    for (int r = 0; r < 3; r++) cJSON_AddItemToArray(rows, cJSON_CreateDoubleArray(m[r], 3));
    return rows;
}

static cJSON *positions(const run_structure *s)
{
    cJSON *rows = cJSON_CreateArray();
    for (int a = 0; a < s->n_atoms; a++) cJSON_AddItemToArray(rows, cJSON_CreateDoubleArray(s->positions_angstrom[a], 3));
    return rows;
}

static cJSON *xc_json(const run_xc *xc)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "label", str_or_null(xc->label));
    cJSON_AddItemToObject(o, "libxc", str_or_null(xc->libxc_names));
    cJSON *ids = cJSON_CreateArray();
    for (int i = 0; i < 4 && xc->libxc_ids[i]; i++) cJSON_AddItemToArray(ids, cJSON_CreateNumber(xc->libxc_ids[i]));
    cJSON_AddItemToObject(o, "libxc_ids", ids);
    cJSON_AddItemToObject(o, "family", str_or_null(xc->family));
    cJSON_AddItemToObject(o, "exact_exchange_fraction", num_or_null(xc->exact_exchange_fraction));
    cJSON_AddItemToObject(o, "range_separation_bohr_inv", num_or_null(xc->range_separation_bohr_inv));
    return o;
}

static cJSON *settings_json(const ds_run *run, const run_xc *xc)
{
    const run_settings *s = &run->settings;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "functional_raw", str_or_null(s->functional_raw));
    cJSON_AddItemToObject(o, "xc", xc ? xc_json(xc) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "dispersion", str_or_null(s->dispersion));
    cJSON_AddItemToObject(o, "encut_eV", num_or_null(s->encut_eV));
    cJSON_AddItemToObject(o, "cutoff_Ry", num_or_null(s->cutoff_Ry));
    cJSON_AddItemToObject(o, "rel_cutoff_Ry", num_or_null(s->rel_cutoff_Ry));
    cJSON_AddItemToObject(o, "prec", str_or_null(s->prec));
    cJSON_AddItemToObject(o, "spin_polarized", flag(s->spin_polarized));
    cJSON_AddItemToObject(o, "noncollinear", flag(s->noncollinear));
    cJSON_AddItemToObject(o, "ismear", int_or_null(s->ismear, -99));
    cJSON_AddItemToObject(o, "sigma_eV", num_or_null(s->sigma_eV));
    if (s->kmesh[0] > 0) cJSON_AddItemToObject(o, "kmesh", cJSON_CreateIntArray(s->kmesh, 3));
    else cJSON_AddNullToObject(o, "kmesh");
    cJSON_AddItemToObject(o, "kmesh_type", str_or_null(s->kmesh_type));
    cJSON_AddItemToObject(o, "ldau", flag(s->ldau));
    cJSON_AddItemToObject(o, "ldau_u_eV", str_or_null(s->ldau_u_eV));
    cJSON_AddItemToObject(o, "charge", num_or_null(s->charge));
    cJSON_AddItemToObject(o, "multiplicity", int_or_null(s->multiplicity, -1));
    cJSON_AddItemToObject(o, "nelect", num_or_null(s->nelect));
    cJSON_AddItemToObject(o, "nelm", int_or_null(s->nelm, -1));
    cJSON_AddItemToObject(o, "nsw", int_or_null(s->nsw, -1));
    cJSON_AddItemToObject(o, "ibrion", int_or_null(s->ibrion, -1));
    cJSON_AddItemToObject(o, "ediff_eV", num_or_null(s->ediff));
    cJSON_AddItemToObject(o, "ediffg", num_or_null(s->ediffg));
    cJSON_AddItemToObject(o, "run_type", str_or_null(s->run_type));
    cJSON_AddItemToObject(o, "periodicity", str_or_null(s->periodicity));
    cJSON *kinds = cJSON_CreateArray();
    for (int k = 0; k < run->n_kinds; k++) {
        const run_kind *rk = &run->kinds[k];
        cJSON *ko = cJSON_CreateObject();
        cJSON_AddStringToObject(ko, "symbol", rk->symbol);
        cJSON_AddItemToObject(ko, "label", str_or_null(rk->label));
        cJSON_AddNumberToObject(ko, "count", rk->count);
        cJSON_AddItemToObject(ko, "zval", num_or_null(rk->zval));
        cJSON_AddItemToObject(ko, "mass_amu", num_or_null(rk->mass_amu));
        cJSON_AddItemToObject(ko, "pseudopotential", str_or_null(rk->pseudopotential));
        cJSON_AddItemToObject(ko, "basis", str_or_null(rk->basis));
        cJSON_AddItemToArray(kinds, ko);
    }
    cJSON_AddItemToObject(o, "kinds", kinds);
    return o;
}

static cJSON *steps_json(const ds_run *run)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < run->n_steps; i++) {
        const run_step *s = &run->steps[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "energy_eV", num_or_null(s->energy_sigma0_eV));
        cJSON_AddItemToObject(o, "energy_free_eV", num_or_null(s->energy_free_eV));
        cJSON_AddItemToObject(o, "energy_no_entropy_eV", num_or_null(s->energy_no_entropy_eV));
        cJSON_AddItemToObject(o, "energy_dispersion_eV", num_or_null(s->energy_dispersion_eV));
        cJSON_AddItemToObject(o, "max_force_eV_per_angstrom", num_or_null(s->max_force_eV_per_angstrom));
        cJSON_AddItemToObject(o, "magnetization_total", num_or_null(s->magnetization_total));
        cJSON_AddItemToObject(o, "n_scf_steps", int_or_null(s->n_scf_steps, -1));
        cJSON_AddItemToObject(o, "scf_converged", flag(s->scf_converged));
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *charges_json(const ds_run *run)
{
    if (run->n_charges == 0) return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < run->n_charges; i++) {
        const run_charges *c = &run->charges[i];
        cJSON *co = cJSON_CreateObject();
        cJSON *pop = cJSON_CreateArray(), *net = cJSON_CreateArray(), *spin = cJSON_CreateArray();
        for (int a = 0; a < c->n_atoms; a++) {
            cJSON_AddItemToArray(pop, num_or_null(c->population_e[a]));
            cJSON_AddItemToArray(net, num_or_null(c->net_charge_e[a]));
            if (c->spin_moment) cJSON_AddItemToArray(spin, num_or_null(c->spin_moment[a]));
        }
        cJSON_AddItemToObject(co, "population_e", pop);
        cJSON_AddItemToObject(co, "net_charge_e", net);
        if (c->spin_moment) cJSON_AddItemToObject(co, "spin_moment", spin);
        else cJSON_Delete(spin);
        cJSON_AddItemToObject(o, c->method, co);
    }
    return o;
}

static const run_structure *final_structure(const ds_run *run)
{
    if (run->has_final) return &run->final;
    for (int i = run->n_steps - 1; i >= 0; i--)
        if (run->steps[i].has_structure) return &run->steps[i].structure;
    if (run->has_initial) return &run->initial;
    return NULL;
}

/* The counterpoise block of a CP2K BSSE run (null otherwise); the three interaction
 * energies are also top-level keys (see run_bsse in parsers/run.h for the definitions). */
static cJSON *bsse_json(const run_bsse *b)
{
    if (!b->present) return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n_fragments", b->n_fragments);
    cJSON *confs = cJSON_CreateArray();
    for (int i = 0; i < b->n_configs; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "conf", b->conf[i]);
        cJSON_AddStringToObject(c, "subconf", b->subconf[i]);
        cJSON_AddStringToObject(c, "label", b->labels[i]);
        cJSON_AddItemToObject(c, "energy_Ha", num_or_null(b->energies_Ha[i]));
        cJSON_AddItemToObject(c, "energy_eV", num_or_null(b->energies_eV[i]));
        cJSON_AddItemToArray(confs, c);
    }
    cJSON_AddItemToObject(o, "configurations", confs);
    cJSON_AddItemToObject(o, "interaction_energy_eV", num_or_null(b->interaction_eV));
    cJSON_AddItemToObject(o, "corrected_interaction_energy_eV", num_or_null(b->corrected_interaction_eV));
    cJSON_AddItemToObject(o, "correction_eV", num_or_null(b->correction_eV));
    cJSON_AddItemToObject(o, "printed_cp_corrected_total_energy_eV", num_or_null(b->printed_cp_corrected_total_eV));
    cJSON_AddItemToObject(o, "printed_interaction_energy_eV", num_or_null(b->printed_interaction_eV));
    return o;
}

cJSON *run_to_json(const ds_run *run, const run_xc *xc, const sym_info *sym)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", run_code_name(run->code));
    cJSON_AddItemToObject(o, "code_version", str_or_null(run->code_version));
    cJSON_AddStringToObject(o, "path", run->path);
    cJSON_AddItemToObject(o, "title", str_or_null(run->title));
    cJSON_AddNumberToObject(o, "n_atoms", run->n_atoms);
    cJSON *species = cJSON_CreateArray();
    for (int a = 0; a < run->n_atoms && run->species; a++) cJSON_AddItemToArray(species, cJSON_CreateString(run->species[a]));
    cJSON_AddItemToObject(o, "species", species);
    char formula[256] = "";
    if (run->species) formula_of_species((const char (*)[4])run->species, run->n_atoms, 0, formula, sizeof formula);
    cJSON_AddItemToObject(o, "formula", str_or_null(formula));
    cJSON_AddNumberToObject(o, "n_ionic_steps", run->n_steps);
    double e = run_energy_eV(run);
    cJSON_AddItemToObject(o, "energy_eV", num_or_null(e));
    const run_step *last = run->n_steps ? &run->steps[run->n_steps - 1] : NULL;
    cJSON_AddItemToObject(o, "energy_free_eV", num_or_null(last ? last->energy_free_eV : NAN));
    cJSON_AddItemToObject(o, "energy_no_entropy_eV", num_or_null(last ? last->energy_no_entropy_eV : NAN));
    cJSON_AddItemToObject(o, "fermi_eV", num_or_null(run->fermi_eV));
    cJSON_AddItemToObject(o, "homo_eV", num_or_null(run->homo_eV));
    cJSON_AddItemToObject(o, "lumo_eV", num_or_null(run->lumo_eV));
    cJSON_AddItemToObject(o, "gap_eV", num_or_null(run->lumo_eV - run->homo_eV));
    cJSON_AddItemToObject(o, "converged_electronic", flag(run->converged_electronic));
    cJSON_AddItemToObject(o, "converged_ionic", flag(run->converged_ionic));
    cJSON_AddItemToObject(o, "terminated_normally", flag(run->terminated_normally));
    cJSON_AddBoolToObject(o, "truncated", run->truncated > 0);
    cJSON_AddBoolToObject(o, "overflow_fields", run->has_overflow_fields > 0);
    const run_structure *fs = final_structure(run);
    if (fs && fs->has_lattice) {
        cJSON_AddItemToObject(o, "lattice_angstrom", matrix3(fs->lattice_angstrom));
        cJSON_AddNumberToObject(o, "volume_angstrom3", run_volume_angstrom3(fs->lattice_angstrom));
    } else {
        cJSON_AddNullToObject(o, "lattice_angstrom");
        cJSON_AddNullToObject(o, "volume_angstrom3");
    }
    cJSON_AddItemToObject(o, "positions_angstrom", fs && fs->positions_angstrom ? positions(fs) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "magnetization_total", num_or_null(run->magnetization_total));
    if (run->magnetization_per_site)
        cJSON_AddItemToObject(o, "magnetization_per_site", cJSON_CreateDoubleArray(run->magnetization_per_site, run->n_atoms));
    else cJSON_AddNullToObject(o, "magnetization_per_site");
    if (sym) {
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "symbol", sym->spacegroup_symbol);
        cJSON_AddNumberToObject(so, "number", sym->spacegroup_number);
        cJSON_AddNumberToObject(so, "symprec_angstrom", sym->symprec_angstrom);
        cJSON_AddItemToObject(o, "spacegroup", so);
    } else cJSON_AddNullToObject(o, "spacegroup");
    cJSON_AddItemToObject(o, "settings", settings_json(run, xc));
    cJSON_AddItemToObject(o, "steps", steps_json(run));
    cJSON_AddItemToObject(o, "charges", charges_json(run));
    cJSON_AddItemToObject(o, "bsse_interaction_energy_eV", num_or_null(run->bsse.present ? run->bsse.interaction_eV : NAN));
    cJSON_AddItemToObject(o, "bsse_corrected_interaction_energy_eV",
                          num_or_null(run->bsse.present ? run->bsse.corrected_interaction_eV : NAN));
    cJSON_AddItemToObject(o, "bsse_correction_eV", num_or_null(run->bsse.present ? run->bsse.correction_eV : NAN));
    cJSON_AddItemToObject(o, "bsse", bsse_json(&run->bsse));
    cJSON_AddBoolToObject(o, "has_eigenvalues", run->has_eigen);
    cJSON_AddBoolToObject(o, "has_dos", run->has_dos);
    cJSON_AddBoolToObject(o, "has_projected_dos", (run->has_dos && run->dos.n_pdos_atoms > 0) || run->n_pdos_sets > 0);
    cJSON_AddItemToObject(o, "code_warnings", int_or_null(run->n_code_warnings, -1));
    cJSON *w = cJSON_CreateArray();
    for (int i = 0; i < run->n_warnings; i++) cJSON_AddItemToArray(w, cJSON_CreateString(run->warnings[i]));
    cJSON_AddItemToObject(o, "warnings", w);
    cJSON *src = cJSON_CreateObject();
    for (int i = 0; i < run->n_sources; i++) cJSON_AddStringToObject(src, run->sources[i].quantity, run->sources[i].file);
    cJSON_AddItemToObject(o, "sources", src);
    return o;
}

const run_structure *run_structure_for_symmetry(const ds_run *run)
{
    if (run->has_final && run->final.has_lattice) return &run->final;
    for (int i = run->n_steps - 1; i >= 0; i--)
        if (run->steps[i].has_structure && run->steps[i].structure.has_lattice) return &run->steps[i].structure;
    if (run->has_initial && run->initial.has_lattice) return &run->initial;
    return NULL;
}

char *run_show_json_text(ds_run *run, double symprec, int formatted)
{
    return run_show_json_text_memo(run, symprec, formatted, NULL);
}

char *run_show_json_text_memo(ds_run *run, double symprec, int formatted, sym_memo *memo)
{
    run_xc xc;
    ds_err xerr;
    int have_xc = xc_identity_of_run(run, &xc, &xerr) == DS_OK;
    if (!have_xc) run_add_warning(run, "functional not identified: %s", xerr.msg);
    sym_info sym;
    int have_sym = 0;
    const run_structure *s = run_structure_for_symmetry(run);
    if (symprec > 0 && s && run->species && s->n_atoms == run->n_atoms) {
        ds_err serr;
        const char (*species)[4] = (const char (*)[4])run->species;
        have_sym = (memo ? sym_memo_spacegroup(memo, s, species, symprec, &sym, &serr)
                         : sym_analyse(s, species, symprec, &sym, &serr)) == DS_OK;
    }
    cJSON *o = run_to_json(run, have_xc ? &xc : NULL, have_sym ? &sym : NULL);
    char *text = json_text_print(o, formatted);
    cJSON_Delete(o);
    if (have_sym) sym_info_free(&sym);
    return text;
}
