/* run_json: the JSON form of a run (the keys of `dftscreen show --json`, shared with
 * export).  Units are in the key names; unknown values are null. */
#ifndef DS_RUN_JSON_H
#define DS_RUN_JSON_H

#include <cJSON.h>

#include "parsers/run.h"
#include "structures/symmetry.h"

/* xc and sym may be NULL (then omitted / null). */
cJSON *run_to_json(const ds_run *run, const run_xc *xc, const sym_info *sym);

/* The text `dftscreen show --json` prints for run: identifies the functional (adding a
 * warning to run when it cannot), analyses the symmetry at symprec (0 = off), and
 * prints (formatted or compact).  malloc'ed; NULL on allocation failure. */
char *run_show_json_text(ds_run *run, double symprec, int formatted);
/* The same text, the space group taken from memo for a structure it has seen (ingest). */
struct sym_memo;
char *run_show_json_text_memo(ds_run *run, double symprec, int formatted, struct sym_memo *memo);
/* The structure show analyses: final, else the last step's, else the initial. */
const run_structure *run_structure_for_symmetry(const ds_run *run);

#endif
