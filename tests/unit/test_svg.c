/* Unit tests for screen/svg: 1-2-5 ticks and their labels, bar geometry (height
 * proportional to |v|, growing from zero), NaN/Inf and empty inputs, escaping, Pareto
 * highlighting and its step line, well-formedness and determinism of every chart. */
#include "parsers/io.h"
#include "screen/svg.h"
#include "tests/sample_charts.h"
#include "tests/test.h"
#include "tests/xmlcheck.h"

/* Attribute `name` of the element whose start tag contains the k-th `needle`. */
static double attr_of(const char *svg, const char *needle, int k, const char *name)
{
    const char *p = svg;
    for (int i = 0; p && i <= k; i++) p = strstr(i ? p + 1 : p, needle);
    if (!p) return NAN;
    while (p > svg && *p != '<') p--;
    const char *end = strchr(p, '>');
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(p, key);
    return a && a < end ? strtod(a + strlen(key), NULL) : NAN;
}

static void check_chart(const strbuf *sb, int rc)
{
    char msg[256];
    CHECK(rc == DS_OK);
    if (rc || !sb->data) return;
    const char *bad = xml_check(sb->data, msg, sizeof msg);
    CHECK_MSG(bad == NULL, "%s", bad);
    CHECK_MSG(!xml_has_nonfinite_word(sb->data), "nan/inf printed");
    CHECK(xml_count(sb->data, "<svg") == 1 && xml_count(sb->data, "</svg>") == 1);
    /* every text line (notes included) lies inside the chart's height */
    double height = attr_of(sb->data, "<svg", 0, "height");
    int n_text = xml_count(sb->data, "<text ");
    for (int k = 0; k < n_text; k++) {
        double y = attr_of(sb->data, "<text ", k, "y");
        CHECK_MSG(isnan(y) || (y > 0 && y <= height - 2), "text %d at y = %g outside height %g", k, y, height);
    }
}

TEST(ticks_are_1_2_5_and_cover_the_range)
{
    const double ranges[][2] = {{0, 1}, {-1.91, 0}, {-0.0034, 0.0071}, {3, 97}, {-12345, 678}, {0.5, 0.5001},
                                {1e-9, 3e-9}, {-2e7, 5e8}, {17, 17.0000001}, {-1e300, 1e300}};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
        svg_ticks t;
        svg_ticks_make(ranges[r][0], ranges[r][1], 6, 1, &t);
        double mant = t.step / pow(10, floor(log10(t.step) + 1e-9));
        CHECK_MSG(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9, "step %g", t.step);
        CHECK_MSG(t.lo <= ranges[r][0] && t.hi >= ranges[r][1], "[%g, %g] for [%g, %g]", t.lo, t.hi, ranges[r][0], ranges[r][1]);
        CHECK_MSG(t.count >= 3 && t.count <= 13, "%d ticks for [%g, %g]", t.count, ranges[r][0], ranges[r][1]);
        CHECK_NEAR(svg_tick_value(&t, 0), t.lo, t.step * 1e-9);
        CHECK_NEAR(svg_tick_value(&t, t.count - 1), t.hi, t.step * 1e-6);
        double q = t.lo / t.step;
        CHECK_MSG(fabs(q - round(q)) < 1e-6, "lo %g not a multiple of %g", t.lo, t.step);
    }
    svg_ticks t;
    svg_ticks_make(0, 1, 6, 1, &t);
    CHECK(t.step == 0.2 && t.lo == 0 && t.hi == 1 && t.count == 6 && t.decimals == 1 && t.exp_digits < 0);
    svg_ticks_make(-1.91, 0, 6, 1, &t);
    CHECK_NEAR(t.step, 0.5, 1e-12);
    CHECK_NEAR(t.lo, -2, 1e-12);
    svg_ticks_make(5, -3, 5, 1, &t); /* reversed */
    CHECK(t.lo <= -3 && t.hi >= 5 && t.step == 2);
    svg_ticks_make(NAN, 4, 5, 1, &t); /* non-finite: 0..1 */
    CHECK(t.lo == 0 && t.hi == 1);
    svg_ticks_make(2.5, 2.5, 5, 1, &t); /* degenerate: widened around the value */
    CHECK(t.lo < 2.5 && t.hi > 2.5 && t.count >= 3);
    svg_ticks_make(-10, 5, 8, 0, &t); /* not expanded: ticks inside the data range */
    CHECK(t.lo == -10 && t.hi == 5 && t.step == 2 && svg_tick_value(&t, 0) == -10 && svg_tick_value(&t, t.count - 1) == 4);
}

