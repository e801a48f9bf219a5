/* cmd_ls: `dftscreen ls STORE` and `dftscreen export STORE --json|--csv`: what a campaign
 * store holds, one run per line, and its runs as the JSON `show --json` prints. */
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/json_text.h"
#include "screen/campaign_store.h"
#include "screen/commands.h"
#include "screen/store.h"

const char cmd_ls_help[] =
    "usage: dftscreen ls campaign.h5 [--filter COND[,COND...]]\n"
    "\n"
    "One line per stored run: path, code, atoms, energy (eV), flags.  Flags: T truncated,\n"
    "E SCF not converged, I geometry not converged, N did not end normally, O overflow\n"
    "fields, X read failed (the error follows), V vanished from the tree.\n"
    "Conditions (all must hold): code=vasp|cp2k, flagged, failed, vanished, ok, path~TEXT.\n";

const char cmd_export_help[] =
    "usage: dftscreen export campaign.h5 --json|--csv\n"
    "\n"
    "--json: a JSON array with, per run, exactly the object `dftscreen show --json` gives\n"
    "for it (failed runs: {\"path\", \"error\"}; vanished runs carry \"vanished\": true).\n"
    "--csv: path,code,n_atoms,energy_eV,fermi_eV,homo_eV,lumo_eV,terminated_normally,\n"
    "converged_electronic,converged_ionic,truncated,error\n";

typedef struct {
    char path[1024], code[16], error[1024];
    long n_atoms, term, scf, ionic, trunc, overflow, vanished;
    double energy, fermi, homo, lumo;
} ls_row;

static void read_row(hid_t g, ls_row *r)
{
    store_get_str(g, "path", r->path, sizeof r->path);
    store_get_str(g, "code", r->code, sizeof r->code);
    store_get_str(g, "error", r->error, sizeof r->error);
    r->n_atoms = store_get_long(g, "n_atoms", 0);
    r->term = store_get_long(g, "terminated_normally", -1);
    r->scf = store_get_long(g, "converged_electronic", -1);
    r->ionic = store_get_long(g, "converged_ionic", -1);
    r->trunc = store_get_long(g, "truncated", 0);
    r->overflow = store_get_long(g, "has_overflow_fields", 0);
    r->vanished = store_get_long(g, "vanished", 0);
    r->energy = store_get_double(g, "energy_eV");
    r->fermi = store_get_double(g, "fermi_eV");
    r->homo = store_get_double(g, "homo_eV");
    r->lumo = store_get_double(g, "lumo_eV");
}

static void flags_of(const ls_row *r, char *f)
{
    int n = 0;
    if (r->error[0]) f[n++] = 'X';
    if (r->trunc > 0) f[n++] = 'T';
    if (r->scf == 0) f[n++] = 'E';
    if (r->ionic == 0) f[n++] = 'I';
    if (r->term == 0) f[n++] = 'N';
    if (r->overflow > 0) f[n++] = 'O';
    if (r->vanished) f[n++] = 'V';
    f[n] = '\0';
}

static int matches(const ls_row *r, const char *filter)
{
    if (!filter) return 1;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", filter);
    char flags[16];
    flags_of(r, flags);
    for (char *save = NULL, *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        if (strncmp(c, "code=", 5) == 0 && strcmp(r->code, c + 5) != 0) return 0;
        if (strcmp(c, "failed") == 0 && !r->error[0]) return 0;
        if (strcmp(c, "vanished") == 0 && !r->vanished) return 0;
        if (strcmp(c, "flagged") == 0 && !flags[0]) return 0;
        if (strcmp(c, "ok") == 0 && flags[0]) return 0;
        if (strncmp(c, "path~", 5) == 0 && !strstr(r->path, c + 5)) return 0;
    }
    return 1;
}

typedef int (*row_fn)(hid_t group, const ls_row *row, void *ctx);

/* Calls fn for every run group of the store in name (= path) order. */
static int for_each_run(const char *store_path, row_fn fn, void *ctx)
{
    ds_err err;
    hid_t f = campaign_store_open_read(store_path, &err);
    if (f < 0) {
        char buf[1400];
        fprintf(stderr, "dftscreen: %s\n", ds_err_format(&err, buf, sizeof buf));
        return 1;
    }
    hid_t runs = H5Gopen2(f, "runs", H5P_DEFAULT);
    hsize_t n = 0;
    H5Gget_num_objs(runs, &n);
    int rc = 0;
    for (hsize_t i = 0; i < n && !rc; i++) {
        char name[32] = "";
        H5Gget_objname_by_idx(runs, i, name, sizeof name);
        hid_t g = H5Gopen2(runs, name, H5P_DEFAULT);
        if (g < 0) continue;
        ls_row row;
        memset(&row, 0, sizeof row);
        read_row(g, &row);
        rc = fn(g, &row, ctx);
        H5Gclose(g);
    }
    H5Gclose(runs);
    H5Fclose(f);
    return rc;
}

static int print_ls(hid_t g, const ls_row *r, void *ctx)
{
    (void)g;
    if (!matches(r, ctx)) return 0;
    char flags[16];
    flags_of(r, flags);
    if (r->error[0]) printf("%s  failed  %s\n", r->path, r->error);
    else if (isfinite(r->energy)) printf("%s  %s  %ld atoms  %.6f eV  %s\n", r->path, r->code, r->n_atoms, r->energy, flags);
    else printf("%s  %s  %ld atoms  no energy  %s\n", r->path, r->code, r->n_atoms, flags);
    return 0;
}

int cmd_ls(int argc, char **argv)
{
    const char *store = NULL, *filter = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) filter = argv[++i];
        else store = argv[i];
    }
    if (!store) {
        fputs(cmd_ls_help, stderr);
        return 2;
    }
    return for_each_run(store, print_ls, (void *)filter);
}

static int export_json(hid_t g, const ls_row *r, void *ctx)
{
    cJSON *arr = ctx, *o = NULL;
    char *text = store_get_text(g, "show_json");
    if (text) o = cJSON_Parse(text);
    free(text);
    if (!o) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", r->path);
        cJSON_AddStringToObject(o, "error", r->error[0] ? r->error : "no stored JSON");
    }
    if (r->vanished) cJSON_AddBoolToObject(o, "vanished", 1);
    cJSON_AddItemToArray(arr, o);
    return 0;
}

static void csv_num(double v)
{
    if (isfinite(v)) printf("%.10g", v);
    putchar(',');
}

static int export_csv(hid_t g, const ls_row *r, void *ctx)
{
    (void)g;
    (void)ctx;
    printf("\"%s\",%s,%ld,", r->path, r->code, r->n_atoms);
    csv_num(r->energy);
    csv_num(r->fermi);
    csv_num(r->homo);
    csv_num(r->lumo);
    printf("%ld,%ld,%ld,%ld,\"%s\"\n", r->term, r->scf, r->ionic, r->trunc, r->error);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    const char *store = NULL;
    int json = 0, csv = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "--csv") == 0) csv = 1;
        else store = argv[i];
    }
    if (!store || json == csv) {
        fputs(cmd_export_help, stderr);
        return 2;
    }
    if (csv) {
        printf("path,code,n_atoms,energy_eV,fermi_eV,homo_eV,lumo_eV,terminated_normally,converged_electronic,"
               "converged_ionic,truncated,error\n");
        return for_each_run(store, export_csv, NULL);
    }
    cJSON *arr = cJSON_CreateArray();
    int rc = for_each_run(store, export_json, arr);
    if (!rc) {
        char *text = json_text_print(arr, 1);
        puts(text);
        cJSON_free(text);
    }
    cJSON_Delete(arr);
    return rc;
}
