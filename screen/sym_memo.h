/* sym_memo: space groups already found during one ingest, keyed by the exact structure.
 * Campaigns hold many runs of one structure (k-point and cutoff series, a static or DOS run
 * after its relaxation, restarts); spglib's dataset costs up to ~20 ms for a cubic cell,
 * so a structure seen again, bit for bit, takes the answer spglib gave the first time. */
#ifndef DS_SYM_MEMO_H
#define DS_SYM_MEMO_H

#include "parsers/run.h"
#include "structures/symmetry.h"

typedef struct sym_memo sym_memo;

/* NULL when out of memory (callers then analyse every structure). */
sym_memo *sym_memo_new(void);
void sym_memo_free(sym_memo *memo);

/* As sym_analyse(s, species, symprec, out, err), but only out's space-group fields
 * (symprec_angstrom, spacegroup_number, spacegroup_symbol, hall_number, n_atoms) are set:
 * the cells and per-atom arrays stay NULL.  Same return value as sym_analyse.  Thread-safe:
 * lookups run in parallel, spglib calls one at a time (its error code is a global). */
int sym_memo_spacegroup(sym_memo *memo, const run_structure *s, const char (*species)[4], double symprec,
                        sym_info *out, ds_err *err);

/* Structures looked up so far, and how many of them the table answered. */
void sym_memo_counts(sym_memo *memo, size_t *lookups, size_t *hits);

#endif
