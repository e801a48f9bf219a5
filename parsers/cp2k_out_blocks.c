/* cp2k_out_blocks: the multi-line blocks of a CP2K output (atomic kinds, coordinates,
 * Mulliken/Hirshfeld tables, the [ABORT] box, BSSE configurations and results) and the
 * small number scanners cp2k_out.c shares. */
#include "parsers/cp2k_out_priv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

double co_num_after(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    if (!p) return NAN;
    p += strlen(key);
    double x;
    return ds_parse_double(&p, &x) == DS_NUM_OK ? x : NAN;
}

int co_nums(const char *p, double *v, int max)
{
    int n = 0;
    while (n < max && ds_parse_double(&p, &v[n]) == DS_NUM_OK) n++;
    return n;
}

void co_trailing_word(const char *line, char *out, size_t n)
{
    const char *e = line + strlen(line);
    while (e > line && isspace((unsigned char)e[-1])) e--;
    const char *b = e;
    while (b > line && !isspace((unsigned char)b[-1])) b--;
    ds_copy_trim(out, n, b, e);
}

/* Atomic kind blocks: label, basis, potential, valence charge. */
void co_kind_line(co_ctx *c, const char *line, const char *p)
{
    ds_run *run = c->run;
    if (strstr(line, ". Atomic kind:") && strstr(line, "Number of atoms:")) {
        run_kind *nk = realloc(run->kinds, (size_t)(run->n_kinds + 1) * sizeof *nk);
        if (!nk) return;
        run->kinds = nk;
        run_kind *k = &run->kinds[run->n_kinds++];
        memset(k, 0, sizeof *k);
        k->zval = k->mass_amu = NAN;
        const char *q = strstr(line, "Atomic kind:") + 12;
        const char *e = strstr(line, "Number of atoms:");
        ds_copy_trim(k->label, sizeof k->label, q, e);
        element_from_label(k->label, k->symbol);
        k->count = ds_to_int(co_num_after(line, "Number of atoms:"), 0);
        c->n_kind = run->n_kinds - 1;
    } else if (run->n_kinds && ds_starts_with(p, "Orbital Basis Set")) {
        co_trailing_word(p, run->kinds[c->n_kind].basis, sizeof run->kinds[c->n_kind].basis);
    } else if (run->n_kinds && strstr(p, "Potential information for")) {
        co_trailing_word(p, run->kinds[c->n_kind].pseudopotential, sizeof run->kinds[c->n_kind].pseudopotential);
    } else if (run->n_kinds && ds_starts_with(p, "Electronic configuration (s p d ...):")) {
        double v[8];
        int n = co_nums(strchr(p, ':') + 1, v, 8);
        double z = 0;
        for (int i = 0; i < n; i++) z += v[i];
        if (n) run->kinds[c->n_kind].zval = z;
    }
}

