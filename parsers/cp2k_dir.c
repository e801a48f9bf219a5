/* cp2k_dir: a CP2K run directory (or a single main output): the output, then the input
 * beside it (PROJECT.inp or the output's stem), the trajectory PROJECT-pos-1.xyz and the
 * PDOS files *.pdos (any of them gzipped). */
#include "parsers/cp2k_dir.h"

#include <dirent.h>
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

/* The largest CP2K output in dir (several: restarts or logs; the largest is the run). */
static int find_output(const char *dir, char *out, size_t n)
{
    struct dirent **names;
    int k = scandir(dir, &names, NULL, alphasort);
    long long best = -1;
    out[0] = '\0';
    for (int i = 0; i < k; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        struct stat st;
        if (is_output_name(names[i]->d_name) && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > best &&
            cp2k_output_detect(path)) {
            best = st.st_size;
            snprintf(out, n, "%s", path);
        }
        free(names[i]);
    }
    if (k >= 0) free(names);
    return out[0] != '\0';
}

int cp2k_dir_detect(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    char out[1024];
    return find_output(dir, out, sizeof out);
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

int cp2k_dir_read(const char *path, ds_run *run, ds_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) return ds_err_set(err, DS_EIO, path, 0, "no such file or directory");
    char out[1024], dir[1024];
    if (S_ISDIR(st.st_mode)) {
        if (!find_output(path, out, sizeof out))
            return ds_err_set(err, DS_ENODATA, path, 0, "no CP2K main output (*.out, *.log with the CP2K banner) here");
        snprintf(dir, sizeof dir, "%s", path);
    } else {
        snprintf(out, sizeof out, "%s", path);
        const char *slash = strrchr(path, '/');
        if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
        else snprintf(dir, sizeof dir, ".");
    }
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
    if (ds_find_variant(dir, cand, found, sizeof found) ||
        (run->title[0] && (snprintf(cand, sizeof cand, "%s.inp", run->title), ds_find_variant(dir, cand, found, sizeof found))))
        read_optional(run, cp2k_inp_read, found);
    const char *project = run->title[0] ? run->title : stem;
    snprintf(cand, sizeof cand, "%s-pos-1.xyz", project);
    if (ds_find_variant(dir, cand, found, sizeof found)) read_optional(run, cp2k_xyz_read, found);
    struct dirent **names;
    int k = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < k; i++) {
        const char *nm = names[i]->d_name;
        if ((ends_with(nm, ".pdos") || ends_with(nm, ".pdos.gz")) && strncmp(nm, project, strlen(project)) == 0) {
            snprintf(found, sizeof found, "%s/%s", dir, nm);
            read_optional(run, cp2k_pdos_read, found);
        }
        free(names[i]);
    }
    if (k >= 0) free(names);
    if (isnan(run->lumo_eV)) lumo_from_pdos(run);
    return DS_OK;
}
