/* vasp_outcar: one streaming pass over an OUTCAR (plain or .gz).  An ionic step counts
 * when its "free  energy   TOTEN" summary and the energy(sigma->0) line after it were
 * written; an unfinished last step (a killed job) is dropped and flagged, where pymatgen's
 * Outcar mixes values of the unfinished step into the result. */
#include "parsers/vasp_outcar.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/vasp_params.h"
#include "structures/elements.h"

#define MAX_IONS 10000000

/* INCAR tags taken from the parameter echo (first occurrence wins). */
static const char *const echoed_tags[] = {"ENCUT", "ISPIN", "NELM", "NSW", "IBRION", "ISMEAR", "SIGMA", "PREC",
                                          "GGA", "LHFCALC", "AEXX", "HFSCREEN", "IVDW", "LDAU", "LDAUU", "LORBIT",
                                          "LNONCOLLINEAR", "LSORBIT", "NELECT", "METAGGA", "EDIFF", "EDIFFG",
                                          "ISIF", "LASPH", "ENAUG", "NBANDS", "IDIPOL", "LUSE_VDW"};
#define N_ECHOED_TAGS ((int)(sizeof echoed_tags / sizeof *echoed_tags))
_Static_assert(N_ECHOED_TAGS <= 32, "echo_params keeps the tags found in a uint32_t");

typedef struct {
    ds_reader r;
    ds_run *run;
    const char *path;
    int n_ions;
    double lattice[3][3];
    int have_lattice;
    double *pos, *frc;          /* current step's positions and forces */
    int have_positions;
    double pending_free;        /* TOTEN of the step being closed */
    int pending;                /* waiting for the energy(sigma->0) line */
    int iter_ionic, iter_scf;   /* last "Iteration N( M)" */
    int step_scf;               /* SCF iterations of the current ionic step */
    int iterations_since_step;
    double mag;
    int n_titel, n_pomass;
    int overflow, reached_accuracy, timing, vasp_warnings;
    long last_step_line;
    uint32_t tags_by_first[26]; /* bit t: echoed_tags[t] starts with 'A' + index */
    uint32_t tags_by_len[16];   /* bit t: echoed_tags[t] has that many letters */
} oc_ctx;

/* The numbers from p on, in a line ds_reader_next returned (ds_parse_double_line may read
 * past its end), as ds_parse_double reads them: a `***` field is stored (NAN) and flagged. */
static int parse_numbers(oc_ctx *c, const char *p, double *out, int max)
{
    int n = 0;
    while (n < max) {
        double x;
        int rc = ds_parse_double_line(&p, &x);
        if (rc == DS_NUM_NONE) break;
        if (rc == DS_NUM_OVERFLOW) c->overflow = 1;
        out[n++] = x;
    }
    return n;
}

static double number_after(oc_ctx *c, const char *line, const char *key)
{
    const char *p = strstr(line, key);
    if (!p) return NAN;
    p += strlen(key);
    double x;
    int rc = ds_parse_double_line(&p, &x); /* line: a reader line */
    if (rc == DS_NUM_OVERFLOW) c->overflow = 1;
    return rc == DS_NUM_OK || rc == DS_NUM_NONFINITE ? x : NAN;
}

/* The candidates of echoed_tag_at by first letter and by length: a word that is no tag (most
 * of the header's) is turned away by one AND instead of a compare with each of the 28.
 * Every tag starts with 'A'..'Z' and is shorter than 16. */
static void index_echoed_tags(oc_ctx *c)
{
    for (int t = 0; t < N_ECHOED_TAGS; t++) {
        const char *tag = echoed_tags[t];
        c->tags_by_first[tag[0] - 'A'] |= (uint32_t)1 << t;
        c->tags_by_len[strlen(tag)] |= (uint32_t)1 << t;
    }
}

/* The echoed tag whose '=' is at eq: the whole word (letters, digits, '_') ending in front of
 * it, blanks between allowed; -1 when that word is no tag of echoed_tags. */
