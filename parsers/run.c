/* run: lifecycle and small growing-array helpers of the run model. */
#include "parsers/run.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void settings_init(run_settings *s)
{
    memset(s, 0, sizeof *s);
    s->xc.exact_exchange_fraction = NAN;
    s->xc.range_separation_bohr_inv = NAN;
    s->encut_eV = NAN;
    s->cutoff_Ry = NAN;
    s->rel_cutoff_Ry = NAN;
    s->spin_polarized = -1;
    s->noncollinear = -1;
    s->ismear = -99;
    s->sigma_eV = NAN;
    s->ldau = -1;
    s->charge = NAN;
    s->multiplicity = -1;
    s->nelect = NAN;
    s->nelm = s->nsw = s->ibrion = -1;
    s->ediff = s->ediffg = NAN;
}

void run_init(ds_run *run)
{
    memset(run, 0, sizeof *run);
    run->fermi_eV = NAN;
    run->homo_eV = NAN;
    run->lumo_eV = NAN;
    run->magnetization_total = NAN;
    run->bsse.interaction_eV = run->bsse.corrected_interaction_eV = run->bsse.correction_eV = NAN;
    run->bsse.printed_cp_corrected_total_eV = run->bsse.printed_interaction_eV = NAN;
    run->terminated_normally = -1;
    run->converged_electronic = -1;
    run->converged_ionic = -1;
    run->truncated = 0;
    run->has_overflow_fields = 0;
    run->n_code_warnings = -1;
    settings_init(&run->settings);
}

void run_structure_free(run_structure *s)
{
    free(s->positions_angstrom);
    free(s->selective);
    s->positions_angstrom = NULL;
    s->selective = NULL;
    s->n_atoms = 0;
}

int run_structure_alloc(run_structure *s, int n_atoms)
{
    run_structure_free(s);
    if (n_atoms < 0) return DS_EUSAGE;
    s->positions_angstrom = calloc(n_atoms > 0 ? (size_t)n_atoms : 1, sizeof *s->positions_angstrom);
    if (!s->positions_angstrom) return DS_ENOMEM;
    s->n_atoms = n_atoms;
    return DS_OK;
}

int run_structure_copy(run_structure *dst, const run_structure *src)
{
    run_structure tmp = *src;
    tmp.positions_angstrom = NULL;
    tmp.selective = NULL;
    if (src->positions_angstrom) {
        tmp.positions_angstrom = malloc((size_t)src->n_atoms * sizeof *tmp.positions_angstrom + 1);
        if (!tmp.positions_angstrom) return DS_ENOMEM;
        memcpy(tmp.positions_angstrom, src->positions_angstrom, (size_t)src->n_atoms * sizeof *tmp.positions_angstrom);
    }
    if (src->selective) {
        tmp.selective = malloc((size_t)src->n_atoms * sizeof *tmp.selective + 1);
        if (!tmp.selective) {
            free(tmp.positions_angstrom);
            return DS_ENOMEM;
        }
        memcpy(tmp.selective, src->selective, (size_t)src->n_atoms * sizeof *tmp.selective);
    }
    run_structure_free(dst);
    *dst = tmp;
    return DS_OK;
}

static void eigen_free(run_eigen *e)
{
    free(e->kpoints_frac);
    free(e->kweights);
    free(e->energies_eV);
    free(e->occupations);
    memset(e, 0, sizeof *e);
}

static void dos_free(run_dos *d)
{
    free(d->energies_eV);
    free(d->total);
    free(d->integrated);
    free(d->orbital_labels);
    free(d->pdos);
    memset(d, 0, sizeof *d);
}

void run_note_main_digest(ds_run *run, const char *file, const ds_reader *r)
{
    if (!r->has_digest) return;
    snprintf(run->main_digest.file, sizeof run->main_digest.file, "%s", file);
    run->main_digest.bytes = r->digest_bytes;
    run->main_digest.crc64_xz = r->digest_crc64_xz;
}

