/* vasp_vasprun: one streaming pass over vasprun.xml (plain or .gz).  VASP writes one
 * element per line, so the reader is a line-driven state machine: it keeps the
 * parameters, the atom info, every complete ionic step (<calculation> ... </calculation>)
 * with its structure, forces and energies, and the eigenvalues and DOS of the last step
 * that has them; it skips <projected> and other bulky blocks it does not keep.  A file cut
 * off by a killed job keeps every complete step and is flagged truncated. */
#include "parsers/vasp_vasprun.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/vasp_params.h"
#include "structures/elements.h"

#define MAX_ATOMS 10000000

typedef struct {
    double *v;
    size_t n, cap;
} dvec;

/* Capacity cap (>= d->n) for d. */
static int dvec_set_cap(dvec *d, size_t cap)
{
    double *nv = realloc(d->v, cap * sizeof *nv);
    if (!nv) return DS_ENOMEM;
    d->v = nv;
    d->cap = cap;
    return DS_OK;
}

/* The growing half of dvec_reserve, out of line: the check in front of it runs once per
 * eigenvalue or DOS row. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int dvec_grow(dvec *d, size_t more)
{
    size_t cap = d->cap ? d->cap : 1024;
    while (cap - d->n < more) cap *= 2;
    return dvec_set_cap(d, cap);
}

/* Room for at least `more` values past d->n. */
static inline int dvec_reserve(dvec *d, size_t more)
{
    return d->cap - d->n >= more ? DS_OK : dvec_grow(d, more);
}

/* Room for `expected` values in all, asked for before a block's first row.  Without it a block
 * grows by doubling, and each doubling copies everything read so far (a 5 MB PDOS: about ten
 * copies; 1.2% of an ingest's instructions went to them).  The estimate is a hint: a block that
 * turns out larger grows as before, one that is smaller leaves room unused.  It is capped by
 * `limit` (what the rest of the file can hold), so a damaged parameter cannot ask for more
 * memory than the file justifies. */
static int dvec_presize(dvec *d, double expected, double limit)
{
    if (expected > limit) expected = limit;
    if (!(expected > 0)) return DS_OK; /* not known (or NaN): grown as it comes */
    expected += 32; /* the room the row readers ask for past the last value (row_numbers) */
    return expected <= (double)d->cap ? DS_OK : dvec_set_cap(d, (size_t)expected);
}

typedef enum { B_NONE, B_BASIS, B_POSITIONS, B_SELECTIVE, B_FORCES, B_KPOINTS, B_WEIGHTS } vec_block;

typedef struct {
    ds_reader r;
    ds_run *run;
    const char *path;
    /* where we are */
    int in_generator, in_incar, in_parameters, in_kpoints, in_atominfo, in_atoms_array, in_types_array;
    int in_structure, structure_kind; /* 1 initial, 2 step, 3 final, 4 ignored (primitive) */
    int in_calc, in_scstep, in_calc_energy, in_eigen, in_dos, in_total, in_partial;
    vec_block vec;
    /* accumulating */
    dvec basis, positions, forces, kpts, weights;
    unsigned char *selective;
    int n_selective;
    double sc_fr, sc_wo, sc_0; /* last scstep energies of the current calculation */
    double calc_fr, calc_wo, calc_0;
    int n_scsteps;
    run_structure calc_structure;
    int calc_has_structure;
    dvec eig;                 /* eigen rows: e, occ */
    int eig_spin, eig_kpt, eig_max_spin, eig_max_kpt;
    dvec dos_total;           /* rows: E, total, integrated per spin */
    int dos_spin, dos_max_spin;
    dvec dos_partial;         /* values in file order */
    int part_ion, part_spin, part_max_ion, part_max_spin, part_fields;
    char part_labels[32][12];
    double efermi;
    int calc_has_eigen, calc_has_dos;
    /* the kept results of the last calculation that had them */
    int n_calc_complete;
    int n_atomtypes_rows, n_atom_rows;
    long calc_start_line;
    int overflow, nonfinite;
} vr_ctx;

/* A count among the run's parameters (<parameters>, <incar>): its value when that is a positive
 * number, else 0 (absent, not a number, negative). */
static double param_count(const vr_ctx *c, const char *name)
{
    const char *v = run_param_get(c->run, name);
    char *end;
    double x = v ? strtod(v, &end) : 0;
    return v && end != v && x > 0 ? x : 0;
}

/* Spin components of the DOS blocks: ISPIN, or 4 (total, m_x, m_y, m_z) when noncollinear. */
static double dos_spins(const vr_ctx *c)
{
    const char *nc = run_param_get(c->run, "LNONCOLLINEAR");
    if (nc && (nc[0] == 'T' || nc[0] == 't' || (nc[0] == '.' && (nc[1] == 'T' || nc[1] == 't')))) return 4;
    double s = param_count(c, "ISPIN");
    return s > 0 ? s : 1;
}

/* dvec_presize with the cap of the rest of the file: every number takes 2 bytes at the least
 * ("0 ").  Only for a reader holding the whole file, which knows how much is left. */
