/* pdos_select: projected DOS of a selection of atoms and orbitals. */
#include "descriptors/pdos_select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The angular momentum of an orbital label: s, p*, d*, f*, and VASP 6's "x2-y2" (a d). */
static char label_l(const char *label)
{
    if (strcmp(label, "x2-y2") == 0 || strcmp(label, "dx2-y2") == 0) return 'd';
    char c = label[0];
    return (c == 's' || c == 'p' || c == 'd' || c == 'f' || c == 'g') ? c : '?';
}

int pdos_orbital_matches(const char *label, const char *orbital)
{
    if (strcmp(label, orbital) == 0) return 1;
    if (orbital[0] && !orbital[1]) return label_l(label) == orbital[0];
    return 0;
}

int pdos_grid_sum(const run_dos *dos, const unsigned char *mask, int n_atoms, const char *orbital, double *up,
                  double *down, int *n_spins_out, ds_err *err)
{
    if (!dos->pdos || dos->n_pdos_atoms == 0)
        return ds_err_set(err, DS_ENODATA, NULL, 0, "the run has no projected DOS (VASP: LORBIT >= 10 and a DOS)");
    if (dos->n_pdos_atoms != n_atoms)
        return ds_err_set(err, DS_EFORMAT, NULL, 0, "projected DOS covers %d atoms, the structure %d", dos->n_pdos_atoms,
                          n_atoms);
    int n = dos->n_points, ns = dos->n_pdos_spins == 2 ? 2 : 1;
    int any_orbital = 0, any_atom = 0;
    memset(up, 0, (size_t)n * sizeof *up);
    if (ns == 2 && down) memset(down, 0, (size_t)n * sizeof *down);
    for (int o = 0; o < dos->n_orbitals; o++) {
        if (!pdos_orbital_matches(dos->orbital_labels[o], orbital)) continue;
        any_orbital = 1;
        for (int a = 0; a < n_atoms; a++) {
            if (!mask[a]) continue;
            any_atom = 1;
            for (int s = 0; s < ns; s++) {
                /* noncollinear: component 0 is the total; 1..3 are m_x, m_y, m_z */
                const double *src = dos->pdos + (((size_t)a * dos->n_pdos_spins + s) * dos->n_orbitals + o) * n;
                double *dst = s == 0 ? up : down;
                if (!dst) continue;
                for (int i = 0; i < n; i++) dst[i] += src[i];
            }
        }
    }
    if (!any_orbital) {
        char have[256] = "";
        size_t used = 0;
        for (int o = 0; o < dos->n_orbitals && used < sizeof have - 16; o++)
            used += (size_t)snprintf(have + used, sizeof have - used, "%s%s", o ? " " : "", dos->orbital_labels[o]);
        return ds_err_set(err, DS_ENODATA, NULL, 0, "no '%s' orbital in the projected DOS (it has: %s)", orbital, have);
    }
    if (!any_atom) return ds_err_set(err, DS_ENODATA, NULL, 0, "empty atom selection");
    *n_spins_out = ns;
    return DS_OK;
}

int pdos_levels_sum(const ds_run *run, const unsigned char *mask, const char *orbital, int spin, double **energies,
                    double **weights, int *n_levels, ds_err *err)
{
    *energies = NULL;
    *weights = NULL;
    *n_levels = 0;
    if (run->n_pdos_sets == 0) return ds_err_set(err, DS_ENODATA, NULL, 0, "the run has no .pdos files");
    size_t cap = 0, n = 0;
    for (int p = 0; p < run->n_pdos_sets; p++) {
        const run_pdos_set *set = &run->pdos_sets[p];
        if (set->spin != spin) continue;
        /* Which atoms does this kind cover?  Kind labels are matched against the run's kinds. */
        int selected = 0, total = 0;
        for (int a = 0; a < run->n_atoms; a++) {
            int k = run->kind_of_atom ? run->kind_of_atom[a] : -1;
            const char *label = k >= 0 && k < run->n_kinds ? run->kinds[k].label : run->species[a];
            if (strcmp(label, set->kind) != 0 && strcmp(run->species[a], set->kind) != 0) continue;
            total++;
            selected += mask[a] != 0;
        }
        if (selected == 0) continue;
        if (selected != total) {
            free(*energies);
            free(*weights);
            *energies = *weights = NULL;
            return ds_err_set(err, DS_EUSAGE, NULL, 0,
                              "the selection covers %d of the %d atoms of kind %s, but CP2K projects per kind "
                              "(select the whole kind, or rerun with &PDOS &LDOS LIST for atom lists)",
                              selected, total, set->kind);
        }
        if (n + (size_t)set->n_levels > cap) {
            cap = (n + (size_t)set->n_levels) * 2;
            double *e2 = realloc(*energies, cap * sizeof **energies), *w2 = e2 ? realloc(*weights, cap * sizeof **weights) : NULL;
            if (e2) *energies = e2;
            if (!e2 || !w2) {
                free(*energies);
                free(*weights);
                *energies = *weights = NULL;
                return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
            }
            *weights = w2;
        }
        int found = 0;
        for (int l = 0; l < set->n_levels; l++) {
            double w = 0;
            for (int o = 0; o < set->n_orbitals; o++)
                if (pdos_orbital_matches(set->orbital_labels[o], orbital)) {
                    w += set->weights[(size_t)l * set->n_orbitals + o];
                    found = 1;
                }
            (*energies)[n] = set->energies_eV[l];
            (*weights)[n] = w;
            n++;
        }
        if (!found) {
            free(*energies);
            free(*weights);
            *energies = *weights = NULL;
            return ds_err_set(err, DS_ENODATA, NULL, 0, "%s: no '%s' orbital columns", set->source, orbital);
        }
    }
    if (n == 0) {
        free(*energies);
        free(*weights);
        *energies = *weights = NULL;
        return ds_err_set(err, DS_ENODATA, NULL, 0, "no PDOS file covers the selected atoms for spin %d", spin);
    }
    *n_levels = (int)n;
    return DS_OK;
}
