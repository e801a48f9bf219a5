/* detect: decides whether a path is a VASP or CP2K run (directory or single file) and
 * hands it to that code's reader. */
#include "parsers/detect.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/bader_acf.h"
#include "parsers/cp2k_dir.h"
#include "parsers/dir_listing.h"
#include "parsers/vasp_dir.h"

/* The Henkelman program's ACF.dat (or ACF.dat.gz) beside a run: its Bader populations join
 * the run's charges (method "bader").  A broken or mismatched ACF is a warning on the run,
 * never a failure of the run itself. */
static void attach_bader(ds_dir_listing *dir, ds_run *run)
{
    static const char *const names[] = {"ACF.dat", "ACF.dat.gz"};
    for (int i = 0; i < 2; i++) {
        char path[1200];
        /* Any entry stat accepts (a directory too: its read fails into a warning). */
        if (!ds_dir_exists(dir, names[i]) || !ds_dir_path(dir, names[i], path, sizeof path)) continue;
        ds_run acf;
        run_init(&acf);
        ds_err err;
        ds_err_clear(&err);
        char buf[1400];
        const run_charges *c = NULL;
        if (bader_acf_read_run(path, &acf, &err) != DS_OK)
            run_add_warning(run, "%s", ds_err_format(&err, buf, sizeof buf));
        else if (acf.n_charges < 1 || (c = &acf.charges[0])->n_atoms != run->n_atoms)
            run_add_warning(run, "%s: %d atoms, the run has %d: Bader charges ignored", path, c ? c->n_atoms : 0, run->n_atoms);
        else {
            run_charges *dst = run_add_charges(run, "bader", c->n_atoms);
            if (dst) {
                memcpy(dst->population_e, c->population_e, (size_t)c->n_atoms * sizeof(double));
                memcpy(dst->net_charge_e, c->net_charge_e, (size_t)c->n_atoms * sizeof(double));
                run_add_source(run, "bader", path);
            }
        }
        run_free(&acf);
        return;
    }
}

int run_read_path(const char *path, ds_run *run, ds_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) return ds_err_set(err, DS_EIO, path, 0, "no such file or directory");
    if (S_ISDIR(st.st_mode)) {
        /* One listing answers every name the detectors, the readers and attach_bader ask. */
        ds_dir_listing dir;
        ds_dir_list(path, &dir, NULL);
        int rc = -1;
        if (vasp_dir_detect_listed(&dir)) rc = vasp_dir_read_listed(&dir, run, err);
        else if (cp2k_dir_detect_listed(&dir)) rc = cp2k_dir_read_listed(&dir, run, err);
        if (rc == DS_OK) attach_bader(&dir, run);
        ds_dir_listing_free(&dir);
        if (rc >= 0) return rc;
        return ds_err_set(err, DS_ENODATA, path, 0,
                          "no VASP output (vasprun.xml, OUTCAR, OSZICAR) and no CP2K output (*.out, *.log) here");
    }
    if (cp2k_output_detect(path)) return cp2k_dir_read(path, run, err);
    return vasp_dir_read(path, run, err);
}