static int presize_block(vr_ctx *c, dvec *d, double expected)
{
    if (!c->r.whole) return DS_OK;
    return dvec_presize(d, expected, (double)(c->r.end - c->r.start) / 2);
}

/* attr: a short literal ("name", "comment", "param"). */
static const char *attr_value(const char *line, const char *attr, char *out, size_t n)
{
    char key[32];
    size_t l = strlen(attr);
    if (l > sizeof key - 3) l = sizeof key - 3;
    memcpy(key, attr, l); /* attr=" without snprintf: this runs for every parameter line */
    memcpy(key + l, "=\"", 3);
    const char *p = strstr(line, key);
    out[0] = '\0';
    if (!p) return NULL;
    p += l + 2;
    const char *e = strchr(p, '"');
    if (!e) return NULL;
    ds_copy_trim(out, n, p, e);
    return out;
}

/* Text between the first '>' and the next '<' of an <i>/<v>/<c> element. */
static void element_text(const char *line, char *out, size_t n)
{
    const char *b = strchr(line, '>');
    out[0] = '\0';
    if (!b) return;
    b++;
    const char *e = strchr(b, '<');
    if (!e) e = b + strlen(b);
    ds_copy_trim(out, n, b, e);
}

/* Numbers after the opening tag, up to the closing '<', parsed straight into dst. */
static int row_numbers(vr_ctx *c, const char *line, dvec *dst, int *count)
{
    const char *p = line;
    if (p[0] == '<' && p[1] && p[2] == '>') p += 3; /* "<r>", "<v>" */
    else {
        while (*p && *p != '>') p++;
        if (!*p) return DS_EFORMAT;
        p++;
    }
    size_t k = 0;
    unsigned seen = 0;
    for (;;) {
        if (dvec_reserve(dst, 32)) return DS_ENOMEM; /* a PDOS row holds up to 17 */
        size_t room = dst->cap - dst->n;
        size_t got = ds_parse_doubles_line(&p, dst->v + dst->n, room, &seen);
        dst->n += got;
        k += got;
        if (got < room) break; /* stopped at the end of the numbers, not for want of room */
    }
    if (seen & (1u << DS_NUM_OVERFLOW)) c->overflow = 1;
    if (seen & (1u << DS_NUM_NONFINITE)) c->nonfinite = 1;
    if (count) *count = k > INT_MAX ? INT_MAX : (int)k;
    return DS_OK;
}

static double scalar_value(vr_ctx *c, const char *line)
{
    const char *p = strchr(line, '>');
    double x = NAN;
    if (!p) return NAN;
    p++;
    int rc = ds_parse_double(&p, &x);
    if (rc == DS_NUM_OVERFLOW) c->overflow = 1;
    if (rc == DS_NUM_NONFINITE) c->nonfinite = 1;
    return rc == DS_NUM_NONE ? NAN : x;
}

static int set_comment_index(const char *line, const char *word)
{
    char val[64];
    if (!attr_value(line, "comment", val, sizeof val)) return -1;
    size_t l = strlen(word);
    if (strncmp(val, word, l) != 0) return -1;
    return atoi(val + l) - 1;
}

static void keep_param(vr_ctx *c, const char *line, int incar)
{
    char name[48], value[96];
    if (!attr_value(line, "name", name, sizeof name)) return;
    element_text(line, value, sizeof value);
    if (incar) {
        char key[64];
        snprintf(key, sizeof key, "incar:%s", name);
        run_add_param(c->run, key, value);
    } else run_add_param(c->run, name, value);
}

/* <rc><c>..</c><c>..</c>...</rc>: the cells' texts. */
static int rc_cells(const char *line, char cells[][96], int max)
{
    int n = 0;
    const char *p = line;
    while (n < max && (p = strstr(p, "<c>"))) {
        p += 3;
        const char *e = strstr(p, "</c>");
        if (!e) break;
        ds_copy_trim(cells[n++], 96, p, e);
        p = e + 4;
    }
    return n;
}

static int finish_structure(vr_ctx *c, run_structure *s)
{
    int n = c->run->n_atoms;
    if (c->basis.n != 9 || (n > 0 && c->positions.n != (size_t)n * 3)) return DS_EFORMAT;
    if (run_structure_alloc(s, n)) return DS_ENOMEM;
    s->has_lattice = 1;
    for (int i = 0; i < 9; i++) s->lattice_angstrom[i / 3][i % 3] = c->basis.v[i];
    for (int a = 0; a < n; a++)
        for (int k = 0; k < 3; k++) {
            const double *f = &c->positions.v[3 * a];
            s->positions_angstrom[a][k] = f[0] * s->lattice_angstrom[0][k] + f[1] * s->lattice_angstrom[1][k] +
                                          f[2] * s->lattice_angstrom[2][k];
        }
    if (c->selective && c->n_selective == n * 3) {
        s->selective = malloc((size_t)n * sizeof *s->selective + 1);
        if (s->selective)
            for (int i = 0; i < n * 3; i++) s->selective[i / 3][i % 3] = c->selective[i];
    }
    return DS_OK;
}

static void reset_structure_acc(vr_ctx *c)
{
    c->basis.n = c->positions.n = 0;
    free(c->selective);
    c->selective = NULL;
    c->n_selective = 0;
}

