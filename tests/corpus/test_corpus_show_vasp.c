/* Corpus tier: runs the real binary (`dftscreen show --json`) on every VASP vasprun.xml
 * and OUTCAR of ../shared/data/vasp and on each case directory, and compares with the
 * pymatgen/spglib values in reference.json: energy (1e-6 eV), Fermi level (1e-4 eV),
 * ionic steps and convergence flags (exact), space group at symprec 1e-3 (exact). */
#include <zlib.h>

#include "tests/cli.h"

/* The last "E-fermi :" value of an OUTCAR, read independently of the program. */
static double last_efermi(const char *path)
{
    gzFile f = gzopen(path, "rb");
    char line[4096];
    double v = NAN;
    while (f && gzgets(f, line, sizeof line)) {
        char *p = strstr(line, "E-fermi :");
        if (p) v = strtod(p + 9, NULL);
    }
    if (f) gzclose(f);
    return v;
}

static cJSON *reference;

/* OUTCARs whose last ionic step is unfinished: pymatgen's Outcar mixes steps there
 * (MANIFEST "Facts a parser must handle"), so its final_energy is not the reference. */
static int unfinished_outcar(const char *case_name)
{
    return strcmp(case_name, "fes2-slab-relax-diverged-unfinished") == 0 ||
           strcmp(case_name, "nb-ni-ti-n-slab-aborted") == 0;
}

static void check_spacegroup(cJSON *got, cJSON *ref_sg, const char *what)
{
    if (!cJSON_IsString(ref_sg)) return;
    cJSON *sg = cJSON_GetObjectItem(got, "spacegroup");
    CHECK_MSG(cJSON_IsObject(sg), "%s: no space group", what);
    if (!cJSON_IsObject(sg)) return;
    char expect[64];
    snprintf(expect, sizeof expect, "%s (%d)", cJSON_GetObjectItem(sg, "symbol")->valuestring,
             cJSON_GetObjectItem(sg, "number")->valueint);
    CHECK_MSG(strcmp(expect, ref_sg->valuestring) == 0, "%s: space group %s, spglib reference %s", what, expect,
              ref_sg->valuestring);
}

static void check_file(const char *case_name, const char *file, const char *kind)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/vasp/%s/%s", SHARED_DATA(), case_name, file);
    int status;
    char *err = NULL;
    cJSON *got = cli_show_json(path, &status, &err);
    CHECK_MSG(got != NULL, "%s: show failed (%d): %s", path, status, err ? err : "");
    free(err);
    if (!got) return;
    int outcar = strcmp(kind, "outcar") == 0;
    cJSON *e_ref = ref_value(reference, case_name, file, "final_energy");
    cJSON *e = cJSON_GetObjectItem(got, "energy_eV");
    if (outcar && unfinished_outcar(case_name)) {
        CHECK_MSG(cJSON_IsTrue(cJSON_GetObjectItem(got, "truncated")), "%s: unfinished OUTCAR not flagged", path);
    } else if (cJSON_IsNumber(e_ref)) {
        CHECK_MSG(cJSON_IsNumber(e) && fabs(e->valuedouble - e_ref->valuedouble) <= 1e-6,
                  "%s: energy %.10g vs pymatgen %.10g", path, cJSON_IsNumber(e) ? e->valuedouble : NAN,
                  e_ref->valuedouble);
    }
    cJSON *ef_ref = ref_value(reference, case_name, file, "efermi");
    cJSON *ef = cJSON_GetObjectItem(got, "fermi_eV");
    /* pymatgen 2022.11 Outcar reads backwards and stops only once it has seen a total
     * magnetisation; ISPIN=1 OUTCARs print none, so it reads on to the FIRST E-fermi of
     * the file (the first ionic step).  The Fermi level of the run is the last one. */
    double last = outcar ? last_efermi(path) : NAN;
    if (outcar && cJSON_IsNumber(ef_ref) && fabs(last - ef_ref->valuedouble) > 1e-4) {
        CHECK_MSG(cJSON_IsNumber(ef) && fabs(ef->valuedouble - last) <= 1e-9, "%s: E_F %.8g vs last E-fermi line %.8g", path,
                  cJSON_IsNumber(ef) ? ef->valuedouble : NAN, last);
    } else if (cJSON_IsNumber(ef_ref))
        CHECK_MSG(cJSON_IsNumber(ef) && fabs(ef->valuedouble - ef_ref->valuedouble) <= 1e-4,
                  "%s: E_F %.8g vs %.8g", path, cJSON_IsNumber(ef) ? ef->valuedouble : NAN, ef_ref->valuedouble);
    if (!outcar) {
        cJSON *n_ref = ref_value(reference, case_name, file, "n_ionic_steps");
        if (cJSON_IsNumber(n_ref))
            CHECK_MSG(cJSON_GetObjectItem(got, "n_ionic_steps")->valueint == n_ref->valueint, "%s: %d steps vs %d",
                      path, cJSON_GetObjectItem(got, "n_ionic_steps")->valueint, n_ref->valueint);
        const char *flags[] = {"converged_electronic", "converged_ionic"};
        for (int i = 0; i < 2; i++) {
            cJSON *r = ref_value(reference, case_name, file, flags[i]);
            cJSON *g = cJSON_GetObjectItem(got, flags[i]);
            if (cJSON_IsBool(r))
                CHECK_MSG(cJSON_IsBool(g) && cJSON_IsTrue(g) == cJSON_IsTrue(r), "%s: %s differs from pymatgen", path,
                          flags[i]);
        }
        check_spacegroup(got, ref_value(reference, case_name, file, "final_structure.spacegroup_symprec_0.001"), path);
    } else if (!unfinished_outcar(case_name)) {
        check_spacegroup(got, ref_value(reference, case_name, file, "last_image.spacegroup_symprec_0.001"), path);
        cJSON *acc = ref_value(reference, case_name, file, "reached_required_accuracy");
        cJSON *nsw = cJSON_GetObjectItem(cJSON_GetObjectItem(got, "settings"), "nsw");
        /* Relaxations: converged_ionic is 'reached required accuracy'. */
        if (cJSON_IsBool(acc) && cJSON_IsNumber(nsw) && nsw->valueint > 1)
            CHECK_MSG(cJSON_IsTrue(cJSON_GetObjectItem(got, "converged_ionic")) == cJSON_IsTrue(acc),
                      "%s: converged_ionic vs 'reached required accuracy'", path);
    }
    cJSON_Delete(got);
}

