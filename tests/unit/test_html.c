/* Unit tests for screen/strbuf and screen/html: growth, escaping of every special
 * character and of broken UTF-8, and a page frame that is well-formed and self-contained. */
#include "parsers/io.h"
#include "screen/html.h"
#include "screen/strbuf.h"
#include "tests/test.h"
#include "tests/xmlcheck.h"

TEST(strbuf_grows_and_stays_terminated)
{
    strbuf sb = {0};
    CHECK(strbuf_append(&sb, "", 0) == DS_OK && sb.data && sb.data[0] == '\0' && sb.len == 0);
    for (int i = 0; i < 1000; i++) CHECK(strbuf_printf(&sb, "%d,", i) == DS_OK);
    CHECK(sb.len == strlen(sb.data) && sb.len < sb.cap);
    CHECK(!strncmp(sb.data, "0,1,2,", 6) && strstr(sb.data, ",999,"));
    char big[5000];
    memset(big, 'x', sizeof big - 1), big[sizeof big - 1] = '\0';
    size_t before = sb.len;
    CHECK(strbuf_printf(&sb, "[%s]", big) == DS_OK); /* longer than the stack probe */
    CHECK(sb.len == before + sizeof big + 1 && sb.data[sb.len - 1] == ']' && sb.data[sb.len] == '\0');
    strbuf_truncate(&sb, 3);
    CHECK_STR(sb.data, "0,1");
    strbuf_truncate(&sb, 100); /* no-op */
    CHECK(sb.len == 3);
    CHECK(strbuf_reserve(&sb, STRBUF_MAX_BYTES) == DS_ENOMEM); /* refused, buffer intact */
    CHECK_STR(sb.data, "0,1");
    strbuf_free(&sb);
    CHECK(sb.data == NULL && sb.len == 0 && sb.cap == 0);
    strbuf_free(&sb); /* twice is fine */
}

static char *escaped(const char *text)
{
    static strbuf sb;
    strbuf_free(&sb);
    html_escape(&sb, text);
    return sb.data ? sb.data : "";
}

