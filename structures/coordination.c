/* coordination: ligand shells of metal sites, open sites, nearest guest (see coordination.h). */
#include "structures/coordination.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "structures/covalent.h"
#include "structures/elements.h"
#include "structures/neighbors.h"
#include "structures/select.h"

typedef struct {
    int z;
    int cn;
} usual_entry;

typedef struct {
    const double *radius;
    const unsigned char *is_metal, *is_site;
    double cutoff, tolerance;
} coord_ctx;

typedef struct {
    int atom;
    double d;
} shell_entry;

typedef struct {
    const frag_set *frags;
    const unsigned char *guest, *is_site;
} guest_ctx;

static int keep_contact(void *vctx, int i, int j, double d);
static int cmp_shell(const void *a, const void *b);
static int is_guest_of(const frag_set *frags, const unsigned char *guest, int i, int j);
static int fill_site(coord_site *site, const nb_list *contacts, const nb_adjacency *adj, const unsigned char *is_metal,
                     const frag_set *frags, const unsigned char *guest, const coord_opts *opts);
static int keep_guest(void *vctx, int i, int j, double d);
static int nearest_guests(const cell_atoms *atoms, const frag_set *frags, const unsigned char *guest,
                          const unsigned char *is_site, coord_set *out, ds_err *err);

/* The table documented in coordination.h. */
static const usual_entry usual_table[] = {
    {3, 4},  {4, 4},  {11, 6}, {12, 6}, {13, 6}, {19, 6}, {20, 6}, {21, 6}, {22, 6}, {23, 6}, {24, 6}, {25, 6},
    {26, 6}, {27, 6}, {28, 6}, {29, 5}, {30, 4}, {31, 6}, {37, 8}, {38, 8}, {39, 8}, {40, 8}, {41, 6}, {42, 6},
    {44, 6}, {45, 6}, {46, 4}, {47, 4}, {48, 6}, {49, 6}, {50, 6}, {55, 8}, {56, 8}, {72, 8}, {73, 6}, {74, 6},
    {75, 6}, {76, 6}, {77, 6}, {78, 4}, {79, 4}, {82, 6}, {83, 6}, {90, 8}, {92, 8},
};

int coordination_usual(int z)
{
    if (z >= 57 && z <= 71) return 8; /* lanthanides */
    for (size_t i = 0; i < sizeof usual_table / sizeof *usual_table; i++)
        if (usual_table[i].z == z) return usual_table[i].cn;
    return 0;
}

void coord_opts_default(coord_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->tolerance = 1.2;
}

void coord_set_free(coord_set *set)
{
    if (set->sites)
        for (int s = 0; s < set->n_sites; s++) {
            free(set->sites[s].neighbors);
            free(set->sites[s].distances);
        }
    free(set->sites);
    memset(set, 0, sizeof *set);
}


static int keep_contact(void *vctx, int i, int j, double d)
{
    const coord_ctx *c = vctx;
    if (!c->is_site[i] && !c->is_site[j]) return 0;
    if (!c->is_metal[i] && !c->is_metal[j]) return 0;
    if (c->cutoff > 0) return d <= c->cutoff;
    return d <= c->tolerance * (c->radius[i] + c->radius[j]);
}


static int cmp_shell(const void *a, const void *b)
{
    const shell_entry *x = a, *y = b;
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    return x->atom - y->atom;
}

/* Is atom j a guest as seen from site atom i? */
static int is_guest_of(const frag_set *frags, const unsigned char *guest, int i, int j)
{
    if (guest) return guest[j] != 0;
    if (frags) return frags->fragment_of[j] != frags->fragment_of[i];
    return 0;
}

