/*
** report_loo.c -- PSIS-LOO and WAIC as printed (report_loo.h).
*/
#include "report_loo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"

static const char *const RANGE_NAMES[LOO_K_RANGES] = { "(-inf, 0.5]  good", " (0.5, 0.7]  ok",
                                                       "   (0.7, 1]  bad", "   (1, inf)  very bad" };

enum { ESTIMATE_DECIMALS = 2 };

static void estimate_row(FILE *out, const char *name, LooEstimate e)
{
    char v[FORMAT_CELL], se[FORMAT_CELL];
    format_number(v, e.estimate, ESTIMATE_DECIMALS);
    format_number(se, e.se, ESTIMATE_DECIMALS);
    fprintf(out, "%-10s %10s %8s\n", name, v, se);
}

void report_loo_block(FILE *out, const LooResult *r)
{
    char draws[32];
    format_count(draws, sizeof draws, r->ndraws);
    fprintf(out, "\nPSIS-LOO of %d point%s, %s draws:\n", r->npoints, r->npoints == 1 ? "" : "s", draws);
    fprintf(out, "%-10s %10s %8s\n", "", "estimate", "se");
    estimate_row(out, "elpd_loo", r->elpd_loo);
    estimate_row(out, "p_loo", r->p_loo);
    estimate_row(out, "looic", r->looic);
    estimate_row(out, "elpd_waic", r->elpd_waic);
    estimate_row(out, "p_waic", r->p_waic);
    estimate_row(out, "waic", r->waic);
    if (isnan(r->mcse_elpd_loo)) {
        fputs("Monte Carlo SE of elpd_loo: unknown (a Pareto k above 0.7)\n", out);
    } else {
        char mc[FORMAT_CELL];
        format_number(mc, r->mcse_elpd_loo, ESTIMATE_DECIMALS);
        fprintf(out, "Monte Carlo SE of elpd_loo: %s\n", mc);
    }
    if (r->nhigh == 0) {
        fprintf(out, "All Pareto k estimates are good (k < %.2g).\n", r->k_threshold);
        return;
    }
    fprintf(out, "Pareto k diagnostic values:\n%-22s %6s %7s\n", "", "count", "pct.");
    for (int j = 0; j < LOO_K_RANGES; j++)
        fprintf(out, "%-22s %6d %6.1f%%\n", RANGE_NAMES[j], r->k_count[j], 100.0 * r->k_count[j] / r->npoints);
    fprintf(out, "%d point%s above the threshold k = %.2g for %s draws.\n", r->nhigh, r->nhigh == 1 ? "" : "s",
            r->k_threshold, draws);
}