static int on_structure_line(vr_ctx *c, const char *line)
{
    if (strstr(line, "</structure>")) {
        c->in_structure = 0;
        int rc = DS_OK;
        if (c->structure_kind == 1) {
            rc = finish_structure(c, &c->run->initial);
            if (!rc) c->run->has_initial = 1;
        } else if (c->structure_kind == 2) {
            rc = finish_structure(c, &c->calc_structure);
            if (!rc) c->calc_has_structure = 1;
        } else if (c->structure_kind == 3) {
            rc = finish_structure(c, &c->run->final);
            if (!rc) c->run->has_final = 1;
        }
        reset_structure_acc(c);
        return rc == DS_ENOMEM ? rc : DS_OK;
    }
    if (strstr(line, "<varray")) {
        if (strstr(line, "name=\"basis\"")) c->vec = B_BASIS;
        else if (strstr(line, "name=\"positions\"")) c->vec = B_POSITIONS;
        else if (strstr(line, "name=\"selective\"")) c->vec = B_SELECTIVE;
        else c->vec = B_NONE;
        return DS_OK;
    }
    if (strstr(line, "</varray>")) {
        c->vec = B_NONE;
        return DS_OK;
    }
    const char *p = ds_skip_ws_line(line);
    if (!DS_STARTS(p, "<v")) return DS_OK;
    if (c->vec == B_BASIS) return row_numbers(c, p, &c->basis, NULL);
    if (c->vec == B_POSITIONS) {
        if (c->positions.n >= (size_t)3 * MAX_ATOMS) return DS_EFORMAT;
        return row_numbers(c, p, &c->positions, NULL);
    }
    if (c->vec == B_SELECTIVE) {
        const char *q = strchr(p, '>');
        if (!q) return DS_OK;
        size_t n_flags = 0; /* three in a real row; a damaged row may hold any number */
        for (const char *t = q + 1; *t && *t != '<'; t++) n_flags += *t == 'T' || *t == 'F';
        if ((size_t)c->n_selective + n_flags > (size_t)3 * MAX_ATOMS) return DS_EFORMAT;
        unsigned char *ns = realloc(c->selective, (size_t)c->n_selective + n_flags + 1);
        if (!ns) return DS_ENOMEM;
        c->selective = ns;
        for (q++; *q && *q != '<'; q++)
            if (*q == 'T' || *q == 'F') c->selective[c->n_selective++] = (*q == 'T');
    }
    return DS_OK;
}

static void reset_calc(vr_ctx *c)
{
    c->sc_fr = c->sc_wo = c->sc_0 = NAN;
    c->calc_fr = c->calc_wo = c->calc_0 = NAN;
    c->n_scsteps = 0;
    run_structure_free(&c->calc_structure);
    c->calc_has_structure = 0;
    c->forces.n = 0;
    c->eig.n = 0;
    c->eig_max_spin = c->eig_max_kpt = 0;
    c->dos_total.n = 0;
    c->dos_max_spin = 0;
    c->dos_partial.n = 0;
    c->part_max_ion = c->part_max_spin = 0;
    c->part_fields = 0;
    c->calc_has_eigen = c->calc_has_dos = 0;
    c->efermi = NAN;
}

/* Resizes an array kept from the previous ionic step: a step the same size as the last
 * reuses its memory (no fresh pages to fault in on every step of a long run). */
static int resize_doubles(double **p, size_t n)
{
    double *q = realloc(*p, (n ? n : 1) * sizeof **p);
    if (!q) return DS_ENOMEM;
    *p = q;
    return DS_OK;
}

/* Moves the eigenvalues gathered in this calculation into run->eigen. */
static int commit_eigen(vr_ctx *c)
{
    int ns = c->eig_max_spin, nk = c->eig_max_kpt;
    if (ns <= 0 || nk <= 0 || c->eig.n == 0 || c->eig.n % ((size_t)2 * ns * nk)) return DS_OK;
    int nb = (int)(c->eig.n / (2 * (size_t)ns * nk));
    run_eigen *e = &c->run->eigen;
    if (resize_doubles(&e->energies_eV, (size_t)ns * nk * nb) || resize_doubles(&e->occupations, (size_t)ns * nk * nb))
        return DS_ENOMEM;
    for (size_t i = 0; i < (size_t)ns * nk * nb; i++) {
        e->energies_eV[i] = c->eig.v[2 * i];
        e->occupations[i] = c->eig.v[2 * i + 1];
    }
    e->n_spins = ns;
    e->n_kpoints = nk;
    e->n_bands = nb;
    free(e->kpoints_frac);
    free(e->kweights);
    e->kpoints_frac = NULL;
    e->kweights = NULL;
    if (c->kpts.n == (size_t)nk * 3 && c->weights.n == (size_t)nk) {
        e->kpoints_frac = malloc(c->kpts.n * sizeof(double));
        e->kweights = malloc(c->weights.n * sizeof(double));
        if (e->kpoints_frac) memcpy(e->kpoints_frac, c->kpts.v, c->kpts.n * sizeof(double));
        if (e->kweights) memcpy(e->kweights, c->weights.v, c->weights.n * sizeof(double));
    }
    c->run->has_eigen = 1;
    run_add_source(c->run, "eigenvalues", c->path);
    return DS_OK;
}