static int fill_site(coord_site *site, const nb_list *contacts, const nb_adjacency *adj,
                     const unsigned char *is_metal, const frag_set *frags, const unsigned char *guest,
                     const coord_opts *opts)
{
    int i = site->atom;
    size_t n = adj->start[i + 1] - adj->start[i];
    shell_entry *shell = malloc((n ? n : 1) * sizeof *shell);
    if (!shell) return DS_ENOMEM;
    int m = 0;
    for (size_t e = adj->start[i]; e < adj->start[i + 1]; e++) {
        int j = nb_entry_other(contacts, adj->entry[e], NULL);
        double d = contacts->pairs[adj->entry[e] / 2].distance;
        if (is_metal[j]) {
            site->n_metal_neighbors++;
            continue;
        }
        shell[m].atom = j;
        shell[m].d = d;
        m++;
    }
    qsort(shell, (size_t)m, sizeof *shell, cmp_shell);
    site->neighbors = malloc((m ? (size_t)m : 1) * sizeof *site->neighbors);
    site->distances = malloc((m ? (size_t)m : 1) * sizeof *site->distances);
    if (!site->neighbors || !site->distances) {
        free(shell);
        return DS_ENOMEM;
    }
    site->coordination = m;
    for (int k = 0; k < m; k++) {
        site->neighbors[k] = shell[k].atom;
        site->distances[k] = shell[k].d;
        if (!is_guest_of(frags, guest, i, shell[k].atom)) site->host_coordination++;
    }
    free(shell);
    int z = element_z(site->element);
    site->usual = z > 0 && z < 119 && opts->usual_override[z] > 0 ? opts->usual_override[z] : coordination_usual(z);
    if (site->usual <= 0 || (m == 0 && site->n_metal_neighbors > 0)) site->open_site = -1;
    else site->open_site = site->host_coordination < site->usual;
    /* nearest guest atom (filled by nearest_guests) */
    site->nearest_guest = -1;
    site->nearest_guest_distance = NAN;
    return DS_OK;
}


static int keep_guest(void *vctx, int i, int j, double d)
{
    const guest_ctx *g = vctx;
    (void)d;
    if (i == j) return 0; /* an atom's own image is not a guest of it */
    return (g->is_site[i] && is_guest_of(g->frags, g->guest, i, j)) || (g->is_site[j] && is_guest_of(g->frags, g->guest, j, i));
}

/* Nearest guest atom per site: a neighbour search within a few Angstrom finds it for
 * nearly every site; sites with no guest that close fall back on a scan of all atoms. */
static int nearest_guests(const cell_atoms *atoms, const frag_set *frags, const unsigned char *guest,
                          const unsigned char *is_site, coord_set *out, ds_err *err)
{
    int n = atoms->n_atoms;
    const double (*pos)[3] = (const double (*)[3])atoms->s->positions_angstrom;
    int *site_of = malloc((size_t)n * sizeof *site_of);
    if (!site_of) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    for (int a = 0; a < n; a++) site_of[a] = -1;
    for (int s = 0; s < out->n_sites; s++) site_of[out->sites[s].atom] = s;
    guest_ctx g = {frags, guest, is_site};
    nb_list near = {0, 0, NULL};
    int rc = neighbors_find(&atoms->cell, pos, n, 6.0, keep_guest, &g, 0, &near, err);
    for (size_t p = 0; p < near.n_pairs && !rc; p++) {
        const nb_pair *q = &near.pairs[p];
        for (int side = 0; side < 2; side++) {
            int a = side ? q->j : q->i, b = side ? q->i : q->j;
            if (site_of[a] < 0 || !is_guest_of(frags, guest, a, b)) continue;
            coord_site *site = &out->sites[site_of[a]];
            if (site->nearest_guest < 0 || q->distance < site->nearest_guest_distance ||
                (q->distance == site->nearest_guest_distance && b < site->nearest_guest)) {
                site->nearest_guest = b;
                site->nearest_guest_distance = q->distance;
            }
        }
    }
    nb_list_free(&near);
    for (int s = 0; s < out->n_sites && !rc; s++) {
        coord_site *site = &out->sites[s];
        if (site->nearest_guest >= 0) continue;
        for (int j = 0; j < n; j++) {
            if (j == site->atom || !is_guest_of(frags, guest, site->atom, j)) continue;
            double d = cell_distance(&atoms->cell, pos[site->atom], pos[j], NULL, NULL);
            if (site->nearest_guest < 0 || d < site->nearest_guest_distance) {
                site->nearest_guest = j;
                site->nearest_guest_distance = d;
            }
        }
    }
    free(site_of);
    return rc;
}

