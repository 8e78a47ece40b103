/*
** saved_draws.c -- CmdStan CSV files read back (see saved_draws.h).
*/
#include "saved_draws.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "loo.h"
#include "status.h"

/* The reader's error as a Diag at its file, line and cell, with the line
** and a caret. */
static void csv_error(const DrawsCsvError *e, Diags *errs)
{
    if (e->line <= 0 || !e->text[0]) {
        Diag *d = diag_error_at(errs, DIAG_DATA, e->file[0] ? e->file : NULL, "%s", e->message);
        if (d && e->line > 0) d->loc = (Loc){ e->line, 0, e->line, 0 };
        return;
    }
    /* a source of the one line, its place then moved to the line it is */
    Source *line = source_from_text(e->file, e->text, strlen(e->text));
    if (!line) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        return;
    }
    Diags one;
    diags_init(&one, line);
    int col = e->column > 0 ? e->column : 0;
    Diag *d = diag_error(&one, DIAG_DATA, (Loc){ 1, col, 1, col ? col + 1 : 0 }, "%s", e->message);
    if (d) diag_copy(errs, d, NULL, e->line - 1);
    else errs->dropped++;
    diags_clear(&one);
    source_free(line);
}

/* Warnings about the files: chains cut short, chains of unequal length. */
static int file_warnings(SavedDraws *s, const char *const *paths, int nfiles)
{
    const Draws *d = s->draws;
    bool cut = false, unequal = false;
    for (int c = 0; c < nfiles; c++) {
        cut = cut || s->run.cut_short[c];
        unequal = unequal || s->run.rows[c] != s->run.rows[0];
    }
    if (!cut && !unequal) return 0;
    char counts[256] = "";
    size_t len = 0;
    for (int c = 0; c < nfiles && len < sizeof counts - 16; c++)
        len += (size_t)snprintf(counts + len, sizeof counts - len, "%s%d", c ? ", " : "", s->run.rows[c]);
    int rc = 0;
    for (int c = 0; c < nfiles && rc == 0; c++) {
        if (!s->run.cut_short[c]) continue;
        const char *names[1] = { paths[c] };
        int chain = c + 1;
        char of[32] = "";
        if (s->run.num_samples > s->run.rows[c]) snprintf(of, sizeof of, " of %d", s->run.num_samples);
        rc = warnings_add(&s->warnings, "cut_short", names, 1, &chain, 1,
                          "the run that wrote it was interrupted or is still going; read it again when it ends",
                          "%s is cut short: read up to its last whole row, %d draw%s after warm-up%s", paths[c],
                          s->run.rows[c], s->run.rows[c] == 1 ? "" : "s", of);
    }
    if (rc == 0 && unequal)
        rc = warnings_add(&s->warnings, "unequal_chains", NULL, 0, NULL, 0,
                          "an interrupted run's chains stop at different draws; otherwise give files of one run, "
                          "or of runs of the same --draws",
                          "the chains have %s draws: the summary uses the first %d of each", counts, d->ndraws);
    return rc;
}

int saved_draws_read(SavedDraws *s, const char *const *paths, int nfiles, Diags *errs)
{
    memset(s, 0, sizeof *s);
    warnings_init(&s->warnings);
    DrawsCsvError e;
    if (draws_csv_read(paths, nfiles, &s->draws, &s->run, &e) != 0) {
        csv_error(&e, errs);
        return EXIT_MODEL;
    }
    /* a pointwise log-likelihood's columns (log_lik.k) are points, as in
    ** the run that wrote them: out of the table unless --vars names them */
    int bad = file_warnings(s, paths, nfiles);
    for (int v = 0; bad == 0 && v < s->draws->nvars; v++)
        if (loo_is_point_name(s->draws->names[v]))
            bad = draws_set_group(s->draws, v, DRAWS_LOG_LIK, s->draws->names[v], NAN);
    if (bad != 0) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        return EXIT_MODEL;
    }
    return EXIT_OK;
}

/* The facts a run line and the JSON's "sampler" report, as the files
** have them. */
static void info_fill(SavedDraws *s)
{
    RunInfo *info = &s->info;
    const Draws *d = s->draws;
    const DrawsCsvRun *r = &s->run;
    memset(info, 0, sizeof *info);
    info->model = r->model[0] ? r->model : NULL;
    info->chains = d->nchains;
    info->draws = info->draws_kept = d->ndraws;
    info->tune = r->num_warmup > 0 ? r->num_warmup : 0;
    info->seed = r->seed;
    info->seed_unknown = !r->seed_given;
    info->seconds = NAN;
    info->compile_seconds = NAN;
    info->max_treedepth = r->max_depth > 0 ? r->max_depth : 10;
    info->target_accept = r->delta;
    info->exact = r->fixed_param;
    info->prior = r->prior;
    info->saved = true;
    for (int c = 0; r->has_stat[DRAW_N_LEAPFROG] && c < d->nchains; c++)
        for (int i = 0; i < d->ndraws; i++) info->gradient_evals += (long)draws_stat_const(d, DRAW_N_LEAPFROG, c)[i];
    report_sampler_record(info, d, s->ebfmi);
    info->warnings = &s->warnings;
}

int saved_draws_summarise(SavedDraws *s, double hdi_prob, int threads, Diags *errs)
{
    int nvars = s->draws->nvars;
    free(s->sum);
    free(s->ebfmi);
    s->sum = calloc(nvars ? (size_t)nvars : 1, sizeof *s->sum);
    s->ebfmi = calloc((size_t)s->draws->nchains, sizeof *s->ebfmi);
    if (!s->sum || !s->ebfmi || summary_compute(s->draws, hdi_prob, threads, s->sum) != 0) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while summarising");
        return EXIT_MODEL;
    }
    info_fill(s);
    return EXIT_OK;
}

void saved_draws_free(SavedDraws *s)
{
    draws_free(s->draws);
    draws_csv_run_free(&s->run);
    free(s->sum);
    free(s->ebfmi);
    warnings_free(&s->warnings);
    memset(s, 0, sizeof *s);
}
