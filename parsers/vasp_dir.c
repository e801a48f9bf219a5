/* vasp_dir: reads a VASP run directory by combining its files.  vasprun.xml is the
 * primary source (pymatgen's choice, so energies agree with it); OUTCAR stands in when
 * vasprun.xml is missing or unreadable and fills what vasprun.xml lacks (termination,
 * magnetisation per site, ZVAL when absent); OSZICAR, CONTCAR/POSCAR, DOSCAR and
 * EIGENVAL fill further gaps.  Each quantity's file is recorded in run->sources. */
#include "parsers/vasp_dir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/vasp_doscar.h"
#include "parsers/vasp_eigenval.h"
#include "parsers/vasp_oszicar.h"
#include "parsers/vasp_outcar.h"
#include "parsers/vasp_params.h"
#include "parsers/vasp_poscar.h"
#include "parsers/vasp_vasprun.h"

typedef enum { VF_NONE, VF_VASPRUN, VF_OUTCAR, VF_OSZICAR, VF_POSCAR, VF_CONTCAR, VF_DOSCAR, VF_EIGENVAL } vasp_file_kind;

typedef struct {
    char vasprun[1024], outcar[1024], oszicar[1024], poscar[1024], contcar[1024], doscar[1024], eigenval[1024];
    int n_vasprun_candidates, n_outcar_candidates; /* suffixed names seen (vasprun_2.xml, OUTCAR_MAG) */
} vasp_files;

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* What a file is, from its name (vasprun_2.xml, OUTCAR_MAG, OUTCAR.gz, CONTCAR.relax2, ...). */
static vasp_file_kind kind_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (ds_starts_with(base, "vasprun") && strstr(base, ".xml")) return VF_VASPRUN;
    if (ds_starts_with(base, "OUTCAR")) return VF_OUTCAR;
    if (ds_starts_with(base, "OSZICAR")) return VF_OSZICAR;
    if (ds_starts_with(base, "CONTCAR")) return VF_CONTCAR;
    if (ds_starts_with(base, "POSCAR")) return VF_POSCAR;
    if (ds_starts_with(base, "DOSCAR")) return VF_DOSCAR;
    if (ds_starts_with(base, "EIGENVAL")) return VF_EIGENVAL;
    return VF_NONE;
}

/* Content sniffing for files with other names: an XML file with <modeling>, or an OUTCAR
 * whose first line names the VASP version. */
static vasp_file_kind kind_from_content(const char *path)
{
    ds_reader r;
    ds_err err;
    if (ds_reader_open(&r, path, &err) != DS_OK) return VF_NONE;
    vasp_file_kind kind = VF_NONE;
    char *line;
    for (int i = 0; i < 5 && (line = ds_reader_next(&r, NULL)); i++) {
        const char *p = ds_skip_ws(line);
        if (i == 0 && ds_starts_with(p, "vasp.")) { kind = VF_OUTCAR; break; }
        if (strstr(p, "<modeling>")) { kind = VF_VASPRUN; break; }
    }
    ds_reader_close(&r);
    return kind;
}

static void find_files(ds_dir_listing *l, vasp_files *f)
{
    memset(f, 0, sizeof *f);
    ds_dir_find_variant(l, "vasprun.xml", f->vasprun, sizeof f->vasprun);
    ds_dir_find_variant(l, "OUTCAR", f->outcar, sizeof f->outcar);
    ds_dir_find_variant(l, "OSZICAR", f->oszicar, sizeof f->oszicar);
    ds_dir_find_variant(l, "POSCAR", f->poscar, sizeof f->poscar);
    ds_dir_find_variant(l, "CONTCAR", f->contcar, sizeof f->contcar);
    ds_dir_find_variant(l, "DOSCAR", f->doscar, sizeof f->doscar);
    ds_dir_find_variant(l, "EIGENVAL", f->eigenval, sizeof f->eigenval);
    if (f->vasprun[0] && f->outcar[0]) return;
    /* Fall back on suffixed names (vasprun_2.xml, OUTCAR_MAG): the only one of its kind. */
    int n_vasprun = 0, n_outcar = 0;
    char vasprun[1024] = "", outcar[1024] = "";
    for (int i = 0; i < l->n_entries; i++) {
        vasp_file_kind k = kind_from_name(l->entries[i].name);
        if ((k != VF_VASPRUN && k != VF_OUTCAR) || !ds_dir_entry_is_file(l, i)) continue;
        if (!ds_dir_path(l, l->entries[i].name, k == VF_VASPRUN ? vasprun : outcar, sizeof vasprun)) continue;
        if (k == VF_VASPRUN) n_vasprun++;
        else n_outcar++;
    }
    f->n_vasprun_candidates = n_vasprun;
    f->n_outcar_candidates = n_outcar;
    if (!f->vasprun[0] && n_vasprun == 1) snprintf(f->vasprun, sizeof f->vasprun, "%s", vasprun);
    if (!f->outcar[0] && n_outcar == 1) snprintf(f->outcar, sizeof f->outcar, "%s", outcar);
}

