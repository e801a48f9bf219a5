/* store_settings: the columns of a run's one-row `settings` table (what a comparison of
 * energies must agree on: functional, cutoffs, smearing, k-mesh, +U, charge, ...), described
 * once for the writer, the reader and the attributes of a format 2 store. */
#ifndef DS_STORE_SETTINGS_H
#define DS_STORE_SETTINGS_H

#include <hdf5.h>

#include "parsers/run.h"
#include "screen/store_table.h"

/* The columns of s for store_put_table (data pointing into s; cols has room for
 * STORE_TABLE_MAX_COLS); returns their number. */
int store_settings_columns(store_column *cols, const run_settings *s);
/* Reads the settings of a run group into s: the `settings` table, or the attributes of the
 * `settings` group of a format 2 store.  A field the store lacks keeps its value in s. */
void store_settings_read(hid_t run_g, run_settings *s);

#endif