/* Total rows are (E, dos, integrated) per spin; partial values are ion, spin, point,
 * orbital in file order: reordered to run.h's atom, spin, orbital, point. */
static int commit_dos(vr_ctx *c)
{
    int ns = c->dos_max_spin;
    if (ns <= 0 || c->dos_total.n == 0 || c->dos_total.n % ((size_t)3 * ns)) return DS_OK;
    int np = (int)(c->dos_total.n / (3 * (size_t)ns));
    run_dos *d = &c->run->dos;
    free(d->orbital_labels);
    run_dos kept = *d;
    memset(d, 0, sizeof *d);
    d->energies_eV = kept.energies_eV, d->total = kept.total, d->integrated = kept.integrated, d->pdos = kept.pdos;
    if (resize_doubles(&d->energies_eV, (size_t)np) || resize_doubles(&d->total, (size_t)np * ns) ||
        resize_doubles(&d->integrated, (size_t)np * ns))
        return DS_ENOMEM;
    for (int s = 0; s < ns; s++)
        for (int i = 0; i < np; i++) {
            const double *row = &c->dos_total.v[((size_t)s * np + i) * 3];
            if (s == 0) d->energies_eV[i] = row[0];
            d->total[(size_t)s * np + i] = row[1];
            d->integrated[(size_t)s * np + i] = row[2];
        }
    d->n_points = np;
    d->n_spins = ns;
    int no = c->part_fields - 1, na = c->part_max_ion, nps = c->part_max_spin;
    int has_pdos = no > 0 && na > 0 && nps > 0 && c->dos_partial.n == (size_t)na * nps * np * (no + 1);
    if (!has_pdos) {
        free(d->pdos);
        d->pdos = NULL;
    }
    if (has_pdos) {
        if (resize_doubles(&d->pdos, (size_t)na * nps * no * np)) return DS_ENOMEM;
        d->orbital_labels = calloc((size_t)no, sizeof *d->orbital_labels);
        if (!d->orbital_labels) return DS_ENOMEM;
        for (int o = 0; o < no; o++) memcpy(d->orbital_labels[o], c->part_labels[o + 1], 12);
        for (int a = 0; a < na; a++)
            for (int s = 0; s < nps; s++)
                for (int i = 0; i < np; i++) {
                    const double *row = &c->dos_partial.v[(((size_t)a * nps + s) * np + i) * (no + 1)];
                    for (int o = 0; o < no; o++) d->pdos[(((size_t)a * nps + s) * no + o) * np + i] = row[o + 1];
                }
        d->n_pdos_atoms = na;
        d->n_pdos_spins = nps;
        d->n_orbitals = no;
    } else if (c->dos_partial.n) {
        run_add_warning(c->run, "%s: projected DOS block has an unexpected shape; ignored", c->path);
    }
    c->run->has_dos = 1;
    if (!isnan(c->efermi)) {
        c->run->fermi_eV = c->efermi;
        run_add_source(c->run, "fermi", c->path);
    }
    run_add_source(c->run, "dos", c->path);
    return DS_OK;
}

static int commit_calc(vr_ctx *c)
{
    run_step *s = run_push_step(c->run);
    if (!s) return DS_ENOMEM;
    s->energy_free_eV = c->calc_fr;
    s->energy_no_entropy_eV = c->calc_wo;
    s->energy_sigma0_eV = c->calc_0;
    /* VASP 4.6/5.x write a wrong e_0_energy in the <calculation><energy> block; the last
     * <scstep> is right.  Same correction as pymatgen Vasprun.final_energy (VASP forum
     * t=16942): e_fr of the step plus (e_0 - e_fr) of its last SCF step, rounded to 1e-8. */
    if (!isnan(c->sc_0) && !isnan(c->sc_fr) && !isnan(c->calc_fr)) {
        double fixed = nearbyint((c->sc_0 - c->sc_fr + c->calc_fr) * 1e8) / 1e8;
        if (isnan(c->calc_0) || fabs(c->calc_0 - fixed) > 1e-7) s->energy_sigma0_eV = fixed;
    }
    s->n_scf_steps = c->n_scsteps;
    if (c->calc_has_structure) {
        s->structure = c->calc_structure;
        memset(&c->calc_structure, 0, sizeof c->calc_structure);
        s->has_structure = 1;
    }
    int n = c->run->n_atoms;
    if (n > 0 && c->forces.n == (size_t)n * 3) {
        s->forces_eV_per_angstrom = malloc((size_t)n * sizeof *s->forces_eV_per_angstrom);
        if (s->forces_eV_per_angstrom) {
            memcpy(s->forces_eV_per_angstrom, c->forces.v, c->forces.n * sizeof(double));
            double fmax = 0;
            for (int a = 0; a < n; a++) {
                const double *f = s->forces_eV_per_angstrom[a];
                double m = sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
                if (m > fmax) fmax = m;
            }
            s->max_force_eV_per_angstrom = fmax;
        }
    }
    int rc = DS_OK;
    if (c->calc_has_eigen) rc = commit_eigen(c);
    if (!rc && c->calc_has_dos) rc = commit_dos(c);
    c->n_calc_complete++;
    return rc;
}

