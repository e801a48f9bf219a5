/* cmd_orbitals: `dftscreen orbitals PATH` — HOMO/LUMO/gap (VBM/CBM with k-points), per
 * spin and overall, from the run's eigenvalues and occupations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "descriptors/orbitals.h"
#include "descriptors/vacuum.h"
#include "parsers/detect.h"
#include "parsers/vasp_chgcar.h"
#include "screen/json_text.h"
#include "screen/commands.h"
#include <cJSON.h>

const char cmd_orbitals_help[] =
    "usage: dftscreen orbitals PATH [--occu-tol X] [--vacuum-axis a|b|c] [--json]\n"
    "\n"
    "Frontier orbitals from eigenvalues and occupations: HOMO (VBM) = highest level with\n"
    "occupation > occu-tol (default 1e-8), LUMO (CBM) = lowest level with occupation <=\n"
    "occu-tol, over every spin and k-point; gap = max(LUMO - HOMO, 0) (as pymatgen\n"
    "Vasprun.eigenvalue_band_properties).  Per-spin values for spin-polarised runs.\n"
    "Energies are as the code prints them (VASP: relative to the cell-average electrostatic\n"
    "potential; CP2K: absolute).\n"
    "Vacuum level: when the run directory holds a LOCPOT (or LOCPOT.gz), the planar average of\n"
    "the potential along the axis with the largest atom-free gap (or --vacuum-axis), averaged\n"
    "over the grid planes in the middle third of that gap; homo/lumo_vs_vacuum_eV are the\n"
    "orbital energies minus it, comparable between molecules in different boxes.  vacuum\n"
    "reports the axis, the gap and plateau_spread_eV (max - min over the plateau: how flat).\n"
    "vacuum_level_eV is null without a LOCPOT.\n"
    "When a CP2K run printed no unoccupied orbitals in its MO block (OT), the LUMO comes\n"
    "from the output's 'Lowest Eigenvalues of the unoccupied subspace' block.\n";

static cJSON *num(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* The LOCPOT beside the run (PATH a directory, or the directory of PATH). */
static int find_locpot(const char *path, char *out, size_t n)
{
    char dir[1024];
    struct stat st;
    snprintf(dir, sizeof dir, "%s", path);
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        else snprintf(dir, sizeof dir, ".");
    }
    return ds_find_variant(dir, "LOCPOT", out, n);
}

/* 1 with *v filled when a LOCPOT was found and read; 0 when there is none; -1 on error. */
static int vacuum_from_locpot(const char *path, int axis, vacuum_result *v, char *file, size_t n, ds_err *err)
{
    if (!find_locpot(path, file, n)) return 0;
    ds_grid g;
    grid_init(&g);
    vasp_chgcar_opts o = {0};
    o.max_sets = 1;
    o.units = "eV";
    int rc = vasp_chgcar_read(file, &o, &g, NULL, err);
    if (!rc) rc = vacuum_level(g.values[0], g.n, g.lattice_angstrom, (const double (*)[3])g.positions_angstrom, g.n_atoms, axis, v, err);
    if (rc && !err->file[0]) snprintf(err->file, sizeof err->file, "%.511s", file);
    grid_free(&g);
    return rc ? -1 : 1;
}

int cmd_orbitals(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    double tol = 1e-8;
    int vac_axis = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "--vacuum-axis") == 0 && i + 1 < argc) {
            const char *a = argv[++i];
            vac_axis = (a[0] >= 'a' && a[0] <= 'c' && !a[1]) ? a[0] - 'a' : 3;
            if (vac_axis == 3) {
                fprintf(stderr, "dftscreen orbitals: --vacuum-axis '%s': expected a, b or c\n", a);
                return 2;
            }
        }
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
    vacuum_result vac;
    char locpot[1400] = "";
    int have_vac = vacuum_from_locpot(path, vac_axis, &vac, locpot, sizeof locpot, &err);
    if (have_vac < 0) {
        fprintf(stderr, "dftscreen orbitals: %s\n", ds_err_format(&err, buf, sizeof buf));
        run_free(&run);
        return 1;
    }
    double vac_eV = have_vac ? vac.vacuum_level_eV : NAN;
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "path", path);
        cJSON_AddItemToObject(j, "homo_eV", num(r.homo_eV));
        cJSON_AddItemToObject(j, "lumo_eV", num(r.lumo_eV));
        cJSON_AddItemToObject(j, "gap_eV", num(r.gap_eV));
        cJSON_AddItemToObject(j, "fermi_eV", num(run.fermi_eV));
        cJSON_AddItemToObject(j, "vacuum_level_eV", num(vac_eV));
        cJSON_AddItemToObject(j, "homo_vs_vacuum_eV", num(r.homo_eV - vac_eV));
        cJSON_AddItemToObject(j, "lumo_vs_vacuum_eV", num(r.lumo_eV - vac_eV));
        if (have_vac) {
            cJSON *v = cJSON_CreateObject();
            char ax[2] = {(char)('a' + vac.axis), 0};
            cJSON_AddStringToObject(v, "axis", ax);
            cJSON_AddNumberToObject(v, "gap_angstrom", vac.gap_angstrom);
            cJSON_AddNumberToObject(v, "plateau_spread_eV", vac.plateau_spread_eV);
            cJSON_AddNumberToObject(v, "n_plateau_planes", vac.n_plateau_points);
            cJSON_AddStringToObject(v, "source", locpot);
            cJSON_AddItemToObject(j, "vacuum", v);
        } else cJSON_AddNullToObject(j, "vacuum");
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
        char *text = json_text_print(j, 1);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(j);
    } else {
        printf("%s\n  HOMO %.6f eV  LUMO %.6f eV  gap %.6f eV  (%s)\n", path, r.homo_eV, r.lumo_eV, r.gap_eV, lumo_from);
        if (have_vac)
            printf("  vacuum level %.6f eV (axis %c, gap %.2f A, plateau spread %.4f eV): HOMO %.6f, LUMO %.6f eV vs vacuum\n",
                   vac_eV, 'a' + vac.axis, vac.gap_angstrom, vac.plateau_spread_eV, r.homo_eV - vac_eV, r.lumo_eV - vac_eV);
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
