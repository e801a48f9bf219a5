/* sym_memo: a direct-mapped table of space-group answers (bounded: SLOTS entries, a new
 * structure replaces the one in its slot), keyed by the bytes spglib's answer depends on. */
#include "screen/sym_memo.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 1024

typedef struct {
    unsigned char *key; /* owned; NULL = empty slot */
    size_t key_len;
    int rc;
    sym_info info;      /* space-group fields only */
    ds_err err;
} memo_slot;

struct sym_memo {
    pthread_mutex_t lock;
    /* Held around every spglib call: spglib 2.0 keeps the error code of its last call in one
     * global (spg_get_error_code), so two threads' calls would report each other's failures
     * (helgrind shows the race; spglib/spglib#282).  Lookups do not wait for it. */
    pthread_mutex_t spglib_lock;
    size_t lookups, hits; /* structures keyed, and answered from the table */
    memo_slot slots[SLOTS];
};

void sym_memo_counts(sym_memo *m, size_t *lookups, size_t *hits)
{
    pthread_mutex_lock(&m->lock);
    *lookups = m->lookups, *hits = m->hits;
    pthread_mutex_unlock(&m->lock);
}

sym_memo *sym_memo_new(void)
{
    sym_memo *m = calloc(1, sizeof *m);
    if (m) pthread_mutex_init(&m->lock, NULL), pthread_mutex_init(&m->spglib_lock, NULL);
    return m;
}

void sym_memo_free(sym_memo *m)
{
    if (!m) return;
    for (int i = 0; i < SLOTS; i++) free(m->slots[i].key);
    pthread_mutex_destroy(&m->lock);
    pthread_mutex_destroy(&m->spglib_lock);
    free(m);
}

/* symprec, lattice, n_atoms, positions and species as one byte string. */
static unsigned char *make_key(const run_structure *s, const char (*species)[4], double symprec, size_t *len)
{
    size_t n = (size_t)s->n_atoms;
    *len = sizeof symprec + sizeof s->lattice_angstrom + sizeof s->n_atoms + n * sizeof s->positions_angstrom[0] + n * 4;
    unsigned char *k = malloc(*len), *p = k;
    if (!k) return NULL;
    memcpy(p, &symprec, sizeof symprec), p += sizeof symprec;
    memcpy(p, s->lattice_angstrom, sizeof s->lattice_angstrom), p += sizeof s->lattice_angstrom;
    memcpy(p, &s->n_atoms, sizeof s->n_atoms), p += sizeof s->n_atoms;
    memcpy(p, s->positions_angstrom, n * sizeof s->positions_angstrom[0]), p += n * sizeof s->positions_angstrom[0];
    for (size_t i = 0; i < n; i++, p += 4) /* the symbol, zero-filled: bytes after its NUL may be unset */
        for (size_t j = 0; j < 4; j++) p[j] = (unsigned char)(j == 0 || p[j - 1] ? species[i][j] : 0);
    return k;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static void spacegroup_only(const sym_info *full, sym_info *out)
{
    memset(out, 0, sizeof *out);
    out->symprec_angstrom = full->symprec_angstrom;
    out->spacegroup_number = full->spacegroup_number;
    memcpy(out->spacegroup_symbol, full->spacegroup_symbol, sizeof out->spacegroup_symbol);
    out->hall_number = full->hall_number;
    out->n_atoms = full->n_atoms;
}

int sym_memo_spacegroup(sym_memo *m, const run_structure *s, const char (*species)[4], double symprec,
                        sym_info *out, ds_err *err)
{
    size_t len = 0;
    unsigned char *key = m && s->has_lattice && s->n_atoms > 0 && s->positions_angstrom ? make_key(s, species, symprec, &len)
                                                                                          : NULL;
    if (!key) { /* nothing to key on: sym_analyse gives its own answer (no lattice, no atoms) */
        sym_info full;
        if (m) pthread_mutex_lock(&m->spglib_lock);
        int rc = sym_analyse(s, species, symprec, &full, err);
        if (m) pthread_mutex_unlock(&m->spglib_lock);
        if (rc == DS_OK) spacegroup_only(&full, out), sym_info_free(&full);
        else memset(out, 0, sizeof *out);
        return rc;
    }
    memo_slot *slot = &m->slots[fnv1a(key, len) % SLOTS];
    pthread_mutex_lock(&m->lock);
    int hit = slot->key && slot->key_len == len && memcmp(slot->key, key, len) == 0;
    m->lookups++, m->hits += (size_t)hit;
    int rc = hit ? slot->rc : 0;
    if (hit) {
        *out = slot->info;
        if (err && rc) *err = slot->err;
    }
    pthread_mutex_unlock(&m->lock);
    if (hit) {
        free(key);
        return rc;
    }
    sym_info full;
    ds_err e;
    ds_err_clear(&e);
    pthread_mutex_lock(&m->spglib_lock);
    rc = sym_analyse(s, species, symprec, &full, &e);
    pthread_mutex_unlock(&m->spglib_lock);
    memset(out, 0, sizeof *out);
    if (rc == DS_OK) spacegroup_only(&full, out), sym_info_free(&full);
    if (err && rc) *err = e;
    pthread_mutex_lock(&m->lock);
    free(slot->key);
    slot->key = key, slot->key_len = len, slot->rc = rc, slot->info = *out, slot->err = e;
    pthread_mutex_unlock(&m->lock);
    return rc;
}