static int on_calc_line(vr_ctx *c, const char *line, const char *p)
{
    if (c->in_eigen) {
        if (DS_STARTS(p, "<r>")) {
            int k;
            if (row_numbers(c, p, &c->eig, &k)) return DS_ENOMEM;
            if (k != 2) return DS_EFORMAT;
        } else if (DS_STARTS(p, "</eigenvalues>")) {
            c->in_eigen = 0;
            c->calc_has_eigen = 1;
        } else if (DS_STARTS(p, "<set comment=\"spin")) {
            c->eig_spin = set_comment_index(p, "spin ");
            if (c->eig_spin + 1 > c->eig_max_spin) c->eig_max_spin = c->eig_spin + 1;
        } else if (DS_STARTS(p, "<set comment=\"kpoint")) {
            c->eig_kpt = set_comment_index(p, "kpoint ");
            if (c->eig_kpt + 1 > c->eig_max_kpt) c->eig_max_kpt = c->eig_kpt + 1;
        }
        return DS_OK;
    }
    if (c->in_dos) {
        if (DS_STARTS(p, "<r>")) {
            int k;
            if (row_numbers(c, p, c->in_partial ? &c->dos_partial : &c->dos_total, &k)) return DS_ENOMEM;
            if (!c->in_partial && k != 3) return DS_EFORMAT;
        } else if (DS_STARTS(p, "</dos>")) c->in_dos = 0, c->calc_has_dos = 1;
        else if (DS_STARTS(p, "<i name=\"efermi\"")) c->efermi = scalar_value(c, p);
        else if (DS_STARTS(p, "<total>")) {
            c->in_total = 1;
            /* (energy, DOS, integrated DOS) per point and spin component */
            if (c->dos_total.n == 0 && presize_block(c, &c->dos_total, 3 * dos_spins(c) * param_count(c, "NEDOS")))
                return DS_ENOMEM;
        }
        else if (DS_STARTS(p, "</total>")) c->in_total = 0;
        else if (DS_STARTS(p, "<partial>")) c->in_partial = 1;
        else if (DS_STARTS(p, "</partial>")) c->in_partial = 0;
        else if (c->in_partial && DS_STARTS(p, "<field")) {
            if (c->part_fields < 32) element_text(p, c->part_labels[c->part_fields++], 12);
        } else if (DS_STARTS(p, "<set comment=\"ion")) {
            /* the first ion: the fields (energy and the orbitals) are known, and the total DOS
             * before it gave the points per spin component */
            if (c->in_partial && c->dos_partial.n == 0 && c->dos_max_spin > 0) {
                double points = (double)(c->dos_total.n / 3) / c->dos_max_spin;
                if (presize_block(c, &c->dos_partial, points * dos_spins(c) * c->part_fields * c->run->n_atoms)) return DS_ENOMEM;
            }
            c->part_ion = set_comment_index(p, "ion ");
            if (c->part_ion + 1 > c->part_max_ion) c->part_max_ion = c->part_ion + 1;
        } else if (DS_STARTS(p, "<set comment=\"spin")) {
            int s = set_comment_index(p, "spin");
            if (c->in_partial) {
                c->part_spin = s;
                if (s + 1 > c->part_max_spin) c->part_max_spin = s + 1;
            } else {
                c->dos_spin = s;
                if (s + 1 > c->dos_max_spin) c->dos_max_spin = s + 1;
            }
        }
        return DS_OK;
    }
    if (c->in_structure) return on_structure_line(c, line);
    if (DS_STARTS(p, "<scstep>")) {
        c->in_scstep = 1;
        c->n_scsteps++;
    } else if (DS_STARTS(p, "</scstep>")) c->in_scstep = 0;
    else if (DS_STARTS(p, "<energy>")) c->in_calc_energy = !c->in_scstep;
    else if (DS_STARTS(p, "</energy>")) c->in_calc_energy = 0;
    else if (DS_STARTS(p, "<i name=\"e_fr_energy\"")) {
        if (c->in_scstep) c->sc_fr = scalar_value(c, p);
        else if (c->in_calc_energy) c->calc_fr = scalar_value(c, p);
    } else if (DS_STARTS(p, "<i name=\"e_wo_entrp\"")) {
        if (c->in_scstep) c->sc_wo = scalar_value(c, p);
        else if (c->in_calc_energy) c->calc_wo = scalar_value(c, p);
    } else if (DS_STARTS(p, "<i name=\"e_0_energy\"")) {
        if (c->in_scstep) c->sc_0 = scalar_value(c, p);
        else if (c->in_calc_energy) c->calc_0 = scalar_value(c, p);
    } else if (DS_STARTS(p, "<structure")) {
        c->in_structure = 1;
        c->structure_kind = 2;
        reset_structure_acc(c);
    } else if (DS_STARTS(p, "<varray name=\"forces\"")) c->vec = B_FORCES;
    else if (DS_STARTS(p, "</varray>")) c->vec = B_NONE;
    else if (c->vec == B_FORCES && DS_STARTS(p, "<v")) return row_numbers(c, p, &c->forces, NULL);
    else if (DS_STARTS(p, "<eigenvalues>")) {
        c->in_eigen = 1;
        c->eig.n = 0;
        c->eig_max_spin = c->eig_max_kpt = 0;
        /* (energy, occupation) per band, k-point and spin (one spin when noncollinear) */
        double spins = dos_spins(c) == 2 ? 2 : 1;
        if (presize_block(c, &c->eig, 2 * spins * (double)(c->kpts.n / 3) * param_count(c, "NBANDS"))) return DS_ENOMEM;
    } else if (DS_STARTS(p, "<dos>")) c->in_dos = 1;
    return DS_OK;
}

