/* cmd_table: `dftscreen table PATH...` reads several runs and prints one row per run
 * (Markdown or CSV): a quick overview of a folder of calculations and what is wrong
 * with them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "descriptors/xc_identity.h"
#include "parsers/detect.h"
#include "screen/commands.h"
#include "structures/formula.h"

const char cmd_table_help[] =
    "usage: dftscreen table [--format md|csv] PATH...\n"
    "\n"
    "Reads each PATH (run directory or file, VASP or CP2K) and prints one row per run:\n"
    "path, code, formula, ionic steps, energy_eV (energy for reaction energies), fermi_eV,\n"
    "homo_eV, lumo_eV, functional (libxc identity), SCF converged, geometry converged,\n"
    "terminated normally, number of warnings.  A run that cannot be read gets a row with\n"
    "the error.  Exit status 1 if any run could not be read.\n";

typedef enum { FMT_MD, FMT_CSV } table_format;

static const char *yes_no(int v)
{
    return v < 0 ? "?" : v ? "yes" : "no";
}

static void cell_num(table_format fmt, double v, const char *spec)
{
    if (isfinite(v)) printf(spec, v);
    printf("%s", fmt == FMT_MD ? " | " : ",");
}

static void print_row(table_format fmt, const char *path, const ds_run *run, const char *xc_label)
{
    char formula[256] = "";
    if (run->species) formula_of_species((const char (*)[4])run->species, run->n_atoms, 0, formula, sizeof formula);
    const char *sep = fmt == FMT_MD ? " | " : ",";
    if (fmt == FMT_MD) printf("| ");
    printf("%s%s%s%s%s%s%d%s", path, sep, run_code_name(run->code), sep, formula, sep, run->n_steps, sep);
    cell_num(fmt, run_energy_eV(run), "%.6f");
    cell_num(fmt, run->fermi_eV, "%.4f");
    cell_num(fmt, run->homo_eV, "%.4f");
    cell_num(fmt, run->lumo_eV, "%.4f");
    printf("%s%s%s%s%s%s%s%s%d", xc_label, sep, yes_no(run->converged_electronic), sep, yes_no(run->converged_ionic), sep,
           yes_no(run->terminated_normally), sep, run->n_warnings);
    printf("%s\n", fmt == FMT_MD ? " |" : "");
}

int cmd_table(int argc, char **argv)
{
    table_format fmt = FMT_MD;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--format") == 0) {
        if (strcmp(argv[2], "md") == 0) fmt = FMT_MD;
        else if (strcmp(argv[2], "csv") == 0) fmt = FMT_CSV;
        else {
            fprintf(stderr, "dftscreen table: --format md or csv, not '%s'\n", argv[2]);
            return 2;
        }
        first = 3;
    }
    if (first >= argc) {
        fputs(cmd_table_help, stderr);
        return 2;
    }
    if (fmt == FMT_MD) {
        printf("| run | code | formula | steps | energy_eV | fermi_eV | homo_eV | lumo_eV | functional | SCF converged | "
               "geometry converged | ended normally | warnings |\n");
        printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    } else {
        printf("run,code,formula,steps,energy_eV,fermi_eV,homo_eV,lumo_eV,functional,scf_converged,geometry_converged,"
               "terminated_normally,warnings\n");
    }
    int failures = 0;
    for (int i = first; i < argc; i++) {
        ds_run run;
        run_init(&run);
        ds_err err;
        ds_err_clear(&err);
        if (run_read_path(argv[i], &run, &err) != DS_OK) {
            char buf[1400];
            ds_err_format(&err, buf, sizeof buf);
            for (char *c = buf; *c; c++)
                if (*c == '|' || *c == ',' || *c == '\n') *c = ' ';
            if (fmt == FMT_MD) printf("| %s | unreadable: %s | | | | | | | | | | | |\n", argv[i], buf);
            else printf("%s,unreadable: %s,,,,,,,,,,,\n", argv[i], buf);
            failures++;
        } else {
            run_xc xc;
            ds_err xerr;
            int ok = xc_identity_of_run(&run, &xc, &xerr) == DS_OK;
            print_row(fmt, argv[i], &run, ok ? xc.label : "unknown");
        }
        run_free(&run);
    }
    return failures ? 1 : 0;
}
