/* fixture_structures: loads the structure fixtures of tests/fixtures/structures (VASP 5
 * POSCARs written by make_fixtures.py: scale 1.0, species line, Cartesian) without the
 * VASP reader, so the structure tests depend on structures/ only.  Uses io.h's reader and
 * number parser. */
#ifndef DS_TEST_FIXTURE_STRUCTURES_H
#define DS_TEST_FIXTURE_STRUCTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/io.h"
#include "parsers/run.h"

typedef struct {
    run_structure s;
    char (*species)[4];
    int n_atoms;
} fx_structure;

static void fx_free(fx_structure *fx)
{
    run_structure_free(&fx->s);
    free(fx->species);
    memset(fx, 0, sizeof *fx);
}

/* Returns 0 on success. */
__attribute__((unused)) static int fx_load(const char *path, fx_structure *fx)
{
    memset(fx, 0, sizeof *fx);
    ds_reader r;
    ds_err err;
    if (ds_reader_open(&r, path, &err) != DS_OK) return -1;
    char *line;
    int rc = -1;
    char names[64][4];
    int counts[64], n_types = 0, total = 0;
    if (!(line = ds_reader_next(&r, NULL))) goto done;                     /* comment */
    if (!(line = ds_reader_next(&r, NULL))) goto done;                     /* scale (1.0) */
    for (int v = 0; v < 3; v++) {
        if (!(line = ds_reader_next(&r, NULL))) goto done;
        const char *p = line;
        for (int k = 0; k < 3; k++)
            if (ds_parse_double(&p, &fx->s.lattice_angstrom[v][k]) != DS_NUM_OK) goto done;
    }
    if (!(line = ds_reader_next(&r, NULL))) goto done;
    for (char *save = NULL, *t = strtok_r(line, " \t", &save); t && n_types < 64; t = strtok_r(NULL, " \t", &save))
        snprintf(names[n_types++], 4, "%s", t);
    if (!(line = ds_reader_next(&r, NULL))) goto done;
    {
        const char *p = line;
        for (int t = 0; t < n_types; t++) {
            long c;
            if (ds_parse_long(&p, &c) != DS_NUM_OK || c < 1 || c > 100000) goto done;
            counts[t] = (int)c;
            total += (int)c;
        }
    }
    if (!(line = ds_reader_next(&r, NULL)) || (line[0] != 'C' && line[0] != 'c')) goto done;
    if (run_structure_alloc(&fx->s, total) != DS_OK) goto done;
    fx->species = calloc((size_t)total, sizeof *fx->species);
    if (!fx->species) goto done;
    for (int t = 0, a = 0; t < n_types; t++)
        for (int c = 0; c < counts[t]; c++, a++) snprintf(fx->species[a], 4, "%s", names[t]);
    for (int a = 0; a < total; a++) {
        if (!(line = ds_reader_next(&r, NULL))) goto done;
        const char *p = line;
        for (int k = 0; k < 3; k++)
            if (ds_parse_double(&p, &fx->s.positions_angstrom[a][k]) != DS_NUM_OK) goto done;
    }
    fx->s.has_lattice = 1;
    fx->s.n_atoms = fx->n_atoms = total;
    rc = 0;
done:
    ds_reader_close(&r);
    if (rc) fx_free(fx);
    return rc;
}

#endif
