/* Rendering test for the HTML/SVG report layer: writes a page with every chart type and
 * a table, checks it is well-formed, and when Debian's chromium is installed renders it
 * headless: every <svg> must survive Chromium's parser with its children, and the
 * screenshot must show ink (and the chart colours) inside each chart's box.
 * DS_KEEP_RENDER=1 keeps the page and screenshot and prints where they are. */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "parsers/io.h"
#include "screen/html.h"
#include "screen/svg.h"
#include "tests/sample_charts.h"
#include "tests/test.h"
#include "tests/xmlcheck.h"

static char work[256];

typedef struct {
    int top, width, height;
    const char *kind;
} chart_box;

#define N_CHARTS 4
static chart_box boxes[N_CHARTS];
static int page_height;

static char *slurp(const char *path, size_t *len)
{
    char *data = NULL;
    ds_err err;
    if (ds_read_all(path, (size_t)64 << 20, &data, len, &err) != DS_OK) return NULL;
    return data;
}

/* The page: each chart in an absolutely placed box so its pixels are known. */
static int write_page(const char *path)
{
    strbuf charts = {0}, page = {0};
    int rc = sample_charts(&charts);
    if (!rc) rc = html_page_begin(&page, "Render test <charts> & tables");
    if (!rc) rc = html_heading(&page, 1, "Render test <charts> & tables");
    const char *headers[3] = {"candidate", "E_ads (eV)", "P(top 3)"};
    if (!rc) rc = html_table_begin(&page, 3, headers);
    for (int i = 0; !rc && i < 3; i++) {
        char e[32], p[32];
        snprintf(e, sizeof e, "%.2f", sample_binding_eV[i]), snprintf(p, sizeof p, "%.2f", sample_probability[i]);
        const char *cells[3] = {sample_names[i], e, p};
        rc = html_table_row(&page, 3, cells);
    }
    if (!rc) rc = html_table_end(&page);
    const char *s = charts.data;
    int top = 240;
    for (int k = 0; !rc && k < N_CHARTS; k++) {
        const char *end = strstr(s, "</svg>\n");
        if (!end || sscanf(strstr(s, "width=\""), "width=\"%d\" height=\"%d\"", &boxes[k].width, &boxes[k].height) != 2) {
            rc = DS_EFORMAT;
            break;
        }
        boxes[k].top = top;
        rc = strbuf_printf(&page, "<div style=\"position:absolute;left:20px;top:%dpx;width:%dpx\">\n", top, boxes[k].width);
        end += strlen("</svg>\n");
        if (!rc) rc = strbuf_append(&page, s, (size_t)(end - s));
        if (!rc) rc = strbuf_printf(&page, "</div>\n");
        top += boxes[k].height + 20, s = end;
    }
    page_height = top + 20;
    if (!rc) rc = html_page_end(&page);
    FILE *f = rc ? NULL : fopen(path, "w");
    if (f) fputs(page.data, f), fclose(f);
    strbuf_free(&charts), strbuf_free(&page);
    return f ? DS_OK : rc ? rc : DS_EIO;
}

/* ---- PNG decoding (8-bit RGB/RGBA, not interlaced: what Chromium writes) ---- */
typedef struct {
    int width, height, channels;
    unsigned char *rgb; /* width*height*channels */
} image;

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static int png_decode(const unsigned char *d, size_t n, image *img)
{
    if (n < 33 || memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return -1;
    strbuf idat = {0};
    int depth = 0, colour = 0, interlace = 0;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = be32(d + at);
        const unsigned char *type = d + at + 4, *body = d + at + 8;
        if (len > n - at - 12) break;
        if (!memcmp(type, "IHDR", 4) && len >= 13)
            img->width = (int)be32(body), img->height = (int)be32(body + 4), depth = body[8], colour = body[9], interlace = body[12];
        else if (!memcmp(type, "IDAT", 4) && strbuf_append(&idat, (const char *)body, len))
            break;
        at += 12 + len;
    }
    img->channels = colour == 6 ? 4 : colour == 2 ? 3 : 0;
    if (depth != 8 || !img->channels || interlace || img->width <= 0 || img->height <= 0 || img->width > 10000 ||
        img->height > 20000) {
        strbuf_free(&idat);
        return -1;
    }
    size_t stride = (size_t)img->width * img->channels, raw_len = (stride + 1) * img->height;
    unsigned char *raw = malloc(raw_len);
    uLongf got = raw_len;
    int ok = raw && idat.data && uncompress(raw, &got, (const Bytef *)idat.data, idat.len) == Z_OK && got == raw_len;
    strbuf_free(&idat);
    img->rgb = ok ? malloc(stride * img->height) : NULL;
    for (int y = 0; img->rgb && y < img->height; y++) {
        const unsigned char *src = raw + y * (stride + 1) + 1;
        unsigned char *row = img->rgb + y * stride, *up = y ? row - stride : NULL;
        int filter = src[-1], bpp = img->channels;
        for (size_t i = 0; i < stride; i++) {
            int a = i >= (size_t)bpp ? row[i - bpp] : 0, b = up ? up[i] : 0, c = up && i >= (size_t)bpp ? up[i - bpp] : 0;
            int pred = filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2 : filter == 4 ? paeth(a, b, c) : 0;
            row[i] = (unsigned char)(src[i] + pred);
        }
    }
    free(raw);
    return img->rgb ? 0 : -1;
}

