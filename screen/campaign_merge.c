/* campaign_merge: combines shard stores (one per job-array task) into one store; for a
 * run path present in several inputs the later input wins. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "screen/campaign.h"
#include "screen/campaign_store.h"
#include "screen/store.h"

typedef struct {
    char path[1024];
    int input;
    int vanished;
    char group[32];
} merge_item;

/* Path order, vanished runs after the others. */
static int by_path(const void *a, const void *b)
{
    const merge_item *x = a, *y = b;
    if (x->vanished != y->vanished) return x->vanished - y->vanished;
    return strcmp(x->path, y->path);
}

int campaign_merge(const char *const *inputs, int n_inputs, const char *store_path, ds_err *err)
{
    return campaign_merge_ex(inputs, n_inputs, -1, store_path, NULL, err);
}

int campaign_merge_ex(const char *const *inputs, int n_inputs, int previous, const char *store_path, int *n_vanished,
                      ds_err *err)
{
    hid_t *files = calloc((size_t)n_inputs, sizeof *files);
    merge_item *items = NULL;
    int n_items = 0, cap = 0, rc = DS_OK;
    if (!files) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < n_inputs; i++) files[i] = -1;
    for (int i = 0; i < n_inputs && !rc; i++) {
        files[i] = campaign_store_open_read(inputs[i], err);
        if (files[i] < 0) {
            rc = err->code;
            break;
        }
        hid_t runs = H5Gopen2(files[i], "runs", H5P_DEFAULT);
        hsize_t n = 0;
        H5Gget_num_objs(runs, &n);
        for (hsize_t j = 0; j < n && !rc; j++) {
            if (n_items == cap) {
                cap = cap ? cap * 2 : 256;
                merge_item *ni = realloc(items, (size_t)cap * sizeof *ni);
                if (!ni) {
                    rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
                    break;
                }
                items = ni;
            }
            merge_item *it = &items[n_items];
            H5Gget_objname_by_idx(runs, j, it->group, sizeof it->group);
            hid_t g = H5Gopen2(runs, it->group, H5P_DEFAULT);
            store_get_str(g, "path", it->path, sizeof it->path);
            H5Gclose(g);
            it->input = i;
            /* A later input replaces an earlier entry for the same path. */
            int replaced = 0;
            for (int k = 0; k < n_items; k++)
                if (strcmp(items[k].path, it->path) == 0) {
                    items[k] = *it;
                    replaced = 1;
                    break;
                }
            if (!replaced) n_items++;
        }
        H5Gclose(runs);
    }
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", store_path, (long)getpid());
    int vanished = 0;
    for (int k = 0; k < n_items; k++) vanished += items[k].vanished = items[k].input == previous;
    if (n_vanished) *n_vanished = vanished;
    if (!rc) {
        qsort(items, (size_t)n_items, sizeof *items, by_path);
        hid_t out = campaign_store_create(tmp, err);
        if (out < 0) rc = err->code;
        else {
            hid_t runs = H5Gcreate2(out, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            for (int k = 0; k < n_items && !rc; k++) {
                char src[64], name[32];
                snprintf(src, sizeof src, "/runs/%s", items[k].group);
                snprintf(name, sizeof name, "r%07d", k);
                if (H5Ocopy(files[items[k].input], src, runs, name, H5P_DEFAULT, H5P_DEFAULT) < 0)
                    rc = ds_err_set(err, DS_EIO, inputs[items[k].input], 0, "copying run %s failed", items[k].path);
                else if (items[k].vanished) {
                    hid_t g = H5Gopen2(runs, name, H5P_DEFAULT);
                    if (H5Aexists(g, "vanished") <= 0) store_attr_long(g, "vanished", 1);
                    H5Gclose(g);
                }
            }
            H5Gclose(runs);
            H5Fclose(out);
        }
    }
    for (int i = 0; i < n_inputs; i++)
        if (files[i] >= 0) H5Fclose(files[i]);
    free(files);
    free(items);
    if (!rc) rc = campaign_store_commit(tmp, store_path, err);
    else unlink(tmp);
    return rc;
}