/* Blocks skipped whole (bulky, not kept): their closing tag ends the skip. */
static const char *skip_close_tag(const char *p)
{
#define SKIP_BLOCK(name) {"<" name, sizeof name, "</" name ">"}
    static const struct {
        const char *open;
        size_t len; /* of open */
        const char *close;
    } blocks[] = {SKIP_BLOCK("projected"), SKIP_BLOCK("projected_kpoints_opt"), SKIP_BLOCK("eigenvalues_kpoints_opt"),
                  SKIP_BLOCK("dos_kpoints_opt"), SKIP_BLOCK("dielectricfunction")};
#undef SKIP_BLOCK
    if (p[0] != '<') return NULL;
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
        size_t l = blocks[i].len;
        if (p[1] == blocks[i].open[1] && ds_starts_with(p, blocks[i].open) && (p[l] == '>' || p[l] == ' '))
            return blocks[i].close;
    }
    return NULL;
}

static int on_atominfo_line(vr_ctx *c, const char *p)
{
    ds_run *run = c->run;
    if (DS_STARTS(p, "<atoms>")) {
        double n = scalar_value(c, p);
        if (!(n >= 1 && n <= MAX_ATOMS)) return DS_EFORMAT;
        if (run_set_species(run, (int)n)) return DS_ENOMEM;
    } else if (DS_STARTS(p, "<types>")) {
        double n = scalar_value(c, p);
        if (!(n >= 1 && n <= 10000)) return DS_EFORMAT;
        free(run->kinds);
        run->kinds = calloc((size_t)n, sizeof *run->kinds);
        if (!run->kinds) return DS_ENOMEM;
        run->n_kinds = (int)n;
    } else if (DS_STARTS(p, "<array name=\"atoms\"")) c->in_atoms_array = 1, c->in_types_array = 0;
    else if (DS_STARTS(p, "<array name=\"atomtypes\"")) c->in_types_array = 1, c->in_atoms_array = 0;
    else if (DS_STARTS(p, "</array>")) c->in_atoms_array = c->in_types_array = 0;
    else if (DS_STARTS(p, "<rc>")) {
        char cells[6][96];
        int nc = rc_cells(p, cells, 6);
        if (c->in_atoms_array && nc >= 2 && c->n_atom_rows < run->n_atoms) {
            int a = c->n_atom_rows++;
            element_from_label(cells[0], run->species[a]);
            if (!run->species[a][0]) snprintf(run->species[a], 4, "%.3s", cells[0]);
            run->kind_of_atom[a] = atoi(cells[1]) - 1;
        } else if (c->in_types_array && nc >= 5 && c->n_atomtypes_rows < run->n_kinds) {
            run_kind *k = &run->kinds[c->n_atomtypes_rows++];
            k->count = atoi(cells[0]);
            element_from_label(cells[1], k->symbol);
            snprintf(k->label, sizeof k->label, "%.31s", cells[1]);
            const char *q = cells[2];
            if (ds_parse_double(&q, &k->mass_amu) != DS_NUM_OK) k->mass_amu = NAN;
            q = cells[3];
            if (ds_parse_double(&q, &k->zval) != DS_NUM_OK) k->zval = NAN;
            snprintf(k->pseudopotential, sizeof k->pseudopotential, "%s", cells[4]);
        }
    }
    return DS_OK;
}

static int on_kpoints_line(vr_ctx *c, const char *p)
{
    if (DS_STARTS(p, "<generation")) {
        char v[24];
        if (attr_value(p, "param", v, sizeof v))
            snprintf(c->run->settings.kmesh_type, sizeof c->run->settings.kmesh_type, "%s", v);
    } else if (DS_STARTS(p, "<v type=\"int\" name=\"divisions\"")) {
        dvec d = {0};
        int k;
        if (row_numbers(c, p, &d, &k) == DS_OK && k == 3)
            for (int i = 0; i < 3; i++) c->run->settings.kmesh[i] = ds_to_int(d.v[i], 0); /* 0: unknown */
        free(d.v);
    } else if (DS_STARTS(p, "<varray name=\"kpointlist\"")) c->vec = B_KPOINTS;
    else if (DS_STARTS(p, "<varray name=\"weights\"")) c->vec = B_WEIGHTS;
    else if (DS_STARTS(p, "</varray>")) c->vec = B_NONE;
    else if (DS_STARTS(p, "<v") && c->vec == B_KPOINTS) return row_numbers(c, p, &c->kpts, NULL);
    else if (DS_STARTS(p, "<v") && c->vec == B_WEIGHTS) return row_numbers(c, p, &c->weights, NULL);
    return DS_OK;
}

