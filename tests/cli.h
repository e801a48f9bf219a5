/* cli: helpers for integration tests that run the real dftscreen binary and read its
 * JSON output with cJSON, and that look values up in the corpus reference.json. */
#ifndef DS_TEST_CLI_H
#define DS_TEST_CLI_H

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/test.h"

/* Runs `dftscreen ARGS` (args already shell-quoted by the caller) and returns its stdout
 * (malloc'ed) and exit status; stderr goes to *err_out when non-NULL. */
__attribute__((unused)) static char *cli_run(const char *args, int *status, char **err_out)
{
    char errfile[] = "/tmp/ds_cli_errXXXXXX";
    int fd = mkstemp(errfile);
    if (fd >= 0) close(fd);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>'%s'", DS_BIN(), args, errfile);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 4096) buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int st = pclose(p);
    if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    if (err_out) {
        FILE *f = fopen(errfile, "rb");
        char *e = calloc(1, 8192);
        if (f) {
            size_t n = fread(e, 1, 8191, f);
            e[n] = '\0';
            fclose(f);
        }
        *err_out = e;
    }
    unlink(errfile);
    return buf;
}

/* `dftscreen show --json 'path'` parsed; NULL when it failed (status says why). */
__attribute__((unused)) static cJSON *cli_show_json(const char *path, int *status, char **err_out)
{
    char args[4096];
    snprintf(args, sizeof args, "show --json '%s'", path);
    char *out = cli_run(args, status, err_out);
    if (!out) return NULL;
    cJSON *j = *status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    return j;
}

/* 1 when a and b are the same JSON value exactly: same types, the same keys in the same
 * order, equal strings, numbers equal as doubles (==, no tolerance: cJSON_Compare accepts
 * numbers within DBL_EPSILON, which would hide a lost last bit). */
__attribute__((unused)) static int cli_json_identical(const cJSON *a, const cJSON *b)
{
    if (!a || !b) return a == b;
    if ((a->type & 0xFF) != (b->type & 0xFF)) return 0;
    if (cJSON_IsNumber(a)) return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a)) return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsArray(a) || cJSON_IsObject(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next) {
            if (cJSON_IsObject(a) && strcmp(x->string, y->string) != 0) return 0;
            if (!cli_json_identical(x, y)) return 0;
        }
        return x == NULL && y == NULL;
    }
    return 1; /* null, true, false: the type says it all */
}

__attribute__((unused)) static int cli_dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* reference.json: cases.<case>.files.<file>.<key>.value */
__attribute__((unused)) static cJSON *ref_value(cJSON *ref, const char *case_name, const char *file, const char *key)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ref, "cases"), case_name);
    cJSON *f = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "files"), file);
    cJSON *k = cJSON_GetObjectItemCaseSensitive(f, key);
    return cJSON_GetObjectItemCaseSensitive(k, "value");
}

/* A whole file as a NUL-terminated string (NULL when unreadable); the caller frees. */
__attribute__((unused)) static char *cli_read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
    if (buf) buf[got] = '\0';
    fclose(f);
    return buf;
}

__attribute__((unused)) static cJSON *load_json_file(const char *path)
{
    char *buf = cli_read_text(path);
    cJSON *j = buf ? cJSON_Parse(buf) : NULL;
    free(buf);
    return j;
}

__attribute__((unused)) static void cli_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) fputs(text, f), fclose(f);
}

/* A shell command built printf-style; its exit status (128 when it did not exit). */
__attribute__((unused, format(printf, 1, 2))) static int cli_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

#endif
