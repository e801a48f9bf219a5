/* store_seal: the campaign store's whole-file checksum.  A store is created with a 512-byte
 * HDF5 user block (HDF5 and h5py skip it); when the file is complete, the seal written into
 * that block records the file's size and the zlib CRC-32 of every byte after the block.  A
 * store is handed to HDF5 only after its seal matches, so a flipped, truncated or foreign
 * byte anywhere gives a clear error instead of reaching HDF5's parser, which does not
 * survive every damaged file (docs/robustness.md), or a silently changed number. */
#ifndef DS_STORE_SEAL_H
#define DS_STORE_SEAL_H

#include <hdf5.h>

#include "parsers/io.h"

#define STORE_SEAL_BYTES 512
#define STORE_SEAL_MAGIC "dftscreen-campaign-store seal v1\n"

/* A file-creation property list with the user block the seal needs (caller closes it). */
hid_t store_seal_fcpl(void);
/* Writes the seal of a complete, closed store file (created with store_seal_fcpl). */
int store_seal_write(const char *path, ds_err *err);
/* DS_OK when path carries a seal that matches its bytes; DS_EFORMAT naming what differs. */
int store_seal_check(const char *path, ds_err *err);

#endif