/* The rows after one of an eigenvalue or DOS block, straight from the reader's buffer
 * (ds_reader_xml_row): the same numbers on_calc_line would store, without finding each line's
 * end and dispatching it first.  The first line that is not a plain row of the width the block
 * needs (eigenvalues 2, total DOS 3, PDOS any) is left to on_line, which reads or refuses it as
 * before. */
static int fast_rows(vr_ctx *c)
{
    unsigned seen = 0;
    int rc = DS_OK;
    while (c->in_calc && (c->in_eigen || c->in_dos)) {
        dvec *d = c->in_eigen ? &c->eig : c->in_partial ? &c->dos_partial : &c->dos_total;
        size_t exact = c->in_eigen ? 2 : c->in_partial ? 0 : 3, k;
        if (dvec_reserve(d, 32)) {
            rc = DS_ENOMEM;
            break;
        }
        if (!ds_reader_xml_row(&c->r, 'r', exact, d->v + d->n, d->cap - d->n, &k, &seen)) break;
        d->n += k;
    }
    if (seen & (1u << DS_NUM_OVERFLOW)) c->overflow = 1;
    if (seen & (1u << DS_NUM_NONFINITE)) c->nonfinite = 1;
    return rc;
}

/* Dispatches one line; returns a DS code (DS_EFORMAT stops the read at this line). */
/* p: the line past its leading blanks. */
static int on_line(vr_ctx *c, char *line, const char *p, const char **skip_until)
{
    if (*skip_until) {
        /* closing tags stand at the start of their line: a prefix test, not a scan */
        if (*p == '<' && p[1] == '/' && ds_starts_with(p, *skip_until)) *skip_until = NULL;
        return DS_OK;
    }
    if (c->in_calc) {
        if (DS_STARTS(p, "</calculation>")) {
            c->in_calc = 0;
            return commit_calc(c);
        }
        if (!c->in_eigen && !c->in_dos && !c->in_structure && (*skip_until = skip_close_tag(p))) return DS_OK;
        return on_calc_line(c, line, p);
    }
    if (c->in_structure) return on_structure_line(c, line);
    if (c->in_generator) {
        if (DS_STARTS(p, "</generator>")) c->in_generator = 0;
        else if (strstr(p, "name=\"version\"")) {
            char v[64];
            element_text(p, v, sizeof v);
            snprintf(c->run->code_version, sizeof c->run->code_version, "%s", v);
        }
        return DS_OK;
    }
    if (c->in_incar || c->in_parameters) {
        if (DS_STARTS(p, "</incar>")) c->in_incar = 0;
        else if (DS_STARTS(p, "</parameters>")) c->in_parameters = 0;
        else if (DS_STARTS(p, "<i ") || DS_STARTS(p, "<v ")) keep_param(c, p, c->in_incar);
        return DS_OK;
    }
    if (c->in_kpoints) {
        if (DS_STARTS(p, "</kpoints>")) c->in_kpoints = 0;
        else return on_kpoints_line(c, p);
        return DS_OK;
    }
    if (c->in_atominfo) {
        if (DS_STARTS(p, "</atominfo>")) c->in_atominfo = 0;
        else return on_atominfo_line(c, p);
        return DS_OK;
    }
    if (DS_STARTS(p, "<calculation>")) {
        c->in_calc = 1;
        c->calc_start_line = c->r.line_no;
        reset_calc(c);
    } else if (DS_STARTS(p, "<generator>")) c->in_generator = 1;
    else if (DS_STARTS(p, "<incar>")) c->in_incar = 1;
    else if (DS_STARTS(p, "<parameters>")) c->in_parameters = 1;
    else if (DS_STARTS(p, "<kpoints>")) c->in_kpoints = 1;
    else if (DS_STARTS(p, "<atominfo>")) c->in_atominfo = 1;
    else if (DS_STARTS(p, "<structure")) {
        c->in_structure = 1;
        c->structure_kind = strstr(p, "\"initialpos\"") ? 1 : strstr(p, "\"finalpos\"") ? 3 : 4;
        reset_structure_acc(c);
    } else if ((*skip_until = skip_close_tag(p))) return DS_OK;
    return DS_OK;
}

static long param_long(const ds_run *run, const char *name, long fallback)
{
    const char *v = run_param_get(run, name);
    double d;
    if (!v || ds_parse_double(&v, &d) != DS_NUM_OK) return fallback;
    /* a damaged NSW/NELM of 6.7e36 must not reach the cast (undefined; found by fuzz_vasprun) */
    if (!(d > -9.0e18 && d < 9.0e18)) return fallback;
    return (long)d;
}

/* Convergence flags as pymatgen 2022.11 defines them (Vasprun.converged_electronic:
 * SCF steps of the last ionic step < NELM; converged_ionic: NSW <= 1 or fewer ionic steps
 * than NSW), plus each step's own SCF flag. */
