/* consistency: pairwise comparison of the settings fingerprints of runs whose energies
 * are to be combined. */
#include "descriptors/consistency.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/xc_identity.h"

static int add(consistency_report *r, consistency_level level, int a, int b, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int add(consistency_report *r, consistency_level level, int a, int b, const char *what, const char *fmt, ...)
{
    consistency_finding *nf = realloc(r->findings, (size_t)(r->n_findings + 1) * sizeof *nf);
    if (!nf) return DS_ENOMEM;
    r->findings = nf;
    consistency_finding *f = &nf[r->n_findings++];
    f->level = level;
    f->run_a = a;
    f->run_b = b;
    snprintf(f->what, sizeof f->what, "%s", what);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
    if (level == CONSISTENCY_REFUSE) r->n_refusals++;
    return DS_OK;
}

static int differ(double x, double y, double tol)
{
    if (isnan(x) && isnan(y)) return 0;
    if (isnan(x) || isnan(y)) return 1;
    return fabs(x - y) > tol;
}

static const run_kind *kind_of_element(const ds_run *run, const char *symbol)
{
    for (int k = 0; k < run->n_kinds; k++)
        if (strcmp(run->kinds[k].symbol, symbol) == 0) return &run->kinds[k];
    return NULL;
}

/* Pseudopotentials / basis sets of the elements both runs contain. */
static int compare_kinds(consistency_report *r, const ds_run *x, const ds_run *y, int a, int b)
{
    for (int k = 0; k < x->n_kinds; k++) {
        const run_kind *kx = &x->kinds[k];
        const run_kind *ky = kind_of_element(y, kx->symbol);
        if (!ky) continue;
        char what[48];
        if (kx->pseudopotential[0] && ky->pseudopotential[0] && strcmp(kx->pseudopotential, ky->pseudopotential) != 0) {
            snprintf(what, sizeof what, "pseudopotential %s", kx->symbol);
            if (add(r, CONSISTENCY_REFUSE, a, b, what, "'%s' vs '%s'", kx->pseudopotential, ky->pseudopotential))
                return DS_ENOMEM;
        }
        if (kx->basis[0] && ky->basis[0] && strcmp(kx->basis, ky->basis) != 0) {
            snprintf(what, sizeof what, "basis set %s", kx->symbol);
            if (add(r, CONSISTENCY_REFUSE, a, b, what, "'%s' vs '%s'", kx->basis, ky->basis)) return DS_ENOMEM;
        }
    }
    return DS_OK;
}

static int compare_pair(consistency_report *r, const ds_run *x, const ds_run *y, int a, int b)
{
    const run_settings *s = &x->settings, *t = &y->settings;
    if (x->code != y->code)
        return add(r, CONSISTENCY_REFUSE, a, b, "code", "%s vs %s", run_code_name(x->code), run_code_name(y->code));
    run_xc xa, xb;
    ds_err ea, eb;
    int ka = xc_identity_of_run(x, &xa, &ea) == DS_OK, kb = xc_identity_of_run(y, &xb, &eb) == DS_OK;
    char why[320];
    if (!ka || !kb) {
        if (add(r, CONSISTENCY_REFUSE, a, b, "functional", "not identified (%s)", !ka ? ea.msg : eb.msg)) return DS_ENOMEM;
    } else if (!xc_identity_equal(&xa, &xb, why, sizeof why)) {
        if (add(r, CONSISTENCY_REFUSE, a, b, "functional", "%s", why)) return DS_ENOMEM;
    }
    if (strcmp(s->dispersion, t->dispersion) != 0 &&
        add(r, CONSISTENCY_REFUSE, a, b, "dispersion", "%s vs %s", s->dispersion[0] ? s->dispersion : "none",
            t->dispersion[0] ? t->dispersion : "none"))
        return DS_ENOMEM;
    if (differ(s->encut_eV, t->encut_eV, 1e-6) &&
        add(r, CONSISTENCY_REFUSE, a, b, "ENCUT", "%g vs %g eV", s->encut_eV, t->encut_eV))
        return DS_ENOMEM;
    if (differ(s->cutoff_Ry, t->cutoff_Ry, 1e-6) &&
        add(r, CONSISTENCY_REFUSE, a, b, "CUTOFF", "%g vs %g Ry", s->cutoff_Ry, t->cutoff_Ry))
        return DS_ENOMEM;
    if (differ(s->rel_cutoff_Ry, t->rel_cutoff_Ry, 1e-6) &&
        add(r, CONSISTENCY_REFUSE, a, b, "REL_CUTOFF", "%g vs %g Ry", s->rel_cutoff_Ry, t->rel_cutoff_Ry))
        return DS_ENOMEM;
    if (s->ldau != t->ldau && s->ldau >= 0 && t->ldau >= 0 &&
        add(r, CONSISTENCY_REFUSE, a, b, "DFT+U", "%s vs %s", s->ldau ? "on" : "off", t->ldau ? "on" : "off"))
        return DS_ENOMEM;
    if (compare_kinds(r, x, y, a, b)) return DS_ENOMEM;
    /* Warnings: may matter, may not (a closed-shell molecule is the same RKS or UKS). */
    if (s->spin_polarized >= 0 && t->spin_polarized >= 0 && s->spin_polarized != t->spin_polarized &&
        add(r, CONSISTENCY_WARN, a, b, "spin treatment", "%s vs %s", s->spin_polarized ? "spin-polarised" : "restricted",
            t->spin_polarized ? "spin-polarised" : "restricted"))
        return DS_ENOMEM;
    if ((s->ismear != t->ismear || differ(s->sigma_eV, t->sigma_eV, 1e-9)) && x->code == RUN_CODE_VASP &&
        add(r, CONSISTENCY_WARN, a, b, "smearing", "ISMEAR %d SIGMA %g vs ISMEAR %d SIGMA %g", s->ismear, s->sigma_eV,
            t->ismear, t->sigma_eV))
        return DS_ENOMEM;
    if (strcmp(s->prec, t->prec) != 0 && s->prec[0] && t->prec[0] &&
        add(r, CONSISTENCY_WARN, a, b, "PREC", "%s vs %s", s->prec, t->prec))
        return DS_ENOMEM;
    return DS_OK;
}

int consistency_check(const ds_run *const *runs, int n, consistency_report *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 1; i < n; i++)
        if (compare_pair(out, runs[0], runs[i], 0, i)) return DS_ENOMEM;
    return DS_OK;
}

void consistency_report_free(consistency_report *r)
{
    free(r->findings);
    memset(r, 0, sizeof *r);
}

void consistency_format(const consistency_report *r, const ds_run *const *runs, int i, char *buf, size_t n)
{
    const consistency_finding *f = &r->findings[i];
    snprintf(buf, n, "%s %s: %s vs %s: %s", f->level == CONSISTENCY_REFUSE ? "REFUSE" : "WARN", f->what,
             runs[f->run_a]->path, runs[f->run_b]->path, f->detail);
}
