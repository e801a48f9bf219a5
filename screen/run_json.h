/* run_json: the JSON form of a run (the keys of `dftscreen show --json`, shared with
 * export).  Units are in the key names; unknown values are null. */
#ifndef DS_RUN_JSON_H
#define DS_RUN_JSON_H

#include <cJSON.h>

#include "parsers/run.h"
#include "structures/symmetry.h"

/* xc and sym may be NULL (then omitted / null). */
cJSON *run_to_json(const ds_run *run, const run_xc *xc, const sym_info *sym);

#endif