void run_free(ds_run *run)
{
    if (!run) return;
    free(run->species);
    free(run->kind_of_atom);
    free(run->kinds);
    run_structure_free(&run->initial);
    run_structure_free(&run->final);
    for (int i = 0; i < run->n_steps; i++) {
        run_structure_free(&run->steps[i].structure);
        free(run->steps[i].forces_eV_per_angstrom);
    }
    free(run->steps);
    eigen_free(&run->eigen);
    dos_free(&run->dos);
    for (int i = 0; i < run->n_pdos_sets; i++) {
        run_pdos_set *p = &run->pdos_sets[i];
        free(p->orbital_labels);
        free(p->energies_eV);
        free(p->occupations);
        free(p->weights);
    }
    free(run->pdos_sets);
    free(run->magnetization_per_site);
    for (int i = 0; i < run->n_charges; i++) {
        free(run->charges[i].population_e);
        free(run->charges[i].net_charge_e);
        free(run->charges[i].spin_moment);
    }
    free(run->charges);
    free(run->params);
    free(run->param_slots);
    for (int i = 0; i < run->n_warnings; i++) free(run->warnings[i]);
    free(run->warnings);
    free(run->sources);
    run_init(run);
}

/* src into the fixed field dst of n bytes, cut to n - 1 bytes and NUL-terminated: what
 * snprintf(dst, n, "%s", src) writes, without printf's format machinery (a run takes hundreds
 * of parameters: those snprintf calls were 1% of an ingest's instructions). */
static void copy_field(char *dst, size_t n, const char *src)
{
    size_t l = strnlen(src, n - 1);
    memcpy(dst, src, l);
    dst[l] = '\0';
}

/* Grows *arr (elements of elem bytes) so that index n is valid.  Capacity is the next
 * power of two, so a reallocation happens only when n is 0 or a power of two: arrays grown
 * this way must only ever be appended to through these helpers. */
static int grow(void **arr, int n, size_t elem)
{
    if (n != 0 && (n & (n - 1)) != 0) return DS_OK;
    void *na = realloc(*arr, (size_t)(n == 0 ? 1 : 2 * n) * elem);
    if (!na) return DS_ENOMEM;
    *arr = na;
    return DS_OK;
}

int run_add_warning(ds_run *run, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* The same message twice says nothing new. */
    for (int i = 0; i < run->n_warnings; i++)
        if (strcmp(run->warnings[i], buf) == 0) return DS_OK;
    if (grow((void **)&run->warnings, run->n_warnings, sizeof *run->warnings)) return DS_ENOMEM;
    char *s = strdup(buf);
    if (!s) return DS_ENOMEM;
    run->warnings[run->n_warnings++] = s;
    return DS_OK;
}

int run_add_source(ds_run *run, const char *quantity, const char *file)
{
    for (int i = 0; i < run->n_sources; i++)
        if (strcmp(run->sources[i].quantity, quantity) == 0) {
            copy_field(run->sources[i].file, sizeof run->sources[i].file, file);
            return DS_OK;
        }
    if (grow((void **)&run->sources, run->n_sources, sizeof *run->sources)) return DS_ENOMEM;
    run_source *s = &run->sources[run->n_sources++];
    copy_field(s->quantity, sizeof s->quantity, quantity);
    copy_field(s->file, sizeof s->file, file);
    return DS_OK;
}

const char *run_source_of(const ds_run *run, const char *quantity)
{
    for (int i = 0; i < run->n_sources; i++)
        if (strcmp(run->sources[i].quantity, quantity) == 0) return run->sources[i].file;
    return NULL;
}

static unsigned param_hash(const char *name)
{
    unsigned h = 2166136261u; /* FNV-1a */
    while (*name) h = (h ^ (unsigned char)*name++) * 16777619u;
    return h;
}

/* Index of the param called name, or -1; *slot (if non-NULL) gets the index slot where it
 * is or would go. */
static int param_find(const ds_run *run, const char *name, int *slot)
{
    if (!run->param_slots) {
        for (int i = 0; i < run->n_params; i++)
            if (strcmp(run->params[i].name, name) == 0) return i;
        return -1;
    }
    unsigned mask = (unsigned)run->n_param_slots - 1;
    for (unsigned s = param_hash(name) & mask;; s = (s + 1) & mask) {
        int i = run->param_slots[s];
        if (i < 0 || strcmp(run->params[i].name, name) == 0) {
            if (slot) *slot = (int)s;
            return i;
        }
    }
}

