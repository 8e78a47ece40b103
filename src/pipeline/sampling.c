/*
** sampling.c -- the sampling sequence (see sampling.h).
*/
#include "sampling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "status.h"

/* Bytes a run will hold at once: per chain the evaluator's values and
** adjoints and the sampler's vectors (a few dozen of the dimension, and
** dim x dim matrices for a dense metric), then every kept draw with the
** sampler's record of it. */
static double run_bytes(const IrModel *ir, const RunConfig *cfg)
{
    double dim = (double)ir->dim, chains = cfg->chains, draws = run_kept_draws(cfg);
    double dense = nuts_resolve_metric(cfg->nuts.metric, (int)ir->dim, cfg->nuts.tune) == METRIC_DENSE;
    double chain = 16.0 * (double)ir->nwork + 8 * 32 * dim + dense * 8 * 4 * dim * dim;
    return chains * chain + chains * draws * (8.0 * (double)ir_output_count(ir) + 8.0 * DRAW_NSTATS);
}

/* Half the machine's memory: a run above it would likely be killed. */
static double memory_budget(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? 0.5 * (double)pages * (double)size : 8.0 * 1024 * 1024 * 1024;
}

/* Whether ir can be sampled as o says: it has parameters, none of them
** left to NUTS when o asks for exact draws, something to replicate when it
** asks for replicates, observed points when it asks for their
** log-likelihood, and the run fits in half of this machine's memory. */
static int check_run(const IrModel *ir, const SampleOptions *o, const char *file, Diags *errs)
{
    const RunConfig *cfg = &o->cfg;
    double need = run_bytes(ir, cfg);
    if (need > memory_budget()) {
        Diag *e = diag_error_at(errs, DIAG_LIMIT, NULL, "this run would need about %.1f GiB (%ld quantities, %d chains "
                                "x %d draws), more than half of this machine's memory", need / (1 << 30),
                                ir_output_count(ir), cfg->chains, run_kept_draws(cfg));
        diag_note(e, "run fewer chains or draws, or report fewer quantities");
        return -1;
    }
    if (o->sampler == SAMPLER_EXACT && ir->nparams > 0) {
        Diag *e = diag_error_at(errs, DIAG_MODEL, file, "--sampler exact: the posterior of '%s' has no exact draws "
                                "here; it needs NUTS", ir->names[ir->params[0].name]);
        diag_note(e, "only a model whose every '~' is drawn from its distribution (a prior, a simulation, or\n"
                     "      a quantity nothing observed depends on), or whose every parameter has a conjugate prior\n"
                     "      (bmc help run, --sampler), is drawn exactly; leave out --sampler exact");
        return -1;
    }
    bool replicates = false;
    for (int i = 0; i < ir->noutputs && !replicates; i++) replicates = ir->outputs[i].group == IR_GROUP_PREDICTIVE;
    if (o->predictive == PREDICT_POSTERIOR && !replicates) {
        Diag *e = diag_error_at(errs, DIAG_MODEL, file, "--predict: the model observes no data, so there is "
                                "nothing to replicate");
        diag_note(e, "replicates are drawn for each 'observed' term and each '~' on data; leave out --predict");
        return -1;
    }
    if ((o->log_lik || o->loo) && ir->npoints == 0) {
        Diag *e = diag_error_at(errs, DIAG_MODEL, file, "%s: the model observes no data, so there is no "
                                "log-likelihood to compute", o->loo ? "--loo" : "--log-lik");
        diag_note(e, "its points are the elements of each 'observed' term and each '~' on data; leave out %s",
                  o->loo ? "--loo" : "--log-lik");
        return -1;
    }
    if (ir->dim == 0 && !ir_has_draws(ir)) {
        Diag *e = diag_error_at(errs, DIAG_MODEL, file, "the model has no parameters to sample and draws nothing");
        diag_note(e, "declare one with '~', for example p ~ Beta(1, 1);");
        return -1;
    }
    return 0;
}

