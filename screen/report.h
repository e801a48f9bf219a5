/* report: writes a rank_result (screen/rank.h) into OUTDIR as report.md, report.html
 * (self-contained, inline SVG charts), ranking.csv and ranking.json.  The writers only
 * print what the evaluation computed. */
#ifndef DS_REPORT_H
#define DS_REPORT_H

#include <stdio.h>

#include "screen/rank.h"

int report_write_all(const rank_result *r, const char *outdir, ds_err *err);

int report_write_json(const rank_result *r, FILE *f);
int report_write_csv(const rank_result *r, FILE *f);
int report_write_md(const rank_result *r, FILE *f);
int report_write_html(const rank_result *r, FILE *f);

/* Shared by the writers. */
const char *report_status(const rank_result *r, int c); /* "ranked", "excluded", "missing value", "outside limits" */
int report_rank_of(const rank_result *r, int c);        /* 1-based rank, 0 when not ranked */
const char *report_goal_text(const score_criterion *c, char *buf, size_t n);
const char *report_method_name(score_method m);

#endif
