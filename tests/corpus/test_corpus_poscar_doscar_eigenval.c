/* Corpus tier for parsers/vasp_poscar, vasp_doscar and vasp_eigenval: every reference.json
 * entry of kind "poscar", "doscar" and "eigenval" under ../shared/data/vasp.
 *  - POSCAR/CONTCAR: atoms, lattice, volume, species, selective dynamics (ASE's FixAtoms
 *    indices), and each CONTCAR against the final structure of the same run's vasprun.xml
 *    and OUTCAR.  Where pymatgen and ASE disagree, VASP's rules decide (see check_poscar).
 *  - DOSCAR: header, integrated DOS at the last grid point <= E_F, site columns, and the
 *    d-projected integrals and centres (numpy.trapz over ASE's arrays) recomputed here from
 *    the arrays read, within 1e-6 relative.
 *  - EIGENVAL: NELECT, NKPTS, NBANDS, ISPIN and pymatgen's eigenvalue_band_properties (gap,
 *    CBM, VBM, direct) recomputed here with occu_tol = 1e-8, within 1e-4 eV. */
#include "parsers/vasp_doscar.h"
#include "parsers/vasp_eigenval.h"
#include "parsers/vasp_poscar.h"
#include "tests/cli.h"

static cJSON *reference;

static const char *data_path(const char *case_name, const char *file)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, "%s/vasp/%s/%s", SHARED_DATA(), case_name, file);
    return buf;
}

static int near_rel(double a, double b, double tol)
{
    return fabs(a - b) <= tol * (fabs(b) > 1 ? fabs(b) : 1);
}

static cJSON *cases(void)
{
    return cJSON_GetObjectItemCaseSensitive(reference, "cases");
}

static const char *kind_of(cJSON *file_obj)
{
    cJSON *k = cJSON_GetObjectItemCaseSensitive(file_obj, "kind");
    return cJSON_IsString(k) ? k->valuestring : "";
}

static int lattice_matches(const double L[3][3], cJSON *m, double tol)
{
    if (cJSON_GetArraySize(m) != 3) return 0;
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            cJSON *v = cJSON_GetArrayItem(cJSON_GetArrayItem(m, i), k);
            if (!cJSON_IsNumber(v) || fabs(L[i][k] - v->valuedouble) > tol) return 0;
        }
    return 1;
}

static int species_match(const ds_run *run, cJSON *list)
{
    if (cJSON_GetArraySize(list) != run->n_atoms) return 0;
    for (int i = 0; i < run->n_atoms; i++) {
        cJSON *s = cJSON_GetArrayItem(list, i);
        if (!cJSON_IsString(s) || strcmp(s->valuestring, run->species[i]) != 0) return 0;
    }
    return 1;
}

/* Indices inside "FixAtoms(indices=[4, 5, 6])" entries of ASE's constraint list. */
static int fixed_atoms(cJSON *constraints, unsigned char *fixed, int n, int *n_scaled)
{
    int count = 0;
    *n_scaled = 0;
    cJSON *c;
    cJSON_ArrayForEach(c, constraints)
    {
        if (!cJSON_IsString(c)) continue;
        if (strstr(c->valuestring, "FixScaled")) (*n_scaled)++;
        const char *p = strstr(c->valuestring, "FixAtoms(indices=[");
        if (!p) continue;
        p += strlen("FixAtoms(indices=[");
        while (*p && *p != ']') {
            char *e;
            long v = strtol(p, &e, 10);
            if (e == p) break;
            if (v >= 0 && v < n) fixed[v] = 1, count++;
            p = e;
            while (*p == ',' || *p == ' ') p++;
        }
    }
    return count;
}

/* pymatgen and ASE disagree on two files; VASP's rules decide:
 *  - negative scale: VASP reads it as the cell volume (pymatgen does too; ASE 3.22 scales
 *    the lattice by it and reports 7.0e6 A^3), so the volume must be pymatgen's;
 *  - VASP 4 files without species line: VASP takes the species from the POTCAR, which the
 *    corpus does not ship; pymatgen then invents H, He, ... ("false names") while ASE reads
 *    the comment line, which names the species here (ZnS, H/Zn).  We follow ASE and warn. */
