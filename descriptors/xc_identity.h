/* xc_identity: maps the exchange-correlation settings a run echoed (VASP GGA/METAGGA/
 * LHFCALC/AEXX/HFSCREEN and the POTCAR family; CP2K &XC_FUNCTIONAL names) onto libxc
 * functional identities (names, ids, family, exact-exchange fraction, range separation),
 * so that two runs can be checked for using the same functional before their energies
 * are subtracted. */
#ifndef DS_XC_IDENTITY_H
#define DS_XC_IDENTITY_H

#include <stddef.h>

#include "parsers/run.h"

/* Fills out.  Returns DS_OK when the functional was identified, DS_ENODATA (with
 * out->label "unknown" and err saying what was missing) when the run does not say. */
int xc_identity_of_run(const ds_run *run, run_xc *out, ds_err *err);

/* 1 when a and b are the same functional (same libxc components, same exact-exchange
 * fraction and range separation within 1e-6); otherwise 0 and why (if non-NULL) says
 * what differs. */
int xc_identity_equal(const run_xc *a, const run_xc *b, char *why, size_t why_len);

#endif
