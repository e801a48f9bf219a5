/* test: the project's tiny test harness.  One executable per test file; each prints a
 * line per test and a final "# counts P F S" line that tests/run_tests.sh adds up. */
#ifndef DS_TEST_H
#define DS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_pass_, t_fail_, t_skip_;
static int t_failed_now_, t_skipped_now_;
static const char *t_name_;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("  check failed %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
            t_failed_now_ = 1;                                                        \
        }                                                                             \
    } while (0)

#define CHECK_MSG(cond, ...)                                                          \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("  check failed %s:%d: %s: ", __FILE__, __LINE__, #cond);          \
            printf(__VA_ARGS__);                                                      \
            printf("\n");                                                             \
            t_failed_now_ = 1;                                                        \
        }                                                                             \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                         \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (tol))) {                                              \
            printf("  check failed %s:%d: %s = %.12g, expected %.12g (tol %g)\n",    \
                   __FILE__, __LINE__, #a, a_, b_, (double)(tol));                    \
            t_failed_now_ = 1;                                                        \
        }                                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                               \
    do {                                                                              \
        const char *a_ = (a), *b_ = (b);                                              \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                      \
            printf("  check failed %s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__,  \
                   __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");             \
            t_failed_now_ = 1;                                                        \
        }                                                                             \
    } while (0)

/* Marks the running test skipped (with a reason) and leaves it. */
#define SKIP(...)                                                                     \
    do {                                                                              \
        printf("  skipped: ");                                                        \
        printf(__VA_ARGS__);                                                          \
        printf("\n");                                                                 \
        t_skipped_now_ = 1;                                                           \
        return;                                                                       \
    } while (0)

#define TEST(name) static void name(void)

__attribute__((unused)) static void t_run_(const char *name, void (*fn)(void))
{
    t_name_ = name;
    t_failed_now_ = 0;
    t_skipped_now_ = 0;
    fn();
    if (t_failed_now_) {
        t_fail_++;
        printf("FAIL %s\n", name);
    } else if (t_skipped_now_) {
        t_skip_++;
        printf("SKIP %s\n", name);
    } else {
        t_pass_++;
        printf("ok   %s\n", name);
    }
    fflush(stdout);
}

#define RUN(name) t_run_(#name, name)

__attribute__((unused)) static int t_finish_(void)
{
    printf("# counts %d %d %d\n", t_pass_, t_fail_, t_skip_);
    return t_fail_ ? 1 : 0;
}
#define TEST_FINISH() t_finish_()

/* Paths the runner exports: fixtures in the repo, the shared corpus, the binary. */
__attribute__((unused)) static const char *t_env_(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}
#define FIXTURES() t_env_("DS_FIXTURES", "tests/fixtures")
#define SHARED_DATA() t_env_("DS_SHARED_DATA", "../shared/data")
#define DS_BIN() t_env_("DS_BIN", "build/dftscreen")

static inline const char *t_path_(char *buf, size_t n, const char *a, const char *b)
{
    snprintf(buf, n, "%s/%s", a, b);
    return buf;
}
/* FIXTURE("vasp/OUTCAR.gz") -> "<fixtures>/vasp/OUTCAR.gz" (static buffer per call site) */
#define FIXTURE(rel) ({ static char b_[1024]; t_path_(b_, sizeof b_, FIXTURES(), rel); })
#define SHARED(rel) ({ static char b_[1024]; t_path_(b_, sizeof b_, SHARED_DATA(), rel); })

/* A scratch directory for the test program: T_WORKDIR_MAKE("tag") creates /tmp/ds_<tag>XXXXXX
 * (0 on success), T_WORK(rel) names a path in it (8 rotating buffers, so several can be used in
 * one call), T_WORKDIR_REMOVE() removes it with everything in it (0 on success). */
static char t_workdir_[64];
__attribute__((unused)) static int T_WORKDIR_MAKE(const char *tag)
{
    snprintf(t_workdir_, sizeof t_workdir_, "/tmp/ds_%sXXXXXX", tag);
    return mkdtemp(t_workdir_) ? 0 : -1;
}
__attribute__((unused)) static const char *T_WORK(const char *rel)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", t_workdir_, rel);
    return buf[k];
}
__attribute__((unused)) static int T_WORKDIR_REMOVE(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_workdir_);
    return t_workdir_[0] && system(cmd) == 0 ? 0 : -1;
}

#endif