/* Rebuilds the index with room for n params (load factor at most 1/2). */
static int param_reindex(ds_run *run, int n)
{
    int cap = 16;
    while (cap < 2 * n) cap *= 2;
    int *slots = malloc((size_t)cap * sizeof *slots);
    if (!slots) return DS_ENOMEM;
    for (int s = 0; s < cap; s++) slots[s] = -1;
    free(run->param_slots);
    run->param_slots = slots;
    run->n_param_slots = cap;
    for (int i = 0; i < run->n_params; i++) {
        int slot;
        if (param_find(run, run->params[i].name, &slot) < 0) slots[slot] = i; /* first wins */
    }
    return DS_OK;
}

int run_add_param(ds_run *run, const char *name, const char *value)
{
    if (2 * (run->n_params + 1) > run->n_param_slots && param_reindex(run, run->n_params + 1)) return DS_ENOMEM;
    int slot = 0;
    int i = param_find(run, name, &slot);
    if (i >= 0) {
        copy_field(run->params[i].value, sizeof run->params[i].value, value);
        return DS_OK;
    }
    if (grow((void **)&run->params, run->n_params, sizeof *run->params)) return DS_ENOMEM;
    run_param *p = &run->params[run->n_params];
    copy_field(p->name, sizeof p->name, name);
    copy_field(p->value, sizeof p->value, value);
    /* A name too long for the field is stored cut and appended every time, as a linear
     * scan comparing with the whole name would; lookups find the first of equal names. */
    if (strlen(name) < sizeof p->name || param_find(run, p->name, &slot) < 0)
        run->param_slots[slot] = run->n_params;
    run->n_params++;
    return DS_OK;
}

const char *run_param_get(const ds_run *run, const char *name)
{
    int i = param_find(run, name, NULL);
    return i >= 0 ? run->params[i].value : NULL;
}

run_step *run_push_step(ds_run *run)
{
    if (grow((void **)&run->steps, run->n_steps, sizeof *run->steps)) return NULL;
    run_step *s = &run->steps[run->n_steps++];
    memset(s, 0, sizeof *s);
    s->energy_free_eV = NAN;
    s->energy_no_entropy_eV = NAN;
    s->energy_sigma0_eV = NAN;
    s->energy_dispersion_eV = NAN;
    s->max_force_eV_per_angstrom = NAN;
    s->magnetization_total = NAN;
    s->n_scf_steps = -1;
    s->scf_converged = -1;
    return s;
}

run_charges *run_add_charges(ds_run *run, const char *method, int n_atoms)
{
    if (n_atoms <= 0) return NULL;
    for (int i = 0; i < run->n_charges; i++)
        if (strcmp(run->charges[i].method, method) == 0 && run->charges[i].n_atoms == n_atoms)
            return &run->charges[i]; /* a later block of the same kind replaces the earlier */
    if (grow((void **)&run->charges, run->n_charges, sizeof *run->charges)) return NULL;
    run_charges *c = &run->charges[run->n_charges];
    memset(c, 0, sizeof *c);
    copy_field(c->method, sizeof c->method, method);
    c->n_atoms = n_atoms;
    c->population_e = malloc((size_t)n_atoms * sizeof(double));
    c->net_charge_e = malloc((size_t)n_atoms * sizeof(double));
    if (!c->population_e || !c->net_charge_e) {
        free(c->population_e);
        free(c->net_charge_e);
        return NULL;
    }
    for (int i = 0; i < n_atoms; i++) c->population_e[i] = c->net_charge_e[i] = NAN;
    run->n_charges++;
    return c;
}

int run_set_species(ds_run *run, int n_atoms)
{
    free(run->species);
    free(run->kind_of_atom);
    run->species = calloc(n_atoms > 0 ? (size_t)n_atoms : 1, sizeof *run->species);
    run->kind_of_atom = calloc(n_atoms > 0 ? (size_t)n_atoms : 1, sizeof *run->kind_of_atom);
    if (!run->species || !run->kind_of_atom) return DS_ENOMEM;
    run->n_atoms = n_atoms;
    return DS_OK;
}

double run_energy_eV(const ds_run *run)
{
    for (int i = run->n_steps - 1; i >= 0; i--) {
        double e = run->steps[i].energy_sigma0_eV;
        if (!isnan(e)) return e;
    }
    return NAN;
}

double run_volume_angstrom3(const double a[3][3])
{
    return fabs(a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]));
}

const char *run_code_name(run_code code)
{
    switch (code) {
    case RUN_CODE_VASP: return "vasp";
    case RUN_CODE_CP2K: return "cp2k";
    default: return "unknown";
    }
}
