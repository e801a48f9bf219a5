/* xc_identity: VASP/CP2K functional settings -> libxc identities.  The library itself is
 * asked for each component's family and, for hybrids, its exact-exchange fraction and
 * range-separation parameter; the run's own AEXX/HFSCREEN override them where VASP lets
 * the user change them. */
#include "descriptors/xc_identity.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <xc.h>

typedef struct {
    const char *key;       /* the code's name (upper case) */
    const char *label;     /* what we call it */
    const char *libxc;     /* libxc component names joined by '+' */
} xc_alias;

/* VASP GGA tag values (VASP wiki "GGA"). */
static const xc_alias vasp_gga[] = {
    {"PE", "PBE", "gga_x_pbe+gga_c_pbe"},
    {"PS", "PBEsol", "gga_x_pbe_sol+gga_c_pbe_sol"},
    {"91", "PW91", "gga_x_pw91+gga_c_pw91"},
    {"RP", "RPBE", "gga_x_rpbe+gga_c_pbe"},
    {"RE", "revPBE", "gga_x_pbe_r+gga_c_pbe"},
    {"AM", "AM05", "gga_x_am05+gga_c_am05"},
    {"CA", "LDA", "lda_x+lda_c_pz"},
    {"PZ", "LDA", "lda_x+lda_c_pz"},
    {"B3", "B3LYP", "hyb_gga_xc_b3lyp"},
    {"BO", "optB88-vdW", "gga_x_optb88_vdw+lda_c_pw"},
    {"MK", "optB86b-vdW", "gga_x_optb86b_vdw+lda_c_pw"},
    {"OR", "optPBE-vdW", "gga_x_optpbe_vdw+lda_c_pw"},
    {"ML", "vdW-DF2", "gga_x_rpw86+lda_c_pw"},
    {"BF", "BEEF-vdW", "gga_xc_beefvdw"},
    {NULL, NULL, NULL}};

/* VASP METAGGA tag values. */
static const xc_alias vasp_metagga[] = {
    {"SCAN", "SCAN", "mgga_x_scan+mgga_c_scan"},
    {"R2SCAN", "r2SCAN", "mgga_x_r2scan+mgga_c_r2scan"},
    {"RSCAN", "rSCAN", "mgga_x_rscan+mgga_c_rscan"},
    {"TPSS", "TPSS", "mgga_x_tpss+mgga_c_tpss"},
    {"RTPSS", "revTPSS", "mgga_x_revtpss+mgga_c_revtpss"},
    {"M06L", "M06-L", "mgga_x_m06_l+mgga_c_m06_l"},
    {"MBJ", "TB-mBJ", "mgga_x_tb09+lda_c_pw"},
    {"MS2", "MS2", "mgga_x_ms2+gga_c_regtpss"},
    {NULL, NULL, NULL}};

/* CP2K &XC_FUNCTIONAL section parameters (CP2K manual, XC_FUNCTIONAL shortcuts). */
static const xc_alias cp2k_functionals[] = {
    {"PBE", "PBE", "gga_x_pbe+gga_c_pbe"},
    {"PBESOL", "PBEsol", "gga_x_pbe_sol+gga_c_pbe_sol"},
    {"REVPBE", "revPBE", "gga_x_pbe_r+gga_c_pbe"},
    {"BLYP", "BLYP", "gga_x_b88+gga_c_lyp"},
    {"BP", "BP86", "gga_x_b88+gga_c_p86"},
    {"OLYP", "OLYP", "gga_x_optx+gga_c_lyp"},
    {"PADE", "LDA (Pade)", "lda_xc_teter93"},
    {"LDA", "LDA (Pade)", "lda_xc_teter93"},
    {"TPSS", "TPSS", "mgga_x_tpss+mgga_c_tpss"},
    {"SCAN", "SCAN", "mgga_x_scan+mgga_c_scan"},
    {"PBE0", "PBE0", "hyb_gga_xc_pbeh"},
    {"B3LYP", "B3LYP", "hyb_gga_xc_b3lyp"},
    {"HSE06", "HSE06", "hyb_gga_xc_hse06"},
    {"B97GRIMME", "B97-D", "gga_xc_b97_d"},
    {NULL, NULL, NULL}};

static const xc_alias *find_alias(const xc_alias *table, const char *key)
{
    for (const xc_alias *a = table; a->key; a++)
        if (strcasecmp(a->key, key) == 0) return a;
    return NULL;
}

static int family_rank(int family)
{
    switch (family) {
    case XC_FAMILY_LDA: return 1;
    case XC_FAMILY_GGA: return 2;
    case XC_FAMILY_MGGA: return 3;
    case XC_FAMILY_HYB_LDA: return 4;
    case XC_FAMILY_HYB_GGA: return 5;
    case XC_FAMILY_HYB_MGGA: return 6;
    default: return 0;
    }
}

