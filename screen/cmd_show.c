/* cmd_show: `dftscreen show PATH [--json]` reads one run (VASP/CP2K directory or file)
 * and prints a readable summary or the run's JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/xc_identity.h"
#include "parsers/detect.h"
#include "screen/commands.h"
#include "screen/run_json.h"
#include "structures/formula.h"

const char cmd_show_help[] =
    "usage: dftscreen show PATH [--json] [--symprec ANGSTROM]\n"
    "\n"
    "Reads one calculation and prints what was found in it.  PATH is a VASP run directory\n"
    "(vasprun.xml preferred, OUTCAR as fallback and for what vasprun.xml lacks; OSZICAR,\n"
    "CONTCAR/POSCAR, DOSCAR, EIGENVAL fill gaps), a CP2K run directory (main output, input,\n"
    "trajectory, PDOS files), or a single file of either code; any file may be gzipped.\n"
    "\n"
    "  --json          one JSON object: code, code_version, n_atoms, species, n_ionic_steps,\n"
    "                  energy_eV (VASP energy(sigma->0) / CP2K total energy of the last complete\n"
    "                  step: the energy for reaction energies), energy_free_eV (TOTEN), fermi_eV,\n"
    "                  homo_eV, lumo_eV, gap_eV, converged_electronic, converged_ionic,\n"
    "                  terminated_normally, truncated, lattice_angstrom, positions_angstrom,\n"
    "                  magnetization_total, spacegroup, settings (with the libxc identity of the\n"
    "                  functional), steps, charges, warnings, sources (which file gave what).\n"
    "                  Unknown values are null; units are in the key names.\n"
    "  --symprec X     spglib tolerance in Angstrom for the space group (default 0.001;\n"
    "                  0 turns symmetry analysis off)\n"
    "\n"
    "Exit status: 0 when the run was read (warnings may still flag problems), 1 when it\n"
    "could not be read (the message names the file, the line and what was expected).\n";

static void print_flag(const char *name, int v)
{
    printf("  %-22s %s\n", name, v < 0 ? "unknown" : v ? "yes" : "no");
}

static void print_summary(const ds_run *run, const run_xc *xc, const sym_info *sym)
{
    char formula[256] = "";
    if (run->species) formula_of_species((const char (*)[4])run->species, run->n_atoms, 0, formula, sizeof formula);
    printf("%s %s  %s\n", run_code_name(run->code), run->code_version[0] ? run->code_version : "(version unknown)",
           run->path);
    if (run->title[0]) printf("  title                  %s\n", run->title);
    printf("  atoms                  %d  %s\n", run->n_atoms, formula);
    if (sym) printf("  space group            %s (%d) at symprec %g A\n", sym->spacegroup_symbol, sym->spacegroup_number,
                    sym->symprec_angstrom);
    printf("  functional             %s", xc && xc->label[0] ? xc->label : "unknown");
    if (xc && xc->libxc_names[0]) printf("  [libxc %s]", xc->libxc_names);
    if (run->settings.dispersion[0]) printf("  dispersion %s", run->settings.dispersion);
    printf("\n");
    if (!isnan(run->settings.encut_eV)) printf("  ENCUT                  %g eV\n", run->settings.encut_eV);
    if (!isnan(run->settings.cutoff_Ry))
        printf("  CUTOFF / REL_CUTOFF    %g / %g Ry\n", run->settings.cutoff_Ry, run->settings.rel_cutoff_Ry);
    printf("  ionic steps            %d\n", run->n_steps);
    double e = run_energy_eV(run);
    if (!isnan(e)) printf("  energy                 %.8f eV  (%s)\n", e,
                          run->code == RUN_CODE_VASP ? "energy(sigma->0), last complete step" : "total energy, last step");
    else printf("  energy                 unknown (no complete step)\n");
    if (run->n_steps && !isnan(run->steps[run->n_steps - 1].energy_free_eV) && run->code == RUN_CODE_VASP)
        printf("  free energy TOTEN      %.8f eV\n", run->steps[run->n_steps - 1].energy_free_eV);
    if (!isnan(run->fermi_eV)) printf("  Fermi level            %.6f eV\n", run->fermi_eV);
    if (!isnan(run->homo_eV)) printf("  HOMO / LUMO            %.6f / %.6f eV (gap %.6f eV)\n", run->homo_eV, run->lumo_eV,
                                     run->lumo_eV - run->homo_eV);
    if (!isnan(run->magnetization_total)) printf("  magnetization          %.4f mu_B\n", run->magnetization_total);
    print_flag("terminated normally", run->terminated_normally);
    print_flag("electronic converged", run->converged_electronic);
    print_flag("ionic converged", run->converged_ionic);
    if (run->truncated) printf("  TRUNCATED: the file ends before the code finished writing it\n");
    if (run->has_overflow_fields) printf("  OVERFLOW: Fortran '****' fields were found\n");
    printf("  data                   %s%s%s%s\n", run->has_eigen ? "eigenvalues " : "", run->has_dos ? "DOS " : "",
           (run->has_dos && run->dos.n_pdos_atoms) || run->n_pdos_sets ? "projected-DOS " : "",
           run->n_charges ? "charges" : "");
    if (run->n_warnings) {
        printf("  warnings:\n");
        for (int i = 0; i < run->n_warnings; i++) printf("    - %s\n", run->warnings[i]);
    }
    if (run->n_sources) {
        printf("  sources:\n");
        for (int i = 0; i < run->n_sources; i++) printf("    %-22s %s\n", run->sources[i].quantity, run->sources[i].file);
    }
}

int cmd_show(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    double symprec = 1e-3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "--symprec") == 0 && i + 1 < argc) {
            char *end;
            symprec = strtod(argv[++i], &end);
            if (*end || symprec < 0) {
                fprintf(stderr, "dftscreen show: --symprec needs a non-negative number, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dftscreen show: unknown option '%s'\n%s", argv[i], cmd_show_help);
            return 2;
        } else if (!path) path = argv[i];
        else {
            fprintf(stderr, "dftscreen show: one PATH only\n");
            return 2;
        }
    }
    if (!path) {
        fputs(cmd_show_help, stderr);
        return 2;
    }
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    int rc = run_read_path(path, &run, &err);
    if (rc != DS_OK) {
        char buf[1400];
        fprintf(stderr, "dftscreen show: %s\n", ds_err_format(&err, buf, sizeof buf));
        run_free(&run);
        return 1;
    }
    if (json) {
        char *text = run_show_json_text(&run, symprec, 1);
        if (text) {
            fputs(text, stdout);
            fputc('\n', stdout);
        }
        cJSON_free(text);
    } else {
        run_xc xc;
        ds_err xerr;
        int have_xc = xc_identity_of_run(&run, &xc, &xerr) == DS_OK;
        if (!have_xc) run_add_warning(&run, "functional not identified: %s", xerr.msg);
        sym_info sym;
        int have_sym = 0;
        const run_structure *s = run_structure_for_symmetry(&run);
        if (symprec > 0 && s && run.species && s->n_atoms == run.n_atoms) {
            ds_err serr;
            have_sym = sym_analyse(s, (const char (*)[4])run.species, symprec, &sym, &serr) == DS_OK;
        }
        print_summary(&run, have_xc ? &xc : NULL, have_sym ? &sym : NULL);
        if (have_sym) sym_info_free(&sym);
    }
    run_free(&run);
    return 0;
}
