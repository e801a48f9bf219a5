/* cp2k_out: one streaming pass over a CP2K main output (plain or .gz).  A geometry step
 * counts when its "ENERGY| Total FORCE_EVAL ( QS ) energy [a.u.]" line was written; the
 * MO block kept is the last one (with diagonalisation CP2K prints one per SCF iteration,
 * then the converged one); with OT the LUMOs come from the "Lowest Eigenvalues of the
 * unoccupied subspace" block (a.u.).  Energies are converted with 1 Ha = 27.211386245988 eV. */
#include "parsers/cp2k_out.h"
#include "parsers/cp2k_out_priv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int mo_push(mo_block *m, double e, double occ)
{
    if (m->n == m->cap) {
        int cap = m->cap ? m->cap * 2 : 64;
        double *ne = realloc(m->e, (size_t)cap * sizeof *ne), *no = ne ? realloc(m->occ, (size_t)cap * sizeof *no) : NULL;
        if (ne) m->e = ne;
        if (!ne || !no) return DS_ENOMEM;
        m->occ = no;
        m->cap = cap;
    }
    m->e[m->n] = e;
    m->occ[m->n++] = occ;
    return DS_OK;
}

static void finish_mo_block(co_ctx *c)
{
    if (!c->in_mo) return;
    c->in_mo = 0;
    mo_block *dst = &c->mo[c->cur_spin];
    free(dst->e);
    free(dst->occ);
    *dst = c->cur;
    memset(&c->cur, 0, sizeof c->cur);
}

/* Keys found with strstr are guarded by the first character of their line (after the
 * indentation): most lines of a long run (SCF iterations, energy components, optimiser
 * summaries) then cost a few byte compares instead of a dozen scans. */