int coordination_analyse(const cell_atoms *atoms, const frag_set *frags, const unsigned char *guest,
                         const unsigned char *sites, const coord_opts *opts_in, coord_set *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    coord_opts opts;
    if (opts_in) opts = *opts_in;
    else coord_opts_default(&opts);
    if (!(opts.cutoff >= 0) || opts.cutoff > 20 || (opts.cutoff == 0 && !(opts.tolerance > 0 && opts.tolerance <= 5)))
        return ds_err_set(err, DS_EUSAGE, NULL, 0,
                          "coordination cutoff must be in (0, 20] A (or 0 with a bond tolerance in (0, 5])");
    int n = atoms->n_atoms;
    if (frags && frags->n_atoms != n) return ds_err_set(err, DS_EUSAGE, NULL, 0, "fragments belong to another structure");
    double *radius = malloc((size_t)n * sizeof *radius);
    unsigned char *is_metal = malloc((size_t)n), *is_site = malloc((size_t)n);
    if (!radius || !is_metal || !is_site) {
        free(radius), free(is_metal), free(is_site);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for %d atoms", n);
    }
    double rmax_site = 0, rmax = 0;
    int rc = DS_OK;
    for (int a = 0; a < n; a++) {
        int z = element_z(atoms->species[a]);
        radius[a] = covalent_radius(z);
        if (radius[a] <= 0 && opts.cutoff == 0 && !rc)
            rc = ds_err_set(err, DS_EFORMAT, NULL, 0, "atom %d: no covalent radius for element '%.3s'", a + 1,
                            atoms->species[a]);
        is_metal[a] = (unsigned char)element_is_metal(z);
        is_site[a] = is_metal[a] && (!sites || sites[a]);
        if (is_site[a]) {
            out->n_sites++;
            if (radius[a] > rmax_site) rmax_site = radius[a];
        }
        if (radius[a] > rmax) rmax = radius[a];
    }
    nb_list contacts = {0, 0, NULL};
    nb_adjacency adj;
    memset(&adj, 0, sizeof adj);
    if (!rc && out->n_sites > 0) {
        coord_ctx ctx = {radius, is_metal, is_site, opts.cutoff, opts.tolerance};
        double search = opts.cutoff > 0 ? opts.cutoff : opts.tolerance * (rmax_site + rmax);
        rc = neighbors_find(&atoms->cell, (const double (*)[3])atoms->s->positions_angstrom, n, search, keep_contact, &ctx,
                            0, &contacts, err);
        if (!rc) rc = nb_adjacency_build(&contacts, n, &adj, err);
    }
    if (!rc && out->n_sites > 0) {
        out->sites = calloc((size_t)out->n_sites, sizeof *out->sites);
        if (!out->sites) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
        for (int a = 0, s = 0; a < n && !rc; a++) {
            if (!is_site[a]) continue;
            coord_site *site = &out->sites[s++];
            site->atom = a;
            memcpy(site->element, atoms->species[a], sizeof site->element);
            site->element[3] = '\0';
            if (fill_site(site, &contacts, &adj, is_metal, frags, guest, &opts))
                rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
        }
        if (!rc && (guest || frags)) rc = nearest_guests(atoms, frags, guest, is_site, out, err);
    }
    nb_adjacency_free(&adj);
    nb_list_free(&contacts);
    free(radius), free(is_metal), free(is_site);
    if (rc) coord_set_free(out);
    return rc;
}
