/* campaign_store: the store-level pieces of a campaign: header, the index of the runs a
 * previous store holds (path, size, mtime, content hash), copying unchanged or vanished
 * runs into a new store, and the atomic commit (fsync, rename, fsync of the directory). */
#ifndef DS_CAMPAIGN_STORE_H
#define DS_CAMPAIGN_STORE_H

#include <hdf5.h>

#include "screen/campaign.h"

typedef struct {
    hid_t file;                /* -1 when there was no previous store */
    int n;
    char (*paths)[1024];
    char (*groups)[32];
    long long *size, *mtime_ns;
    unsigned long long *hash;
    unsigned char *hash_known; /* 0: the stored run has no content_crc64_xz (older store) */
    unsigned char *seen;
    int *by_path;              /* indices sorted by path (binary search) */
} campaign_index;

void campaign_store_write_header(hid_t file);
/* The change-detection attributes of a run's group (main_file, size_bytes, mtime_ns,
 * content_crc64_xz, reader_revision).  Not its path: store_write_run writes that for a read run,
 * the ingest for a failed one, and a copied run keeps the one it was found by. */
int campaign_store_write_fingerprint(hid_t group, const campaign_entry *e, unsigned long long hash);
/* Opens an existing store read-only and indexes it; a missing file gives an empty index;
 * a file that is not a readable dftscreen store is an error (never overwritten). */
int campaign_index_open(const char *store_path, campaign_index *idx, ds_err *err);
/* 1 when re-ingesting `list` would write exactly the stored content: every run found
 * matches a stored, successfully read run by size and mtime, and every stored run is found. */
int campaign_index_all_unchanged(const campaign_index *idx, const campaign_list *list);
int campaign_index_find(const campaign_index *idx, const char *path);
/* Same size and mtime, or (when those moved) the same content hash of the main output.
 * When it checksummed the main output, *hash gets the checksum and *hashed is set to 1 (the
 * caller need not read the file again to store it); otherwise both are left alone. */
int campaign_index_unchanged(const campaign_index *idx, int k, const campaign_entry *e, unsigned long long *hash,
                             int *hashed);
void campaign_index_mark_seen(campaign_index *idx, int k);
int campaign_index_copy(campaign_index *idx, int k, hid_t runs_g, const char *name, const campaign_entry *e,
                        ds_err *err);
int campaign_index_copy_vanished(campaign_index *idx, int k, hid_t runs_g, const char *name, ds_err *err);
void campaign_index_close(campaign_index *idx);
/* Creates the new store file (with the user block for the seal) and writes the header. */
hid_t campaign_store_create(const char *tmp_path, ds_err *err);
/* Seals the closed tmp_path (store_seal), flushes it and renames it over store_path. */
int campaign_store_commit(const char *tmp_path, const char *store_path, ds_err *err);
/* Opens a store for reading after its seal (whole-file CRC-32) and format checks; returns the file id or -1 with err set. */
hid_t campaign_store_open_read(const char *store_path, ds_err *err);

#endif
