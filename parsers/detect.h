/* detect: recognises what a path is (VASP/CP2K run directory or a single file) and reads it. */
#ifndef DS_DETECT_H
#define DS_DETECT_H

#include "parsers/run.h"

int run_read_path(const char *path, ds_run *run, ds_err *err);

#endif
