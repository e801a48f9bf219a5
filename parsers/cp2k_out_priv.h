/* cp2k_out_priv: the reading state shared by cp2k_out.c (line dispatch, flags, MO blocks)
 * and cp2k_out_blocks.c (multi-line blocks: kinds, coordinates, charges, abort box, BSSE).
 * Private to those two files. */
#ifndef DS_CP2K_OUT_PRIV_H
#define DS_CP2K_OUT_PRIV_H

#include "parsers/run.h"

#include "structures/elements.h"

typedef struct {
    double *e, *occ;
    int n, cap;
} mo_block;

typedef struct {
    ds_reader r;
    ds_run *run;
    const char *path;
    int scf_state, scf_steps, n_kind;
    mo_block mo[2], cur;
    int cur_spin, in_mo;
    double ot_lumo_Ha, printed_gap_eV, disp_Ha;
    int ended, geo_done, geo_maxiter, overflow;
    int n_atoms_table;
    char abort_msg[320];        /* the [ABORT] box's text, "" when CP2K did not abort */
    int bsse_cur;               /* configuration being read (index into run->bsse), -1 none */
    int bsse_scf[RUN_BSSE_MAX_CONFIGS]; /* per configuration: SCF converged 1 / 0 / -1 unknown */
} co_ctx;

double co_num_after(const char *line, const char *key);
int co_nums(const char *p, double *v, int max);
void co_trailing_word(const char *line, char *out, size_t n);

void co_kind_line(co_ctx *c, const char *line, const char *p);
int co_read_coordinates(co_ctx *c);
void co_read_charges(co_ctx *c, const char *method);
void co_read_abort(co_ctx *c);
/* BSSE: a configuration header box, a "Total energy:" line, the BSSE RESULTS box, the end. */
void co_bsse_header(co_ctx *c, const char *p);
void co_bsse_total_energy(co_ctx *c, const char *p);
void co_bsse_results(co_ctx *c);
int co_bsse_finish(co_ctx *c);

#endif