/* A number, or null where JSON has none (an infinite k, an unknown SE). */
static json_t *number(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int put(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

static int put_estimate(json_t *obj, const char *key, LooEstimate e)
{
    char se[64];
    snprintf(se, sizeof se, "se_%s", key);
    return put(obj, key, number(e.estimate)) | put(obj, se, number(e.se));
}

json_t *report_loo_json(const LooResult *r)
{
    json_t *o = json_object(), *points = json_array(), *counts = json_object();
    int bad = !o || !points || !counts;
    if (!bad) {
        bad |= put_estimate(o, "elpd_loo", r->elpd_loo) | put_estimate(o, "p_loo", r->p_loo) |
               put_estimate(o, "looic", r->looic) | put_estimate(o, "elpd_waic", r->elpd_waic) |
               put_estimate(o, "p_waic", r->p_waic) | put_estimate(o, "waic", r->waic);
        bad |= put(o, "mcse_elpd_loo", number(r->mcse_elpd_loo)) | put(o, "points", json_integer(r->npoints)) |
               put(o, "draws", json_integer(r->ndraws)) | put(o, "k_threshold", json_real(r->k_threshold)) |
               put(o, "k_high", json_integer(r->nhigh));
        static const char *const keys[LOO_K_RANGES] = { "good", "ok", "bad", "very_bad" };
        for (int j = 0; j < LOO_K_RANGES; j++) bad |= put(counts, keys[j], json_integer(r->k_count[j]));
    }
    for (int i = 0; i < r->npoints && !bad; i++) {
        json_t *p = json_object();
        char name[32];
        snprintf(name, sizeof name, "log_lik[%d]", i + 1);
        bad = !p || put(p, "point", json_string(r->points ? r->points[i] : name)) ||
              put(p, "elpd_loo", number(r->elpd_loo_i[i])) || put(p, "p_loo", number(r->p_loo_i[i])) ||
              put(p, "pareto_k", number(r->pareto_k[i])) || put(p, "r_eff", number(r->r_eff[i])) ||
              put(p, "elpd_waic", number(r->elpd_waic_i[i])) || put(p, "p_waic", number(r->p_waic_i[i]));
        if (p && json_array_append_new(points, p) != 0) bad = 1;
    }
    if (!bad) bad = json_object_set(o, "k_counts", counts) != 0 || json_object_set(o, "pointwise", points) != 0;
    json_decref(points);
    json_decref(counts);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int report_loo_warnings(Warnings *out, const LooResult *r)
{
    if (r->nhigh == 0) return 0;
    const char **names = malloc((size_t)r->nhigh * sizeof *names);
    if (!names) return -1;
    char list[256] = "";
    int n = 0;
    for (int i = 0; i < r->npoints; i++) {
        if (!loo_k_high(r, r->pareto_k[i])) continue;
        char name[32];
        snprintf(name, sizeof name, "log_lik[%d]", i + 1);
        names[n] = r->points ? r->points[i] : NULL;
        if (n < 5) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s (k = %.2f)", n ? ", " : "", names[n] ? names[n] : name,
                     r->pareto_k[i]);
        }
        n++;
    }
    int rc = warnings_add(out, "pareto_k", r->points ? names : NULL, r->points ? n : 0, NULL, 0,
                          "leaving these points out moves the posterior too much for importance sampling: check "
                          "them for outliers and consider a model robust to them (a Student-t or "
                          "NegativeBinomial likelihood), or estimate their elpd by K-fold cross-validation or "
                          "moment matching",
                          "Pareto k above %.2g for %d of %d points, so elpd_loo is unreliable: %s%s", r->k_threshold,
                          n, r->npoints, list, n > 5 ? ", ..." : "");
    free(names);
    return rc;
}

static int has_high_k(const LooResult *r)
{
    return r->nhigh > 0;
}

int report_loo_compare(FILE *out, const char *const *labels, const LooResult *const *models,
                       const LooComparison *c)
{
    size_t width = 5;
    for (int j = 0; j < c->nmodels; j++)
        if (strlen(labels[j]) > width) width = strlen(labels[j]);
    fprintf(out, "\nModels compared by PSIS-LOO (%d points):\n", models[0]->npoints);
    fprintf(out, "%-*s %4s %10s %8s %10s %8s %7s %s\n", (int)width, "", "rank", "elpd_loo", "p_loo", "elpd_diff",
            "se_diff", "weight", "warning");
    for (int r = 0; r < c->nmodels; r++) {
        int j = c->rank[r];
        char elpd[FORMAT_CELL], p[FORMAT_CELL], diff[FORMAT_CELL], se[FORMAT_CELL], w[FORMAT_CELL];
        format_number(elpd, models[j]->elpd_loo.estimate, ESTIMATE_DECIMALS);
        format_number(p, models[j]->p_loo.estimate, ESTIMATE_DECIMALS);
        format_number(diff, c->elpd_diff[j], ESTIMATE_DECIMALS);
        format_number(se, c->se_diff[j], ESTIMATE_DECIMALS);
        format_number(w, c->weight[j], ESTIMATE_DECIMALS);
        fprintf(out, "%-*s %4d %10s %8s %10s %8s %7s %s\n", (int)width, labels[j], r, elpd, p, diff, se, w,
                has_high_k(models[j]) ? "True" : "False");
    }
    fputs("elpd_diff and se_diff against the best; weight: stacking; warning: a Pareto k above its threshold\n", out);
    return ferror(out) ? -1 : 0;
}

json_t *report_loo_compare_json(const char *const *labels, const LooResult *const *models,
                                const LooComparison *c)
{
    json_t *a = json_array();
    int bad = !a;
    for (int r = 0; r < c->nmodels && !bad; r++) {
        int j = c->rank[r];
        json_t *o = json_object();
        bad = !o || put(o, "model", json_string(labels[j])) || put(o, "rank", json_integer(r)) ||
              put(o, "elpd_loo", number(models[j]->elpd_loo.estimate)) ||
              put(o, "se", number(models[j]->elpd_loo.se)) || put(o, "p_loo", number(models[j]->p_loo.estimate)) ||
              put(o, "elpd_diff", number(c->elpd_diff[j])) || put(o, "se_diff", number(c->se_diff[j])) ||
              put(o, "weight", number(c->weight[j])) || put(o, "warning", json_boolean(has_high_k(models[j])));
        if (o && json_array_append_new(a, o) != 0) bad = 1;
    }
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}