TEST(tick_labels_have_the_digits_the_step_needs)
{
    svg_ticks t;
    char buf[64];
    svg_ticks_make(-0.3, 0.3, 6, 1, &t);
    svg_tick_format(&t, svg_tick_value(&t, 0), buf, sizeof buf);
    CHECK_STR(buf, "-0.3");
    svg_tick_format(&t, -0.0, buf, sizeof buf); /* same decimals as the neighbours, never "-0.0" */
    CHECK_STR(buf, "0.0");
    svg_tick_format(&t, -1e-17, buf, sizeof buf); /* accumulated rounding noise is zero */
    CHECK_STR(buf, "0.0");
    svg_ticks_make(0, 0.004, 5, 1, &t);
    svg_tick_format(&t, 0.002, buf, sizeof buf);
    CHECK_STR(buf, "0.002");
    svg_ticks_make(0, 0.0004, 5, 1, &t); /* values this small: exponent notation */
    svg_tick_format(&t, 0.0002, buf, sizeof buf);
    CHECK_STR(buf, "2e-04");
    svg_tick_format(&t, 0, buf, sizeof buf);
    CHECK_STR(buf, "0");
    svg_ticks_make(-1.2345, -1.2305, 5, 1, &t); /* 0.001 steps near 1: fixed with 3 decimals */
    svg_tick_format(&t, -1.232, buf, sizeof buf);
    CHECK_STR(buf, "-1.232");
    svg_ticks_make(0, 3e7, 6, 1, &t);
    svg_tick_format(&t, 1.5e7, buf, sizeof buf);
    CHECK_STR(buf, "1.5e+07");
    svg_ticks_make(0, 250, 6, 1, &t);
    svg_tick_format(&t, 150, buf, sizeof buf);
    CHECK_STR(buf, "150");
}

TEST(bars_grow_from_zero_with_height_proportional_to_value)
{
    const char *names[4] = {"A", "B", "C", "D"};
    const double v[4] = {-1.5, -0.5, 0.25, -1.0};
    strbuf sb = {0};
    check_chart(&sb, svg_bar_chart(&sb, "E_bind", "eV", 4, names, v, NULL, NULL));
    CHECK(xml_count(sb.data, "class=\"bar\"") == 4);
    double y0 = attr_of(sb.data, "class=\"zero\"", 0, "y1"), ratio = NAN;
    for (int i = 0; i < 4; i++) {
        double y = attr_of(sb.data, "class=\"bar\"", i, "y"), h = attr_of(sb.data, "class=\"bar\"", i, "height");
        if (i == 0) ratio = h / fabs(v[i]);
        CHECK_NEAR(h / fabs(v[i]), ratio, 0.02); /* printed with 0.01 px */
        if (v[i] < 0) CHECK_NEAR(y, y0, 0.01); /* negative bars hang from the zero line */
        else CHECK_NEAR(y + h, y0, 0.01);
        double x = attr_of(sb.data, "class=\"bar\"", i, "x");
        if (i) CHECK(x > attr_of(sb.data, "class=\"bar\"", i - 1, "x")); /* in the order given */
    }
    CHECK(ratio > 50); /* the plot is ~290 px tall for ~2 eV */
    CHECK(strstr(sb.data, ">-1.5<") && strstr(sb.data, ">eV<")); /* tick label, unit on the axis */
    strbuf_free(&sb);
}

TEST(bar_errors_and_window)
{
    const char *names[3] = {"in", "out", "edge"};
    const double v[3] = {-0.8, -1.6, -0.6}, e[3] = {0.05, NAN, -0.1}, w[2] = {-0.6, -1.2}; /* reversed window */
    strbuf sb = {0};
    check_chart(&sb, svg_bar_chart(&sb, "E_ads", "eV", 3, names, v, e, w));
    CHECK(xml_count(sb.data, "class=\"err\"") == 2); /* NaN error: no whisker; negative taken as its size */
    CHECK(xml_count(sb.data, "class=\"target-window\"") == 1);
    CHECK(xml_count(sb.data, "fill=\"#009E73\"><title>in:") == 1 && xml_count(sb.data, "fill=\"#0072B2\"><title>out:") == 1);
    CHECK(strstr(sb.data, "in: -0.8 \xC2\xB1 0.05 eV (inside the target window)"));
    CHECK(strstr(sb.data, "target window -1.2 to -0.6 eV"));
    double wy = attr_of(sb.data, "class=\"target-window\"", 0, "y"), wh = attr_of(sb.data, "class=\"target-window\"", 0, "height");
    double y0 = attr_of(sb.data, "class=\"zero\"", 0, "y1"), h1 = attr_of(sb.data, "class=\"bar\"", 1, "height");
    double px_per_eV = h1 / 1.6;
    CHECK_NEAR(wy - y0, 0.6 * px_per_eV, 0.05);
    CHECK_NEAR(wh, 0.6 * px_per_eV, 0.05);
    strbuf_free(&sb);
}

