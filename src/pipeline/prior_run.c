/*
** prior_run.c -- the prior predictive run beside a posterior (see
** prior_run.h).
*/
#include "prior_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "status.h"

/* The distribution of the '~' that defines sym, when it is improper; else
** NULL. */
static const DistInfo *improper_prior(const Symbol *sym)
{
    if (!sym || !sym_drawn_by_tilde(sym->kind)) return NULL;
    for (int k = 0; k < sym->ndefs; k++) {
        const Stmt *st = sym->defs[k].stmt;
        if (st->kind == ST_TILDE && st->rhs && dist_at(st->rhs->ref)->improper) return dist_at(st->rhs->ref);
    }
    return NULL;
}

/* Whether every error of m is about an improper prior: then pr names
** them, and says why there is no prior run.  Returns -1 when out of
** memory. */
static int only_improper(const Model *m, PriorRun *pr, bool *only)
{
    const Diags *dg = &m->diags;
    *only = dg->n > 0 && dg->dropped == 0;
    for (int i = 0; i < dg->n && *only; i++)
        *only = dg->items[i].subject && improper_prior(sema_find(&m->sema, dg->items[i].subject));
    if (!*only) return 0;
    if (!(pr->improper = calloc((size_t)dg->n, sizeof *pr->improper))) return -1;
    char why[512];
    size_t at = (size_t)snprintf(why, sizeof why, "a prior run cannot draw the improper prior%s of",
                                 dg->n > 1 ? "s" : "");
    for (int i = 0; i < dg->n; i++) {
        const char *name = dg->items[i].subject;
        if (!(pr->improper[pr->nimproper++] = strdup(name))) return -1;
        if (i < 3 && at < sizeof why)   /* a line's worth, as the warnings name quantities */
            at += (size_t)snprintf(why + at, sizeof why - at, "%s %s (%s)", i ? "," : "", name,
                                   improper_prior(sema_find(&m->sema, name))->name);
    }
    if (dg->n > 3 && at < sizeof why) snprintf(why + at, sizeof why - at, " and %d more", dg->n - 3);
    return (pr->why = strdup(why)) ? 0 : -1;
}

int prior_run_compile(PriorRun *pr, const char *name, const char *text, size_t len, const DataSet *data,
                      const CompileOptions *opt, Diags *errs)
{
    memset(pr, 0, sizeof *pr);
    CompileOptions o = opt ? *opt : COMPILE_FULL;
    o.predictive = PREDICT_PRIOR;
    Source *src = source_from_text(name, text, len);
    Model *m = src ? model_compile(src, data, &o) : NULL;
    bool only = false;
    if (!m || only_improper(m, pr, &only) != 0) {
        model_free(m);
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while compiling the prior run");
        return EXIT_MODEL;
    }
    if (model_ok(m)) {
        pr->model = m;
        return EXIT_OK;
    }
    if (!only) {
        for (int i = 0; i < m->diags.n; i++) diag_copy(errs, &m->diags.items[i], NULL, 0);
        errs->dropped += m->diags.dropped;
    }
    model_free(m);
    return only ? EXIT_OK : EXIT_MODEL;
}

int prior_run_sample(PriorRun *pr, const SampleOptions *posterior, atomic_int *stop, Diags *errs)
{
    if (!pr->model) return EXIT_OK;
    SampleOptions o = *posterior;
    o.predictive = PREDICT_PRIOR;
    o.vars = NULL;
    SampleRequest rq = { .ir = pr->model->ir, .label = pr->model->name, .file = pr->model->src->name,
                         .opts = &o, .stop = stop, .prior = true };
    return sampling_run(&rq, &pr->run, errs);
}

void prior_run_plot_options(const PriorRun *pr, PlotOptions *po)
{
    po->prior = pr->run.res.draws;
    po->no_prior = pr->why;
    po->improper = (const char *const *)pr->improper;
    po->nimproper = pr->nimproper;
}

void prior_run_free(PriorRun *pr)
{
    sampled_free(&pr->run);
    model_free(pr->model);
    for (int i = 0; i < pr->nimproper; i++) free(pr->improper[i]);
    free(pr->improper);
    free(pr->why);
    memset(pr, 0, sizeof *pr);
}
