/* charge_transfer: net atomic charges (ZVAL - Bader electrons) and fragment charge transfer. */
#include "descriptors/charge_transfer.h"

#include <math.h>
#include <string.h>

#include "structures/elements.h"

void charge_net(const double *electrons, const double *zval, int n, double *net)
{
    for (int i = 0; i < n; i++) net[i] = zval ? zval[i] - electrons[i] : NAN;
}

int charge_fragment(const double *electrons, const double *zval, const unsigned char *mask, int n, ct_fragment *out,
                    ds_err *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        if (!mask[i]) continue;
        if (!zval || !isfinite(zval[i]))
            return ds_err_set(err, DS_ENODATA, NULL, 0, "atom %d has no valence charge (ZVAL); give --zval-from", i + 1);
        if (!isfinite(electrons[i]))
            return ds_err_set(err, DS_ENODATA, NULL, 0, "atom %d has no Bader electron count", i + 1);
        out->n_atoms++;
        out->zval_e += zval[i];
        out->electrons_e += electrons[i];
    }
    if (!out->n_atoms) return ds_err_set(err, DS_ENODATA, NULL, 0, "the fragment has no atoms");
    out->net_charge_e = out->zval_e - out->electrons_e;
    return DS_OK;
}

int charge_transfer(const double *electrons, const double *zval, const unsigned char *mask_a,
                    const unsigned char *mask_b, int n, ct_transfer *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++)
        if (mask_a[i] && mask_b[i])
            return ds_err_set(err, DS_EUSAGE, NULL, 0, "atom %d is in both fragments", i + 1);
    int rc = charge_fragment(electrons, zval, mask_a, n, &out->a, err);
    if (rc == DS_OK) rc = charge_fragment(electrons, zval, mask_b, n, &out->b, err);
    if (rc != DS_OK) return rc;
    out->transfer_a_to_b_e = out->a.net_charge_e;
    out->imbalance_e = out->a.net_charge_e + out->b.net_charge_e;
    return DS_OK;
}

int charge_zval_from_run(const ds_run *run, int n_atoms, const int *atomic_numbers, double *zval, ds_err *err)
{
    if (run->n_atoms != n_atoms)
        return ds_err_set(err, DS_EUSAGE, run->path, 0, "the run has %d atoms, the density %d: not the same system",
                          run->n_atoms, n_atoms);
    if (!run->kinds || !run->kind_of_atom || run->n_kinds < 1)
        return ds_err_set(err, DS_ENODATA, run->path, 0, "the run does not say which kind (POTCAR/&KIND) each atom is");
    for (int i = 0; i < n_atoms; i++) {
        int k = run->kind_of_atom[i];
        if (k < 0 || k >= run->n_kinds)
            return ds_err_set(err, DS_ENODATA, run->path, 0, "atom %d has no kind in the run", i + 1);
        const run_kind *kd = &run->kinds[k];
        if (!isfinite(kd->zval))
            return ds_err_set(err, DS_ENODATA, run->path, 0, "the run gives no valence charge (ZVAL / GTH q) for kind %s",
                              kd->label[0] ? kd->label : kd->symbol);
        if (atomic_numbers && atomic_numbers[i] > 0 && run->species && element_z(run->species[i]) > 0 &&
            element_z(run->species[i]) != atomic_numbers[i]) {
            const char *s = element_symbol(atomic_numbers[i]);
            return ds_err_set(err, DS_EUSAGE, run->path, 0, "atom %d is %s in the run but %s in the density file", i + 1,
                              run->species[i], s ? s : "?");
        }
        zval[i] = kd->zval;
    }
    return DS_OK;
}