static int on_line(co_ctx *c, char *line)
{
    ds_run *run = c->run;
    const char *p = ds_skip_ws(line);
    if (c->in_mo) {
        if (ds_starts_with(p, "MO|") && isdigit((unsigned char)*ds_skip_ws(p + 3))) {
            double v[4];
            if (co_nums(p + 3, v, 4) == 4 && mo_push(&c->cur, v[1] * DS_HA_TO_EV, v[3])) return DS_ENOMEM;
            return DS_OK;
        }
        if (ds_starts_with(p, "MO|") && (strstr(p, "Index") || p[3] == '\0' || !strcmp(ds_skip_ws(p + 3), ""))) return DS_OK;
        finish_mo_block(c);
    }
    if (ds_starts_with(p, "MO|") && strstr(p, "EIGENVALUES AND OCCUPATION NUMBERS")) {
        c->in_mo = 1;
        c->cur.n = 0;
        c->cur_spin = strstr(p, "BETA") ? 1 : 0;
        return DS_OK;
    }
    if (ds_starts_with(p, "MO| E(Fermi):")) {
        double f = co_num_after(p, "E(Fermi):");
        if (!isnan(f)) run->fermi_eV = f * DS_HA_TO_EV;
    } else if (ds_starts_with(p, "ENERGY| Total FORCE_EVAL")) {
        double e = co_num_after(p, "[a.u.]:");
        run_step *s = run_push_step(run);
        if (!s) return DS_ENOMEM;
        s->energy_free_eV = s->energy_no_entropy_eV = s->energy_sigma0_eV = e * DS_HA_TO_EV;
        s->scf_converged = c->scf_state;
        s->n_scf_steps = c->scf_steps;
        s->energy_dispersion_eV = c->disp_Ha * DS_HA_TO_EV;
        c->scf_state = -1;
        c->scf_steps = -1;
        c->disp_Ha = NAN;
    } else if (*p == '*' && strstr(p, "SCF run converged in")) {
        c->scf_state = 1;
        c->scf_steps = ds_to_int(co_num_after(p, "converged in"), 0);
    } else if (*p == 'o' && strstr(p, "outer SCF loop converged in")) {
        c->scf_state = 1;
    } else if ((*p == '*' && strstr(p, "SCF run NOT converged")) || (*p == 'o' && strstr(p, "outer SCF loop FAILED to converge"))) {
        c->scf_state = 0;
    } else if (ds_starts_with(p, "Leaving inner SCF loop after reaching")) {
        c->scf_steps = ds_to_int(co_num_after(p, "reaching"), 0);
    } else if (ds_starts_with(p, "Dispersion energy:")) {
        c->disp_Ha = co_num_after(p, "Dispersion energy:");
    } else if (*p == 'L' && strstr(p, "Lowest Eigenvalues of the unoccupied subspace spin")) {
        char *l2;
        while ((l2 = ds_reader_next(&c->r, NULL))) {
            const char *q = ds_skip_ws(l2);
            double v[8];
            if (!*q) break;
            if (isdigit((unsigned char)*q) || *q == '-') {
                if (co_nums(q, v, 8) > 0) {
                    c->ot_lumo_Ha = v[0];
                    break;
                }
            }
        }
    } else if (ds_starts_with(p, "HOMO - LUMO gap [eV] :")) {
        c->printed_gap_eV = co_num_after(p, ":");
    } else if (ds_starts_with(p, "CP2K| version string:")) {
        const char *q = strstr(p, "CP2K version");
        if (q) snprintf(run->code_version, sizeof run->code_version, "%s", ds_skip_ws(q + 12));
    } else if (ds_starts_with(p, "GLOBAL| Run type")) {
        co_trailing_word(p, run->settings.run_type, sizeof run->settings.run_type);
    } else if (ds_starts_with(p, "GLOBAL| Project name")) {
        co_trailing_word(p, run->title, sizeof run->title);
    } else if (ds_starts_with(p, "DFT| Charge")) {
        run->settings.charge = co_num_after(p, "Charge");
    } else if (ds_starts_with(p, "DFT| Multiplicity")) {
        run->settings.multiplicity = ds_to_int(co_num_after(p, "Multiplicity"), 0);
    } else if (ds_starts_with(p, "DFT| Spin restricted") || ds_starts_with(p, "DFT| Spin unrestricted") ||
               ds_starts_with(p, "DFT| Restricted open")) {
        run->settings.spin_polarized = !ds_starts_with(p, "DFT| Spin restricted");
        run_add_param(run, "spin_treatment", strstr(p, "ROKS") ? "ROKS" : strstr(p, "UKS") ? "UKS" : "RKS");
    } else if (ds_starts_with(p, "FUNCTIONAL|") && !run->settings.functional_raw[0]) {
        const char *q = ds_skip_ws(p + 11);
        const char *e = strchr(q, ':');
        if (e && e > q) ds_copy_trim(run->settings.functional_raw, sizeof run->settings.functional_raw, q, e);
    } else if (ds_starts_with(p, "vdW POTENTIAL|") && strstr(p, "DFT-D")) {
        const char *q = strstr(p, "DFT-D");
        char what[16];
        ds_copy_trim(what, sizeof what, q + 4, q + 6);
        snprintf(run->settings.dispersion, sizeof run->settings.dispersion, "%s", what);
    } else if (ds_starts_with(p, "vdW POTENTIAL|") && strstr(p, "BJ Damping")) {
        if (strcmp(run->settings.dispersion, "D3") == 0) snprintf(run->settings.dispersion, sizeof run->settings.dispersion, "D3(BJ)");
    } else if (ds_starts_with(p, "QS| Density cutoff [a.u.]:")) {
        run->settings.cutoff_Ry = 2.0 * co_num_after(p, "[a.u.]:"); /* 1 Ha = 2 Ry */
    } else if (ds_starts_with(p, "QS| Relative density cutoff [a.u.]:")) {
        run->settings.rel_cutoff_Ry = 2.0 * co_num_after(p, "[a.u.]:");
    } else if (ds_starts_with(p, "CELL| Vector a [angstrom]") || ds_starts_with(p, "CELL| Vector b [angstrom]") ||
               ds_starts_with(p, "CELL| Vector c [angstrom]")) {
        int k = p[13] - 'a';
        double v[3];
        const char *colon = strchr(p, ':'); /* a damaged line may have none (found by fuzzing) */
        if (k >= 0 && k < 3 && colon && co_nums(colon + 1, v, 3) == 3) {
            memcpy(run->initial.lattice_angstrom[k], v, sizeof v);
            if (k == 2) run->initial.has_lattice = 1;
        }
    } else if ((*p == 'M' || *p == 'A') && (strstr(p, "ATOMIC COORDINATES IN ANGSTROM") || strstr(p, "ATOMIC COORDINATES IN angstrom"))) {
        return co_read_coordinates(c);
    } else if (*p == 'M' && strstr(p, "Mulliken Population Analysis")) {
        co_read_charges(c, "mulliken");
    } else if (*p == 'H' && strstr(p, "Hirshfeld Charges")) {
        co_read_charges(c, "hirshfeld");
    } else if (*p == '*' && strstr(p, "GEOMETRY OPTIMIZATION COMPLETED")) {
        c->geo_done = 1;
    } else if (*p == '*' && strstr(p, "MAXIMUM NUMBER OF OPTIMIZATION STEPS REACHED")) {
        c->geo_maxiter = 1;
    } else if (ds_starts_with(p, "-  BSSE CALCULATION")) {
        co_bsse_header(c, p);
    } else if (ds_starts_with(p, "Total energy:") && c->bsse_cur >= 0) {
        co_bsse_total_energy(c, p);
    } else if (*p == '-' && strstr(p, "BSSE RESULTS")) {
        co_bsse_results(c);
    } else if (ds_starts_with(p, "* [ABORT]")) {
        co_read_abort(c);
    } else if (*p == '*' && strstr(p, "PROGRAM ENDED AT")) {
        c->ended = 1;
    } else if (*p == 'T' && strstr(p, "The number of warnings for this run is :")) {
        run->n_code_warnings = ds_to_int(co_num_after(p, "is :"), 0);
    } else if (*p == '*' && strstr(p, "*** WARNING in ")) {
        const char *q = strstr(p, "::");
        char msg[200];
        ds_copy_trim(msg, sizeof msg, q ? q + 2 : p, p + strlen(p));
        size_t l = strlen(msg);
        while (l && (msg[l - 1] == '*' || msg[l - 1] == ' ')) msg[--l] = '\0';
        run_add_warning(run, "CP2K warning: %s", msg);
    } else if (ds_starts_with(p, "Atomic kind:") || (isdigit((unsigned char)*p) && strstr(p, ". Atomic kind:")) ||
               ds_starts_with(p, "Orbital Basis Set") || ((*p == 'G' || *p == 'P') && strstr(p, "Potential information for")) ||
               ds_starts_with(p, "Electronic configuration (s p d ...):")) {
        co_kind_line(c, line, p);
    }
    return DS_OK;
}

