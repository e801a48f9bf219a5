/* Unit tests for screen/json_text: the layout is cJSON's, byte for byte (compact and
 * formatted), and every number reads back as the very double: where cJSON's own text does
 * (most numbers), ours is the same text; where cJSON loses the last bit (it accepts 15 digits
 * that read back to within DBL_EPSILON), ours has 17 digits and is exact. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "screen/json_text.h"
#include "tests/test.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A double of one of the kinds runs hold: short decimals as codes print them, values
 * computed from them (all 17 digits), integers, and anything at all (random bits). */
static double sample(int kind)
{
    char text[64];
    switch (kind) {
    case 0: { /* decimal with 1..17 digits and an exponent */
        int digits = 1 + (int)(rng() % 17), exp10 = (int)(rng() % 40) - 20;
        char *p = text;
        if (rng() & 1) *p++ = '-';
        for (int i = 0; i < digits; i++) *p++ = (char)('0' + rng() % 10);
        sprintf(p, "e%d", exp10);
        return strtod(text, NULL);
    }
    case 1: { /* F10.4-style values and sums of them */
        double a = (double)((int64_t)(rng() % 2000000) - 1000000) / 1e4;
        double b = (double)((int64_t)(rng() % 2000000) - 1000000) / 1e4;
        return rng() & 1 ? a : a + b * 1e-3;
    }
    case 2: { /* products and quotients: 16-17 significant digits */
        double a = (double)(rng() % 1000000 + 1) / 997.0;
        return (rng() & 1 ? a * 3.14159 : -a / 7.0) * pow(10.0, (double)((int)(rng() % 30) - 15));
    }
    case 3: /* integers, some beyond the int range */
        return (double)((int64_t)(rng() % 20000000000ULL) - 10000000000LL);
    default: { /* any finite double */
        double d;
        do {
            uint64_t bits = rng();
            memcpy(&d, &bits, sizeof d);
        } while (!isfinite(d));
        return d;
    }
    }
}

static char *cjson_number_text(double d)
{
    cJSON *n = cJSON_CreateNumber(d);
    char *t = cJSON_PrintUnformatted(n);
    cJSON_Delete(n);
    return t;
}

TEST(numbers_match_cjson_where_it_is_exact_and_are_exact_where_it_is_not)
{
    int mismatches = 0, inexact_cjson = 0, not_exact = 0;
    for (int i = 0; i < 300000; i++) {
        double d = sample(i % 5);
        char mine[32], full[32];
        json_number_text(d, mine);
        char *ref = cjson_number_text(d);
        if (strtod(ref, NULL) == d) {
            if (strcmp(mine, ref) != 0 && mismatches++ < 5) printf("# %.17g: cJSON %s, ours %s\n", d, ref, mine);
        } else {
            inexact_cjson++;
            snprintf(full, sizeof full, "%1.17g", d);
            if (strcmp(mine, full) != 0 && mismatches++ < 5) printf("# %.17g: ours %s\n", d, mine);
        }
        if (strtod(mine, NULL) != d) not_exact++;
        free(ref);
    }
    CHECK(mismatches == 0);
    CHECK(not_exact == 0);
    CHECK(inexact_cjson > 100); /* the case this module exists for does occur in the sample */
}

TEST(edge_values)
{
    const double v[] = {0.0, -0.0, 1.0, -1.0, INT_MAX, INT_MIN, (double)INT_MAX + 1, (double)INT_MIN - 1,
                        2147483647.5, 1e15, 999999999999999.0, 999999999999999.9, 1e-5, 9.99999999999999e-6,
                        1e-4, 0.0001234, 1.5e-5, 123456789012345.6, 1e22, 1e300, 5e-324, DBL_MAX, -DBL_MIN,
                        0.1, 0.30000000000000004, 1.0 / 3.0, 2.0 / 3.0, -49.4845, 1234.5678};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char mine[32];
        json_number_text(v[i], mine);
        char *ref = cjson_number_text(v[i]);
        CHECK_MSG(strtod(mine, NULL) == v[i] || (v[i] == 0 && strcmp(mine, "0") == 0), "%.17g -> %s", v[i], mine);
        if (strtod(ref, NULL) == v[i]) CHECK_MSG(strcmp(mine, ref) == 0, "%.17g: cJSON %s, ours %s", v[i], ref, mine);
        free(ref);
    }
    char t[32];
    json_number_text(0.1 + 0.2, t);
    CHECK_STR(t, "0.30000000000000004"); /* cJSON 1.7.15 writes 0.3 */
    json_number_text(NAN, t);
    CHECK_STR(t, "null");
    json_number_text(-INFINITY, t);
    CHECK_STR(t, "null");
}

static cJSON *sample_tree(void)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", "VASP");
    cJSON_AddStringToObject(o, "escapes", "quote\" back\\ nl\n tab\t cr\r bs\b ff\f ctl\x01\x1f utf8 \xc3\xa9 /");
    cJSON_AddNumberToObject(o, "energy_eV", -49.4845);
    cJSON_AddNumberToObject(o, "n_atoms", 12);
    cJSON_AddNullToObject(o, "homo_eV");
    cJSON_AddTrueToObject(o, "converged");
    cJSON_AddFalseToObject(o, "truncated");
    cJSON_AddItemToObject(o, "empty_object", cJSON_CreateObject());
    cJSON_AddItemToObject(o, "empty_array", cJSON_CreateArray());
    cJSON_AddRawToObject(o, "raw", "{\"a\":1}");
    cJSON *arr = cJSON_AddArrayToObject(o, "lattice_angstrom");
    for (int r = 0; r < 3; r++) {
        cJSON *row = cJSON_CreateArray();
        for (int c = 0; c < 3; c++) cJSON_AddItemToArray(row, cJSON_CreateNumber(r == c ? 5.64 : 0.0));
        cJSON_AddItemToArray(arr, row);
    }
    cJSON *steps = cJSON_AddArrayToObject(o, "steps");
    for (int i = 0; i < 2; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "energy_eV", -10.25 * (i + 1));
        cJSON *inner = cJSON_AddObjectToObject(s, "inner");
        cJSON_AddStringToObject(inner, "k", "v");
        cJSON_AddItemToObject(s, "none", cJSON_CreateObject());
        cJSON_AddItemToArray(steps, s);
    }
    cJSON_AddItemToArray(steps, cJSON_CreateString("tail"));
    return o;
}

TEST(layout_is_cjsons_compact_and_formatted)
{
    cJSON *o = sample_tree();
    for (int formatted = 0; formatted <= 1; formatted++) {
        char *ref = formatted ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
        char *mine = json_text_print(o, formatted);
        CHECK(mine != NULL);
        CHECK_MSG(mine && strcmp(mine, ref) == 0, "formatted=%d\n--- cJSON\n%s\n--- ours\n%s", formatted, ref,
                  mine ? mine : "(null)");
        free(ref);
        free(mine);
    }
    cJSON *n = cJSON_CreateNumber(0.1 + 0.2);
    char *mine = json_text_print(n, 0);
    CHECK_STR(mine, "0.30000000000000004");
    free(mine);
    cJSON_Delete(n);
    cJSON_Delete(o);
}

int main(void)
{
    RUN(numbers_match_cjson_where_it_is_exact_and_are_exact_where_it_is_not);
    RUN(edge_values);
    RUN(layout_is_cjsons_compact_and_formatted);
    return TEST_FINISH();
}
