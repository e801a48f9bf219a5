/* reaction: reaction energies from any stoichiometric combination of runs,
 *   dE = sum_i c_i E_i     (binding: +1 complex, -1 each part; negative = favourable),
 * guarded: the runs' settings must be consistent (descriptors/consistency), and runs whose
 * SCF did not converge or whose file was truncated are refused unless the caller allows
 * them; an unconverged geometry is a warning (the energy is of a real, if provisional,
 * structure). */
#ifndef DS_REACTION_H
#define DS_REACTION_H

#include "descriptors/consistency.h"
#include "parsers/run.h"

typedef struct {
    const ds_run *run;
    double coefficient;
} reaction_term;

enum { REACTION_ALLOW_INCONSISTENT = 1, REACTION_ALLOW_UNCONVERGED = 2 };

typedef struct {
    double energy_eV, energy_kcal_per_mol, energy_kJ_per_mol;
    consistency_report consistency; /* owned: findings (refusals too when allowed) */
    int n_warnings;
    char warnings[8][1024];
} reaction_result;

/* Returns DS_OK with the energy, or DS_EUSAGE with err naming the run and the reason
 * (missing energy, inconsistent settings, unconverged or truncated run). */
int reaction_energy(const reaction_term *terms, int n_terms, int flags, reaction_result *out, ds_err *err);
void reaction_result_free(reaction_result *r);

#endif