static int finish(co_ctx *c)
{
    ds_run *run = c->run;
    /* eigenvalues: one "k-point", the spins CP2K printed (bands padded with NaN) */
    int ns = c->mo[1].n > 0 ? 2 : (c->mo[0].n > 0 ? 1 : 0);
    if (ns) {
        int nb = c->mo[0].n > c->mo[1].n ? c->mo[0].n : c->mo[1].n;
        run_eigen *e = &run->eigen;
        e->energies_eV = malloc((size_t)ns * nb * sizeof(double));
        e->occupations = malloc((size_t)ns * nb * sizeof(double));
        e->kpoints_frac = calloc(3, sizeof(double));
        e->kweights = malloc(sizeof(double));
        if (!e->energies_eV || !e->occupations || !e->kpoints_frac || !e->kweights) return DS_ENOMEM;
        e->kweights[0] = 1.0;
        for (int s = 0; s < ns; s++)
            for (int b = 0; b < nb; b++) {
                int ok = b < c->mo[s].n;
                e->energies_eV[(size_t)s * nb + b] = ok ? c->mo[s].e[b] : NAN;
                e->occupations[(size_t)s * nb + b] = ok ? c->mo[s].occ[b] : 0.0;
            }
        e->n_spins = ns;
        e->n_kpoints = 1;
        e->n_bands = nb;
        run->has_eigen = 1;
        double homo = -INFINITY, lumo = INFINITY;
        for (int s = 0; s < ns; s++)
            for (int b = 0; b < c->mo[s].n; b++) {
                if (c->mo[s].occ[b] > 1e-8 && c->mo[s].e[b] > homo) homo = c->mo[s].e[b];
                if (c->mo[s].occ[b] <= 1e-8 && c->mo[s].e[b] < lumo) lumo = c->mo[s].e[b];
            }
        if (isfinite(homo)) run->homo_eV = homo;
        if (isfinite(lumo)) run->lumo_eV = lumo;
        run_add_source(run, "eigenvalues", c->path);
    }
    if (isnan(run->lumo_eV) && !isnan(c->ot_lumo_Ha)) run->lumo_eV = c->ot_lumo_Ha * DS_HA_TO_EV;
    if (!isnan(c->printed_gap_eV) && !isnan(run->homo_eV) && !isnan(run->lumo_eV) &&
        fabs(run->lumo_eV - run->homo_eV - c->printed_gap_eV) > 1e-4)
        run_add_warning(run, "HOMO-LUMO gap %.6f eV differs from the printed 'HOMO - LUMO gap' %.6f eV",
                        run->lumo_eV - run->homo_eV, c->printed_gap_eV);
    if (co_bsse_finish(c)) return DS_ENOMEM;
    /* flags */
    run->terminated_normally = c->ended;
    run->truncated = !c->ended && !c->abort_msg[0];
    if (c->abort_msg[0]) run_add_warning(run, "CP2K aborted: %s", c->abort_msg);
    int all = 1;
    char bad[256] = "";
    size_t used = 0;
    for (int i = 0; i < run->n_steps; i++)
        if (run->steps[i].scf_converged == 0) {
            all = 0;
            if (used < sizeof bad - 8) used += (size_t)snprintf(bad + used, sizeof bad - used, "%s%d", used ? ", " : "", i + 1);
        }
    if (run->n_steps) run->converged_electronic = all;
    if (used) run_add_warning(run, "SCF not converged in step(s) %s: those energies and orbitals must not be used", bad);
    int geo = strcmp(run->settings.run_type, "GEO_OPT") == 0 || strcmp(run->settings.run_type, "CELL_OPT") == 0;
    if (geo) {
        run->converged_ionic = c->geo_done ? 1 : 0;
        if (c->geo_maxiter) run_add_warning(run, "geometry optimisation stopped at its MAX_ITER without converging");
        else if (!c->geo_done) run_add_warning(run, "geometry optimisation did not finish (no GEOMETRY OPTIMIZATION COMPLETED)");
    } else if (run->n_steps) run->converged_ionic = 1; /* no geometry to converge */
    if (!c->ended && !c->abort_msg[0])
        run_add_warning(run, "no 'PROGRAM ENDED AT': the run was stopped or the output is cut (line %ld)", c->r.line_no);
    if (run->n_steps == 0) run_add_warning(run, "no 'ENERGY| Total FORCE_EVAL' line: no complete step, the energy is unknown");
    for (int k = 0; k < run->n_kinds; k++)
        if (!run->kinds[k].symbol[0]) element_from_label(run->kinds[k].label, run->kinds[k].symbol);
    if (run->has_initial && !geo) {
        run_structure_copy(&run->final, &run->initial);
        run->final.has_lattice = run->initial.has_lattice;
        run->has_final = 1;
    }
    if (c->overflow) run->has_overflow_fields = 1;
    run_add_source(run, "energy", c->path);
    run_add_source(run, "settings", c->path);
    if (run->n_charges) run_add_source(run, "charges", c->path);
    if (!isnan(run->fermi_eV)) run_add_source(run, "fermi", c->path);
    return DS_OK;
}