static int echoed_tag_at(const oc_ctx *c, const char *line, const char *eq)
{
    const char *e = eq;
    while (e > line && e[-1] == ' ') e--;
    const char *b = e;
    while (b > line && (isalnum((unsigned char)b[-1]) || b[-1] == '_')) b--;
    size_t l = (size_t)(e - b);
    unsigned first = (unsigned char)*b - 'A';
    if (l >= 16 || first >= 26) return -1;
    uint32_t candidates = c->tags_by_first[first] & c->tags_by_len[l];
    for (int t = 0; candidates; t++, candidates >>= 1)
        if ((candidates & 1) && memcmp(echoed_tags[t], b, l) == 0) return t;
    return -1;
}

/* The value after TAG = at q: up to ';' or a comment (3+ blanks then text).  The blanks
 * between '=' and the value are no comment break: VASP right-aligns short values, so
 * "GGA     =    PS    GGA type" and "LSORBIT =      F    spin-orbit coupling" have 3+
 * blanks in front of a value that starts with a letter. */
static void echo_value(oc_ctx *c, const char *tag, const char *q)
{
    while (*q == ' ') q++;
    const char *e = q;
    while (*e && *e != ';') {
        if (e[0] == ' ' && e[1] == ' ' && e[2] == ' ') {
            const char *k = e;
            while (*k == ' ') k++;
            if (*k && !isdigit((unsigned char)*k) && *k != '-' && *k != '.' && *k != '+') break;
        }
        e++;
    }
    char value[96];
    ds_copy_trim(value, sizeof value, q, e);
    /* "300.0 eV 22.05 Ry": keep the first token for numeric tags */
    if (strcmp(tag, "LDAUU") != 0 && strcmp(tag, "GGA") != 0) {
        char *sp = strchr(value, ' ');
        if (sp) *sp = '\0';
    }
    run_add_param(c->run, tag, value);
}

/* "   ENCUT  =  300.0 eV ..." / "NELM   =     20;   NELMIN=  2": for each tag (in the order
 * of echoed_tags) its first "TAG =" in the line, the tag a whole word.  One pass over the
 * line's '=' (a header line has one to three): searching the line for each of the 28 tags
 * cost 3,500 instructions a line. */
static void echo_params(oc_ctx *c, const char *line, const char *eq)
{
    const char *first_eq[N_ECHOED_TAGS];
    uint32_t found = 0;
    for (; eq; eq = strchr(eq + 1, '=')) {
        int t = echoed_tag_at(c, line, eq);
        if (t >= 0 && !(found >> t & 1)) {
            first_eq[t] = eq;
            found |= (uint32_t)1 << t;
        }
    }
    for (int t = 0; found; t++, found >>= 1)
        if ((found & 1) && !run_param_get(c->run, echoed_tags[t])) echo_value(c, echoed_tags[t], first_eq[t] + 1);
}

static int ensure_ions(oc_ctx *c)
{
    if (c->pos) return DS_OK;
    if (c->n_ions <= 0 || c->n_ions > MAX_IONS) return DS_EFORMAT;
    c->pos = malloc((size_t)c->n_ions * 3 * sizeof *c->pos);
    c->frc = malloc((size_t)c->n_ions * 3 * sizeof *c->frc);
    return c->pos && c->frc ? DS_OK : DS_ENOMEM;
}

/* The POSITION / TOTAL-FORCE table: a dashes line, then one row per ion. */
static int read_positions(oc_ctx *c)
{
    int rc = ensure_ions(c);
    if (rc) return rc;
    char *line = ds_reader_next(&c->r, NULL);
    if (!line) return DS_ETRUNC;
    for (int a = 0; a < c->n_ions; a++) {
        line = ds_reader_next(&c->r, NULL);
        if (!line) return DS_ETRUNC;
        double v[6];
        if (parse_numbers(c, line, v, 6) != 6) return DS_EFORMAT;
        memcpy(c->pos + 3 * a, v, 3 * sizeof *v);
        memcpy(c->frc + 3 * a, v + 3, 3 * sizeof *v);
    }
    c->have_positions = 1;
    return DS_OK;
}

