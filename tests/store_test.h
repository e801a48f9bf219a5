/* store_test: test helpers for the campaign store.  A scratch HDF5 file; and the read-back
 * check: every run of a store, read back with store_read_run and printed again, must give the
 * `show --json` object stored beside it (the store holds every field show prints, and the
 * reader puts each back where it was). */
#ifndef DS_TEST_STORE_TEST_H
#define DS_TEST_STORE_TEST_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "screen/campaign_store.h"
#include "screen/run_json.h"
#include "screen/store.h"

/* A new scratch HDF5 file at path (a mkstemp template, filled in), HDF5's error printing off. */
__attribute__((unused)) static hid_t scratch_file(char *path)
{
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
}

/* Bytes the dataset loc/name takes in the file (compressed chunks as stored); 0 when absent. */
__attribute__((unused)) static hsize_t storage_of(hid_t loc, const char *name)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hsize_t s = d < 0 ? 0 : H5Dget_storage_size(d);
    if (d >= 0) H5Dclose(d);
    return s;
}

/* Runs compared (failed runs, stored with an error, are not); *n_differ the runs whose text
 * differs, the first named in first (n bytes).  exact: byte-for-byte text; otherwise the same
 * JSON values in any member order (cJSON_Compare: a format 2 store lists charge methods by
 * name, not in the run's order).  -1 when the store cannot be opened. */
__attribute__((unused)) static int store_check_read_back(const char *store_path, int exact, int *n_differ, char *first,
                                                         size_t n)
{
    ds_err err;
    *n_differ = 0;
    first[0] = '\0';
    hid_t f = campaign_store_open_read(store_path, &err);
    if (f < 0) {
        if (snprintf(first, n, "%s", err.msg) < 0) first[0] = '\0';
        return -1;
    }
    hid_t runs = H5Gopen2(f, "runs", H5P_DEFAULT);
    hsize_t n_runs = 0;
    H5Gget_num_objs(runs, &n_runs);
    int compared = 0;
    for (hsize_t i = 0; i < n_runs; i++) {
        char name[32] = "";
        H5Gget_objname_by_idx(runs, i, name, sizeof name);
        hid_t g = H5Gopen2(runs, name, H5P_DEFAULT);
        if (g < 0 || H5Aexists(g, "error") > 0) {
            if (g >= 0) H5Gclose(g);
            continue;
        }
        ds_run run;
        run_init(&run);
        char *stored = store_get_text(g, "show_json");
        int rc = store_read_run(g, &run, &err);
        char *again = rc ? NULL : run_show_json_text(&run, 1e-3, 0);
        int same = 0;
        if (stored && again && exact) same = strcmp(stored, again) == 0;
        else if (stored && again) {
            cJSON *a = cJSON_Parse(stored), *b = cJSON_Parse(again);
            same = a && b && cJSON_Compare(a, b, 1);
            cJSON_Delete(a);
            cJSON_Delete(b);
        }
        compared++;
        if (!same && (*n_differ)++ == 0 && snprintf(first, n, "%s (%s)", run.path, rc ? err.msg : "differs") < 0)
            first[0] = '\0';
        free(stored);
        free(again);
        run_free(&run);
        H5Gclose(g);
    }
    H5Gclose(runs);
    H5Fclose(f);
    return compared;
}

#endif