static void check_poscar(const char *case_name, const char *file, cJSON *ref)
{
    const char *path = data_path(case_name, file);
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    int rc = vasp_poscar_read(path, NULL, 0, &run, &err);
    char buf[1600];
    CHECK_MSG(rc == DS_OK, "%s: %s", path, ds_err_format(&err, buf, sizeof buf));
    if (rc != DS_OK) {
        run_free(&run);
        return;
    }
    cJSON *n_pmg = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "pymatgen.n_atoms"), "value");
    cJSON *n_ase = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "ase.n_atoms"), "value");
    CHECK_MSG(cJSON_IsNumber(n_pmg) && run.n_atoms == n_pmg->valueint, "%s: %d atoms", path, run.n_atoms);
    CHECK(cJSON_IsNumber(n_ase) && run.n_atoms == n_ase->valueint);
    cJSON *lat = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "pymatgen.lattice_matrix"), "value");
    CHECK_MSG(lattice_matches(run.initial.lattice_angstrom, lat, 1e-12), "%s: lattice differs from pymatgen", path);
    double vol = run_volume_angstrom3(run.initial.lattice_angstrom);
    double v_pmg = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "pymatgen.volume"), "value")->valuedouble;
    double v_ase = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "ase.volume"), "value")->valuedouble;
    CHECK_MSG(near_rel(vol, v_pmg, 1e-12), "%s: volume %.12g vs pymatgen %.12g", path, vol, v_pmg);
    if (!near_rel(v_pmg, v_ase, 1e-9))
        printf("  %s/%s: volume %.10g = pymatgen; ASE %.10g ignores the negative-scale (volume) rule\n", case_name,
               file, vol, v_ase);
    cJSON *sp_pmg = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "pymatgen.species"), "value");
    cJSON *sp_ase = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "ase.species"), "value");
    if (species_match(&run, sp_pmg) && species_match(&run, sp_ase)) {
        /* both agree with us */
    } else {
        CHECK_MSG(species_match(&run, sp_ase), "%s: species differ from ASE's comment-line species", path);
        int warned = 0;
        for (int i = 0; i < run.n_warnings; i++) warned |= strstr(run.warnings[i], "comment line") != NULL;
        CHECK_MSG(warned, "%s: species from the comment line without a warning", path);
        printf("  %s/%s: VASP 4 file; species %s... from the comment line = ASE; pymatgen's '%s...' are "
               "placeholders\n",
               case_name, file, run.species[0], cJSON_GetArrayItem(sp_pmg, 0)->valuestring);
    }
    cJSON *natoms = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "pymatgen.natoms"), "value");
    CHECK(cJSON_GetArraySize(natoms) == run.n_kinds);
    for (int k = 0; k < run.n_kinds && k < cJSON_GetArraySize(natoms); k++)
        CHECK(run.kinds[k].count == cJSON_GetArrayItem(natoms, k)->valueint);
    cJSON *sd = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "pymatgen.selective_dynamics_present"), "value");
    CHECK(cJSON_IsBool(sd) && (cJSON_IsTrue(sd) == (run.initial.selective != NULL)));
    unsigned char *fixed = calloc((size_t)run.n_atoms + 1, 1);
    int n_scaled = 0;
    fixed_atoms(cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "ase.constraints"), "value"), fixed, run.n_atoms,
                &n_scaled);
    int partial = 0;
    for (int i = 0; i < run.n_atoms; i++) {
        int all_fixed = 1, any_fixed = 0;
        if (run.initial.selective)
            for (int k = 0; k < 3; k++) {
                all_fixed &= run.initial.selective[i][k] == 0;
                any_fixed |= run.initial.selective[i][k] == 0;
            }
        else
            all_fixed = 0;
        partial += any_fixed && !all_fixed;
        CHECK_MSG(all_fixed == fixed[i], "%s: atom %d fixed %d, ASE FixAtoms %d", path, i, all_fixed, fixed[i]);
    }
    CHECK(partial == n_scaled);
    free(fixed);
    /* A CONTCAR is the run's last geometry: compare with vasprun.xml and OUTCAR of the case. */
    if (strcmp(file, "CONTCAR") == 0) {
        cJSON *f;
        int compared = 0;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(cJSON_GetObjectItem(cases(), case_name), "files"))
        {
            struct {
                const char *lattice, *n;
                double tol;
            } keys[] = {{"final_structure.lattice_matrix", "final_structure.n_atoms", 1e-8},
                        {"last_image.lattice_matrix", "last_image.n_atoms", 1e-6}};
            for (int k = 0; k < 2; k++) {
                cJSON *m = cJSON_GetObjectItem(cJSON_GetObjectItem(f, keys[k].lattice), "value");
                cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(f, keys[k].n), "value");
                if (!m || !n) continue;
                compared++;
                CHECK(cJSON_IsNumber(n) && n->valueint == run.n_atoms);
                /* vasprun.xml prints 8 decimals, the OUTCAR 9 (ASE rounds further). */
                CHECK_MSG(lattice_matches(run.initial.lattice_angstrom, m, keys[k].tol), "%s vs %s: lattice differs",
                          path, f->string);
            }
        }
        CHECK_MSG(compared >= 2, "%s: no vasprun/OUTCAR structure to compare with", path);
    }
    printf("  poscar %s/%s: %d atoms, %d types checked\n", case_name, file, run.n_atoms, run.n_kinds);
    run_free(&run);
}

