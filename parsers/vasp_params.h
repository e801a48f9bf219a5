/* vasp_params: turns the INCAR tags a VASP run echoed (run->params, canonical upper-case
 * tag names such as "ENCUT", values as written) into the settings fingerprint fields.
 * Shared by the vasprun.xml and OUTCAR readers and the directory combiner. */
#ifndef DS_VASP_PARAMS_H
#define DS_VASP_PARAMS_H

#include <stddef.h>

#include "parsers/run.h"

/* Fills every settings field that is still unknown from run->params. */
void vasp_settings_from_params(ds_run *run);
/* PREC as one canonical lower-case word (low, medium, high, normal, accurate, single, singlen)
 * from any spelling VASP accepts or prints ("Accurate", "accura", "A"); an unknown or ambiguous
 * word is kept, lower-cased.  Writes at most n-1 characters to out. */
void vasp_prec_canonical(const char *value, char *out, size_t n);
/* Parses a VASP logical (".TRUE.", "T", "F", ".FALSE.", "true"): 1, 0, or -1 if not one. */
int vasp_parse_logical(const char *value);
/* Name of the dispersion correction for an IVDW value ("none", "D2", "D3", "D3(BJ)", ...). */
const char *vasp_ivdw_name(long ivdw);

#endif
