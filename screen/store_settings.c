/* store_settings: run_settings <-> the `settings` table (or a format 2 store's attributes). */
#include "screen/store_settings.h"

#include <stddef.h>
#include <string.h>

#include "screen/store.h"

#define STR_FIELD(f) {#f, STORE_COL_STR, offsetof(run_settings, f), sizeof ((run_settings *)0)->f, ""}
#define F64_FIELD(name, f, units) {name, STORE_COL_F64, offsetof(run_settings, f), 0, units}
#define I32_FIELD(name, f) {name, STORE_COL_I32, offsetof(run_settings, f), 0, ""}

static const struct {
    const char *name;
    store_col_kind kind;
    size_t offset, width;
    const char *units;
} fields[] = {
    STR_FIELD(functional_raw),
    STR_FIELD(dispersion),
    F64_FIELD("encut_eV", encut_eV, "eV"),
    F64_FIELD("cutoff_Ry", cutoff_Ry, "Ry"),
    F64_FIELD("rel_cutoff_Ry", rel_cutoff_Ry, "Ry"),
    STR_FIELD(prec),
    I32_FIELD("spin_polarized", spin_polarized),
    I32_FIELD("noncollinear", noncollinear),
    I32_FIELD("ismear", ismear),
    F64_FIELD("sigma_eV", sigma_eV, "eV"),
    I32_FIELD("kmesh_0", kmesh[0]),
    I32_FIELD("kmesh_1", kmesh[1]),
    I32_FIELD("kmesh_2", kmesh[2]),
    STR_FIELD(kmesh_type),
    I32_FIELD("ldau", ldau),
    STR_FIELD(ldau_u_eV),
    F64_FIELD("charge", charge, "e"),
    I32_FIELD("multiplicity", multiplicity),
    F64_FIELD("nelect", nelect, "electrons"),
    I32_FIELD("nelm", nelm),
    I32_FIELD("nsw", nsw),
    I32_FIELD("ibrion", ibrion),
    F64_FIELD("ediff_eV", ediff, "eV"),
    /* EDIFFG: an energy (eV) when positive, a force (eV/angstrom) when negative */
    F64_FIELD("ediffg", ediffg, "eV or eV/angstrom (negative)"),
    STR_FIELD(run_type),
    STR_FIELD(periodicity),
};
enum { N_FIELDS = sizeof fields / sizeof *fields };
_Static_assert(N_FIELDS <= STORE_TABLE_MAX_COLS, "more settings than a table has columns");

int store_settings_columns(store_column *cols, const run_settings *s)
{
    for (int k = 0; k < N_FIELDS; k++)
        cols[k] = (store_column){fields[k].name, fields[k].kind, (const char *)s + fields[k].offset, fields[k].width,
                                 fields[k].units};
    return N_FIELDS;
}

/* A format 2 store: one attribute per field on the group `settings`. */
static void read_attributes(hid_t run_g, run_settings *s)
{
    hid_t g = H5Gopen2(run_g, "settings", H5P_DEFAULT);
    if (g < 0) return;
    for (int k = 0; k < N_FIELDS; k++) {
        void *dst = (char *)s + fields[k].offset;
        if (H5Aexists(g, fields[k].name) <= 0) continue;
        if (fields[k].kind == STORE_COL_STR) store_get_str(g, fields[k].name, dst, fields[k].width);
        else if (fields[k].kind == STORE_COL_F64) *(double *)dst = store_get_double(g, fields[k].name);
        else *(int *)dst = (int)store_get_long(g, fields[k].name, *(int *)dst);
    }
    H5Gclose(g);
}

void store_settings_read(hid_t run_g, run_settings *s)
{
    if (store_table_rows(run_g, "settings") < 0) {
        if (H5Lexists(run_g, "settings", H5P_DEFAULT) > 0) read_attributes(run_g, s);
        return;
    }
    store_column_out cols[N_FIELDS];
    for (int k = 0; k < N_FIELDS; k++)
        cols[k] = (store_column_out){fields[k].name, fields[k].kind, (char *)s + fields[k].offset, fields[k].width};
    store_get_columns(run_g, "settings", 1, N_FIELDS, cols);
}