/* Element of each DOSCAR site: from a structure file of the same case when there is one,
 * else from the reference's "site:i:El" keys. */
static void site_elements(const char *case_name, int n_sites, cJSON *dband, char (*el)[4])
{
    for (int i = 0; i < n_sites; i++) el[i][0] = '\0';
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(cJSON_GetObjectItem(cases(), case_name), "files"))
    {
        if (strcmp(kind_of(f), "poscar") != 0) continue;
        ds_run run;
        run_init(&run);
        ds_err err;
        if (vasp_poscar_read(data_path(case_name, f->string), NULL, 0, &run, &err) == DS_OK && run.n_atoms == n_sites) {
            for (int i = 0; i < n_sites; i++) memcpy(el[i], run.species[i], 4);
            run_free(&run);
            return;
        }
        run_free(&run);
    }
    cJSON *sel;
    cJSON_ArrayForEach(sel, dband)
    {
        int i;
        char e[4];
        if (sscanf(sel->string, "site:%d:%3s", &i, e) == 2 && i >= 0 && i < n_sites) memcpy(el[i], e, 4);
    }
}

/* numpy.trapz over the d projections of the selected sites and spin components. */
static void d_integrals(const run_dos *d, const unsigned char *sites, int spin, double ef, double out[4])
{
    int n = d->n_points;
    double *rho = calloc((size_t)n, sizeof *rho);
    for (int a = 0; a < d->n_pdos_atoms; a++) {
        if (!sites[a]) continue;
        for (int o = 0; o < d->n_orbitals; o++) {
            if (d->orbital_labels[o][0] != 'd') continue;
            for (int s = 0; s < d->n_pdos_spins; s++) {
                /* noncollinear: ASE's 'dxy' is component 0 (the total); collinear: the spin asked */
                if (d->n_pdos_spins == 4 ? s != 0 : (spin >= 0 && s != spin)) continue;
                const double *src = d->pdos + (((size_t)a * d->n_pdos_spins + s) * d->n_orbitals + o) * n;
                for (int i = 0; i < n; i++) rho[i] += src[i];
            }
        }
    }
    double I = 0, M = 0, Io = 0, Mo = 0;
    for (int i = 0; i + 1 < n; i++) {
        double x0 = d->energies_eV[i] - ef, x1 = d->energies_eV[i + 1] - ef, h = x1 - x0;
        double seg = 0.5 * h * (rho[i] + rho[i + 1]), mseg = 0.5 * h * (x0 * rho[i] + x1 * rho[i + 1]);
        I += seg;
        M += mseg;
        if (x1 <= 0) {
            Io += seg;
            Mo += mseg;
        }
    }
    out[0] = I;
    out[1] = I != 0 ? M / I : NAN;
    out[2] = Io;
    out[3] = Io != 0 ? Mo / Io : NAN;
    free(rho);
}