static int complete_step(oc_ctx *c, double wo, double sigma0)
{
    run_step *s = run_push_step(c->run);
    if (!s) return DS_ENOMEM;
    s->energy_free_eV = c->pending_free;
    s->energy_no_entropy_eV = wo;
    s->energy_sigma0_eV = sigma0;
    s->magnetization_total = c->mag;
    s->n_scf_steps = c->step_scf;
    if (c->have_positions && c->have_lattice && run_structure_alloc(&s->structure, c->n_ions) == DS_OK) {
        s->structure.has_lattice = 1;
        memcpy(s->structure.lattice_angstrom, c->lattice, sizeof c->lattice);
        memcpy(s->structure.positions_angstrom, c->pos, (size_t)c->n_ions * 3 * sizeof *c->pos);
        s->has_structure = 1;
        s->forces_eV_per_angstrom = malloc((size_t)c->n_ions * sizeof *s->forces_eV_per_angstrom);
        if (s->forces_eV_per_angstrom) {
            memcpy(s->forces_eV_per_angstrom, c->frc, (size_t)c->n_ions * 3 * sizeof *c->frc);
            double fmax = 0;
            for (int a = 0; a < c->n_ions; a++) {
                const double *f = c->frc + 3 * a;
                fmax = fmax > sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) ? fmax : sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
            }
            s->max_force_eV_per_angstrom = fmax;
        }
    }
    c->have_positions = 0;
    c->step_scf = 0;
    c->iterations_since_step = 0;
    c->last_step_line = c->r.line_no;
    return DS_OK;
}

/* "magnetization (x)" table: rows "ion s p d tot", a "tot" row. */
static int read_magnetization(oc_ctx *c)
{
    char *line;
    int dashes = 0;
    double *site = calloc((size_t)(c->n_ions > 0 ? c->n_ions : 1), sizeof *site);
    if (!site) return DS_ENOMEM;
    int n = 0;
    while ((line = ds_reader_next(&c->r, NULL))) {
        const char *p = ds_skip_ws(line);
        if (DS_STARTS(p, "---")) {
            if (++dashes == 3) break;
            continue;
        }
        if (dashes == 1 && isdigit((unsigned char)*p)) {
            double v[8];
            int k = parse_numbers(c, p, v, 8);
            if (k >= 2 && n < c->n_ions) site[n++] = v[k - 1];
        } else if (dashes == 2 && DS_STARTS(p, "tot")) {
            double v[8];
            int k = parse_numbers(c, p + 3, v, 8);
            if (k >= 1) c->run->magnetization_total = v[k - 1];
            break;
        }
    }
    if (n == c->n_ions && n > 0) {
        free(c->run->magnetization_per_site);
        c->run->magnetization_per_site = site;
        run_add_source(c->run, "magnetization_per_site", c->path);
    } else free(site);
    return DS_OK;
}

static void titel(oc_ctx *c, const char *line)
{
    ds_run *run = c->run;
    const char *p = strstr(line, "=") + 1;
    run_kind *nk = realloc(run->kinds, (size_t)(c->n_titel + 1) * sizeof *nk);
    if (!nk) return;
    run->kinds = nk;
    run_kind *k = &run->kinds[c->n_titel++];
    memset(k, 0, sizeof *k);
    k->zval = k->mass_amu = NAN;
    ds_copy_trim(k->pseudopotential, sizeof k->pseudopotential, p, p + strlen(p));
    /* "PAW_PBE Fe_pv 06Sep2000": the element is the second word */
    const char *w = k->pseudopotential;
    while (*w && *w != ' ') w++;
    while (*w == ' ') w++;
    char label[32];
    ds_copy_trim(label, sizeof label, w, w + strcspn(w, " "));
    snprintf(k->label, sizeof k->label, "%s", label);
    element_from_label(label, k->symbol);
    run->n_kinds = c->n_titel;
}

