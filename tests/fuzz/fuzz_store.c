/* libFuzzer target: the campaign store reader — each input is a store file whose bytes the
 * fuzzer mutates (seeds: sealed stores ingested from the fixtures); every run group is read
 * back.  campaign_store_open_read checks the seal (whole-file CRC-32) before HDF5 sees a byte,
 * so a mutated store must be refused there with a message; the seeds themselves go through
 * HDF5 and store_read_run. */
#include <hdf5.h>

#include "screen/campaign_store.h"
#include "screen/store.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a regular file (HDF5 opens by name and may reopen it): /dev/shm keeps it in memory */
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/dev/shm/dftscreen-fuzz-store-%d.h5", (int)getpid());
    FILE *out = fopen(path, "wb");
    if (!out) return 0;
    size_t w = fwrite(data, 1, size, out);
    fclose(out);
    if (w != size) return 0;
    ds_err err;
    ds_err_clear(&err);
    hid_t f = campaign_store_open_read(path, &err);
    if (f < 0) return 0;
    hid_t runs = H5Gopen2(f, "runs", H5P_DEFAULT);
    hsize_t n = 0;
    if (runs >= 0 && H5Gget_num_objs(runs, &n) >= 0)
        for (hsize_t i = 0; i < n && i < 64; i++) {
            char name[64] = "";
            H5Gget_objname_by_idx(runs, i, name, sizeof name);
            hid_t g = H5Gopen2(runs, name, H5P_DEFAULT);
            if (g < 0) continue;
            ds_run run;
            run_init(&run);
            store_read_run(g, &run, &err);
            run_free(&run);
            H5Gclose(g);
        }
    if (runs >= 0) H5Gclose(runs);
    H5Fclose(f);
    return 0;
}