static void check_doscar(const char *case_name, const char *file, cJSON *ref)
{
    const char *path = data_path(case_name, file);
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    int rc = vasp_doscar_read(path, -1, &run, &err);
    char buf[1600];
    CHECK_MSG(rc == DS_OK, "%s: %s", path, ds_err_format(&err, buf, sizeof buf));
    if (rc != DS_OK) {
        run_free(&run);
        return;
    }
    const run_dos *d = &run.dos;
    cJSON *h = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "header"), "value");
    CHECK(d->n_points == cJSON_GetObjectItem(h, "nedos")->valueint);
    CHECK_NEAR(run.fermi_eV, cJSON_GetObjectItem(h, "efermi")->valuedouble, 1e-12);
    /* Grid energies are printed with 3 decimals, the header's EMIN/EMAX with 8. */
    CHECK_NEAR(d->energies_eV[0], cJSON_GetObjectItem(h, "emin")->valuedouble, 5e-4);
    CHECK_NEAR(d->energies_eV[d->n_points - 1], cJSON_GetObjectItem(h, "emax")->valuedouble, 5e-4);
    cJSON *ig = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "total_dos_integral_at_grid_point_below_EF"), "value");
    int last = -1;
    for (int i = 0; i < d->n_points; i++)
        if (d->energies_eV[i] - run.fermi_eV <= 0) last = i;
    CHECK(last >= 0 && cJSON_GetArraySize(ig) == d->n_spins);
    for (int s = 0; s < d->n_spins && last >= 0 && s < cJSON_GetArraySize(ig); s++)
        CHECK_MSG(near_rel(d->integrated[s * d->n_points + last], cJSON_GetArrayItem(ig, s)->valuedouble, 1e-6),
                  "%s: integrated DOS spin %d %.10g vs %.10g", path, s, d->integrated[s * d->n_points + last],
                  cJSON_GetArrayItem(ig, s)->valuedouble);
    cJSON *site_dos = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "site_dos"), "value");
    if (cJSON_IsString(site_dos)) CHECK(d->n_pdos_atoms == 0 && d->pdos == NULL);
    cJSON *cols = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "site_dos_columns"), "value");
    if (cJSON_IsNumber(cols)) {
        CHECK_MSG(1 + d->n_pdos_spins * d->n_orbitals == cols->valueint, "%s: %d x %d projections for %d columns", path,
                  d->n_pdos_spins, d->n_orbitals, cols->valueint);
        CHECK(d->n_pdos_atoms == cJSON_GetObjectItem(h, "n_ions")->valueint);
    }
    /* dband_doscar holds, per site and element and spin, the integral and centre of the
     * d-projected DOS (whole grid and E - E_F <= 0). */
    cJSON *dband = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "dband_doscar"), "value");
    int n_sel = 0;
    if (cJSON_IsObject(dband) && d->n_pdos_atoms > 0) {
        char(*el)[4] = calloc((size_t)d->n_pdos_atoms, 4);
        unsigned char *mask = calloc((size_t)d->n_pdos_atoms, 1);
        site_elements(case_name, d->n_pdos_atoms, dband, el);
        cJSON *sel;
        cJSON_ArrayForEach(sel, dband)
        {
            memset(mask, 0, (size_t)d->n_pdos_atoms);
            int site;
            if (sscanf(sel->string, "site:%d", &site) == 1 && site >= 0 && site < d->n_pdos_atoms)
                mask[site] = 1;
            else if (ds_starts_with(sel->string, "element:"))
                for (int a = 0; a < d->n_pdos_atoms; a++) mask[a] = strcmp(el[a], sel->string + 8) == 0;
            const char *spins[3] = {"spin:sum", "spin:up", "spin:down"};
            for (int s = 0; s < 3; s++) {
                cJSON *r = cJSON_GetObjectItem(sel, spins[s]);
                if (!r) continue;
                double got[4];
                d_integrals(d, mask, s - 1, run.fermi_eV, got);
                const char *keys[4] = {"integral_all", "center_all", "integral_occ", "center_occ"};
                for (int k = 0; k < 4; k++) {
                    cJSON *v = cJSON_GetObjectItem(r, keys[k]);
                    if (cJSON_IsNull(v)) {
                        CHECK_MSG(isnan(got[k]), "%s %s %s %s: %g, reference null", path, sel->string, spins[s],
                                  keys[k], got[k]);
                    } else {
                        CHECK_MSG(cJSON_IsNumber(v) && near_rel(got[k], v->valuedouble, 1e-6),
                                  "%s %s %s %s: %.12g vs %.12g", path, sel->string, spins[s], keys[k], got[k],
                                  cJSON_IsNumber(v) ? v->valuedouble : NAN);
                    }
                }
                n_sel++;
            }
        }
        free(el);
        free(mask);
    }
    printf("  doscar %s/%s: %d points, %d spins, %d ions x %d x %d projections, %d d-band selections checked\n",
           case_name, file, d->n_points, d->n_spins, d->n_pdos_atoms, d->n_pdos_spins, d->n_orbitals, n_sel);
    run_free(&run);
}