static const char *family_name(int family)
{
    switch (family) {
    case XC_FAMILY_LDA: return "LDA";
    case XC_FAMILY_GGA: return "GGA";
    case XC_FAMILY_MGGA: return "MGGA";
    case XC_FAMILY_HYB_LDA: return "HYB_LDA";
    case XC_FAMILY_HYB_GGA: return "HYB_GGA";
    case XC_FAMILY_HYB_MGGA: return "HYB_MGGA";
    default: return "unknown";
    }
}

/* Looks every component up in libxc: ids, family, exact exchange and range separation. */
static int fill_from_libxc(run_xc *out, const char *label, const char *names, ds_err *err)
{
    snprintf(out->label, sizeof out->label, "%.63s", label);
    snprintf(out->libxc_names, sizeof out->libxc_names, "%s", names);
    memset(out->libxc_ids, 0, sizeof out->libxc_ids);
    out->exact_exchange_fraction = 0.0;
    out->range_separation_bohr_inv = 0.0;
    int best_family = XC_FAMILY_UNKNOWN, n = 0;
    char buf[160];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *save = NULL, *tok = strtok_r(buf, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
        int id = xc_functional_get_number(tok);
        if (id <= 0)
            return ds_err_set(err, DS_ENODATA, NULL, 0, "libxc %s does not know functional '%s'", XC_VERSION, tok);
        xc_func_type f;
        if (xc_func_init(&f, id, XC_UNPOLARIZED) != 0)
            return ds_err_set(err, DS_ENODATA, NULL, 0, "libxc could not initialise '%s'", tok);
        int fam = f.info->family;
        if (family_rank(fam) > family_rank(best_family)) best_family = fam;
        if (fam == XC_FAMILY_HYB_GGA || fam == XC_FAMILY_HYB_MGGA || fam == XC_FAMILY_HYB_LDA) {
            double omega = 0, alpha = 0, beta = 0;
            xc_hyb_cam_coef(&f, &omega, &alpha, &beta);
            /* Short-range hybrids (HSE): alpha + beta is the short-range exact exchange. */
            out->exact_exchange_fraction = omega > 0 ? alpha + beta : xc_hyb_exx_coef(&f);
            out->range_separation_bohr_inv = omega;
        }
        xc_func_end(&f);
        if (n < 3) out->libxc_ids[n++] = id;
    }
    snprintf(out->family, sizeof out->family, "%s", family_name(best_family));
    return DS_OK;
}

static int is_unset(const char *v)
{
    return !v || !*v || strcmp(v, "--") == 0 || strcasecmp(v, "none") == 0 || strcasecmp(v, "F") == 0 ||
           strcasecmp(v, ".FALSE.") == 0;
}

static double param_number(const ds_run *run, const char *name, double fallback)
{
    const char *v = run_param_get(run, name);
    double d;
    if (!v || ds_parse_double(&v, &d) != DS_NUM_OK) return fallback;
    return d;
}

/* VASP: without a GGA tag the functional is the one the POTCARs were made with. */
static const char *vasp_gga_from_potcar(const ds_run *run)
{
    for (int i = 0; i < run->n_kinds; i++) {
        const char *t = run->kinds[i].pseudopotential;
        while (*t == ' ') t++;
        if (ds_starts_with(t, "PAW_PBE") || ds_starts_with(t, "PAW_PBE_")) return "PE";
        if (ds_starts_with(t, "PAW_GGA") || ds_starts_with(t, "US_GGA")) return "91";
        if (ds_starts_with(t, "PAW ") || ds_starts_with(t, "PAW_LDA") || ds_starts_with(t, "US ")) return "CA";
    }
    return NULL;
}

