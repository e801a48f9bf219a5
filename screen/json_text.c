/* json_text: cJSON trees as text, with exact numbers (see json_text.h for why). */
#include "screen/json_text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/io.h"
#include "screen/strbuf.h"

/* Powers of ten that are exact doubles (10^22 is the last). */
static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Writes |m|'s decimal digits as %.15g would lay out m * 10^-k (m > 0, no trailing zero
 * digit unless k == 0): fixed notation for decimal exponents -4..14, else d.ddde±XX. */
static int layout_decimal(char *out, int negative, uint64_t m, int k)
{
    char digits[24];
    int n = 0;
    for (uint64_t v = m; v; v /= 10) digits[n++] = (char)('0' + v % 10);
    for (int i = 0; i < n / 2; i++) {
        char t = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = t;
    }
    int x = n - 1 - k; /* exponent of the leading digit */
    char *p = out;
    if (negative) *p++ = '-';
    if (x < -4 || x >= 15) {
        *p++ = digits[0];
        /* trailing zeros of an integer m (k == 0) are not significant in this form */
        int last = n;
        while (last > 1 && digits[last - 1] == '0') last--;
        if (last > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, (size_t)(last - 1));
            p += last - 1;
        }
        p += sprintf(p, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    } else if (x >= 0) {
        memcpy(p, digits, (size_t)(x + 1));
        p += x + 1;
        if (n > x + 1) {
            *p++ = '.';
            memcpy(p, digits + x + 1, (size_t)(n - x - 1));
            p += n - x - 1;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -x - 1; i++) *p++ = '0';
        memcpy(p, digits, (size_t)n);
        p += n;
    }
    *p = '\0';
    return (int)(p - out);
}

/* The %.15g text of v when it reads back as exactly v, found without printf for
 * 1e-5 <= |v| < 1e15: tries m = |v| * 10^k for k = 0, 1, ... while m < 10^15; the first m
 * for which m / 10^k (one correctly rounded division of exact values) gives |v| back is the
 * shortest decimal of at most 15 significant digits that reads as v, and %.15g writes exactly
 * that one (DBL_DIG is 15: such a decimal survives the trip to binary and back).  The rounding
 * of |v| * 10^k is off by less than 0.2 while m < 10^15, so no candidate is missed.  Returns
 * the length; 0 when there is no such decimal (%.15g cannot read back exactly); -1 when |v|
 * is outside the range. */
static int short_decimal(double v, char *out)
{
    double a = fabs(v);
    if (!(a >= 1e-5 && a < 1e15)) return -1;
    for (int k = 0; k <= 22; k++) {
        double scaled = a * pow10_exact[k];
        if (scaled >= 1e15) return 0;
        double m = nearbyint(scaled);
        if (m / pow10_exact[k] == a) return layout_decimal(out, v < 0, (uint64_t)m, k);
    }
    return 0;
}

int json_number_text(double value, char out[32])
{
    if (isnan(value) || isinf(value)) return sprintf(out, "null");
    int n = short_decimal(value, out);
    if (n > 0) return n;
    if (n < 0) { /* outside the fast path's range */
        n = snprintf(out, 32, "%1.15g", value);
        if (strtod(out, NULL) == value) return n;
    }
    return snprintf(out, 32, "%1.17g", value);
}

static int put(strbuf *sb, const char *s, size_t n)
{
    return strbuf_append(sb, s, n);
}

static int put_tabs(strbuf *sb, int depth)
{
    static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    for (; depth > 0; depth -= 16)
        if (put(sb, tabs, (size_t)(depth < 16 ? depth : 16))) return DS_ENOMEM;
    return DS_OK;
}

/* cJSON's escaping: quote, backslash and the C escapes by name, other bytes below 32 as
 * \u00xx, everything else (UTF-8 included) as it is. */
static int put_string(strbuf *sb, const char *s)
{
    if (!s) return put(sb, "\"\"", 2);
    if (put(sb, "\"", 1)) return DS_ENOMEM;
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        unsigned char c = *p;
        if (c >= 32 && c != '"' && c != '\\') continue;
        if (put(sb, run, (size_t)((const char *)p - run))) return DS_ENOMEM;
        if (c == '\0') break;
        char esc[8];
        int n = 2;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: n = snprintf(esc, sizeof esc, "\\u%04x", c); break;
        }
        if (put(sb, esc, (size_t)n)) return DS_ENOMEM;
        run = (const char *)p + 1;
    }
    return put(sb, "\"", 1);
}

static int put_value(strbuf *sb, const cJSON *item, int formatted, int depth);

static int put_children(strbuf *sb, const cJSON *item, int formatted, int depth, int object)
{
    if (put(sb, object ? "{" : "[", 1)) return DS_ENOMEM;
    if (object && formatted && put(sb, "\n", 1)) return DS_ENOMEM;
    for (const cJSON *c = item->child; c; c = c->next) {
        if (object) {
            if (formatted && put_tabs(sb, depth + 1)) return DS_ENOMEM;
            if (put_string(sb, c->string) || put(sb, formatted ? ":\t" : ":", formatted ? 2 : 1)) return DS_ENOMEM;
        }
        if (put_value(sb, c, formatted, depth + 1)) return DS_ENOMEM;
        if (c->next && put(sb, formatted && !object ? ", " : ",", formatted && !object ? 2 : 1)) return DS_ENOMEM;
        if (object && formatted && put(sb, "\n", 1)) return DS_ENOMEM;
    }
    if (object && formatted && put_tabs(sb, depth)) return DS_ENOMEM;
    return put(sb, object ? "}" : "]", 1);
}

static int put_value(strbuf *sb, const cJSON *item, int formatted, int depth)
{
    char num[32];
    switch (item->type & 0xFF) {
    case cJSON_NULL: return put(sb, "null", 4);
    case cJSON_False: return put(sb, "false", 5);
    case cJSON_True: return put(sb, "true", 4);
    case cJSON_Number: return put(sb, num, (size_t)json_number_text(item->valuedouble, num));
    case cJSON_Raw: return item->valuestring ? put(sb, item->valuestring, strlen(item->valuestring)) : DS_EFORMAT;
    case cJSON_String: return put_string(sb, item->valuestring);
    case cJSON_Array: return put_children(sb, item, formatted, depth, 0);
    case cJSON_Object: return put_children(sb, item, formatted, depth, 1);
    default: return DS_EFORMAT;
    }
}

char *json_text_print(const cJSON *item, int formatted)
{
    strbuf sb = {0};
    if (!item || strbuf_reserve(&sb, 4096) || put_value(&sb, item, formatted, 0)) {
        strbuf_free(&sb);
        return NULL;
    }
    return sb.data;
}