/* pymatgen Eigenval.eigenvalue_band_properties: over all spins and k-points, occupied
 * (occu > 1e-8) levels raise the VBM, the others lower the CBM. */
static void band_properties(const run_eigen *e, double out[4])
{
    double vbm = -INFINITY, cbm = INFINITY;
    int kv = -1, kc = -1;
    for (int s = 0; s < e->n_spins; s++)
        for (int k = 0; k < e->n_kpoints; k++)
            for (int b = 0; b < e->n_bands; b++) {
                size_t i = ((size_t)s * e->n_kpoints + k) * e->n_bands + b;
                double en = e->energies_eV[i], oc = e->occupations[i];
                if (oc > 1e-8 && en > vbm)
                    vbm = en, kv = k;
                else if (oc <= 1e-8 && en < cbm)
                    cbm = en, kc = k;
            }
    out[0] = cbm - vbm > 0 ? cbm - vbm : 0;
    out[1] = cbm;
    out[2] = vbm;
    out[3] = kv == kc;
}

static void check_eigenval(const char *case_name, const char *file, cJSON *ref)
{
    const char *path = data_path(case_name, file);
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    int rc = vasp_eigenval_read(path, &run, &err);
    char buf[1600];
    CHECK_MSG(rc == DS_OK, "%s: %s", path, ds_err_format(&err, buf, sizeof buf));
    if (rc != DS_OK) {
        run_free(&run);
        return;
    }
    const run_eigen *e = &run.eigen;
    CHECK(e->n_spins == cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "ispin"), "value")->valueint);
    CHECK(e->n_kpoints == cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "nkpt"), "value")->valueint);
    CHECK(e->n_bands == cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "nbands"), "value")->valueint);
    CHECK_NEAR(run.settings.nelect, cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "nelect"), "value")->valuedouble, 0);
    cJSON *bp = cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "eigenvalue_band_properties"), "value");
    double got[4];
    band_properties(e, got);
    for (int k = 0; k < 3; k++)
        CHECK_MSG(fabs(got[k] - cJSON_GetArrayItem(bp, k)->valuedouble) <= 1e-4, "%s: band property %d %.8g vs %.8g",
                  path, k, got[k], cJSON_GetArrayItem(bp, k)->valuedouble);
    CHECK((got[3] != 0) == cJSON_IsTrue(cJSON_GetArrayItem(bp, 3)));
    printf("  eigenval %s/%s: gap %.6f, CBM %.6f, VBM %.6f\n", case_name, file, got[0], got[1], got[2]);
    run_free(&run);
}

static void for_each(const char *kind, void (*fn)(const char *, const char *, cJSON *), int *count)
{
    cJSON *c;
    cJSON_ArrayForEach(c, cases())
    {
        cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(c, "files"))
        {
            if (strcmp(kind_of(f), kind) != 0) continue;
            fn(c->string, f->string, f);
            (*count)++;
        }
    }
}

TEST(every_poscar)
{
    if (!reference) SKIP("%s/vasp/reference.json not found", SHARED_DATA());
    int n = 0;
    for_each("poscar", check_poscar, &n);
    CHECK(n > 0);
}

TEST(every_doscar)
{
    if (!reference) SKIP("%s/vasp/reference.json not found", SHARED_DATA());
    int n = 0;
    for_each("doscar", check_doscar, &n);
    CHECK(n > 0);
}

TEST(every_eigenval)
{
    if (!reference) SKIP("%s/vasp/reference.json not found", SHARED_DATA());
    int n = 0;
    for_each("eigenval", check_eigenval, &n);
    CHECK(n > 0);
}

int main(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/vasp/reference.json", SHARED_DATA());
    reference = load_json_file(path);
    RUN(every_poscar);
    RUN(every_doscar);
    RUN(every_eigenval);
    cJSON_Delete(reference);
    return TEST_FINISH();
}