static int vasp_identity(const ds_run *run, run_xc *out, ds_err *err)
{
    const char *meta = run_param_get(run, "METAGGA");
    if (!is_unset(meta)) {
        char key[16];
        ds_copy_trim(key, sizeof key, meta, meta + strlen(meta));
        const xc_alias *a = find_alias(vasp_metagga, key);
        if (!a) return ds_err_set(err, DS_ENODATA, NULL, 0, "METAGGA = %s has no libxc mapping here", key);
        return fill_from_libxc(out, a->label, a->libxc, err);
    }
    const char *gga = run_param_get(run, "GGA");
    const char *key = NULL;
    char buf[16];
    if (!is_unset(gga)) {
        ds_copy_trim(buf, sizeof buf, gga, gga + strlen(gga));
        for (char *c = buf; *c; c++) *c = (char)toupper((unsigned char)*c);
        key = buf;
    } else {
        key = vasp_gga_from_potcar(run);
        if (!key)
            return ds_err_set(err, DS_ENODATA, NULL, 0,
                              "no GGA/METAGGA tag and no POTCAR title: the functional is unknown");
    }
    const xc_alias *a = find_alias(vasp_gga, key);
    if (!a) return ds_err_set(err, DS_ENODATA, NULL, 0, "GGA = %s has no libxc mapping here", key);
    int hf = run_param_get(run, "LHFCALC") && !is_unset(run_param_get(run, "LHFCALC"));
    if (!hf || strcmp(a->key, "B3") == 0) return fill_from_libxc(out, a->label, a->libxc, err);

    /* Hybrid: VASP mixes AEXX of exact exchange into the GGA; HFSCREEN (1/Angstrom) makes
     * it short-range (HSE).  Defaults: AEXX 0.25, HFSCREEN 0 (VASP wiki). */
    double aexx = param_number(run, "AEXX", 0.25);
    double screen_inv_angstrom = param_number(run, "HFSCREEN", 0.0);
    int rc;
    if (strcmp(a->key, "PE") == 0 && screen_inv_angstrom > 0.15 && screen_inv_angstrom < 0.25)
        rc = fill_from_libxc(out, "HSE06", "hyb_gga_xc_hse06", err);
    else if (strcmp(a->key, "PE") == 0 && screen_inv_angstrom >= 0.25 && screen_inv_angstrom < 0.35)
        rc = fill_from_libxc(out, "HSE03", "hyb_gga_xc_hse03", err);
    else if (strcmp(a->key, "PE") == 0 && screen_inv_angstrom == 0.0)
        rc = fill_from_libxc(out, "PBE0", "hyb_gga_xc_pbeh", err);
    else {
        rc = fill_from_libxc(out, a->label, a->libxc, err);
        snprintf(out->family, sizeof out->family, "HYB_%s", strcmp(out->family, "LDA") == 0 ? "LDA" : "GGA");
        char label[160];
        snprintf(label, sizeof label, "%s hybrid", a->label);
        snprintf(out->label, sizeof out->label, "%.63s", label);
    }
    if (rc) return rc;
    /* The run's own parameters are what was computed, whatever the libxc default is. */
    out->exact_exchange_fraction = aexx;
    out->range_separation_bohr_inv = screen_inv_angstrom * DS_BOHR_TO_ANGSTROM;
    if (fabs(aexx - 0.25) > 1e-9 && (strcmp(out->label, "HSE06") == 0 || strcmp(out->label, "PBE0") == 0)) {
        char label[160];
        snprintf(label, sizeof label, "%s(AEXX=%g)", out->label, aexx);
        snprintf(out->label, sizeof out->label, "%.63s", label);
    }
    return DS_OK;
}

static int cp2k_identity(const ds_run *run, run_xc *out, ds_err *err)
{
    const char *name = run->settings.functional_raw;
    if (!name[0])
        return ds_err_set(err, DS_ENODATA, NULL, 0, "the output names no XC functional");
    char key[64];
    ds_copy_trim(key, sizeof key, name, name + strlen(name));
    /* "PBE" may arrive as "PBE (as echoed)" or "FUNCTIONAL| PBE:": keep the first word. */
    for (char *c = key; *c; c++)
        if (*c == ' ' || *c == ':' || *c == '(' || *c == ',') {
            *c = '\0';
            break;
        }
    const xc_alias *a = find_alias(cp2k_functionals, key);
    if (!a) return ds_err_set(err, DS_ENODATA, NULL, 0, "CP2K functional '%s' has no libxc mapping here", key);
    return fill_from_libxc(out, a->label, a->libxc, err);
}

int xc_identity_of_run(const ds_run *run, run_xc *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    out->exact_exchange_fraction = NAN;
    out->range_separation_bohr_inv = NAN;
    int rc;
    if (run->code == RUN_CODE_VASP) rc = vasp_identity(run, out, err);
    else if (run->code == RUN_CODE_CP2K) rc = cp2k_identity(run, out, err);
    else rc = ds_err_set(err, DS_ENODATA, NULL, 0, "unknown code");
    if (rc) {
        snprintf(out->label, sizeof out->label, "unknown");
        return rc;
    }
    if (run->settings.ldau == 1) {
        char label[160];
        snprintf(label, sizeof label, "%s+U", out->label);
        snprintf(out->label, sizeof out->label, "%.63s", label);
    }
    return DS_OK;
}

int xc_identity_equal(const run_xc *a, const run_xc *b, char *why, size_t why_len)
{
    char dummy[8];
    if (!why) {
        why = dummy;
        why_len = sizeof dummy;
    }
    why[0] = '\0';
    if (strcmp(a->libxc_names, b->libxc_names) != 0 || !a->libxc_names[0]) {
        snprintf(why, why_len, "functional %s (%s) vs %s (%s)", a->label, a->libxc_names[0] ? a->libxc_names : "?",
                 b->label, b->libxc_names[0] ? b->libxc_names : "?");
        return 0;
    }
    if (!(fabs(a->exact_exchange_fraction - b->exact_exchange_fraction) <= 1e-6)) {
        snprintf(why, why_len, "exact exchange %g vs %g", a->exact_exchange_fraction, b->exact_exchange_fraction);
        return 0;
    }
    if (!(fabs(a->range_separation_bohr_inv - b->range_separation_bohr_inv) <= 1e-6)) {
        snprintf(why, why_len, "range separation %g vs %g 1/bohr", a->range_separation_bohr_inv,
                 b->range_separation_bohr_inv);
        return 0;
    }
    if (strcmp(a->label, b->label) != 0) {
        snprintf(why, why_len, "%s vs %s", a->label, b->label);
        return 0;
    }
    return 1;
}
