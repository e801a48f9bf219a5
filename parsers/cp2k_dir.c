/* cp2k_dir: a CP2K run directory (or a single main output): the output, then the input
 * beside it (PROJECT.inp or the output's stem), the trajectory PROJECT-pos-1.xyz and the
 * PDOS files *.pdos (any of them gzipped). */
#include "parsers/cp2k_dir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/cp2k_inp.h"
#include "parsers/cp2k_out.h"
#include "parsers/cp2k_pdos.h"
#include "parsers/cp2k_xyz.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_output_name(const char *name)
{
    return ends_with(name, ".out") || ends_with(name, ".out.gz") || ends_with(name, ".log") || ends_with(name, ".log.gz");
}

int cp2k_output_detect(const char *path)
{
    ds_reader r;
    ds_err err;
    if (ds_reader_open(&r, path, &err) != DS_OK) return 0;
    int found = 0;
    char *line;
    for (int i = 0; i < 400 && (line = ds_reader_next(&r, NULL)); i++)
        if (strstr(line, "CP2K|") || strstr(line, "GLOBAL|")) {
            found = 1;
            break;
        }
    ds_reader_close(&r);
    return found;
}

/* The largest CP2K output in the directory (several: restarts or logs; the largest is the
 * run; of equal sizes the first in name order). */
static int find_output(ds_dir_listing *l, char *out, size_t n)
{
    long long best = -1;
    out[0] = '\0';
    for (int i = 0; i < l->n_entries; i++) {
        const ds_dir_entry *e = &l->entries[i];
        if (!is_output_name(e->name) || ds_dir_entry_stat(l, i) != 0 || !S_ISREG(e->mode) || e->size <= best) continue;
        char path[1024];
        if (ds_dir_path(l, e->name, path, sizeof path) && cp2k_output_detect(path)) {
            best = e->size;
            snprintf(out, n, "%s", path);
        }
    }
    return out[0] != '\0';
}

int cp2k_dir_main_output(ds_dir_listing *listing, char *out, size_t n)
{
    return find_output(listing, out, n);
}

int cp2k_dir_detect_listed(ds_dir_listing *listing)
{
    char out[1024];
    return find_output(listing, out, sizeof out);
}

int cp2k_dir_detect(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    ds_dir_listing l;
    ds_dir_list(dir, &l, NULL);
    int found = cp2k_dir_detect_listed(&l);
    ds_dir_listing_free(&l);
    return found;
}

static void read_optional(ds_run *run, int (*fn)(const char *, ds_run *, ds_err *), const char *path)
{
    ds_err err;
    ds_err_clear(&err);
    if (fn(path, run, &err) != DS_OK) {
        char buf[1400];
        run_add_warning(run, "%s not used: %s", path, ds_err_format(&err, buf, sizeof buf));
    }
}

/* An OT run without ADDED_MOS prints no unoccupied level, but its .pdos files (written with
 * NLUMO > 0) list the lowest empty MOs with occupation 0: the LUMO is read from them when the
 * output printed none, provided the files' highest occupied level is the output's HOMO (the
 * same SCF state; .pdos energies have 6 decimals in Ha, so within 1e-4 eV). */
static void lumo_from_pdos(ds_run *run)
{
    double homo = -INFINITY, lumo = INFINITY;
    int src = -1;
    for (int s = 0; s < run->n_pdos_sets; s++) {
        const run_pdos_set *p = &run->pdos_sets[s];
        for (int l = 0; l < p->n_levels; l++) {
            double e = p->energies_eV[l], occ = p->occupations[l];
            if (!isfinite(e) || !isfinite(occ)) continue;
            if (occ > 1e-8) homo = fmax(homo, e);
            else if (e < lumo) lumo = e, src = s;
        }
    }
    if (src < 0) return;
    if (isfinite(run->homo_eV) && !(fabs(homo - run->homo_eV) <= 1e-4)) {
        run_add_warning(run, "LUMO not taken from %s: its highest occupied level %.6f eV is not the output's HOMO %.6f eV",
                        run->pdos_sets[src].source, homo, run->homo_eV);
        return;
    }
    run->lumo_eV = lumo;
    run_add_source(run, "lumo", run->pdos_sets[src].source);
}

/* The run whose main output is out, in the directory listed (path: what the user named, the
 * directory or the output). */
static int read_output(ds_dir_listing *l, const char *path, const char *out, ds_run *run, ds_err *err)
{
    int rc = cp2k_out_read(out, run, err);
    if (rc) return rc;
    snprintf(run->path, sizeof run->path, "%.511s", path);
    /* input: the output's stem, else PROJECT */
    const char *base = strrchr(out, '/');
    base = base ? base + 1 : out;
    char stem[512], cand[1200], found[1400];
    snprintf(stem, sizeof stem, "%.500s", base);
    char *dot = strstr(stem, ".out");
    if (!dot) dot = strstr(stem, ".log");
    if (dot) *dot = '\0';
    snprintf(cand, sizeof cand, "%s.inp", stem);
    if (ds_dir_find_variant(l, cand, found, sizeof found) ||
        (run->title[0] && (snprintf(cand, sizeof cand, "%s.inp", run->title), ds_dir_find_variant(l, cand, found, sizeof found))))
        read_optional(run, cp2k_inp_read, found);
    const char *project = run->title[0] ? run->title : stem;
    snprintf(cand, sizeof cand, "%s-pos-1.xyz", project);
    if (ds_dir_find_variant(l, cand, found, sizeof found)) read_optional(run, cp2k_xyz_read, found);
    for (int i = 0; i < l->n_entries; i++) {
        const char *nm = l->entries[i].name;
        if ((ends_with(nm, ".pdos") || ends_with(nm, ".pdos.gz")) && strncmp(nm, project, strlen(project)) == 0 &&
            ds_dir_path(l, nm, found, sizeof found))
            read_optional(run, cp2k_pdos_read, found);
    }
    if (isnan(run->lumo_eV)) lumo_from_pdos(run);
    return DS_OK;
}

int cp2k_dir_read_listed(ds_dir_listing *listing, ds_run *run, ds_err *err)
{
    char out[1024];
    if (!find_output(listing, out, sizeof out))
        return ds_err_set(err, DS_ENODATA, listing->dir, 0, "no CP2K main output (*.out, *.log with the CP2K banner) here");
    return read_output(listing, listing->dir, out, run, err);
}

int cp2k_dir_read(const char *path, ds_run *run, ds_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) return ds_err_set(err, DS_EIO, path, 0, "no such file or directory");
    ds_dir_listing l;
    if (S_ISDIR(st.st_mode)) {
        ds_dir_list(path, &l, NULL);
        int rc = cp2k_dir_read_listed(&l, run, err);
        ds_dir_listing_free(&l);
        return rc;
    }
    /* A single output: its input, trajectory and PDOS files are looked for beside it. */
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else snprintf(dir, sizeof dir, ".");
    ds_dir_list(dir, &l, NULL);
    int rc = read_output(&l, path, path, run, err);
    ds_dir_listing_free(&l);
    return rc;
}