/* A saturated pixel: chart marks (the palette), not text or grid greys. */
static int coloured(const unsigned char *px)
{
    int hi = px[0] > px[1] ? px[0] : px[1], lo = px[0] < px[1] ? px[0] : px[1];
    hi = px[2] > hi ? px[2] : hi, lo = px[2] < lo ? px[2] : lo;
    return hi - lo > 60;
}

static int run_chromium(const char *args, const char *out_file)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 "
             "--user-data-dir='%s/profile' %s 'file://%s/page.html' > '%s' 2>/dev/null",
             work, args, work, out_file);
    return system(cmd);
}

TEST(page_is_well_formed)
{
    char path[512], msg[256];
    snprintf(path, sizeof path, "%s/page.html", work);
    CHECK(write_page(path) == DS_OK);
    size_t len = 0;
    char *html = slurp(path, &len);
    CHECK(html != NULL);
    if (!html) return;
    const char *bad = xml_check(html, msg, sizeof msg);
    CHECK_MSG(bad == NULL, "%s", bad);
    CHECK(!xml_has_nonfinite_word(html));
    CHECK(!strstr(html, "http://") || xml_count(html, "http://") == xml_count(html, "http://www.w3.org/2000/svg"));
    CHECK(!strstr(html, "<script") && !strstr(html, "https://") && !strstr(html, "@font-face") && !strstr(html, "url("));
    CHECK(xml_count(html, "<svg") == N_CHARTS);
    free(html);
}

TEST(chromium_renders_every_chart)
{
    if (system("command -v chromium >/dev/null 2>&1") != 0)
        SKIP("chromium not installed (Debian package chromium): rendering not checked");
    char path[512], out[512];
    snprintf(out, sizeof out, "%s/dom.html", work);
    CHECK(run_chromium("--dump-dom", out) == 0);
    size_t len = 0;
    char *dom = slurp(out, &len);
    CHECK(dom && xml_count(dom, "<svg") == N_CHARTS);
    /* each chart survived with its children: bars, curves, points, probability bars */
    CHECK(dom && xml_count(dom, "class=\"bar\"") == SAMPLE_N - 1);
    CHECK(dom && xml_count(dom, "class=\"series\"") == 3 && xml_count(dom, "class=\"marker\"") == 4);
    CHECK(dom && xml_count(dom, "class=\"front-point\"") >= 2 && xml_count(dom, "class=\"pareto-line\"") == 1);
    CHECK(dom && xml_count(dom, "class=\"pbar\"") == SAMPLE_N - 1);
    free(dom);

    snprintf(path, sizeof path, "--window-size=1200,%d --screenshot='%s/shot.png'", page_height, work);
    snprintf(out, sizeof out, "%s/chromium.log", work);
    CHECK(run_chromium(path, out) == 0);
    snprintf(path, sizeof path, "%s/shot.png", work);
    unsigned char *png = (unsigned char *)slurp(path, &len);
    image img = {0, 0, 0, NULL};
    CHECK_MSG(png && png_decode(png, len, &img) == 0, "screenshot %s missing or not a PNG we can decode", path);
    free(png);
    if (!img.rgb) return;
    CHECK(img.width == 1200 && img.height == page_height);
    for (int k = 0; k < N_CHARTS; k++) {
        long ink = 0, colour = 0, total = 0;
        for (int y = boxes[k].top; y < boxes[k].top + boxes[k].height && y < img.height; y++)
            for (int x = 20; x < 20 + boxes[k].width && x < img.width; x++) {
                const unsigned char *px = img.rgb + ((size_t)y * img.width + x) * img.channels;
                total++;
                ink += px[0] < 200 || px[1] < 200 || px[2] < 200;
                colour += coloured(px);
            }
        /* axes, text and marks: a few percent of the box; coloured bars/curves/points */
        CHECK_MSG(total > 0 && ink > total / 50, "chart %d: %ld of %ld pixels inked", k, ink, total);
        CHECK_MSG(colour > total / 200, "chart %d: only %ld of %ld pixels in the palette's colours", k, colour, total);
    }
    /* outside the charts (right margin) the page is white */
    long stray = 0;
    for (int y = 240; y < page_height; y++)
        for (int x = 900; x < 1200; x++) stray += img.rgb[((size_t)y * img.width + x) * img.channels] < 200;
    CHECK_MSG(stray == 0, "%ld inked pixels right of the charts", stray);
    free(img.rgb);
}

int main(void)
{
    snprintf(work, sizeof work, "/tmp/ds_html_renderXXXXXX");
    if (!mkdtemp(work)) return 1;
    RUN(page_is_well_formed);
    RUN(chromium_renders_every_chart);
    if (getenv("DS_KEEP_RENDER")) printf("# page and screenshot kept in %s\n", work);
    else {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
        if (system(cmd) != 0) printf("# could not remove %s\n", work);
    }
    return TEST_FINISH();
}
