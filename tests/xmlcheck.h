/* xmlcheck: a tiny well-formedness checker for the HTML/SVG the report writes (the
 * project has no XML parser dependency): balanced and properly nested tags, quoted and
 * unique attributes, only the five XML entities or numeric references, valid UTF-8 with
 * no control characters, and no NaN/Inf in geometry attributes.  Also a search for the
 * words "nan"/"inf" anywhere (printf's spelling of non-finite numbers). */
#ifndef DS_TEST_XMLCHECK_H
#define DS_TEST_XMLCHECK_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "screen/html.h"

__attribute__((unused)) static int xc_name_char_(char ch) { return isalnum((unsigned char)ch) || ch == '-' || ch == '_' || ch == ':' || ch == '.'; }

/* Length of a valid entity or character reference at s ('&'), else 0. */
__attribute__((unused)) static size_t xc_entity_(const char *s)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (int i = 0; i < 5; i++)
        if (!strncmp(s, named[i], strlen(named[i]))) return strlen(named[i]);
    size_t i = 1;
    if (s[i++] != '#') return 0;
    int hex = s[i] == 'x';
    i += hex;
    size_t d = i;
    while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])) i++;
    return i > d && s[i] == ';' ? i + 1 : 0;
}

__attribute__((unused)) static int xc_geometry_attr_(const char *name, size_t n)
{
    static const char *const geo[] = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d",
                                      "transform", "viewBox", "points"};
    for (size_t i = 0; i < sizeof geo / sizeof *geo; i++)
        if (strlen(geo[i]) == n && !strncmp(name, geo[i], n)) return 1;
    return 0;
}

/* Text or attribute content from s up to `stop`: entities and UTF-8 must be valid. */
static const char *xc_content_(const char *s, char stop, char *msg, size_t n)
{
    while (*s && *s != stop) {
        if (*s == '<' && stop != '<') return snprintf(msg, n, "raw '<' in an attribute"), NULL;
        if (*s == '&') {
            size_t k = xc_entity_(s);
            if (!k) return snprintf(msg, n, "bad entity near \"%.12s\"", s), NULL;
            s += k;
            continue;
        }
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return snprintf(msg, n, "control character 0x%02x", c), NULL;
        size_t k = html_utf8_seq_len(s);
        if (!k) return snprintf(msg, n, "invalid UTF-8 near \"%.12s\"", s), NULL;
        s += k;
    }
    return s;
}

/* NULL when well-formed, else a message (in msg) saying what and where. */
static const char *xml_check(const char *doc, char *msg, size_t n)
{
    const char *stack[256];
    size_t stack_len[256];
    int depth = 0, n_elements = 0;
    const char *s = doc;
    while (*s) {
        if (*s != '<') {
            if (!(s = xc_content_(s, '<', msg, n))) return msg;
            continue;
        }
        if (!strncmp(s, "<!--", 4)) {
            const char *e = strstr(s, "-->");
            if (!e) return snprintf(msg, n, "unterminated comment"), msg;
            s = e + 3;
        } else if (!strncasecmp(s, "<!DOCTYPE", 9) || !strncmp(s, "<?", 2)) {
            const char *e = strchr(s, '>');
            if (!e) return snprintf(msg, n, "unterminated declaration"), msg;
            s = e + 1;
        } else if (s[1] == '/') {
            const char *name = s + 2, *e = name;
            while (xc_name_char_(*e)) e++;
            if (!depth) return snprintf(msg, n, "closing </%.*s> with nothing open", (int)(e - name), name), msg;
            depth--;
            if ((size_t)(e - name) != stack_len[depth] || strncmp(name, stack[depth], stack_len[depth]))
                return snprintf(msg, n, "</%.*s> closes <%.*s>", (int)(e - name), name, (int)stack_len[depth], stack[depth]), msg;
            while (*e == ' ' || *e == '\n') e++;
            if (*e != '>') return snprintf(msg, n, "junk in </%.*s>", (int)stack_len[depth], stack[depth]), msg;
            s = e + 1;
        } else {
            const char *name = ++s;
            while (xc_name_char_(*s)) s++;
            size_t name_len = (size_t)(s - name);
            if (!name_len) return snprintf(msg, n, "'<' not starting a tag near \"%.12s\"", name - 1), msg;
            const char *attr_names[64];
            size_t attr_lens[64];
            int n_attr = 0;
            for (;;) {
                int ws = 0;
                while (*s == ' ' || *s == '\n' || *s == '\t') s++, ws = 1;
                if (*s == '>' || (s[0] == '/' && s[1] == '>')) break;
                if (!ws) return snprintf(msg, n, "no blank before an attribute of <%.*s>", (int)name_len, name), msg;
                const char *a = s;
                while (xc_name_char_(*s)) s++;
                size_t alen = (size_t)(s - a);
                if (!alen || *s != '=' || (s[1] != '"' && s[1] != '\''))
                    return snprintf(msg, n, "unquoted or malformed attribute in <%.*s> near \"%.16s\"", (int)name_len, name, a), msg;
                for (int i = 0; i < n_attr; i++)
                    if (attr_lens[i] == alen && !strncmp(attr_names[i], a, alen))
                        return snprintf(msg, n, "duplicate attribute %.*s in <%.*s>", (int)alen, a, (int)name_len, name), msg;
                if (n_attr < 64) attr_names[n_attr] = a, attr_lens[n_attr++] = alen;
                char quote = s[1];
                const char *v = s + 2, *e = xc_content_(v, quote, msg, n);
                if (!e) return msg;
                if (!*e) return snprintf(msg, n, "unterminated attribute value"), msg;
                if (xc_geometry_attr_(a, alen))
                    for (const char *q = v; q < e; q++)
                        if (!strncasecmp(q, "nan", 3) || !strncasecmp(q, "inf", 3))
                            return snprintf(msg, n, "non-finite number in %.*s=\"%.*s\"", (int)alen, a, (int)(e - v), v), msg;
                s = e + 1;
            }
            n_elements++;
            if (*s == '/') {
                s += 2;
                continue;
            }
            s++;
            if (depth == 256) return snprintf(msg, n, "nesting deeper than 256"), msg;
            stack[depth] = name, stack_len[depth++] = name_len;
            if (name_len == 5 && !strncmp(name, "style", 5)) { /* CSS: raw text up to </style> */
                const char *e = strstr(s, "</style>");
                if (!e) return snprintf(msg, n, "unterminated <style>"), msg;
                s = e;
            }
        }
    }
    if (depth) return snprintf(msg, n, "<%.*s> never closed", (int)stack_len[depth - 1], stack[depth - 1]), msg;
    if (!n_elements) return snprintf(msg, n, "no elements"), msg;
    return NULL;
}

/* 1 when "nan" or "inf" appears as a word (how printf spells non-finite numbers). */
__attribute__((unused)) static int xml_has_nonfinite_word(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!strncasecmp(p, "nan", 3) || !strncasecmp(p, "inf", 3)) {
            int before = p > s && isalpha((unsigned char)p[-1]), after = isalpha((unsigned char)p[3]);
            if (!before && !after) return 1;
        }
    return 0;
}

/* Number of occurrences of needle in s. */
__attribute__((unused)) static int xml_count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

#endif