TEST(nan_and_inf_are_left_out_with_a_note)
{
    const char *names[4] = {"ok", "bad1", "bad2", "bad3"};
    const double v[4] = {-1.0, NAN, INFINITY, -INFINITY};
    const double w[2] = {NAN, 1};
    strbuf sb = {0};
    check_chart(&sb, svg_bar_chart(&sb, "E", "eV", 4, names, v, v, w));
    CHECK(xml_count(sb.data, "class=\"bar\"") == 1 && xml_count(sb.data, "class=\"target-window\"") == 0);
    CHECK(strstr(sb.data, "not drawn (n/a): bad1, bad2, bad3"));
    const double all_nan[2] = {NAN, NAN};
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_bar_chart(&sb, "E", "eV", 2, names, all_nan, NULL, NULL));
    CHECK(xml_count(sb.data, "class=\"bar\"") == 0);
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_probability_chart(&sb, "P", 4, names, (const double[]){0.5, NAN, 1.7, -INFINITY}));
    CHECK(xml_count(sb.data, "class=\"pbar\"") == 2 && strstr(sb.data, "No probability (n/a): bad1, bad3"));
    CHECK(strstr(sb.data, "Outside 0..1, drawn clipped: bad2"));
    strbuf_truncate(&sb, 0);
    const double xs[4] = {1, NAN, 3, 4}, ys[4] = {1, 2, INFINITY, 4};
    check_chart(&sb, svg_scatter(&sb, "S", "x (eV)", "y (eV)", 4, names, xs, ys, (const int[]){1, 1, 1, 0}));
    CHECK(xml_count(sb.data, "class=\"point\"") == 1 && xml_count(sb.data, "class=\"front-point\"") == 1);
    CHECK(strstr(sb.data, "a value is not finite): bad1, bad2"));
    strbuf_truncate(&sb, 0);
    const double lx[5] = {0, 1, NAN, 3, 4}, ly[5] = {1, 2, 3, -INFINITY, 5};
    svg_series s[2] = {{"dos", 5, lx, ly}, {"empty", 3, NULL, NULL}};
    svg_marker m[2] = {{"centre", NAN}, {"E_F", 0}};
    check_chart(&sb, svg_line_chart(&sb, "DOS", "E (eV)", "DOS", 2, s, 2, m));
    CHECK(xml_count(sb.data, "class=\"series\"") == 1 && xml_count(sb.data, "class=\"marker\"") == 1);
    CHECK(strstr(sb.data, "d=\"M") && xml_count(sb.data, "M") >= 2); /* the curve is broken at the gap */
    CHECK(strstr(sb.data, "dos (2 points)") && strstr(sb.data, "without a finite position, not drawn: centre"));
    CHECK(strstr(sb.data, "Series without data: empty"));
    strbuf_free(&sb);
}

