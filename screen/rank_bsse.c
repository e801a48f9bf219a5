/* rank_bsse: the counterpoise (BSSE) correction a reaction descriptor takes from a CP2K
 * RUN_TYPE BSSE run (recipe key "bsse").  Boys-Bernardi: the correction
 *   dE_CP = sum_X [E(X in X's basis) - E(X in the complex's basis)]   (>= 0)
 * at the complex geometry is added to the reaction energy, so a binding energy written
 * complex +1, parts -1 becomes less favourable by the basis-set superposition error.
 * The configuration energies are parsed by the CP2K reader of branch `cp2k`
 * (run_bsse with conf/subconf and correction_eV, which defines RUN_BSSE_MAX_CONFIGS);
 * a build whose run model predates it says so instead of guessing a correction. */
#include "screen/rank.h"

#include <math.h>
#include <stdio.h>

int rank_bsse_supported(void)
{
#ifdef RUN_BSSE_MAX_CONFIGS
    return 1;
#else
    return 0;
#endif
}

int rank_bsse_correction(const ds_run *run, double *correction_eV, char *why, size_t n)
{
    *correction_eV = NAN;
#ifdef RUN_BSSE_MAX_CONFIGS
    const run_bsse *b = &run->bsse;
    if (!b->present) {
        snprintf(why, n, "%.600s: not a CP2K counterpoise (RUN_TYPE BSSE) run: no BSSE configurations", run->path);
        return DS_ENODATA;
    }
    if (b->n_fragments != 2 || !isfinite(b->correction_eV)) {
        snprintf(why, n, "%.600s: the counterpoise correction needs the four configurations of two fragments "
                 "(A, B in their own and in the complex's basis); found %d configuration(s) of %d fragment(s)",
                 run->path, b->n_configs, b->n_fragments);
        return DS_ENODATA;
    }
    *correction_eV = b->correction_eV;
    return DS_OK;
#else
    snprintf(why, n, "%.600s: counterpoise (BSSE) correction not yet available: this build's CP2K reader does not "
             "read BSSE configurations", run->path);
    return DS_ENODATA;
#endif
}