TEST(every_vasprun_and_outcar_matches_reference)
{
    if (!reference) SKIP("%s/vasp/reference.json not found", SHARED_DATA());
    cJSON *cases = cJSON_GetObjectItem(reference, "cases");
    int n = 0;
    for (cJSON *c = cases->child; c; c = c->next) {
        cJSON *files = cJSON_GetObjectItem(c, "files");
        for (cJSON *f = files->child; f; f = f->next) {
            cJSON *kind = cJSON_GetObjectItem(f, "kind");
            if (!cJSON_IsString(kind)) continue;
            if (strcmp(kind->valuestring, "vasprun") == 0 || strcmp(kind->valuestring, "outcar") == 0) {
                check_file(c->string, f->string, kind->valuestring);
                n++;
            }
        }
    }
    CHECK(n >= 25);
}

/* Whole directories: vasprun.xml is preferred, so the energy is the vasprun one. */
TEST(case_directories_read_with_vasprun_preferred)
{
    if (!reference) SKIP("%s/vasp/reference.json not found", SHARED_DATA());
    const char *dirs[][2] = {{"feo-afm-ggau-relax-ispin2-lorbit11", "vasprun.xml"},
                             {"k-sn-o-static-ispin2-lorbit11", "vasprun.xml"},
                             {"mote2-vasp651-scf-vaspout-h5", "vasprun.xml"},
                             {"si-vasp642-relax-ispin2-lorbit11", "vasprun.xml.gz"}};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/vasp/%s", SHARED_DATA(), dirs[i][0]);
        int status;
        cJSON *got = cli_show_json(path, &status, NULL);
        CHECK_MSG(got != NULL, "%s: show failed", path);
        if (!got) continue;
        cJSON *e_ref = ref_value(reference, dirs[i][0], dirs[i][1], "final_energy");
        CHECK_NEAR(cJSON_GetObjectItem(got, "energy_eV")->valuedouble, e_ref->valuedouble, 1e-6);
        cJSON *src = cJSON_GetObjectItem(cJSON_GetObjectItem(got, "sources"), "energy");
        CHECK_MSG(cJSON_IsString(src) && strstr(src->valuestring, "vasprun"), "%s: energy not from vasprun.xml", path);
        /* The OUTCAR tells whether VASP finished: the run directory knows it. */
        CHECK(cJSON_IsBool(cJSON_GetObjectItem(got, "terminated_normally")));
        cJSON_Delete(got);
    }
}

TEST(functional_identity_for_corpus_runs)
{
    if (!reference) SKIP("%s/vasp/reference.json not found", SHARED_DATA());
    struct { const char *file, *label; } cases[] = {
        {"cs2sni6-soc-noncollinear-optics/vasprun.xml.gz", "HSE06"},
        {"feo-afm-ggau-relax-ispin2-lorbit11/vasprun.xml", "PBE+U"},
        {"pt-slab-12atoms-pdos-ispin1/vasprun_2.xml", "PBE"},
        /* OUTCAR only, "GGA     =    PS    GGA type" with PAW_PBE POTCARs: PBEsol, not PBE */
        {"moo3-bulk-and-slab/OUTCAR_MoO3_bulk", "PBEsol"},
        {"moo3-bulk-and-slab/OUTCAR_MoO3_slab", "PBEsol"},
        {"zns-vasp611-locpot/OUTCAR.test", "PBE"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/vasp/%s", SHARED_DATA(), cases[i].file);
        int status;
        cJSON *got = cli_show_json(path, &status, NULL);
        CHECK_MSG(got != NULL, "%s: show failed", path);
        if (!got) continue;
        cJSON *xc = cJSON_GetObjectItem(cJSON_GetObjectItem(got, "settings"), "xc");
        cJSON *label = cJSON_GetObjectItem(xc, "label");
        CHECK_MSG(cJSON_IsString(label) && strcmp(label->valuestring, cases[i].label) == 0, "%s: functional %s, expected %s",
                  path, cJSON_IsString(label) ? label->valuestring : "null", cases[i].label);
        cJSON_Delete(got);
    }
}

int main(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/vasp/reference.json", SHARED_DATA());
    reference = load_json_file(path);
    RUN(every_vasprun_and_outcar_matches_reference);
    RUN(case_directories_read_with_vasprun_preferred);
    RUN(functional_identity_for_corpus_runs);
    cJSON_Delete(reference);
    return TEST_FINISH();
}
