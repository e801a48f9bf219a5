/* cp2k_dir: reads a CP2K run directory (or a single .out) by combining output, input, PDOS and trajectory. */
#ifndef DS_CP2K_DIR_H
#define DS_CP2K_DIR_H

#include "parsers/dir_listing.h"
#include "parsers/run.h"

int cp2k_dir_read(const char *path, ds_run *run, ds_err *err);
/* 1 if the file is a CP2K main output (its banner lines appear in the first 400 lines). */
int cp2k_output_detect(const char *path);
/* 1 if dir holds a CP2K main output. */
int cp2k_dir_detect(const char *dir);
/* The same two on a directory already listed (listing->dir is the run directory). */
int cp2k_dir_read_listed(ds_dir_listing *listing, ds_run *run, ds_err *err);
int cp2k_dir_detect_listed(ds_dir_listing *listing);
/* The CP2K output cp2k_dir_read_listed reads (the largest *.out / *.log, plain or .gz, with the
 * CP2K banner; of equal sizes the first by name), copied into out.  Returns 0 (out "") when
 * there is none. */
int cp2k_dir_main_output(ds_dir_listing *listing, char *out, size_t n);

#endif
