/* vasp_params: INCAR tags -> settings fingerprint (ENCUT, PREC, ISPIN, smearing, DFT+U,
 * dispersion, electron count, convergence controls). */
#include "parsers/vasp_params.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int param_double(const ds_run *run, const char *name, double *out)
{
    const char *v = run_param_get(run, name);
    if (!v) return 0;
    const char *p = v;
    double d;
    if (ds_parse_double(&p, &d) != DS_NUM_OK) return 0;
    *out = d;
    return 1;
}

static int param_long(const ds_run *run, const char *name, long *out)
{
    double d;
    /* integral and inside long's range (a parameter of 2.7e67 must not reach the cast: UB) */
    if (!param_double(run, name, &d) || d != floor(d) || !(fabs(d) < 9.0e18)) return 0;
    *out = (long)d;
    return 1;
}

int vasp_parse_logical(const char *value)
{
    if (!value) return -1;
    while (*value == ' ' || *value == '.') value++;
    char c = (char)toupper((unsigned char)value[0]);
    if (c == 'T') return 1;
    if (c == 'F') return 0;
    return -1;
}

const char *vasp_ivdw_name(long ivdw)
{
    /* VASP wiki, IVDW: 1|10 DFT-D2, 11 DFT-D3 zero damping, 12 DFT-D3(BJ), 13 DFT-D4,
     * 2|20 Tkatchenko-Scheffler, 21 TS with iterative Hirshfeld, 202 MBD, 4 dDsC. */
    switch (ivdw) {
    case 0: return "none";
    case 1: case 10: return "D2";
    case 11: return "D3";
    case 12: return "D3(BJ)";
    case 13: return "D4";
    case 2: case 20: return "TS";
    case 21: return "TS-HI";
    case 202: return "MBD";
    case 263: return "MBD-FI";
    case 4: return "dDsC";
    default: return "unknown";
    }
}

void vasp_prec_canonical(const char *value, char *out, size_t n)
{
    /* The same PREC is spelled "accurate" in vasprun.xml, "accura" in the OUTCAR echo (cut to
     * 6 letters), "Accurate" or "A" in an INCAR (and in the INCAR copy at the top of a VASP 6.4
     * OUTCAR): a word that begins one of these names, and only one, stands for it.  "single"
     * begins both Single and SingleN (whose echo is "single" too) and is kept as it is. */
    static const char *const names[] = {"low", "medium", "high", "normal", "accurate", "single", "singlen"};
    char word[32];
    size_t l = 0;
    while (*value == ' ') value++;
    for (; value[l] && !isspace((unsigned char)value[l]) && l + 1 < sizeof word; l++)
        word[l] = (char)tolower((unsigned char)value[l]);
    word[l] = '\0';
    const char *match = NULL;
    int n_match = 0;
    for (size_t i = 0; l && i < sizeof names / sizeof names[0]; i++)
        if (strncmp(names[i], word, l) == 0) {
            match = names[i];
            n_match++;
        }
    snprintf(out, n, "%s", n_match == 1 ? match : word);
}

void vasp_settings_from_params(ds_run *run)
{
    run_settings *s = &run->settings;
    const char *v;
    double d;
    long l;
    if (isnan(s->encut_eV) && param_double(run, "ENCUT", &d)) s->encut_eV = d;
    if (!s->prec[0] && (v = run_param_get(run, "PREC"))) vasp_prec_canonical(v, s->prec, sizeof s->prec);
    if (s->spin_polarized < 0 && param_long(run, "ISPIN", &l)) s->spin_polarized = (l == 2);
    if (s->noncollinear < 0) {
        int nc = vasp_parse_logical(run_param_get(run, "LNONCOLLINEAR"));
        int so = vasp_parse_logical(run_param_get(run, "LSORBIT"));
        if (nc >= 0 || so >= 0) s->noncollinear = (nc == 1 || so == 1);
    }
    if (s->ismear == -99 && param_long(run, "ISMEAR", &l)) s->ismear = (int)l;
    if (isnan(s->sigma_eV) && param_double(run, "SIGMA", &d)) s->sigma_eV = d;
    if (s->ldau < 0) {
        int u = vasp_parse_logical(run_param_get(run, "LDAU"));
        if (u >= 0) s->ldau = u;
    }
    if (!s->ldau_u_eV[0] && s->ldau == 1 && (v = run_param_get(run, "LDAUU")))
        snprintf(s->ldau_u_eV, sizeof s->ldau_u_eV, "%s", v);
    if (isnan(s->nelect) && param_double(run, "NELECT", &d)) s->nelect = d;
    if (s->nelm < 0 && param_long(run, "NELM", &l)) s->nelm = (int)l;
    if (s->nsw < 0 && param_long(run, "NSW", &l)) s->nsw = (int)l;
    if (s->ibrion < 0 && param_long(run, "IBRION", &l)) s->ibrion = (int)l;
    if (isnan(s->ediff) && param_double(run, "EDIFF", &d)) s->ediff = d;
    if (isnan(s->ediffg) && param_double(run, "EDIFFG", &d)) s->ediffg = d;
    if (!s->dispersion[0]) {
        if (param_long(run, "IVDW", &l))
            snprintf(s->dispersion, sizeof s->dispersion, "%s", vasp_ivdw_name(l));
        else if (vasp_parse_logical(run_param_get(run, "LUSE_VDW")) == 1)
            snprintf(s->dispersion, sizeof s->dispersion, "%s", "vdW-DF (nonlocal)");
    }
    if (!s->functional_raw[0]) {
        const char *meta = run_param_get(run, "METAGGA");
        const char *gga = run_param_get(run, "GGA");
        if (meta && *meta && strcasecmp(meta, "--") != 0 && strcasecmp(meta, "none") != 0 && strcasecmp(meta, "F") != 0)
            snprintf(s->functional_raw, sizeof s->functional_raw, "METAGGA=%s", meta);
        else if (gga && *gga)
            snprintf(s->functional_raw, sizeof s->functional_raw, "GGA=%s", gga);
    }
    if (!s->run_type[0] && s->ibrion >= -1) {
        const char *rt = "static";
        if (s->nsw > 0) {
            if (s->ibrion == 0) rt = "md";
            else if (s->ibrion == 1 || s->ibrion == 2 || s->ibrion == 3) rt = "relax";
            else if (s->ibrion >= 5 && s->ibrion <= 8) rt = "phonons";
            else if (s->ibrion == 44) rt = "ts-search";
        }
        snprintf(s->run_type, sizeof s->run_type, "%s", rt);
    }
}