/* Why a run of cfg ended with res->status, neither RUN_OK nor
** RUN_INTERRUPTED. */
static void failure(const RunResult *res, const RunConfig *cfg, bool offer_init, const char *file, Diags *errs)
{
    if (res->status == RUN_NO_MEMORY) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while sampling");
        return;
    }
    Diag *e = diag_error_at(errs, DIAG_SAMPLING, file, "sampling failed: %s", res->message);
    if (res->status == RUN_BAD_INIT)
        diag_note(e, "choose --init values inside every support and where the data are possible;\n"
                     "      bmc logp MODEL name=value ... shows the log density at given values");
    else if (res->status == RUN_NO_INIT && offer_init)
        diag_note(e, "check that the priors and likelihoods agree with the data (a zero density everywhere),\n"
                     "      or give starting values with --init name=value,...");
    else if (res->status == RUN_NO_INIT)
        diag_note(e, "check that the priors and likelihoods agree with the data (a zero density everywhere)");
    else if (cfg->nuts.tune < NUTS_FULL_WARMUP)
        diag_note(e, "the warm-up (--tune %d) is too short to adapt the step size to this posterior;\n"
                     "      raise --tune (the default is 1000)", cfg->nuts.tune);
    else
        diag_note(e, "the step size adapted in warm-up fails where the chain ended: the posterior is far\n"
                     "      narrower there than elsewhere (a funnel?) or too narrow to sample; reparameterise,\n"
                     "      or raise --target-accept (e.g. 0.95)");
}

/* The names of ir's conjugate blocks' parameters, "p_A, p_B" (malloc'ed),
** or NULL when out of memory. */
static char *conjugate_names(const IrModel *ir)
{
    size_t len = 1;
    for (int i = 0; i < ir->nconjugate; i++) len += strlen(ir->names[ir->conjugate[i]]) + 2;
    char *s = malloc(len), *at = s;
    for (int i = 0; s && i < ir->nconjugate; i++)
        at += sprintf(at, "%s%s", i ? ", " : "", ir->names[ir->conjugate[i]]);
    return s;
}

/* The facts about a run of cfg for the printers: they point to label,
** into res, and to ebfmi, which receives one value per chain. */
static void info_fill(RunInfo *info, const RunConfig *cfg, const char *label, const RunResult *res, double *ebfmi,
                      double compile_seconds)
{
    memset(info, 0, sizeof *info);
    const Draws *d = res->draws;
    int nc = cfg->chains, nd = d->ndraws;
    info->model = label;
    info->chains = nc;
    info->draws = run_kept_draws(cfg);
    info->thin = cfg->thin > 1 ? cfg->thin : 1;
    info->draws_kept = nd;
    info->exact = res->exact;
    info->tune = res->exact ? 0 : cfg->nuts.tune;
    info->seed = cfg->seed;
    info->seconds = res->seconds;
    info->compile_seconds = compile_seconds;
    info->gradient_evals = res->gradient_evals;
    info->max_treedepth = cfg->nuts.max_treedepth;
    bool dense = false;   /* dense when some chain kept a correlation */
    for (int c = 0; c < nc; c++) dense = dense || run_chain_dense(res, c);
    info->metric = dense ? "dense" : "diag";
    info->target_accept = cfg->nuts.target_accept;
    info->interrupted = res->status == RUN_INTERRUPTED;
    info->stepsize = res->stepsize;
    report_sampler_record(info, d, ebfmi);
}

/* The compiler's warnings of the model, first among the run's: kind
** "prior" (by their code), the name they are about, the line. */
static int compile_warnings(const SampleRequest *rq, Warnings *w)
{
    for (int i = 0; rq->warnings && i < rq->warnings->n; i++) {
        const Diag *e = &rq->warnings->items[i];
        const char *kind = e->code == DIAG_PRIOR ? "prior" : "model";
        const char *names[1] = { e->subject };
        if (warnings_add(w, kind, names, e->subject ? 1 : 0, NULL, 0, e->note, "%s (line %d)", e->message,
                         e->loc.first_line) != 0)
            return -1;
    }
    return 0;
}

/* An option of NUTS's given for a model with nothing for NUTS: a warning
** that it has no effect.  Returns 0, or -1 when out of memory. */
static int nuts_unused(const IrModel *ir, const SampleOptions *o, Warnings *w)
{
    if (ir->dim > 0 || !o->nuts_option) return 0;
    bool prior = o->predictive == PREDICT_PRIOR;
    const char *why = prior ? "--prior draws everything exactly"
                      : ir->nconjugate > 0 ? "every parameter is drawn exactly from its conjugate posterior"
                                           : "every draw is exact";
    return warnings_add(w, "model", NULL, 0, NULL, 0,
                        prior ? "leave it out" : "leave it out, or add --sampler nuts to sample the model by NUTS",
                        "%s has no effect: nothing is left to NUTS, %s", o->nuts_option, why);
}