/* strstr(line, "NIONS =") for a line whose first '=' is eq: the match's '=' is one of the
 * line's, so only the 6 bytes in front of each '=' are compared (a strstr was 80 instr a line
 * with '='). */
static int holds_nions(const char *line, const char *eq)
{
    for (; eq; eq = strchr(eq + 1, '='))
        if (eq - line >= 6 && DS_STARTS(eq - 6, "NIONS ")) return 1;
    return 0;
}

/* strstr(s, "Iteration") by its first letter, rare in the dash lines it is looked for in. */
static const char *find_iteration(const char *s)
{
    for (s = strchr(s, 'I'); s; s = strchr(s + 1, 'I'))
        if (DS_STARTS(s, "Iteration")) return s;
    return NULL;
}

/* The lines no prefix branch of on_line took: NIONS (anywhere in the line), the end markers,
 * a warning box, and in the header (before the first SCF iteration) the parameter echo. */
static int on_other_line(oc_ctx *c, const char *line, const char *p)
{
    const char *eq = strchr(p, '=');
    if (eq && holds_nions(line, eq)) {
        int n = ds_to_int(number_after(c, line, "NIONS ="), -1);
        if (n <= 0 || n > MAX_IONS) return DS_EFORMAT;
        if (c->n_ions > 0 && n != c->n_ions) { /* the arrays are sized by the first one */
            run_add_warning(c->run, "line %ld: NIONS = %d after NIONS = %d (two runs in one file?)", c->r.line_no, n,
                            c->n_ions);
            return DS_EFORMAT;
        }
        c->n_ions = n;
    } else if (DS_STARTS(p, "reached required accuracy")) {
        c->reached_accuracy = 1;
    } else if (DS_STARTS(p, "General timing and accounting")) {
        c->timing = 1;
    } else if (*p == '|' && strstr(p, "W    W    AA    RRRRR")) { /* the box's banner line */
        c->vasp_warnings++;
    } else if (c->iter_ionic == 0 && eq) {
        echo_params(c, line, eq);
    }
    return DS_OK;
}

/* "----- Iteration    2(  13)  -----": it points at "Iteration". */
static void scf_iteration(oc_ctx *c, const char *it)
{
    const char *q = it + 9;
    long i, s;
    if (ds_parse_long(&q, &i) == DS_NUM_OK) {
        while (*q == '(' || *q == ' ') q++;
        if (ds_parse_long(&q, &s) == DS_NUM_OK) {
            c->iter_ionic = (int)i;
            c->step_scf = (int)s;
            c->iterations_since_step++;
        }
    }
}

