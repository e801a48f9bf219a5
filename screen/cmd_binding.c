/* cmd_binding: `dftscreen binding COMPLEX PART...` — E(complex) - sum E(parts), with the
 * consistency guard, in eV, kcal/mol and kJ/mol. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/reaction.h"
#include "parsers/detect.h"
#include "screen/json_text.h"
#include "screen/commands.h"
#include <cJSON.h>

const char cmd_binding_help[] =
    "usage: dftscreen binding COMPLEX PART [PART...] [--allow-inconsistent] [--allow-unconverged] [--json]\n"
    "\n"
    "Binding energy E(COMPLEX) - sum E(PART) from the runs' energies (VASP energy(sigma->0),\n"
    "CP2K total energy, last complete step); negative = favourable.  Reported in eV,\n"
    "kcal/mol (1 eV = 23.060548) and kJ/mol (1 eV = 96.485332).  No counterpoise (BSSE)\n"
    "correction, no zero-point or thermal terms.\n"
    "\n"
    "Refused, with the runs and the difference named: runs of different codes, functionals\n"
    "(libxc identity), dispersion corrections, ENCUT or CP2K cutoffs, DFT+U, or different\n"
    "pseudopotentials/basis sets for a shared element (--allow-inconsistent overrides, with a\n"
    "warning); runs whose SCF did not converge or whose output is truncated\n"
    "(--allow-unconverged overrides).  Spin treatment, smearing and PREC differences and an\n"
    "unconverged geometry are reported as warnings.\n";

int cmd_binding(int argc, char **argv)
{
    const char *paths[64];
    int n = 0, flags = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "--allow-inconsistent") == 0) flags |= REACTION_ALLOW_INCONSISTENT;
        else if (strcmp(argv[i], "--allow-unconverged") == 0) flags |= REACTION_ALLOW_UNCONVERGED;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dftscreen binding: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (n < 64) paths[n++] = argv[i];
    }
    if (n < 2) {
        fputs(cmd_binding_help, stderr);
        return 2;
    }
    ds_run runs[64];
    reaction_term terms[64];
    int rc = 0;
    char buf[1400];
    for (int i = 0; i < n; i++) run_init(&runs[i]);
    for (int i = 0; i < n && !rc; i++) {
        ds_err err;
        ds_err_clear(&err);
        if (run_read_path(paths[i], &runs[i], &err) != DS_OK) {
            fprintf(stderr, "dftscreen binding: %s\n", ds_err_format(&err, buf, sizeof buf));
            rc = 1;
        }
        snprintf(runs[i].path, sizeof runs[i].path, "%s", paths[i]);
        terms[i].run = &runs[i];
        terms[i].coefficient = i == 0 ? 1.0 : -1.0;
    }
    reaction_result res;
    memset(&res, 0, sizeof res);
    if (!rc) {
        ds_err err;
        ds_err_clear(&err);
        if (reaction_energy(terms, n, flags, &res, &err) != DS_OK) {
            fprintf(stderr, "dftscreen binding: %s\n", ds_err_format(&err, buf, sizeof buf));
            rc = 1;
        }
    }
    if (!rc) {
        const ds_run *rp[64];
        for (int i = 0; i < n; i++) rp[i] = &runs[i];
        if (json) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "complex", paths[0]);
            cJSON *parts = cJSON_CreateArray();
            for (int i = 1; i < n; i++) cJSON_AddItemToArray(parts, cJSON_CreateString(paths[i]));
            cJSON_AddItemToObject(j, "parts", parts);
            cJSON *energies = cJSON_CreateArray();
            for (int i = 0; i < n; i++) cJSON_AddItemToArray(energies, cJSON_CreateNumber(run_energy_eV(&runs[i])));
            cJSON_AddItemToObject(j, "energies_eV", energies);
            cJSON_AddNumberToObject(j, "binding_energy_eV", res.energy_eV);
            cJSON_AddNumberToObject(j, "binding_energy_kcal_per_mol", res.energy_kcal_per_mol);
            cJSON_AddNumberToObject(j, "binding_energy_kJ_per_mol", res.energy_kJ_per_mol);
            cJSON *w = cJSON_CreateArray();
            for (int i = 0; i < res.consistency.n_findings; i++) {
                consistency_format(&res.consistency, rp, i, buf, sizeof buf);
                cJSON_AddItemToArray(w, cJSON_CreateString(buf));
            }
            for (int i = 0; i < res.n_warnings; i++) cJSON_AddItemToArray(w, cJSON_CreateString(res.warnings[i]));
            cJSON_AddItemToObject(j, "warnings", w);
            char *text = json_text_print(j, 1);
            puts(text);
            cJSON_free(text);
            cJSON_Delete(j);
        } else {
            printf("E(%s)\n", paths[0]);
            for (int i = 1; i < n; i++) printf("  - E(%s)\n", paths[i]);
            printf("  = %.6f eV = %.3f kcal/mol = %.3f kJ/mol\n", res.energy_eV, res.energy_kcal_per_mol,
                   res.energy_kJ_per_mol);
            for (int i = 0; i < res.consistency.n_findings; i++) {
                consistency_format(&res.consistency, rp, i, buf, sizeof buf);
                printf("  warning: %s\n", buf);
            }
            for (int i = 0; i < res.n_warnings; i++) printf("  warning: %s\n", res.warnings[i]);
        }
    }
    reaction_result_free(&res);
    for (int i = 0; i < n; i++) run_free(&runs[i]);
    return rc;
}