/* "ATOMIC COORDINATES IN ANGSTROM": Atom Kind Element Z X Y Z Z(eff) Mass. */
int co_read_coordinates(co_ctx *c)
{
    ds_run *run = c->run;
    char *line;
    int n = 0, cap = 0;
    double (*pos)[3] = NULL;
    char (*sp)[4] = NULL;
    int *kind = NULL;
    int blank = 0;
    while ((line = ds_reader_next(&c->r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (!*p) {
            if (n > 0 || ++blank > 2) break;
            continue;
        }
        if (!isdigit((unsigned char)*p)) continue;
        long idx, k;
        const char *q = p;
        if (ds_parse_long(&q, &idx) != DS_NUM_OK || ds_parse_long(&q, &k) != DS_NUM_OK) break;
        q = ds_skip_ws(q);
        char el[8];
        size_t l = strcspn(q, " \t");
        ds_copy_trim(el, sizeof el, q, q + l);
        q += l;
        double v[6];
        if (co_nums(q, v, 6) < 4) break;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            void *a = realloc(pos, (size_t)cap * sizeof *pos), *b = realloc(sp, (size_t)cap * sizeof *sp),
                 *d = realloc(kind, (size_t)cap * sizeof *kind);
            if (a) pos = a;
            if (b) sp = b;
            if (d) kind = d;
            if (!a || !b || !d) break;
        }
        pos[n][0] = v[1], pos[n][1] = v[2], pos[n][2] = v[3];
        element_from_label(el, sp[n]);
        kind[n] = (int)k - 1;
        n++;
    }
    int rc = DS_OK;
    if (n > 0 && !run->species) {
        if (run_set_species(run, n) || run_structure_alloc(&run->initial, n)) rc = DS_ENOMEM;
        else {
            memcpy(run->species, sp, (size_t)n * sizeof *sp);
            memcpy(run->kind_of_atom, kind, (size_t)n * sizeof *kind);
            memcpy(run->initial.positions_angstrom, pos, (size_t)n * sizeof *pos);
            run->has_initial = 1;
        }
    }
    free(pos), free(sp), free(kind);
    return rc;
}

/* Mulliken / Hirshfeld tables: the last block of each wins. */
void co_read_charges(co_ctx *c, const char *method)
{
    ds_run *run = c->run;
    if (run->n_atoms <= 0) return;
    run_charges *q = run_add_charges(run, method, run->n_atoms);
    if (!q) return;
    char *line;
    int hirsh = strcmp(method, "hirshfeld") == 0, got = 0;
    while ((line = ds_reader_next(&c->r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (ds_starts_with(p, "!---") && got) break;
        if (!isdigit((unsigned char)*p)) continue;
        long idx, kind;
        const char *s = p;
        if (ds_parse_long(&s, &idx) != DS_NUM_OK || idx < 1 || idx > run->n_atoms) continue;
        s = ds_skip_ws(s);
        s += strcspn(s, " \t"); /* element */
        if (ds_parse_long(&s, &kind) != DS_NUM_OK) continue;
        double v[6];
        int n = co_nums(s, v, 6);
        int a = (int)idx - 1;
        /* RKS: Mulliken pop net; Hirshfeld ref pop net.  UKS: Mulliken alpha beta net spin;
         * Hirshfeld ref alpha beta spin net. */
        if (!hirsh && n == 2) q->population_e[a] = v[0], q->net_charge_e[a] = v[1];
        else if (!hirsh && n >= 4) {
            q->population_e[a] = v[0] + v[1];
            q->net_charge_e[a] = v[2];
            if (!q->spin_moment) q->spin_moment = calloc((size_t)run->n_atoms, sizeof(double));
            if (q->spin_moment) q->spin_moment[a] = v[3];
        } else if (hirsh && n == 3) q->population_e[a] = v[1], q->net_charge_e[a] = v[2];
        else if (hirsh && n >= 5) {
            q->population_e[a] = v[1] + v[2];
            q->net_charge_e[a] = v[4];
            if (!q->spin_moment) q->spin_moment = calloc((size_t)run->n_atoms, sizeof(double));
            if (q->spin_moment) q->spin_moment[a] = v[3];
        } else continue;
        got++;
    }
}

/* The [ABORT] box: ASCII art in the first ~10 columns, the message to the right and
 * the source location (file.F:line) on the last line before the closing row of '*'. */
void co_read_abort(co_ctx *c)
{
    char *line, msg[320] = "", where[64] = "";
    size_t used = 0;
    while ((line = ds_reader_next(&c->r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (ds_starts_with(p, "*****") || *p != '*') break;
        size_t len = strlen(line);
        if (len <= 12) continue;
        char part[128];
        const char *e = line + len;
        while (e > line + 12 && (e[-1] == '*' || isspace((unsigned char)e[-1]))) e--;
        ds_copy_trim(part, sizeof part, line + 12, e);
        if (!part[0]) continue;
        const char *f = strstr(part, ".F:");
        if (f && !strchr(part, ' ')) snprintf(where, sizeof where, "%.63s", part);
        else if (used < sizeof msg - 2)
            used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s", used ? " " : "", part);
    }
    snprintf(c->abort_msg, sizeof c->abort_msg, "%.250s%s%s%s", msg[0] ? msg : "(no message)", where[0] ? " (" : "",
             where, where[0] ? ")" : "");
}

/* "-  BSSE CALCULATION         FRAGMENT CONF: 10        FRAGMENT SUBCONF: 10     -" */
void co_bsse_header(co_ctx *c, const char *p)
{
    run_bsse *b = &c->run->bsse;
    char conf[12] = "", sub[12] = "";
    const char *q = strstr(p, "FRAGMENT CONF:"), *r = strstr(p, "FRAGMENT SUBCONF:");
    if (!q || !r) return;
    q = ds_skip_ws(q + 14);
    r = ds_skip_ws(r + 17);
    ds_copy_trim(conf, sizeof conf, q, q + strspn(q, "01"));
    ds_copy_trim(sub, sizeof sub, r, r + strspn(r, "01"));
    if (!conf[0] || strlen(conf) != strlen(sub)) return;
    b->present = 1;
    if (b->n_configs == RUN_BSSE_MAX_CONFIGS) {
        c->bsse_cur = -1;
        run_add_warning(c->run, "BSSE: more than %d configurations; the rest are not read", RUN_BSSE_MAX_CONFIGS);
        return;
    }
    int i = b->n_configs++;
    c->bsse_cur = i;
    c->bsse_scf[i] = -1;
    b->n_fragments = (int)strlen(conf);
    snprintf(b->conf[i], sizeof b->conf[i], "%s", conf);
    snprintf(b->subconf[i], sizeof b->subconf[i], "%s", sub);
    b->energies_Ha[i] = b->energies_eV[i] = NAN;
    /* label: the real fragments, then the fragments whose basis is present */
    char real[24] = "", basis[24] = "";
    for (int f = 0, nr = 0, nb = 0; f < b->n_fragments && f < 9; f++) {
        if (sub[f] == '1') nr += snprintf(real + nr, sizeof real - (size_t)nr, "%s%d", nr ? "+" : "", f + 1);
        if (conf[f] == '1') nb += snprintf(basis + nb, sizeof basis - (size_t)nb, "%s%d", nb ? "+" : "", f + 1);
    }
    snprintf(b->labels[i], sizeof b->labels[i], "frag %.16s in basis %.16s", real, basis);
}

/* "  Total energy:      -7.20745476757565" of the SCF summary: the current configuration's. */
void co_bsse_total_energy(co_ctx *c, const char *p)
{
    if (c->bsse_cur < 0) return;
    double e = co_num_after(p, "Total energy:");
    if (isnan(e)) return;
    c->run->bsse.energies_Ha[c->bsse_cur] = e;
    c->run->bsse.energies_eV[c->bsse_cur] = e * DS_HA_TO_EV;
    c->bsse_scf[c->bsse_cur] = c->scf_state;
    c->scf_state = -1;
}

/* The BSSE RESULTS box: "CP-corrected Total energy:" and "BSSE-free interaction energy:". */
void co_bsse_results(co_ctx *c)
{
    run_bsse *b = &c->run->bsse;
    char *line;
    c->bsse_cur = -1;
    while ((line = ds_reader_next(&c->r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (ds_starts_with(p, "-----")) break;
        if (strstr(p, "CP-corrected Total energy:"))
            b->printed_cp_corrected_total_eV = co_num_after(p, "energy:") * DS_HA_TO_EV;
        else if (strstr(p, "BSSE-free interaction energy:"))
            b->printed_interaction_eV = co_num_after(p, "energy:") * DS_HA_TO_EV;
    }
}

static int bsse_find(const run_bsse *b, const char *conf, const char *sub)
{
    for (int i = 0; i < b->n_configs; i++)
        if (strcmp(b->conf[i], conf) == 0 && strcmp(b->subconf[i], sub) == 0 && !isnan(b->energies_Ha[i])) return i;
    return -1;
}

/* Interaction energies for two fragments, from the Hartree energies (one conversion at the
 * end); the run's energy becomes that of the whole system in its own basis. */
int co_bsse_finish(co_ctx *c)
{
    ds_run *run = c->run;
    run_bsse *b = &run->bsse;
    if (!b->present) return DS_OK;
    int unconverged = 0;
    for (int i = 0; i < b->n_configs; i++) {
        if (isnan(b->energies_Ha[i])) run_add_warning(run, "BSSE configuration %s/%s has no energy (cut short?)", b->conf[i], b->subconf[i]);
        if (c->bsse_scf[i] == 0) {
            unconverged = 1;
            run_add_warning(run, "BSSE configuration %s/%s: SCF not converged", b->conf[i], b->subconf[i]);
        }
    }
    int ab = bsse_find(b, "11", "11");
    if (b->n_fragments == 2) {
        int a = bsse_find(b, "10", "10"), bb = bsse_find(b, "01", "01");
        int a_ab = bsse_find(b, "11", "10"), b_ab = bsse_find(b, "11", "01");
        if (ab >= 0 && a >= 0 && bb >= 0)
            b->interaction_eV = (b->energies_Ha[ab] - b->energies_Ha[a] - b->energies_Ha[bb]) * DS_HA_TO_EV;
        if (ab >= 0 && a_ab >= 0 && b_ab >= 0)
            b->corrected_interaction_eV = (b->energies_Ha[ab] - b->energies_Ha[a_ab] - b->energies_Ha[b_ab]) * DS_HA_TO_EV;
        if (!isnan(b->interaction_eV) && !isnan(b->corrected_interaction_eV))
            b->correction_eV = (b->energies_Ha[a] + b->energies_Ha[bb] - b->energies_Ha[a_ab] - b->energies_Ha[b_ab]) * DS_HA_TO_EV;
        /* the printed value has 6 decimals in Hartree */
        if (!isnan(b->corrected_interaction_eV) && !isnan(b->printed_interaction_eV) &&
            fabs(b->corrected_interaction_eV - b->printed_interaction_eV) > 1.5e-6 * DS_HA_TO_EV)
            run_add_warning(run, "BSSE: corrected interaction %.6f eV from the configurations, CP2K printed %.6f eV",
                            b->corrected_interaction_eV, b->printed_interaction_eV);
    }
    if (ab >= 0 && run->n_steps == 0) {
        run_step *s = run_push_step(run);
        if (!s) return DS_ENOMEM;
        s->energy_free_eV = s->energy_no_entropy_eV = s->energy_sigma0_eV = b->energies_eV[ab];
        s->scf_converged = unconverged ? 0 : (c->bsse_scf[ab] < 0 ? -1 : 1);
    }
    return DS_OK;
}