TEST(empty_inputs_give_a_chart_with_a_note)
{
    strbuf sb = {0};
    check_chart(&sb, svg_bar_chart(&sb, "none", "eV", 0, NULL, NULL, NULL, NULL));
    CHECK(strstr(sb.data, "No candidates to show."));
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_probability_chart(&sb, "none", 0, NULL, NULL));
    CHECK(strstr(sb.data, "No candidates to show."));
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_scatter(&sb, "none", "x", "y", 0, NULL, NULL, NULL, NULL));
    CHECK(strstr(sb.data, "No point with two finite values."));
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_line_chart(&sb, "none", "x", "y", 0, NULL, 0, NULL));
    CHECK(strstr(sb.data, "No finite data points to draw."));
    strbuf_truncate(&sb, 0);
    const double one = -0.7;
    check_chart(&sb, svg_bar_chart(&sb, NULL, NULL, 1, NULL, &one, NULL, NULL)); /* no title, unit, labels */
    CHECK(strstr(sb.data, ">#1<") && strstr(sb.data, ">value<"));
    /* usage errors leave the buffer alone */
    size_t len = sb.len;
    CHECK(svg_bar_chart(&sb, "x", "eV", -1, NULL, NULL, NULL, NULL) == DS_EUSAGE);
    CHECK(svg_bar_chart(&sb, "x", "eV", 2, NULL, NULL, NULL, NULL) == DS_EUSAGE);
    CHECK(svg_scatter(&sb, "x", "x", "y", 2, NULL, NULL, &one, NULL) == DS_EUSAGE);
    CHECK(svg_line_chart(&sb, "x", "x", "y", 1, NULL, 0, NULL) == DS_EUSAGE);
    CHECK(svg_probability_chart(NULL, "x", 0, NULL, NULL) == DS_EUSAGE);
    CHECK(sb.len == len);
    strbuf_free(&sb);
}

TEST(labels_are_escaped_and_long_ones_truncated_with_a_tooltip)
{
    const char *names[3] = {"<script>alert('x')</script> & \"co\"", "Cu\xE2\x82\x83(BTC)\xE2\x82\x82 \xCE\xBC-oxo bridged dimer, long name",
                            "bad \xFF byte"};
    const double v[3] = {-0.5, -0.7, -0.9};
    strbuf sb = {0};
    check_chart(&sb, svg_bar_chart(&sb, "Title <b>&amp;</b>", "kJ/mol", 3, names, v, NULL, NULL));
    CHECK(!strstr(sb.data, "<script") && !strstr(sb.data, "<b>"));
    CHECK(strstr(sb.data, "&lt;script&gt;alert(&#39;x&#39;)"));
    CHECK(strstr(sb.data, "Title &lt;b&gt;&amp;amp;&lt;/b&gt;"));
    /* the long UTF-8 name is cut in the middle at character boundaries (26 characters with
     * the ellipsis: 15 from the start, 10 from the end), the full text in <title> */
    CHECK(strstr(sb.data, ">Cu\xE2\x82\x83(BTC)\xE2\x82\x82 \xCE\xBC-oxo\xE2\x80\xA6 long name<title>Cu\xE2\x82\x83(BTC)\xE2\x82\x82 "
                          "\xCE\xBC-oxo bridged dimer, long name</title>"));
    CHECK(strstr(sb.data, "bad \xEF\xBF\xBD byte"));
    strbuf_free(&sb);
}

TEST(pareto_front_is_highlighted_and_joined_by_steps)
{
    /* minimise both: front = (1,4) (2,2) (4,1); (3,3) and (5,5) dominated */
    const char *names[5] = {"a", "b", "c", "d", "e"};
    const double x[5] = {2, 3, 1, 4, 5}, y[5] = {2, 3, 4, 1, 5};
    const int front[5] = {1, 0, 1, 1, 0};
    strbuf sb = {0};
    check_chart(&sb, svg_scatter(&sb, "front", "x (eV)", "y (eV)", 5, names, x, y, front));
    CHECK(xml_count(sb.data, "class=\"front-point\"") == 3 && xml_count(sb.data, "class=\"point\"") == 2);
    CHECK(xml_count(sb.data, "class=\"pareto-line\"") == 1 && strstr(sb.data, "on the Pareto front"));
    /* path M p(1,4) L corner(2,4) L p(2,2) L corner(4,2) L p(4,1): 5 vertices, steps go right then down */
    const char *d = strstr(sb.data, "class=\"pareto-line\"");
    d = d ? strstr(d, " d=\"M") : NULL;
    double v[10];
    int got = d ? sscanf(d + 5, "%lf %lfL%lf %lfL%lf %lfL%lf %lfL%lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                         &v[7], &v[8], &v[9])
                : 0;
    CHECK(got == 10);
    if (got == 10) {
        CHECK(v[3] == v[1] && v[2] > v[0]); /* horizontal first (x minimised) */
        CHECK(v[4] == v[2] && v[5] > v[3]); /* then down the screen to the next point (smaller y) */
        CHECK(v[7] == v[5] && v[6] > v[4] && v[8] == v[6]);
    }
    /* maximise both (mirror the data): the steps turn the other way (vertical first) */
    const double mx[5] = {-2, -3, -1, -4, -5}, my[5] = {-2, -3, -4, -1, -5};
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_scatter(&sb, "front", "x", "y", 5, names, mx, my, front));
    d = strstr(sb.data, "class=\"pareto-line\"");
    d = d ? strstr(d, " d=\"M") : NULL;
    got = d ? sscanf(d + 5, "%lf %lfL%lf %lf", &v[0], &v[1], &v[2], &v[3]) : 0;
    CHECK(got == 4 && v[2] == v[0] && v[3] != v[1]);
    /* without on_front: no front drawn, no legend */
    strbuf_truncate(&sb, 0);
    check_chart(&sb, svg_scatter(&sb, "plain", "x", "y", 5, names, x, y, NULL));
    CHECK(!strstr(sb.data, "pareto-line") && !strstr(sb.data, "front-point") && xml_count(sb.data, "class=\"point\"") == 5);
    strbuf_free(&sb);
}