int vasp_dir_detect_listed(ds_dir_listing *listing)
{
    vasp_files f;
    find_files(listing, &f);
    return f.vasprun[0] || f.outcar[0] || f.oszicar[0];
}

int vasp_dir_main_output(ds_dir_listing *listing, char *out, size_t n)
{
    vasp_files f;
    find_files(listing, &f);
    const char *main = f.vasprun[0] ? f.vasprun : f.outcar[0] ? f.outcar : f.oszicar;
    snprintf(out, n, "%s", main);
    return main[0] != '\0';
}

int vasp_dir_detect(const char *dir)
{
    if (!is_dir(dir)) return 0;
    ds_dir_listing l;
    ds_dir_list(dir, &l, NULL);
    int found = vasp_dir_detect_listed(&l);
    ds_dir_listing_free(&l);
    return found;
}

/* ---- merging: move what the primary run lacks from a secondary run ---------------- */

static void take_structure(run_structure *dst, run_structure *src)
{
    run_structure_free(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

static void merge_kinds(ds_run *dst, const ds_run *src)
{
    if (dst->n_kinds == 0 || dst->n_kinds != src->n_kinds) return;
    for (int i = 0; i < dst->n_kinds; i++) {
        run_kind *d = &dst->kinds[i];
        const run_kind *s = &src->kinds[i];
        if (strcmp(d->symbol, s->symbol) != 0) return; /* different order: do not guess */
        if (isnan(d->zval)) d->zval = s->zval;
        if (isnan(d->mass_amu)) d->mass_amu = s->mass_amu;
        if (!d->pseudopotential[0]) memcpy(d->pseudopotential, s->pseudopotential, sizeof d->pseudopotential);
    }
}

/* Copies provenance of the quantities that were taken from src. */
static void note_source(ds_run *dst, const ds_run *src, const char *quantity)
{
    const char *f = run_source_of(src, quantity);
    if (f) run_add_source(dst, quantity, f);
}

static void copy_warnings(ds_run *dst, const ds_run *src, const char *file)
{
    for (int i = 0; i < src->n_warnings; i++) {
        const char *base = strrchr(file, '/');
        run_add_warning(dst, "%s: %s", base ? base + 1 : file, src->warnings[i]);
    }
}

/* OUTCAR into a run read from vasprun.xml. */
static void merge_outcar(ds_run *dst, ds_run *out, const char *outcar_path)
{
    if (dst->n_atoms != out->n_atoms && out->n_atoms > 0) {
        run_add_warning(dst, "OUTCAR has %d atoms but vasprun.xml %d: OUTCAR not used", out->n_atoms, dst->n_atoms);
        return;
    }
    merge_kinds(dst, out);
    /* vasprun.xml closes its root tag whether or not VASP finished cleanly; the OUTCAR
     * timing block is written only at a normal end. */
    if (out->terminated_normally >= 0) {
        dst->terminated_normally = out->terminated_normally && dst->terminated_normally != 0;
        run_add_source(dst, "terminated_normally", outcar_path);
    }
    if (!dst->magnetization_per_site && out->magnetization_per_site) {
        dst->magnetization_per_site = out->magnetization_per_site;
        out->magnetization_per_site = NULL;
        note_source(dst, out, "magnetization");
        run_add_source(dst, "magnetization_per_site", outcar_path);
    }
    if (isnan(dst->magnetization_total) && !isnan(out->magnetization_total)) {
        dst->magnetization_total = out->magnetization_total;
        run_add_source(dst, "magnetization_total", outcar_path);
    }
    if (isnan(dst->fermi_eV) && !isnan(out->fermi_eV)) {
        dst->fermi_eV = out->fermi_eV;
        run_add_source(dst, "fermi", outcar_path);
    }
    for (int i = 0; i < out->n_params; i++)
        if (!run_param_get(dst, out->params[i].name)) run_add_param(dst, out->params[i].name, out->params[i].value);
    for (int i = 0; i < out->n_charges; i++) {
        const run_charges *c = &out->charges[i];
        run_charges *d = run_add_charges(dst, c->method, c->n_atoms);
        if (!d) continue;
        memcpy(d->population_e, c->population_e, (size_t)c->n_atoms * sizeof(double));
        memcpy(d->net_charge_e, c->net_charge_e, (size_t)c->n_atoms * sizeof(double));
    }
    if (!dst->has_eigen && out->has_eigen) {
        dst->eigen = out->eigen;
        dst->has_eigen = 1;
        memset(&out->eigen, 0, sizeof out->eigen);
        out->has_eigen = 0;
        run_add_source(dst, "eigenvalues", outcar_path);
    }
    /* Per-step magnetisation (vasprun.xml has none) when both saw the same steps. */
    if (out->n_steps == dst->n_steps)
        for (int i = 0; i < dst->n_steps; i++)
            if (isnan(dst->steps[i].magnetization_total))
                dst->steps[i].magnetization_total = out->steps[i].magnetization_total;
    /* Cross-check the final energy: both files are written by the same run. */
    double e_x = run_energy_eV(dst), e_o = run_energy_eV(out);
    if (!isnan(e_x) && !isnan(e_o) && out->n_steps == dst->n_steps && fabs(e_x - e_o) > 1e-5)
        run_add_warning(dst, "final energy differs between vasprun.xml (%.8f eV) and OUTCAR (%.8f eV)", e_x, e_o);
    if (out->n_steps > dst->n_steps && dst->truncated)
        run_add_warning(dst, "OUTCAR has %d complete ionic steps, the truncated vasprun.xml %d", out->n_steps,
                        dst->n_steps);
    if (out->has_overflow_fields) dst->has_overflow_fields = 1;
    copy_warnings(dst, out, outcar_path);
}

static void adopt_as_primary(ds_run *dst, ds_run *src)
{
    run_free(dst);
    *dst = *src;
    run_init(src);
}

typedef int (*reader_fn)(const char *path, ds_run *run, ds_err *err);

/* Reads one file into tmp; on failure records a warning in dst and returns nonzero. */
static int read_secondary(ds_run *dst, reader_fn fn, const char *path, ds_run *tmp)
{
    ds_err err;
    ds_err_clear(&err);
    run_init(tmp);
    int rc = fn(path, tmp, &err);
    if (rc != DS_OK) {
        char buf[1400];
        run_add_warning(dst, "%s not used: %s", path, ds_err_format(&err, buf, sizeof buf));
        run_free(tmp);
    }
    return rc;
}

static int read_doscar_adapter(const char *path, ds_run *run, ds_err *err)
{
    return vasp_doscar_read(path, -1, run, err);
}

/* Species names for a VASP-4 POSCAR come from the run's kinds. */
static int read_structure_file(ds_run *dst, const char *path, ds_run *tmp)
{
    const char *names[128];
    int n = 0;
    for (int i = 0; i < dst->n_kinds && i < 128; i++) names[n++] = dst->kinds[i].symbol;
    ds_err err;
    ds_err_clear(&err);
    run_init(tmp);
    int rc = vasp_poscar_read(path, n ? names : NULL, n, tmp, &err);
    if (rc != DS_OK) {
        char buf[1400];
        run_add_warning(dst, "%s not used: %s", path, ds_err_format(&err, buf, sizeof buf));
        run_free(tmp);
        return rc;
    }
    if (dst->n_atoms && tmp->n_atoms != dst->n_atoms) {
        run_add_warning(dst, "%s has %d atoms, the run %d: not used", path, tmp->n_atoms, dst->n_atoms);
        run_free(tmp);
        return DS_EFORMAT;
    }
    return DS_OK;
}

/* Takes the structure a POSCAR/CONTCAR read gave (and its species when the run has none). */
static void adopt_structure(ds_run *run, ds_run *tmp, run_structure *dest, const char *quantity, const char *path)
{
    take_structure(dest, &tmp->initial);
    if (!run->species) {
        run->species = tmp->species;
        run->kind_of_atom = tmp->kind_of_atom;
        run->n_atoms = tmp->n_atoms;
        tmp->species = NULL;
        tmp->kind_of_atom = NULL;
    }
    run_add_source(run, quantity, path);
    run_free(tmp);
}

static void fill_gaps(ds_run *run, const vasp_files *f)
{
    ds_run tmp;
    if (f->oszicar[0] && (run->n_steps == 0 || isnan(run->steps[run->n_steps - 1].magnetization_total)) &&
        read_secondary(run, vasp_oszicar_read, f->oszicar, &tmp) == DS_OK) {
        if (run->n_steps == 0 && tmp.n_steps > 0) {
            for (int i = 0; i < tmp.n_steps; i++) {
                run_step *s = run_push_step(run);
                if (!s) break;
                *s = tmp.steps[i];
                memset(&tmp.steps[i].structure, 0, sizeof tmp.steps[i].structure);
                tmp.steps[i].forces_eV_per_angstrom = NULL;
            }
            run_add_source(run, "energy", f->oszicar);
        } else if (tmp.n_steps == run->n_steps) {
            for (int i = 0; i < run->n_steps; i++)
                if (isnan(run->steps[i].magnetization_total))
                    run->steps[i].magnetization_total = tmp.steps[i].magnetization_total;
            run_add_source(run, "magnetization_per_step", f->oszicar);
        }
        if (isnan(run->magnetization_total) && run->n_steps > 0)
            run->magnetization_total = run->steps[run->n_steps - 1].magnetization_total;
        run_free(&tmp);
    }
    if (!run->has_final && f->contcar[0] && read_structure_file(run, f->contcar, &tmp) == DS_OK) {
        adopt_structure(run, &tmp, &run->final, "final_structure", f->contcar);
        run->has_final = 1;
    }
    if (!run->has_initial && f->poscar[0] && read_structure_file(run, f->poscar, &tmp) == DS_OK) {
        adopt_structure(run, &tmp, &run->initial, "initial_structure", f->poscar);
        run->has_initial = 1;
    }
    if (!run->has_dos && f->doscar[0] && read_secondary(run, read_doscar_adapter, f->doscar, &tmp) == DS_OK) {
        if (tmp.has_dos) {
            run->dos = tmp.dos;
            run->has_dos = 1;
            memset(&tmp.dos, 0, sizeof tmp.dos);
            tmp.has_dos = 0;
            run_add_source(run, "dos", f->doscar);
            if (isnan(run->fermi_eV)) {
                run->fermi_eV = tmp.fermi_eV;
                run_add_source(run, "fermi", f->doscar);
            }
        }
        run_free(&tmp);
    }
    if (!run->has_eigen && f->eigenval[0] && read_secondary(run, vasp_eigenval_read, f->eigenval, &tmp) == DS_OK) {
        if (tmp.has_eigen) {
            run->eigen = tmp.eigen;
            run->has_eigen = 1;
            memset(&tmp.eigen, 0, sizeof tmp.eigen);
            tmp.has_eigen = 0;
            run_add_source(run, "eigenvalues", f->eigenval);
        }
        run_free(&tmp);
    }
}

/* A single file: read it with its own reader. */
static int read_single_file(const char *path, ds_run *run, ds_err *err)
{
    vasp_file_kind k = kind_from_name(path);
    if (k == VF_NONE) k = kind_from_content(path);
    switch (k) {
    case VF_VASPRUN: return vasp_vasprun_read(path, run, err);
    case VF_OUTCAR: return vasp_outcar_read(path, run, err);
    case VF_OSZICAR: return vasp_oszicar_read(path, run, err);
    case VF_POSCAR:
    case VF_CONTCAR: {
        int rc = vasp_poscar_read(path, NULL, 0, run, err);
        if (rc == DS_OK && k == VF_CONTCAR) {
            run_structure_copy(&run->final, &run->initial);
            run->has_final = 1;
        }
        if (rc == DS_OK) run->code = RUN_CODE_VASP;
        return rc;
    }
    case VF_DOSCAR: return read_doscar_adapter(path, run, err);
    case VF_EIGENVAL: return vasp_eigenval_read(path, run, err);
    default:
        return ds_err_set(err, DS_EFORMAT, path, 0,
                          "not a VASP file this program reads (vasprun.xml, OUTCAR, OSZICAR, POSCAR, CONTCAR, DOSCAR, EIGENVAL)");
    }
}

int vasp_dir_read(const char *path, ds_run *run, ds_err *err)
{
    if (!is_dir(path)) {
        int rc = read_single_file(path, run, err);
        if (rc == DS_OK) {
            run->code = RUN_CODE_VASP;
            snprintf(run->path, sizeof run->path, "%s", path);
            vasp_settings_from_params(run);
        }
        return rc;
    }
    ds_dir_listing l;
    ds_dir_list(path, &l, NULL);
    int rc = vasp_dir_read_listed(&l, run, err);
    ds_dir_listing_free(&l);
    return rc;
}

int vasp_dir_read_listed(ds_dir_listing *listing, ds_run *run, ds_err *err)
{
    const char *path = listing->dir;
    vasp_files f;
    find_files(listing, &f);
    if (!f.vasprun[0] && !f.outcar[0] && !f.oszicar[0] && (f.n_vasprun_candidates > 1 || f.n_outcar_candidates > 1))
        return ds_err_set(err, DS_EUSAGE, path, 0,
                          "%d vasprun*.xml and %d OUTCAR* files here, none named plainly: name the file to read",
                          f.n_vasprun_candidates, f.n_outcar_candidates);
    if (!f.vasprun[0] && !f.outcar[0] && !f.oszicar[0])
        return ds_err_set(err, DS_ENODATA, path, 0, "no vasprun.xml, OUTCAR or OSZICAR (plain or .gz) in this directory");

    char vasprun_problem[1400] = "";
    int have_primary = 0;
    if (f.vasprun[0]) {
        ds_err e;
        ds_err_clear(&e);
        int rc = vasp_vasprun_read(f.vasprun, run, &e);
        if (rc == DS_OK) have_primary = 1;
        else {
            ds_err_format(&e, vasprun_problem, sizeof vasprun_problem);
            run_free(run);
        }
    }
    if (f.outcar[0]) {
        ds_run out;
        run_init(&out);
        ds_err e;
        ds_err_clear(&e);
        int rc = vasp_outcar_read(f.outcar, &out, &e);
        if (rc == DS_OK && !have_primary) {
            adopt_as_primary(run, &out);
            have_primary = 1;
        } else if (rc == DS_OK && (run->n_steps == 0 && out.n_steps > 0)) {
            /* vasprun.xml holds no complete step (aborted run): the OUTCAR knows more. */
            run_add_warning(&out, "vasprun.xml holds no complete ionic step; energies from OUTCAR");
            ds_run xml = *run;
            *run = out;
            run_init(&out);
            merge_kinds(run, &xml);
            run_free(&xml);
        } else if (rc == DS_OK) {
            merge_outcar(run, &out, f.outcar);
        } else if (have_primary) {
            char buf[1400];
            run_add_warning(run, "OUTCAR not used: %s", ds_err_format(&e, buf, sizeof buf));
        } else if (!f.oszicar[0]) {
            run_free(&out);
            if (vasprun_problem[0])
                return ds_err_set(err, e.code, f.outcar, e.line, "%s (and vasprun.xml failed: %s)", e.msg,
                                  vasprun_problem);
            *err = e;
            return e.code;
        }
        run_free(&out);
    }
    if (!have_primary && f.oszicar[0]) {
        int rc = vasp_oszicar_read(f.oszicar, run, err);
        if (rc != DS_OK) return rc;
        have_primary = 1;
    }
    if (!have_primary) {
        if (err && vasprun_problem[0]) ds_err_set(err, DS_EFORMAT, f.vasprun, 0, "%s", vasprun_problem);
        return err ? err->code : DS_EFORMAT;
    }
    if (vasprun_problem[0]) run_add_warning(run, "vasprun.xml not used: %s", vasprun_problem);
    run->code = RUN_CODE_VASP;
    snprintf(run->path, sizeof run->path, "%s", path);
    fill_gaps(run, &f);
    vasp_settings_from_params(run);
    return DS_OK;
}
