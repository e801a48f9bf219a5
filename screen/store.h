/* store: one run <-> one HDF5 group of the campaign store.  Every field of the run model
 * is written (arrays as datasets with a "units" attribute, scalars and flags as
 * attributes) so that every descriptor can be computed from the store without the
 * original files, plus the run's `show --json` text so that export round-trips it
 * exactly.  The layout is documented in docs/store.md. */
#ifndef DS_STORE_H
#define DS_STORE_H

#include <hdf5.h>

#include "parsers/run.h"

#define STORE_FORMAT_NAME "dftscreen-campaign"
/* 3: a run's small records are tables (atoms, kinds, steps, settings, parameters, sources,
 *    charges, bsse/configurations) and the per-step geometry is in trajectory/;
 * 2: one dataset per column, settings as attributes (still read: a vanished run copied from
 *    a format 2 store keeps that layout); 1: no seal (refused). */
#define STORE_FORMAT_VERSION 3
#define STORE_FORMAT_OLDEST_READ 2
/* The revision of what the readers put into a run group (values, flags, the show_json text).
 * Every run group carries it as `reader_revision`; an ingest reads again every run stored
 * by another revision, even when its files did not change.  Bump it whenever a reader, the
 * run model or the JSON printer changes what is stored for the same files.
 * 5: store format 3 (the run is written as tables: the same values, another layout)
 * 4: PREC as one canonical word ("accura", "Accurate", "A" -> "accurate": parsers/vasp_params.c)
 * 3: OUTCAR echo values right-aligned after 3+ blanks ("GGA     =    PS", "LSORBIT =      F")
 *    are read (were empty: GGA, LNONCOLLINEAR, LSORBIT, LASPH, LHFCALC, METAGGA, ...);
 * 2: exact JSON numbers (screen/json_text.c); 1 (or absent): before. */
#define STORE_READER_REVISION 5

/* Writes run into group (created by the caller); json_text may be NULL. */
int store_write_run(hid_t group, const ds_run *run, const char *json_text, ds_err *err);
struct store_packed_s;
/* The same with the run's large arrays already deflated (store_prepack_run, by the thread that
 * read the run: compressing is about a third of the writing thread's work at -j 2). */
int store_write_run_packed(hid_t group, const ds_run *run, const char *json_text, const struct store_packed_s *pk,
                           ds_err *err);
/* Deflates, into pk, the chunks of every array of run (and of json_text) that store_write_run
 * compresses.  No HDF5 call.  0, or -1 when memory runs out (what is missing is compressed by
 * the writer).  The caller store_packed_free's pk after the write. */
int store_prepack_run(const ds_run *run, const char *json_text, struct store_packed_s *pk);
/* Reads a run group back (run must be run_init'ed; caller run_free's). */
int store_read_run(hid_t group, ds_run *run, ds_err *err);

/* Small attribute helpers shared by the campaign code.  They create the attribute without
 * looking for one of that name first (H5Aexists scans the object's attribute messages, wasted on
 * a run's new group): one already there is an error (DS_EIO); store_attr_remove it first to
 * replace it. */
int store_attr_str(hid_t loc, const char *name, const char *value);
int store_attr_double(hid_t loc, const char *name, double value);
int store_attr_long(hid_t loc, const char *name, long value);
/* Removes the attribute when it is there (DS_OK when it is not). */
int store_attr_remove(hid_t loc, const char *name);
/* Reads a string attribute into buf (""), a double (NAN), a long (fallback) when absent. */
void store_get_str(hid_t loc, const char *name, char *buf, size_t n);
double store_get_double(hid_t loc, const char *name);
long store_get_long(hid_t loc, const char *name, long fallback);
/* A whole string dataset (e.g. the JSON text), malloc'ed; NULL when absent. */
char *store_get_text(hid_t loc, const char *name);
int store_put_text(hid_t loc, const char *name, const char *text);

#endif
