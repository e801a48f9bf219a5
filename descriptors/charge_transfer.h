/* charge_transfer: net atomic charges from Bader electrons and the charge transferred between
 * two fragments (e.g. a Na atom and the solvent molecule around it).
 *
 * Sign convention (physical): net charge = valence electrons (ZVAL) - Bader electrons, so a
 * cation that gave electrons away is positive.  pymatgen's get_charge_transfer is the opposite
 * (Bader - ZVAL); ASE's attach_charges uses the atomic number instead of ZVAL, which is wrong
 * for pseudo-valence densities.  The transfer from A to B is the net charge of A: the
 * electrons A gave away ("electron donation from Na to the solvent is 0.91 e"). */
#ifndef DS_CHARGE_TRANSFER_H
#define DS_CHARGE_TRANSFER_H

#include "parsers/run.h"

/* net[i] = zval[i] - electrons[i] (NAN where either is unknown). */
void charge_net(const double *electrons, const double *zval, int n, double *net);

typedef struct {
    int n_atoms;
    double zval_e;          /* valence electrons of the fragment's atoms */
    double electrons_e;     /* their Bader electrons */
    double net_charge_e;    /* zval_e - electrons_e */
} ct_fragment;

typedef struct {
    ct_fragment a, b;
    double transfer_a_to_b_e; /* electrons A gave away = net charge of A */
    double imbalance_e;       /* net(A) + net(B): 0 when A and B are the whole neutral system
                                 and the density integrates to sum(ZVAL); else the charge of
                                 atoms in neither fragment, vacuum charge, a charged system or
                                 integration error */
} ct_transfer;

/* Sums over the atoms with mask[i] != 0.  DS_ENODATA when the mask selects no atom or an
 * atom of it has no ZVAL (the message names the first such atom, 1-based). */
int charge_fragment(const double *electrons, const double *zval, const unsigned char *mask, int n, ct_fragment *out,
                    ds_err *err);

/* Both fragments and the transfer.  DS_EUSAGE when an atom is in both fragments. */
int charge_transfer(const double *electrons, const double *zval, const unsigned char *mask_a,
                    const unsigned char *mask_b, int n, ct_transfer *out, ds_err *err);

/* ZVAL per atom from a run's kinds (VASP POTCAR ZVAL, CP2K GTH valence charge q).  The run must
 * have n_atoms atoms; when atomic_numbers is given (the density file's), each must match the
 * run's element of that atom.  DS_ENODATA when the run has no ZVAL for some kind. */
int charge_zval_from_run(const ds_run *run, int n_atoms, const int *atomic_numbers, double *zval, ds_err *err);

#endif
