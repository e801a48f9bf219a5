/* detect: decides whether a path is a VASP or CP2K run (directory or single file) and
 * hands it to that code's reader. */
#include "parsers/detect.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/cp2k_dir.h"
#include "parsers/vasp_dir.h"

int run_read_path(const char *path, ds_run *run, ds_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) return ds_err_set(err, DS_EIO, path, 0, "no such file or directory");
    if (S_ISDIR(st.st_mode)) {
        if (vasp_dir_detect(path)) return vasp_dir_read(path, run, err);
        if (cp2k_dir_detect(path)) return cp2k_dir_read(path, run, err);
        return ds_err_set(err, DS_ENODATA, path, 0,
                          "no VASP output (vasprun.xml, OUTCAR, OSZICAR) and no CP2K output (*.out, *.log) here");
    }
    if (cp2k_output_detect(path)) return cp2k_dir_read(path, run, err);
    return vasp_dir_read(path, run, err);
}