static int on_line(oc_ctx *c, char *line)
{
    ds_run *run = c->run;
    /* Lines are told apart by how they start (VASP writes these with list-directed or fixed
     * formats: a blank, then the text); only the few keys whose place varies are searched. */
    if (c->pending) {
        if (strstr(line, "energy  without entropy") && strstr(line, "energy(sigma->0)")) {
            c->pending = 0;
            return complete_step(c, number_after(c, line, "entropy="), number_after(c, line, "energy(sigma->0) ="));
        }
        return DS_OK;
    }
    const char *p = ds_skip_ws_line(line);
    /* One switch on the first byte: most lines (numbers, blank lines, text) leave after one
     * compare.  The prefixes start with different bytes (POSITION/POMASS: the third), so a line
     * whose prefix matched but whose second condition failed is one no other prefix takes. */
    switch (*p) {
    case '\0':
        return DS_OK; /* a blank line: no '=', no prefix */
    case 'f':
        if (DS_STARTS(p, "free  energy   TOTEN")) {
            c->pending_free = number_after(c, line, "=");
            c->pending = 1;
            return DS_OK;
        }
        break;
    case '-': {
        const char *it;
        if (DS_STARTS(p, "----") && (it = find_iteration(p)) && strchr(line, '(')) {
            scf_iteration(c, it);
            return DS_OK;
        }
        break;
    }
    case 'd':
        if (DS_STARTS(p, "direct lattice vectors")) {
            for (int k = 0; k < 3; k++) {
                char *l2 = ds_reader_next(&c->r, NULL);
                double v[6];
                if (!l2 || parse_numbers(c, l2, v, 6) < 3) return DS_ETRUNC;
                memcpy(c->lattice[k], v, 3 * sizeof *v);
            }
            c->have_lattice = 1;
            return DS_OK;
        }
        break;
    case 'P':
        if (DS_STARTS(p, "POSITION") && strstr(line, "TOTAL-FORCE")) return read_positions(c);
        if (DS_STARTS(p, "POMASS =") && strstr(line, "ZVAL")) {
            if (c->n_pomass < run->n_kinds) {
                run->kinds[c->n_pomass].mass_amu = number_after(c, line, "POMASS =");
                run->kinds[c->n_pomass].zval = number_after(c, line, "ZVAL   =");
                c->n_pomass++;
            }
            return DS_OK;
        }
        break;
    case 'n':
        if (DS_STARTS(p, "number of electron") && strstr(line, "magnetization")) {
            c->mag = number_after(c, line, "magnetization");
            return DS_OK;
        }
        break;
    case 'E':
        if (DS_STARTS(p, "E-fermi :")) {
            run->fermi_eV = number_after(c, line, "E-fermi :");
            return DS_OK;
        }
        break;
    case 'm':
        if (DS_STARTS(p, "magnetization (x)")) return read_magnetization(c);
        break;
    case 'T':
        if (DS_STARTS(p, "TITEL  =")) {
            titel(c, line);
            return DS_OK;
        }
        break;
    case 'i':
        if (DS_STARTS(p, "ions per type =")) {
            const char *q = strchr(p, '=') + 1;
            for (int k = 0; k < run->n_kinds; k++) {
                long n;
                if (ds_parse_long(&q, &n) != DS_NUM_OK) break;
                run->kinds[k].count = (int)n;
            }
            return DS_OK;
        }
        break;
    default:
        break;
    }
    return on_other_line(c, line, p);
}

static void finish(oc_ctx *c)
{
    ds_run *run = c->run;
    /* species per atom from the kinds and their counts */
    int total = 0;
    for (int k = 0; k < run->n_kinds; k++) total += run->kinds[k].count;
    if (total == c->n_ions && total > 0 && run_set_species(run, total) == DS_OK) {
        int a = 0;
        for (int k = 0; k < run->n_kinds; k++)
            for (int i = 0; i < run->kinds[k].count; i++, a++) {
                memcpy(run->species[a], run->kinds[k].symbol, 4);
                run->kind_of_atom[a] = k;
            }
    }
    if (run->n_steps > 0 && run->steps[run->n_steps - 1].has_structure) {
        run_structure_copy(&run->final, &run->steps[run->n_steps - 1].structure);
        run->has_final = 1;
    }
    vasp_settings_from_params(run);
    long nelm = run->settings.nelm > 0 ? run->settings.nelm : 60;
    char bad[256] = "";
    size_t used = 0;
    int all_ok = 1;
    for (int i = 0; i < run->n_steps; i++) {
        run_step *s = &run->steps[i];
        s->scf_converged = s->n_scf_steps > 0 ? s->n_scf_steps < nelm : -1;
        if (s->scf_converged == 0) {
            all_ok = 0;
            if (used < sizeof bad - 8) used += (size_t)snprintf(bad + used, sizeof bad - used, "%s%d", used ? ", " : "", i + 1);
        }
    }
    if (run->n_steps) run->converged_electronic = all_ok;
    if (used) run_add_warning(run, "SCF reached NELM=%ld (not converged) in ionic step(s) %s", nelm, bad);
    int nsw = run->settings.nsw;
    run->converged_ionic = c->reached_accuracy ? 1 : (nsw >= 0 && nsw <= 1 && run->n_steps > 0) ? 1 : 0;
    run->terminated_normally = c->timing;
    if (c->iterations_since_step > 0 || c->pending) {
        run->truncated = 1;
        run_add_warning(run, "ionic step %d is unfinished (the file ends at line %ld): not counted", run->n_steps + 1,
                        c->r.line_no);
    } else if (!c->timing) {
        run->truncated = 1;
        run_add_warning(run, "no timing block: VASP did not finish writing this OUTCAR");
    }
    if (c->overflow) {
        run->has_overflow_fields = 1;
        run_add_warning(run, "Fortran overflow fields (****) in numbers");
    }
    if (c->vasp_warnings) run_add_warning(run, "VASP printed %d WARNING box(es)", c->vasp_warnings);
    if (run->n_steps == 0) run_add_warning(run, "no complete ionic step: the energy is unknown");
    run_add_source(run, "energy", c->path);
    run_add_source(run, "structure", c->path);
    run_add_source(run, "kinds", c->path);
    run_add_source(run, "terminated_normally", c->path);
    if (!isnan(run->fermi_eV)) run_add_source(run, "fermi", c->path);
}