TEST(probability_bars_scale_on_0_to_1)
{
    const char *names[3] = {"p1", "p0", "half"};
    strbuf sb = {0};
    check_chart(&sb, svg_probability_chart(&sb, "P(top 3)", 3, names, (const double[]){1.0, 0.0, 0.5}));
    double w1 = attr_of(sb.data, "class=\"pbar\"", 0, "width"), w0 = attr_of(sb.data, "class=\"pbar\"", 1, "width");
    double wh = attr_of(sb.data, "class=\"pbar\"", 2, "width");
    CHECK(w1 > 300 && w0 == 0);
    CHECK_NEAR(wh, w1 / 2, 0.01);
    CHECK(strstr(sb.data, ">1.00<") && strstr(sb.data, ">0.50<") && strstr(sb.data, ">0.0<") && strstr(sb.data, ">1.0<"));
    strbuf_free(&sb);
}

TEST(sample_page_charts_are_well_formed_and_deterministic)
{
    strbuf a = {0}, b = {0};
    CHECK(sample_charts(&a) == DS_OK && sample_charts(&b) == DS_OK);
    CHECK(a.len == b.len && a.data && b.data && !memcmp(a.data, b.data, a.len));
    char msg[256];
    const char *bad = a.data ? xml_check(a.data, msg, sizeof msg) : "no output";
    CHECK_MSG(bad == NULL, "%s", bad);
    CHECK(a.data && xml_count(a.data, "<svg") == 4 && !xml_has_nonfinite_word(a.data));
    /* the 45-degree names fit: the first (26 characters at most, 11 px) does not run off the left edge */
    const char *r = a.data ? strstr(a.data, "rotate(-45)") : NULL;
    const char *tr = r ? r - 40 : NULL;
    tr = tr ? strstr(tr, "translate(") : NULL;
    double x0 = tr ? strtod(tr + 10, NULL) : -1;
    CHECK_MSG(x0 - 26 * 0.62 * 11 * 0.7071 >= 0, "first name anchored at x = %g", x0);
    strbuf_free(&a), strbuf_free(&b);
}

TEST(many_bars_name_every_kth)
{
    enum { N = 90 };
    const char *names[N];
    double v[N];
    char text[N][24];
    for (int i = 0; i < N; i++) snprintf(text[i], sizeof text[i], "cand-%03d", i), names[i] = text[i], v[i] = -0.01 * i;
    strbuf sb = {0};
    check_chart(&sb, svg_bar_chart(&sb, "many", "eV", N, names, v, NULL, NULL));
    CHECK(xml_count(sb.data, "class=\"bar\"") == N && strstr(sb.data, "rotate(-90)"));
    CHECK(strstr(sb.data, "one name in 2 shown") && !strstr(sb.data, ">cand-001<") && strstr(sb.data, ">cand-002<"));
    strbuf_free(&sb);
}

int main(void)
{
    RUN(ticks_are_1_2_5_and_cover_the_range);
    RUN(tick_labels_have_the_digits_the_step_needs);
    RUN(bars_grow_from_zero_with_height_proportional_to_value);
    RUN(bar_errors_and_window);
    RUN(nan_and_inf_are_left_out_with_a_note);
    RUN(empty_inputs_give_a_chart_with_a_note);
    RUN(labels_are_escaped_and_long_ones_truncated_with_a_tooltip);
    RUN(pareto_front_is_highlighted_and_joined_by_steps);
    RUN(probability_bars_scale_on_0_to_1);
    RUN(sample_page_charts_are_well_formed_and_deterministic);
    RUN(many_bars_name_every_kth);
    return TEST_FINISH();
}
