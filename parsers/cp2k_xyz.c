/* cp2k_xyz: CP2K trajectories (*-pos-1.xyz): frames of "N", a comment line
 * " i =  12, time = ..., E = -47.16..." (Hartree) and N lines "El x y z" (Angstrom).
 * A frame belongs to the output's step with the same energy: a GEO_OPT writes no frame for
 * the starting geometry (frame i = 1 is the second ENERGY| line) and a converged one adds
 * the re-evaluation at the minimum, so frames and steps are matched by energy, in order,
 * and by position only when the comment has no energy. */
#include "parsers/cp2k_xyz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

/* The first step at or after from whose energy is the frame's (printed to 1e-10 Ha). */
static int step_of_energy(const ds_run *run, int from, int n_steps_before, double e_Ha)
{
    if (isnan(e_Ha)) return -1;
    for (int i = from; i < n_steps_before; i++)
        if (fabs(run->steps[i].energy_sigma0_eV / DS_HA_TO_EV - e_Ha) <= 1e-9) return i;
    return -1;
}

int cp2k_xyz_read(const char *path, ds_run *run, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    char *line;
    int frame = 0, next_step = 0, n_steps_before = run->n_steps;
    const run_structure *cell = run->has_final ? &run->final : (run->has_initial ? &run->initial : NULL);
    while ((line = ds_reader_next(&r, NULL))) {
        const char *p = line;
        long n;
        if (ds_parse_long(&p, &n) != DS_NUM_OK) {
            if (!*ds_skip_ws(line)) continue;
            ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected the atom count of frame %d", frame + 1);
            ds_reader_close(&r);
            return frame ? DS_OK : DS_EFORMAT;
        }
        if (n <= 0 || n > 10000000 || (run->n_atoms && n != run->n_atoms)) {
            ds_err_set(err, DS_EFORMAT, path, r.line_no, "frame %d has %ld atoms, the run %d", frame + 1, n, run->n_atoms);
            ds_reader_close(&r);
            return DS_EFORMAT;
        }
        char *comment = ds_reader_next(&r, NULL);
        double e_Ha = NAN;
        if (comment && strstr(comment, "E =")) {
            const char *q = strstr(comment, "E =") + 3;
            if (ds_parse_double(&q, &e_Ha) != DS_NUM_OK) e_Ha = NAN;
        }
        run_structure s;
        memset(&s, 0, sizeof s);
        char (*sp)[4] = calloc((size_t)n, sizeof *sp);
        if (!comment || run_structure_alloc(&s, (int)n) || !sp) {
            free(sp);
            run_structure_free(&s);
            break;
        }
        long a = 0;
        for (; a < n; a++) {
            if (!(line = ds_reader_next(&r, NULL))) break;
            const char *q = ds_skip_ws(line);
            char el[8];
            size_t l = strcspn(q, " \t");
            ds_copy_trim(el, sizeof el, q, q + l);
            element_from_label(el, sp[a]);
            q += l;
            int k = 0;
            for (; k < 3; k++)
                if (ds_parse_double(&q, &s.positions_angstrom[a][k]) != DS_NUM_OK) break;
            if (k < 3) break;
        }
        if (a < n) {
            run->truncated = 1;
            run_add_warning(run, "%s: frame %d is cut short (line %ld): dropped", path, frame + 1, r.line_no);
            free(sp);
            run_structure_free(&s);
            break;
        }
        if (!run->species) {
            if (run_set_species(run, (int)n)) {
                free(sp);
                run_structure_free(&s);
                break;
            }
            memcpy(run->species, sp, (size_t)n * sizeof *sp);
        }
        free(sp);
        if (cell && cell->has_lattice) {
            s.has_lattice = 1;
            memcpy(s.lattice_angstrom, cell->lattice_angstrom, sizeof s.lattice_angstrom);
        }
        int idx = step_of_energy(run, next_step, n_steps_before, e_Ha);
        if (idx < 0) idx = next_step;
        next_step = idx + 1;
        run_step *st = idx < run->n_steps ? &run->steps[idx] : run_push_step(run);
        if (!st) {
            run_structure_free(&s);
            break;
        }
        if (idx >= n_steps_before && !isnan(e_Ha))
            st->energy_free_eV = st->energy_no_entropy_eV = st->energy_sigma0_eV = e_Ha * DS_HA_TO_EV;
        else if (!isnan(e_Ha) && fabs(st->energy_sigma0_eV - e_Ha * DS_HA_TO_EV) > 1e-6 * DS_HA_TO_EV)
            run_add_warning(run, "%s: frame %d energy %.10f Ha differs from the output's step energy", path, frame + 1, e_Ha);
        run_structure_free(&st->structure);
        st->structure = s;
        st->has_structure = 1;
        frame++;
    }
    ds_reader_close(&r);
    if (frame == 0) return ds_err_set(err, DS_EFORMAT, path, r.line_no, "no complete frame");
    /* The last complete frame is the final structure (the .out does not print it). */
    for (int i = run->n_steps - 1; i >= 0; i--)
        if (run->steps[i].has_structure) {
            run_structure_copy(&run->final, &run->steps[i].structure);
            run->has_final = 1;
            break;
        }
    run_add_source(run, "trajectory", path);
    run_add_source(run, "final_structure", path);
    return DS_OK;
}