int cp2k_out_read(const char *path, ds_run *run, ds_err *err)
{
    co_ctx c;
    memset(&c, 0, sizeof c);
    c.run = run;
    c.path = path;
    c.scf_state = -1;
    c.scf_steps = -1;
    c.ot_lumo_Ha = c.printed_gap_eV = c.disp_Ha = NAN;
    c.bsse_cur = -1;
    int rc = ds_reader_open_full(&c.r, path, err);
    if (rc) return rc;
    run_note_main_digest(run, path, &c.r);
    run->code = RUN_CODE_CP2K;
    snprintf(run->path, sizeof run->path, "%s", path);
    char *line;
    int seen_cp2k = 0;
    while ((line = ds_reader_next(&c.r, NULL))) {
        if (!seen_cp2k) {
            if (strstr(line, "CP2K|") || strstr(line, "GLOBAL|")) seen_cp2k = 1;
            else if (c.r.line_no > 400) break;
        }
        rc = on_line(&c, line);
        if (rc) break;
    }
    finish_mo_block(&c);
    if (c.r.failed) run_add_warning(run, "%s", c.r.fail_err.msg);
    long last = c.r.line_no;
    if (!rc && seen_cp2k) rc = finish(&c);
    ds_reader_close(&c.r);
    for (int s = 0; s < 2; s++) free(c.mo[s].e), free(c.mo[s].occ);
    free(c.cur.e), free(c.cur.occ);
    if (rc == DS_ENOMEM) return ds_err_set(err, DS_ENOMEM, path, last, "out of memory");
    if (!seen_cp2k)
        return ds_err_set(err, last ? DS_EFORMAT : DS_ETRUNC, path, last ? 1 : 0,
                          last ? "not a CP2K output: no 'CP2K|' or 'GLOBAL|' banner line in the first 400 lines"
                               : "empty file: expected a CP2K output");
    if (run->n_atoms == 0 && run->n_steps == 0 && c.abort_msg[0])
        return ds_err_set(err, DS_EFORMAT, path, last, "CP2K aborted before the first energy: %s", c.abort_msg);
    if (run->n_atoms == 0 && run->n_steps == 0)
        return ds_err_set(err, DS_ETRUNC, path, last, "the output ends before the atomic coordinates were printed");
    return DS_OK;
}