static void set_flags(vr_ctx *c)
{
    ds_run *run = c->run;
    long nelm = param_long(run, "NELM", 60), nsw = param_long(run, "NSW", 0);
    char bad[256] = "";
    size_t used = 0;
    for (int i = 0; i < run->n_steps; i++) {
        run_step *s = &run->steps[i];
        s->scf_converged = s->n_scf_steps >= 0 ? s->n_scf_steps < nelm : -1;
        if (s->scf_converged == 0 && i < run->n_steps - 1 && used < sizeof bad - 8)
            used += (size_t)snprintf(bad + used, sizeof bad - used, "%s%d", used ? ", " : "", i + 1);
    }
    if (run->n_steps > 0) {
        run->converged_electronic = run->steps[run->n_steps - 1].scf_converged;
        run->converged_ionic = nsw <= 1 || run->n_steps < nsw;
    }
    if (used) run_add_warning(run, "SCF hit NELM=%ld in ionic step(s) %s", nelm, bad);
}

int vasp_vasprun_read(const char *path, ds_run *run, ds_err *err)
{
    vr_ctx c;
    memset(&c, 0, sizeof c);
    c.run = run;
    c.path = path;
    c.efermi = NAN;
    int rc = ds_reader_open_full(&c.r, path, err);
    if (rc) return rc;
    run_note_main_digest(run, path, &c.r);
    run->code = RUN_CODE_VASP;
    snprintf(run->path, sizeof run->path, "%s", path);
    char *line;
    size_t len;
    int seen_root = 0, closed = 0;
    const char *skip_until = NULL;
    long bad_line = 0;
    while ((line = ds_reader_next(&c.r, &len))) {
        if (!seen_root) {
            if (memchr(line, '\0', len) || (c.r.line_no > 20)) break;
            if (strstr(line, "<modeling>")) seen_root = 1;
            continue;
        }
        const char *q = ds_skip_ws_line(line);
        if (q[0] == '<' && q[1] == '/' && DS_STARTS(q, "</modeling>")) {
            closed = 1;
            break;
        }
        rc = on_line(&c, line, q, &skip_until);
        if (!rc && !skip_until && (c.in_eigen || c.in_dos)) rc = fast_rows(&c);
        if (rc == DS_ENOMEM) break;
        if (rc) {
            bad_line = c.r.line_no;
            break;
        }
        if (skip_until) {
            /* the skipped lines are not looked at: straight to the one that ends the skip (or
             * closes the file); the reader keeps the line numbers exact */
            const char *const stops[2] = {skip_until, "</modeling>"};
            ds_reader_skip_to_line(&c.r, stops, 2);
        }
    }
    if (!seen_root) {
        ds_reader_close(&c.r);
        free(c.basis.v), free(c.positions.v), free(c.forces.v), free(c.kpts.v), free(c.weights.v);
        return ds_err_set(err, DS_EFORMAT, path, c.r.line_no ? c.r.line_no : 1,
                          "not a vasprun.xml: no <modeling> root element in the first lines");
    }
    if (rc == DS_ENOMEM) ds_err_set(err, DS_ENOMEM, path, c.r.line_no, "out of memory");
    int truncated = !closed;
    if (c.in_calc)
        run_add_warning(run, "the file ends inside ionic step %d (opened at line %ld): that step is dropped",
                        run->n_steps + 1, c.calc_start_line);
    if (bad_line)
        run_add_warning(run, "line %ld: malformed content; reading stopped there, %d complete ionic step(s) kept",
                        bad_line, run->n_steps);
    else if (truncated)
        run_add_warning(run, "the file ends at line %ld without </modeling> (job killed or disk full?): %d complete ionic step(s) kept",
                        c.r.line_no, run->n_steps);
    if (c.r.failed) run_add_warning(run, "%s", c.r.fail_err.msg);
    ds_reader_close(&c.r);
    run_structure_free(&c.calc_structure);
    free(c.basis.v), free(c.positions.v), free(c.forces.v), free(c.kpts.v), free(c.weights.v);
    free(c.selective), free(c.eig.v), free(c.dos_total.v), free(c.dos_partial.v);
    if (rc == DS_ENOMEM) return DS_ENOMEM;
    if (run->n_atoms == 0 || (!run->has_initial && run->n_steps == 0))
        return ds_err_set(err, bad_line ? DS_EFORMAT : DS_ETRUNC, path, bad_line ? bad_line : c.r.line_no,
                          "no atom information, structure or complete ionic step before this point");
    run->truncated = truncated || bad_line;
    run->terminated_normally = closed && !bad_line;
    if (c.overflow) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "Fortran overflow fields (****) in numbers");
    }
    if (c.nonfinite) {
        run->has_nonfinite = 1;
        run_add_warning(run, "NaN or Inf in numbers");
    }
    if (run->has_final == 0 && run->n_steps > 0 && run->steps[run->n_steps - 1].has_structure) {
        run_structure_copy(&run->final, &run->steps[run->n_steps - 1].structure);
        run->has_final = 1;
    }
    vasp_settings_from_params(run);
    set_flags(&c);
    if (run->n_steps == 0) run_add_warning(run, "no complete ionic step: the energy is unknown");
    run_add_source(run, "energy", path);
    run_add_source(run, "structure", path);
    run_add_source(run, "settings", path);
    run_add_source(run, "kinds", path);
    return DS_OK;
}
