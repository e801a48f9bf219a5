/* vasp_oszicar: OSZICAR — one ionic line "N F= .. E0= .. d E = .. mag= .." per ionic
 * step, after its electronic lines (DAV:, RMM:, CG:, ...).  Numbers such as -.302333-128
 * (Fortran, exponent without 'E', VASP 6.3) parse through ds_parse_double. */
#include "parsers/vasp_oszicar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double after(const char *line, const char *key, int *overflow)
{
    const char *p = strstr(line, key);
    if (!p) return NAN;
    p += strlen(key);
    double x;
    int rc = ds_parse_double(&p, &x);
    if (rc == DS_NUM_OVERFLOW) *overflow = 1;
    return rc == DS_NUM_OK ? x : NAN;
}

int vasp_oszicar_read(const char *path, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open_full(&r, path, err);
    if (rc) return rc;
    run_note_main_digest(run, path, &r);
    char *line;
    int n_elec = 0, overflow = 0, saw_any = 0;
    while ((line = ds_reader_next(&r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (strstr(line, " F=") && strstr(line, "E0=")) {
            run_step *s = run_push_step(run);
            if (!s) {
                ds_reader_close(&r);
                return ds_err_set(err, DS_ENOMEM, path, r.line_no, "out of memory");
            }
            s->energy_free_eV = after(line, "F=", &overflow);
            s->energy_sigma0_eV = after(line, "E0=", &overflow);
            s->magnetization_total = after(line, "mag=", &overflow);
            s->n_scf_steps = n_elec;
            n_elec = 0;
            saw_any = 1;
        } else if (p[0] && p[1] && p[2] && p[3] == ':' ) {
            n_elec++; /* DAV:, RMM:, CG :, ... */
            saw_any = 1;
        } else if (strstr(line, "N       E ")) saw_any = 1;
    }
    long last = r.line_no;
    int failed = r.failed;
    ds_reader_close(&r);
    if (!saw_any)
        return ds_err_set(err, failed ? DS_ETRUNC : DS_EFORMAT, path, last ? last : 1,
                          "not an OSZICAR: no electronic (DAV:/RMM:) or ionic (F= E0=) line");
    run->code = RUN_CODE_VASP;
    if (n_elec > 0) {
        run->truncated = 1;
        run_add_warning(run, "%s: %d electronic steps after the last ionic line: an unfinished step, not counted", path,
                        n_elec);
    }
    if (overflow) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "%s: Fortran overflow fields (****)", path);
    }
    if (run->n_steps) run->magnetization_total = run->steps[run->n_steps - 1].magnetization_total;
    run_add_source(run, "energy", path);
    return DS_OK;
}
