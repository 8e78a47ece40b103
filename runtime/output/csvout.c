/*
** csvout.c -- one chain's draws as a CmdStan CSV file (CmdStan guide,
** "Stan CSV File Format"): the configuration as comments, the column
** header, the adaptation comments, one row per kept draw, the timing.
**
** Readers parse more than the numbers: rstan::read_stan_csv takes the
** header to be the first line without '#', the settings from the
** "key = value" comments before "# Adaptation terminated", and checks
** num_samples against the rows; it reads the times from the two lines
** starting at "Elapsed Time" keeping only digits and points, so times are
** written in fixed notation.
*/
#include "csvout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draws_csv.h"
#include "outfile.h"

/* Values carry nine significant digits: more than CmdStan's six, so that
** means computed from the file agree with bmc's own to printing
** precision. */
static void put_value(FILE *f, double x)
{
    /* Spelled as the CmdStan guide lists them; R and pandas read these. */
    if (isnan(x))
        fputs("nan", f);
    else if (isinf(x))
        fputs(x > 0 ? "inf" : "-inf", f);
    else
        fprintf(f, "%.9g", x);
}

/* "theta[1]" -> "theta.1", "X[2,3]" -> "X.2.3": CmdStan's column names. */
/* The shortest of %.15g and %.17g that reads back as x: "0.8", not
** "0.80000000000000004". */
static void put_exact(FILE *f, double x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", x);
    if (strtod(buf, NULL) != x) snprintf(buf, sizeof buf, "%.17g", x);
    fputs(buf, f);
}

static void put_column_name(FILE *f, const char *name)
{
    char col[512];   /* the reader's rule, so that names read back as written */
    draws_csv_column_name(name, col, sizeof col);
    fputs(col, f);
}

static void write_config(FILE *f, const char *path, const Draws *d,
                         const CsvChain *ch, const RunInfo *run)
{
    int adapted = run->tune > 0;
    /* The layout version of the Stan CSV format this file follows;
    ** readers such as CmdStanPy look these up. */
    fputs("# stan_version_major = 2\n"
          "# stan_version_minor = 33\n"
          "# stan_version_patch = 0\n", f);
    fprintf(f, "# model = %s\n", run->model ? run->model : "model");
    /* not CmdStan's: what the draws are of, for bmc's readers */
    if (run->prior) fputs("# run = prior_predictive\n", f);
    fputs("# method = sample (Default)\n"
          "#   sample\n", f);
    fprintf(f, "#     num_samples = %d\n", d->ndraws);
    fprintf(f, "#     num_warmup = %d\n", run->tune);
    fputs("#     save_warmup = 0\n"
          "#     thin = 1\n"
          "#     adapt\n", f);
    /* CmdStan refuses adaptation without warm-up; no warm-up, no block. */
    fprintf(f, "#       engaged = %d\n", adapted);
    fputs("#       delta = ", f);
    put_exact(f, run->target_accept);
    fputc('\n', f);
    if (run->exact) {   /* no sampler: CmdStan's name for draws made without one */
        fputs("#     algorithm = fixed_param\n", f);
    } else {
        fputs("#     algorithm = hmc\n"
              "#       hmc\n"
              "#         engine = nuts\n"
              "#           nuts\n", f);
        fprintf(f, "#             max_depth = %d\n", run->max_treedepth);
        fprintf(f, "#         metric = %s\n", ch->dense ? "dense_e" : "diag_e");
    }
    fprintf(f, "# id = %d\n", ch->chain + 1);
    /* Initial values are uniform in (-2, 2) on the unconstrained scale. */
    fputs("# init = 2\n", f);
    fprintf(f, "# random\n#   seed = %lu\n", run->seed);
    fprintf(f, "# output\n#   file = %s\n", path);
}

static void write_header(FILE *f, const Draws *d)
{
    for (int k = 0; k < DRAW_NSTATS; k++) fprintf(f, "%s%s", k ? "," : "", draw_stat_name((DrawStat)k));
    for (int v = 0; v < d->nvars; v++) {
        fputc(',', f);
        put_column_name(f, d->names[v]);
    }
    fputc('\n', f);
}

static void write_adaptation(FILE *f, const CsvChain *ch)
{
    fputs("# Adaptation terminated\n", f);
    fputs("# Step size = ", f);
    put_value(f, ch->stepsize);
    fputc('\n', f);
    fputs(ch->dense ? "# Elements of inverse mass matrix:\n"
                    : "# Diagonal elements of inverse mass matrix:\n", f);
    if (!ch->inv_metric || ch->dim <= 0) return;
    int rows = ch->dense ? ch->dim : 1;
    size_t d = (size_t)ch->dim;
    for (int r = 0; r < rows; r++) {
        fputs("# ", f);
        for (size_t j = 0; j < d; j++) {
            if (j) fputs(", ", f);
            size_t at = ch->dense ? (size_t)r * d + j : ch->stored_dense ? j * d + j : j;
            put_value(f, ch->inv_metric[at]);
        }
        fputc('\n', f);
    }
}

/* The sampler's columns: counts and flags as integers, as CmdStan writes them. */
static void put_stat(FILE *f, DrawStat k, double x)
{
    if ((k == DRAW_TREEDEPTH || k == DRAW_N_LEAPFROG || k == DRAW_DIVERGENT) && isfinite(x))
        fprintf(f, "%d", (int)x);
    else
        put_value(f, x);
}

static void write_draws(FILE *f, const Draws *d, const CsvChain *ch)
{
    for (int i = 0; i < d->ndraws; i++) {
        for (int k = 0; k < DRAW_NSTATS; k++) {
            if (k) fputc(',', f);
            put_stat(f, (DrawStat)k, draws_stat_const(d, (DrawStat)k, ch->chain)[i]);
        }
        for (int v = 0; v < d->nvars; v++) {
            fputc(',', f);
            put_value(f, draws_at_const(d, v, ch->chain)[i]);
        }
        fputc('\n', f);
    }
}

static void write_timing(FILE *f, const CsvChain *ch)
{
    fprintf(f, "#\n"
            "#  Elapsed Time: %.6f seconds (Warm-up)\n"
            "#                %.6f seconds (Sampling)\n"
            "#                %.6f seconds (Total)\n"
            "#\n",
            ch->warmup_seconds, ch->sampling_seconds,
            ch->warmup_seconds + ch->sampling_seconds);
}

int csv_write_chain(const char *path, const Draws *d, const CsvChain *ch,
                    const RunInfo *run, char *err, size_t errlen)
{
    OutFile o;
    if (outfile_open(&o, path, err, errlen) != 0) return -1;
    write_config(o.f, path, d, ch, run);
    write_header(o.f, d);
    if (run->tune > 0) write_adaptation(o.f, ch);
    write_draws(o.f, d, ch);
    write_timing(o.f, ch);
    return outfile_commit(&o, err, errlen);
}