int vasp_outcar_read(const char *path, ds_run *run, ds_err *err)
{
    oc_ctx c;
    memset(&c, 0, sizeof c);
    c.run = run;
    c.path = path;
    c.mag = NAN;
    index_echoed_tags(&c);
    int rc = ds_reader_open_full(&c.r, path, err);
    if (rc) return rc;
    run_note_main_digest(run, path, &c.r);
    run->code = RUN_CODE_VASP;
    snprintf(run->path, sizeof run->path, "%s", path);
    char *line = ds_reader_next(&c.r, NULL);
    const char *v = line ? strstr(line, "vasp.") : NULL;
    if (!v) {
        long ln = c.r.line_no ? c.r.line_no : 1;
        ds_reader_close(&c.r);
        return ds_err_set(err, line ? DS_EFORMAT : DS_ETRUNC, path, ln,
                          line ? "not an OUTCAR: the first line does not name the VASP version (vasp.X.Y.Z)"
                               : "empty file: expected an OUTCAR");
    }
    run_add_param(run, "version_line", line);
    v += 5;
    size_t n = strspn(v, "0123456789.");
    while (n && v[n - 1] == '.') n--;
    /* "5.4.4.18Apr17": the release is the first three numbers */
    char ver[64];
    snprintf(ver, sizeof ver, "%.*s", (int)(n < 63 ? n : 63), v);
    int dots = 0;
    for (char *q = ver; *q; q++)
        if (*q == '.' && ++dots == 3) *q = '\0';
    snprintf(run->code_version, sizeof run->code_version, "%s", ver);
    while ((line = ds_reader_next(&c.r, NULL))) {
        rc = on_line(&c, line);
        if (rc == DS_ENOMEM) break;
        if (rc == DS_EFORMAT) {
            run_add_warning(run, "line %ld: unexpected content, reading stopped", c.r.line_no);
            run->truncated = 1;
            rc = DS_OK;
            break;
        }
        if (rc == DS_ETRUNC) {
            rc = DS_OK;
            break;
        }
    }
    if (c.r.failed) run_add_warning(run, "%s", c.r.fail_err.msg);
    long last_line = c.r.line_no;
    ds_reader_close(&c.r);
    free(c.pos);
    free(c.frc);
    if (rc == DS_ENOMEM) return ds_err_set(err, DS_ENOMEM, path, last_line, "out of memory");
    if (c.n_ions <= 0 && run->n_steps == 0)
        return ds_err_set(err, DS_ETRUNC, path, last_line, "the OUTCAR ends before the ion count (NIONS) was written");
    finish(&c);
    return DS_OK;
}