/* PSIS-LOO of the run's pointwise log-likelihood (--loo), into s->loo. */
static int add_loo(Sampled *s, const char *file, Diags *errs)
{
    const Draws *d = s->res.draws;
    int *vars = NULL;
    int n = loo_log_lik_vars(d, &vars);
    int code = EXIT_OK;
    if (n == 0) {
        Diag *e = diag_error_at(errs, DIAG_MODEL, file, "--loo: the run has no pointwise log-likelihood to "
                                "cross-validate");
        diag_note(e, "PSIS-LOO leaves out one observed value at a time: the model must observe data");
        code = EXIT_MODEL;
    } else {
        int bad = 0, rc = n < 0 || !(s->loo = calloc(1, sizeof *s->loo)) ? -1 : loo_of_draws(d, vars, n, s->loo, &bad);
        if (rc != 0) {
            free(s->loo);
            s->loo = NULL;
        }
        if (rc == LOO_NOT_FINITE) {
            Diag *e = diag_error_at(errs, DIAG_MODEL, file, "--loo: the log-likelihood of %s is not finite in some "
                                    "draws", d->of && d->of[bad] ? d->of[bad] : d->names[bad]);
            diag_note(e, "PSIS-LOO needs every observed value to have a positive density at every draw");
            code = EXIT_MODEL;
        } else if (rc != 0) {
            diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while computing PSIS-LOO");
            code = EXIT_SAMPLING;
        }
    }
    free(vars);
    s->info.loo = s->loo;
    return code;
}

int sampling_run(const SampleRequest *rq, Sampled *s, Diags *errs)
{
    memset(s, 0, sizeof *s);
    const SampleOptions *o = rq->opts;
    if (check_run(rq->ir, o, rq->file, errs) != 0) return EXIT_MODEL;
    RunConfig cfg = o->cfg;
    cfg.init = rq->init;
    cfg.ninit = rq->init ? (rq->ninit > 0 ? rq->ninit : 1) : 0;
    cfg.sink = rq->sink;
    cfg.stop = rq->stop;
    cfg.progress = rq->progress;
    cfg.user = rq->user;
    RunStatus st = run_chains(rq->ir, &cfg, &s->res);
    s->have_res = true;
    if (st == RUN_SINK_FAILED) return EXIT_OUTPUT;
    if (st != RUN_OK && st != RUN_INTERRUPTED) {
        failure(&s->res, &cfg, rq->init_offered, rq->file, errs);
        return EXIT_SAMPLING;
    }
    if (s->res.draws->ndraws == 0) return EXIT_INTERRUPTED;
    int nvars = s->res.draws->nvars;
    s->sum = calloc(nvars ? (size_t)nvars : 1, sizeof *s->sum);
    s->ebfmi = calloc((size_t)cfg.chains, sizeof *s->ebfmi);
    s->warnings = calloc(1, sizeof *s->warnings);   /* empty: warnings_init's state */
    if (!s->sum || !s->ebfmi || !s->warnings || summary_compute(s->res.draws, o->hdi_prob, o->cfg.cores, s->sum) != 0) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while summarising");
        return EXIT_SAMPLING;
    }
    info_fill(&s->info, &o->cfg, rq->label, &s->res, s->ebfmi, rq->compile_seconds);
    s->info.warnings = s->warnings;
    s->info.prior = rq->prior;
    if (ppc_checks(s->res.draws, o->hdi_prob, &s->ppc, &s->nppc) != 0) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while summarising");
        return EXIT_SAMPLING;
    }
    const IrModel *ir = rq->ir;
    if (ir->nconjugate > 0 && !(s->info.conjugate = s->conjugate = conjugate_names(ir))) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while summarising");
        return EXIT_SAMPLING;
    }
    if (ir->npoints > 0 && !(s->point_lines = malloc((size_t)ir->npoints * sizeof *s->point_lines))) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while summarising");
        return EXIT_SAMPLING;
    }
    for (int k = 0; k < ir->npoints; k++) s->point_lines[k] = ir->points[k].line;
    s->info.point_lines = s->point_lines;
    s->info.ppc = s->ppc;
    s->info.nppc = s->nppc;
    if (compile_warnings(rq, s->warnings) != 0 || nuts_unused(ir, o, s->warnings) != 0) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory while summarising");
        return EXIT_SAMPLING;
    }
    return o->loo ? add_loo(s, rq->file, errs) : EXIT_OK;
}

void sampled_free(Sampled *s)
{
    if (s->loo) loo_result_free(s->loo);
    free(s->loo);
    if (s->warnings) warnings_free(s->warnings);
    free(s->warnings);
    free(s->sum);
    free(s->ebfmi);
    free(s->ppc);
    free(s->point_lines);
    free(s->conjugate);
    if (s->have_res) run_result_free(&s->res);
    memset(s, 0, sizeof *s);
}
