/* cmd_orbitals: `dftscreen orbitals PATH` — HOMO/LUMO/gap (VBM/CBM with k-points), per
 * spin and overall, from the run's eigenvalues and occupations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/orbitals.h"
#include "parsers/detect.h"
#include "screen/commands.h"
#include <cJSON.h>

const char cmd_orbitals_help[] =
    "usage: dftscreen orbitals PATH [--occu-tol X] [--json]\n"
    "\n"
    "Frontier orbitals from eigenvalues and occupations: HOMO (VBM) = highest level with\n"
    "occupation > occu-tol (default 1e-8), LUMO (CBM) = lowest level with occupation <=\n"
    "occu-tol, over every spin and k-point; gap = max(LUMO - HOMO, 0) (as pymatgen\n"
    "Vasprun.eigenvalue_band_properties).  Per-spin values for spin-polarised runs.\n"
    "Energies are as the code prints them (VASP: relative to the cell-average electrostatic\n"
    "potential; CP2K: absolute).  vacuum_level_eV is null: the LOCPOT reader that gives the\n"
    "vacuum level is not part of this version.\n"
    "When a CP2K run printed no unoccupied orbitals in its MO block (OT), the LUMO comes\n"
    "from the output's 'Lowest Eigenvalues of the unoccupied subspace' block.\n";

static cJSON *num(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

int cmd_orbitals(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    double tol = 1e-8;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "--occu-tol") == 0 && i + 1 < argc) tol = strtod(argv[++i], NULL);
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dftscreen orbitals: unknown option '%s'\n", argv[i]);
            return 2;
        } else path = argv[i];
    }
    if (!path) {
        fputs(cmd_orbitals_help, stderr);
        return 2;
    }
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    char buf[1400];
    if (run_read_path(path, &run, &err) != DS_OK) {
        fprintf(stderr, "dftscreen orbitals: %s\n", ds_err_format(&err, buf, sizeof buf));
        run_free(&run);
        return 1;
    }
    orbitals_result r;
    const char *lumo_from = "eigenvalues";
    int rc = orbitals_of_run(&run, tol, &r, &lumo_from, &err);
    if (rc) {
        if (!err.file[0]) snprintf(err.file, sizeof err.file, "%s", path);
        fprintf(stderr, "dftscreen orbitals: %s\n", ds_err_format(&err, buf, sizeof buf));
        run_free(&run);
        return 1;
    }
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "path", path);
        cJSON_AddItemToObject(j, "homo_eV", num(r.homo_eV));
        cJSON_AddItemToObject(j, "lumo_eV", num(r.lumo_eV));
        cJSON_AddItemToObject(j, "gap_eV", num(r.gap_eV));
        cJSON_AddItemToObject(j, "fermi_eV", num(run.fermi_eV));
        cJSON_AddNullToObject(j, "vacuum_level_eV");
        cJSON_AddNumberToObject(j, "homo_kpoint", r.homo_kpoint);
        cJSON_AddNumberToObject(j, "lumo_kpoint", r.lumo_kpoint);
        cJSON_AddBoolToObject(j, "direct", r.homo_kpoint == r.lumo_kpoint);
        cJSON_AddNumberToObject(j, "occu_tol", tol);
        cJSON_AddStringToObject(j, "source", lumo_from);
        if (r.n_spins == 2) {
            cJSON *spins = cJSON_CreateObject();
            const char *names[2] = {"up", "down"};
            for (int s = 0; s < 2; s++) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddItemToObject(o, "homo_eV", num(r.homo_spin_eV[s]));
                cJSON_AddItemToObject(o, "lumo_eV", num(r.lumo_spin_eV[s]));
                cJSON_AddItemToObject(o, "gap_eV", num(r.gap_spin_eV[s]));
                cJSON_AddItemToObject(spins, names[s], o);
            }
            cJSON_AddItemToObject(j, "spins", spins);
        }
        char *text = cJSON_Print(j);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(j);
    } else {
        printf("%s\n  HOMO %.6f eV  LUMO %.6f eV  gap %.6f eV  (%s)\n", path, r.homo_eV, r.lumo_eV, r.gap_eV, lumo_from);
        if (run.eigen.n_kpoints > 1)
            printf("  VBM at k-point %d, CBM at k-point %d (%s gap)\n", r.homo_kpoint + 1, r.lumo_kpoint + 1,
                   r.homo_kpoint == r.lumo_kpoint ? "direct" : "indirect");
        if (r.n_spins == 2)
            for (int s = 0; s < 2; s++)
                printf("  spin %-4s HOMO %.6f  LUMO %.6f  gap %.6f eV\n", s ? "down" : "up", r.homo_spin_eV[s],
                       r.lumo_spin_eV[s], r.gap_spin_eV[s]);
    }
    run_free(&run);
    return 0;
}
