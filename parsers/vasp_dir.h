/* vasp_dir: reads a VASP run directory by combining the files that are there. */
#ifndef DS_VASP_DIR_H
#define DS_VASP_DIR_H

#include "parsers/dir_listing.h"
#include "parsers/run.h"

/* vasprun.xml is preferred; OUTCAR fills what vasprun lacks (or stands in when vasprun is
 * missing or unreadable); OSZICAR, CONTCAR/POSCAR, DOSCAR and EIGENVAL fill further gaps.
 * run->sources says which file gave each quantity.  path may also be a single file. */
int vasp_dir_read(const char *path, ds_run *run, ds_err *err);
/* 1 if dir looks like a VASP run directory (vasprun.xml, OUTCAR, OSZICAR, ... present). */
int vasp_dir_detect(const char *dir);
/* The same two on a directory already listed (listing->dir is the run directory): no name is
 * stat'ed that the listing answers. */
int vasp_dir_read_listed(ds_dir_listing *listing, ds_run *run, ds_err *err);
int vasp_dir_detect_listed(ds_dir_listing *listing);
/* The file vasp_dir_read_listed reads first (vasprun.xml, else OUTCAR, else OSZICAR, each
 * plain or .gz, else the only vasprun*.xml / OUTCAR* of the directory), copied into out:
 * what a change of the run's content shows in.  Returns 0 (out "") when the directory is
 * no VASP run. */
int vasp_dir_main_output(ds_dir_listing *listing, char *out, size_t n);

#endif