TEST(escape_specials_and_quotes)
{
    CHECK_STR(escaped("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    CHECK_STR(escaped("plain"), "plain");
    CHECK_STR(escaped(""), "");
    CHECK_STR(escaped(NULL), "");
    CHECK_STR(escaped("&amp;"), "&amp;amp;"); /* text, not markup: escaped again */
    CHECK_STR(escaped("tab\tnew\nline"), "tab\tnew\nline");
}

TEST(escape_keeps_utf8_and_replaces_broken_bytes)
{
    /* μ3-OH, Cu₃, TFSI⁻, an emoji: passed through unchanged */
    const char *good = "\xCE\xBC\xE2\x82\x83-OH Cu\xE2\x82\x83 TFSI\xE2\x81\xBB \xF0\x9F\x94\x8B";
    CHECK_STR(escaped(good), good);
    /* stray continuation, truncated sequence, overlong '/', surrogate, C0 controls, DEL */
    CHECK_STR(escaped("a\x80z"), "a\xEF\xBF\xBDz");
    CHECK_STR(escaped("a\xE2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_STR(escaped("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_STR(escaped("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_STR(escaped("bell\x07 esc\x1b del\x7f"), "bell\xEF\xBF\xBD esc\xEF\xBF\xBD del\xEF\xBF\xBD");
    char msg[200];
    strbuf sb = {0};
    CHECK(strbuf_printf(&sb, "<p title=\"") == DS_OK);
    html_escape(&sb, "\"quoted\" <tag> & \xFF\xFE junk");
    CHECK(strbuf_printf(&sb, "\">") == DS_OK);
    html_escape(&sb, "</p><script>alert(1)</script>");
    CHECK(strbuf_printf(&sb, "</p>") == DS_OK);
    const char *bad = xml_check(sb.data, msg, sizeof msg);
    CHECK_MSG(bad == NULL, "%s in %s", bad, sb.data);
    CHECK(!strstr(sb.data, "<script"));
    strbuf_free(&sb);
}

TEST(escape_n_stops_at_the_byte_count_and_never_splits_a_character)
{
    strbuf sb = {0};
    CHECK(html_escape_n(&sb, "<abc>", 2) == DS_OK);
    CHECK_STR(sb.data, "&lt;a");
    strbuf_truncate(&sb, 0);
    CHECK(html_escape_n(&sb, "x\xCE\xBCy", 2) == DS_OK); /* cut inside μ: replaced, not split */
    CHECK_STR(sb.data, "x\xEF\xBF\xBD");
    strbuf_free(&sb);
}

TEST(utf8_counting_and_prefixes)
{
    CHECK(html_utf8_count("") == 0 && html_utf8_count(NULL) == 0);
    CHECK(html_utf8_count("abc") == 3);
    CHECK(html_utf8_count("\xCE\xBC\xE2\x82\x83x") == 3);
    CHECK(html_utf8_count("\xFF\xFE") == 2);
    CHECK(html_utf8_prefix("\xCE\xBC\xE2\x82\x83x", 2) == 5);
    CHECK(html_utf8_prefix("ab", 10) == 2);
    CHECK(html_utf8_seq_len("\xF4\x90\x80\x80") == 0); /* beyond U+10FFFF */
    CHECK(html_utf8_seq_len("\xEF\xBF\xBF") == 0);     /* U+FFFF */
    CHECK(html_utf8_seq_len("\xF0\x9F\x94\x8B") == 4);
}

TEST(page_is_well_formed_and_self_contained)
{
    strbuf sb = {0};
    CHECK(html_page_begin(&sb, "Screening <MOFs> & \"fillers\"") == DS_OK);
    CHECK(html_heading(&sb, 9, "Ranking: A < B") == DS_OK);
    CHECK(html_paragraph(&sb, "note", "1 eV = 23.060548 kcal/mol") == DS_OK);
    const char *headers[3] = {"candidate", "E_bind (eV)", NULL};
    CHECK(html_table_begin(&sb, 3, headers) == DS_OK);
    const char *row1[3] = {"Li<sup>+</sup> & DMF", "-1.2345", " 42 "};
    const char *row2[3] = {"Na+", "n/a", NULL};
    CHECK(html_table_row(&sb, 3, row1) == DS_OK && html_table_row(&sb, 3, row2) == DS_OK);
    CHECK(html_table_end(&sb) == DS_OK);
    CHECK(html_figure_begin(&sb) == DS_OK && html_figure_end(&sb, "Figure 1: <none>") == DS_OK);
    CHECK(html_table_begin(&sb, -1, NULL) == DS_EUSAGE);
    CHECK(html_page_end(&sb) == DS_OK);
    char msg[200];
    const char *bad = xml_check(sb.data, msg, sizeof msg);
    CHECK_MSG(bad == NULL, "%s", bad);
    CHECK(!strncmp(sb.data, "<!DOCTYPE html>", 15) && strstr(sb.data, "<meta charset=\"utf-8\"/>"));
    CHECK(strstr(sb.data, "<title>Screening &lt;MOFs&gt; &amp; &quot;fillers&quot;</title>"));
    CHECK(strstr(sb.data, "Content-Security-Policy") && strstr(sb.data, "default-src 'none'"));
    CHECK(!strstr(sb.data, "<script") && !strstr(sb.data, "http:") && !strstr(sb.data, "https:") && !strstr(sb.data, "@import") && !strstr(sb.data, "url("));
    CHECK(strstr(sb.data, "<h6>Ranking: A &lt; B</h6>"));
    CHECK(strstr(sb.data, "<td>Li&lt;sup&gt;+&lt;/sup&gt; &amp; DMF</td><td class=\"num\">-1.2345</td><td class=\"num\"> 42 </td>"));
    CHECK(strstr(sb.data, "<td>n/a</td><td></td>") && strstr(sb.data, "<th></th>"));
    CHECK(strstr(sb.data, "<figcaption>Figure 1: &lt;none&gt;</figcaption>"));
    CHECK(!strcmp(sb.data + sb.len - 8, "</html>\n"));
    strbuf_free(&sb);
}

TEST(checker_catches_malformed_markup)
{
    /* the checker the chart tests rely on must be able to fail */
    const char *bad[] = {"<a><b></a></b>", "<a x=1/>", "<a>x & y</a>", "<a>", "</a>", "<a x=\"1\" x=\"2\"/>",
                         "<rect width=\"nan\"/>", "<path d=\"M0 -inf\"/>", "<a>\x80</a>", "<a>\x01</a>", "<a x=\"<\"/>",
                         "text only", "<a>&bogus;</a>", "<a\"x\"/>"};
    char msg[200];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) CHECK_MSG(xml_check(bad[i], msg, sizeof msg) != NULL, "%s", bad[i]);
    CHECK(xml_check("<!DOCTYPE html><a x='1' y=\"&amp;&#39;&#x3c;\"><b/>\xCE\xBC</a>", msg, sizeof msg) == NULL);
    CHECK(xml_has_nonfinite_word("x=\"-nan\"") && xml_has_nonfinite_word("inf") && !xml_has_nonfinite_word("infinite, finance"));
}

int main(void)
{
    RUN(strbuf_grows_and_stays_terminated);
    RUN(escape_specials_and_quotes);
    RUN(escape_keeps_utf8_and_replaces_broken_bytes);
    RUN(escape_n_stops_at_the_byte_count_and_never_splits_a_character);
    RUN(utf8_counting_and_prefixes);
    RUN(page_is_well_formed_and_self_contained);
    RUN(checker_catches_malformed_markup);
    escaped(NULL); /* frees the helper's buffer */
    return TEST_FINISH();
}
