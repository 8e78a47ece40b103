/*
** report_compare.c -- several models' summaries side by side: per shared
** quantity a row, per model its mean, sd and HDI under the model's name.
*/
#include "report_compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"


/* Digits after the point for a row, as the run table chooses them: enough
** for the smallest sd to show two to three significant digits. */
static int row_decimals(const CompareTable *c, int k)
{
    if (c->round >= 0) return c->round;
    double sd = INFINITY, mean = NAN;
    for (int i = 0; i < c->nmodels; i++) {
        const VarSummary *s = &c->sums[i][c->var[i][k]];
        if (isfinite(s->sd) && s->sd > 0 && s->sd < sd) sd = s->sd;
        if (isnan(mean) && isfinite(s->mean) && s->mean != 0) mean = s->mean;
    }
    return format_decimals(sd, mean);
}

enum { NCOLS = 4 };   /* mean, sd, HDI low and high per model */

static void fill_cells(const CompareTable *c, int k, int i, char cells[NCOLS][FORMAT_CELL])
{
    const VarSummary *s = &c->sums[i][c->var[i][k]];
    int dec = row_decimals(c, k);
    format_number(cells[0], s->mean, dec);
    format_number(cells[1], s->sd, dec);
    format_number(cells[2], s->hdi_low, dec);
    format_number(cells[3], s->hdi_high, dec);
}

/* One row per shared quantity; per model, mean, sd and the HDI under the
** model's name. */
int report_compare_table(FILE *out, const CompareTable *c)
{
    char titles[NCOLS][FORMAT_CELL];
    snprintf(titles[0], FORMAT_CELL, "mean");
    snprintf(titles[1], FORMAT_CELL, "sd");
    format_hdi_titles(titles[2], titles[3], c->hdi_prob);
    int *width = calloc((size_t)c->nmodels * NCOLS, sizeof *width);
    if (!width) return -1;
    int namew = 0;
    char cells[NCOLS][FORMAT_CELL];
    for (int k = 0; k < c->nshared; k++) {
        int len = format_width(c->names[k]);
        if (len > namew) namew = len;
    }
    for (int i = 0; i < c->nmodels; i++)
        for (int j = 0; j < NCOLS; j++) width[i * NCOLS + j] = (int)strlen(titles[j]);
    for (int k = 0; k < c->nshared; k++)
        for (int i = 0; i < c->nmodels; i++) {
            fill_cells(c, k, i, cells);
            for (int j = 0; j < NCOLS; j++)
                if ((int)strlen(cells[j]) > width[i * NCOLS + j]) width[i * NCOLS + j] = (int)strlen(cells[j]);
        }
    /* a model's name must fit over its columns */
    for (int i = 0; i < c->nmodels; i++) {
        int group = 2 * (NCOLS - 1);
        for (int j = 0; j < NCOLS; j++) group += width[i * NCOLS + j];
        int extra = (int)strlen(c->labels[i]) - group;
        if (extra > 0) width[i * NCOLS] += extra;
    }
    fprintf(out, "%*s", namew, "");
    for (int i = 0; i < c->nmodels; i++) {
        int group = 2 * (NCOLS - 1);
        for (int j = 0; j < NCOLS; j++) group += width[i * NCOLS + j];
        fprintf(out, "    %-*s", i + 1 < c->nmodels ? group : 0, c->labels[i]);
    }
    fputc('\n', out);
    fprintf(out, "%*s", namew, "");
    for (int i = 0; i < c->nmodels; i++)
        for (int j = 0; j < NCOLS; j++) fprintf(out, "%s%*s", j ? "  " : "    ", width[i * NCOLS + j], titles[j]);
    fputc('\n', out);
    for (int k = 0; k < c->nshared; k++) {
        format_put_left(out, c->names[k], namew);
        for (int i = 0; i < c->nmodels; i++) {
            fill_cells(c, k, i, cells);
            for (int j = 0; j < NCOLS; j++) fprintf(out, "%s%*s", j ? "  " : "    ", width[i * NCOLS + j], cells[j]);
        }
        fputc('\n', out);
    }
    free(width);
    return ferror(out) ? -1 : 0;
}

