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
**
** Each piece (the settings and header, the adaptation, rows, the timing)
** is formatted into memory and written with one write(2) loop, so that
** the bytes in the file are always whole pieces, and a failed write can
** be cut back to the end of the last one.  Rows go in pieces of up to
** CSV_PIECE_BYTES, written within a tenth of a second of being made and
** when the chain ends: a call per row was a fifth of a small model's run.
*/
#define _DEFAULT_SOURCE   /* flock, a BSD call */
#include "csvout.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "draws_csv.h"
#include "fmt_g9.h"

/* The text of one value of a row: x as %.9g writes it (fmt_g9.c), nan,
** inf and -inf as CmdStan's guide spells them (R and pandas read these).
** Returns its length; out holds FMT_G9_SIZE bytes. */
static size_t value_text(char *out, double x)
{
    if (isnan(x)) return (size_t)sprintf(out, "nan");
    if (isinf(x)) return (size_t)sprintf(out, x > 0 ? "inf" : "-inf");
    return fmt_g9(out, x);
}

void csv_put_value(FILE *f, double x)
{
    char text[FMT_G9_SIZE];
    fwrite(text, 1, value_text(text, x), f);
}

/* The shortest of %.15g and %.17g that reads back as x: "0.8", not
** "0.80000000000000004". */
static void put_exact(FILE *f, double x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", x);
    if (strtod(buf, NULL) != x) snprintf(buf, sizeof buf, "%.17g", x);
    fputs(buf, f);
}

/* "theta[1]" -> "theta.1", "X[2,3]" -> "X.2.3": CmdStan's column names. */
static void put_column_name(FILE *f, const char *name)
{
    char col[512];   /* the reader's rule, so that names read back as written */
    draws_csv_column_name(name, col, sizeof col);
    fputs(col, f);
}

/* Rows are held until they make this many bytes, or until a row comes
** this long after the last write: few writes when rows come fast, and
** each at once when they come slowly (more than CSV_HOLD_SECONDS apart),
** so that no row waits more than twice that, a tenth of a second. */
#define CSV_PIECE_BYTES 8192
#define CSV_HOLD_SECONDS 0.05

struct CsvStream {
    int fd;
    char *path;
    FILE *mem;                /* the piece being formatted (open_memstream into buf) */
    char *buf;
    size_t size;
    char *rows_text;          /* rows not yet written: CSV_PIECE_BYTES and a row's room */
    size_t rows_len;
    long rows_held, sampling_held;   /* rows in rows_text, and of them the sampling's */
    double written_at;        /* when a piece was last written (now_seconds) */
    off_t good;               /* bytes of whole pieces in the file */
    long rows;                /* rows in the file */
    long sampling_rows;       /* of them, after the warm-up's */
    bool sampling_phase;      /* rows now are the sampling's: after the adaptation, or no warm-up */
    int thin;
    int nvars;
    /* where the announced counts are, to rewrite them when fewer were made */
    off_t samples_at, warmup_at;
    int samples_width, warmup_width;
    int num_samples, num_warmup;
    int warmup, sampling;     /* iterations made, from csv_stream_finished; -1 until then */
    double warmup_seconds, sampling_seconds;
    char error[512];          /* why writing failed; "" while it has not */
};

/* A monotonic clock; the coarse one (a few milliseconds) is enough for
** CSV_HOLD_SECONDS and costs less than a row's digits. */
static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Writes the len bytes of a piece, whole, or cuts the file back to the
** last whole piece and records why.  Returns 0 or -1. */
static int write_piece(CsvStream *s, const char *piece, size_t len)
{
    if (s->error[0]) return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(s->fd, piece + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = n < 0 ? errno : ENOSPC;
            snprintf(s->error, sizeof s->error, "cannot write '%s': %s", s->path, strerror(e));
            /* the part of the piece written goes: the file ends with a whole row */
            if (ftruncate(s->fd, s->good) == 0) lseek(s->fd, s->good, SEEK_SET);
            return -1;
        }
        done += (size_t)n;
    }
    s->good += (off_t)len;
    s->written_at = now_seconds();
    return 0;
}

/* Writes the rows held (see write_piece); they count as the file's when
** written.  Returns 0 or -1. */
static int flush_rows(CsvStream *s)
{
    if (s->rows_held == 0) return s->error[0] ? -1 : 0;
    int rc = write_piece(s, s->rows_text, s->rows_len);
    if (rc == 0) {
        s->rows += s->rows_held;
        s->sampling_rows += s->sampling_held;
    }
    s->rows_len = 0;
    s->rows_held = s->sampling_held = 0;
    return rc;
}

/* Writes the rows held, then the piece formatted so far in s->mem (see
** write_piece). */
static int flush_piece(CsvStream *s)
{
    if (flush_rows(s) != 0) return -1;
    if (fflush(s->mem) != 0) {
        snprintf(s->error, sizeof s->error, "%s: out of memory", s->path);
        return -1;
    }
    int rc = write_piece(s, s->buf, s->size);
    rewind(s->mem);
    return rc;
}

/* Writes "n" at the piece's place for a count that may be rewritten. */
static void put_count(CsvStream *s, int n, off_t *at, int *width)
{
    *at = s->good + ftell(s->mem);
    *width = fprintf(s->mem, "%d", n);
}

static void write_config(CsvStream *s, const CsvConfig *c)
{
    FILE *f = s->mem;
    int adapted = c->num_warmup > 0 && !c->exact;
    /* The layout version of the Stan CSV format this file follows;
    ** readers such as CmdStanPy look these up. */
    fputs("# stan_version_major = 2\n"
          "# stan_version_minor = 33\n"
          "# stan_version_patch = 0\n", f);
    fprintf(f, "# model = %s\n", c->model ? c->model : "model");
    /* not CmdStan's: what the draws are of, for bmc's readers */
    if (c->prior) fputs("# run = prior_predictive\n", f);
    fputs("# method = sample (Default)\n"
          "#   sample\n"
          "#     num_samples = ", f);
    put_count(s, c->num_samples, &s->samples_at, &s->samples_width);
    fputs("\n#     num_warmup = ", f);
    put_count(s, c->exact ? 0 : c->num_warmup, &s->warmup_at, &s->warmup_width);
    fprintf(f, "\n#     save_warmup = %d\n", c->save_warmup ? 1 : 0);
    fprintf(f, "#     thin = %d\n", c->thin > 0 ? c->thin : 1);
    fputs("#     adapt\n", f);
    /* CmdStan refuses adaptation without warm-up; no warm-up, no block. */
    fprintf(f, "#       engaged = %d\n", adapted);
    fputs("#       delta = ", f);
    put_exact(f, c->target_accept);
    fputc('\n', f);
    if (c->exact) {   /* no sampler: CmdStan's name for draws made without one */
        fputs("#     algorithm = fixed_param\n", f);
    } else {
        fputs("#     algorithm = hmc\n"
              "#       hmc\n"
              "#         engine = nuts\n"
              "#           nuts\n", f);
        fprintf(f, "#             max_depth = %d\n", c->max_depth);
        fprintf(f, "#         metric = %s\n", c->dense ? "dense_e" : "diag_e");
    }
    fprintf(f, "# id = %d\n", c->id);
    /* Initial values are uniform in (-2, 2) on the unconstrained scale. */
    fputs("# init = 2\n", f);
    fprintf(f, "# random\n#   seed = %lu\n", c->seed);
    fprintf(f, "# output\n#   file = %s\n", s->path);
}

static void write_header(FILE *f, const CsvConfig *c)
{
    for (int k = 0; k < DRAW_NSTATS; k++) fprintf(f, "%s%s", k ? "," : "", draw_stat_name((DrawStat)k));
    for (int v = 0; v < c->nvars; v++) {
        fputc(',', f);
        put_column_name(f, c->names[v]);
    }
    fputc('\n', f);
}

/* The most a row of nvars values can take: each value and its comma or
** newline. */
static size_t row_room(int nvars)
{
    return (size_t)(DRAW_NSTATS + nvars) * (FMT_G9_SIZE + 1);
}

/* A stream holding nothing yet, for path; NULL when out of memory. */
static CsvStream *stream_new(const char *path, int nvars)
{
    CsvStream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->fd = -1;
    s->nvars = nvars;
    s->warmup = s->sampling = -1;
    s->path = strdup(path);
    s->mem = open_memstream(&s->buf, &s->size);
    s->rows_text = malloc(CSV_PIECE_BYTES + row_room(nvars));
    if (!s->path || !s->mem || !s->rows_text) {
        if (s->mem) fclose(s->mem);
        free(s->buf);
        free(s->rows_text);
        free(s->path);
        free(s);
        return NULL;
    }
    return s;
}

static void stream_free(CsvStream *s)
{
    if (s->fd >= 0) close(s->fd);   /* releases the lock */
    fclose(s->mem);
    free(s->buf);
    free(s->rows_text);
    free(s->path);
    free(s);
}

CsvStream *csv_stream_open(const char *path, const CsvConfig *cfg, char *err, size_t errlen)
{
    CsvStream *s = stream_new(path, cfg->nvars);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    s->num_samples = cfg->num_samples;
    s->num_warmup = cfg->exact ? 0 : cfg->num_warmup;
    s->sampling_phase = s->num_warmup == 0;
    s->thin = cfg->thin > 0 ? cfg->thin : 1;
    /* not truncated on opening: a file another run holds must stay whole */
    s->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (s->fd < 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        stream_free(s);
        return NULL;
    }
    if (flock(s->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            snprintf(err, errlen, "'%s' is being written by another run; give this one another --output-dir, "
                     "or wait for that one to end", path);
        else
            snprintf(err, errlen, "cannot lock '%s': %s", path, strerror(errno));
        stream_free(s);
        return NULL;
    }
    if (ftruncate(s->fd, 0) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        stream_free(s);
        return NULL;
    }
    write_config(s, cfg);
    write_header(s->mem, cfg);
    if (flush_piece(s) != 0) {
        snprintf(err, errlen, "%s", s->error);
        stream_free(s);
        return NULL;
    }
    return s;
}

int csv_stream_adaptation(CsvStream *s, double stepsize, const double *inv_metric, long dim, bool stored_dense)
{
    FILE *f = s->mem;
    fputs("# Adaptation terminated\n", f);
    fputs("# Step size = ", f);
    csv_put_value(f, stepsize);
    fputc('\n', f);
    fputs(stored_dense ? "# Elements of inverse mass matrix:\n"
                       : "# Diagonal elements of inverse mass matrix:\n", f);
    long rows = stored_dense ? dim : 1;
    for (long r = 0; inv_metric && r < rows; r++) {
        fputs("# ", f);
        for (long j = 0; j < dim; j++) {
            if (j) fputs(", ", f);
            csv_put_value(f, inv_metric[stored_dense ? r * dim + j : j]);
        }
        fputc('\n', f);
    }
    s->sampling_phase = true;
    return flush_piece(s);
}

/* A sampler column's text: counts and flags as integers, as CmdStan
** writes them. */
static size_t stat_text(char *out, DrawStat k, double x)
{
    if ((k == DRAW_TREEDEPTH || k == DRAW_N_LEAPFROG || k == DRAW_DIVERGENT) && isfinite(x))
        return fmt_long(out, (long)x);
    return value_text(out, x);
}

/* A row is formatted straight into the rows held, not through the stream
** of the other pieces: it is the piece made thousands of times. */
int csv_stream_row(CsvStream *s, const double *stats, const double *values)
{
    if (s->error[0]) return -1;
    char *p = s->rows_text + s->rows_len;
    for (int k = 0; k < DRAW_NSTATS; k++) {
        p += stat_text(p, (DrawStat)k, stats[k]);
        *p++ = ',';
    }
    for (int v = 0; v < s->nvars; v++) {
        p += value_text(p, values[v]);
        *p++ = ',';
    }
    p[-1] = '\n';   /* the last comma */
    s->rows_len = (size_t)(p - s->rows_text);
    s->rows_held++;
    s->sampling_held += s->sampling_phase;
    if (s->rows_len >= CSV_PIECE_BYTES || now_seconds() - s->written_at >= CSV_HOLD_SECONDS) return flush_rows(s);
    return 0;
}

void csv_stream_finished(CsvStream *s, int warmup, int sampling, double warmup_seconds, double sampling_seconds)
{
    flush_rows(s);   /* a failure is recorded for csv_stream_close */
    s->warmup = warmup;
    s->sampling = sampling;
    s->warmup_seconds = warmup_seconds;
    s->sampling_seconds = sampling_seconds;
}

long csv_stream_rows(const CsvStream *s)
{
    return s->rows;
}

const char *csv_stream_error(const CsvStream *s)
{
    return s->error;
}

/* Rewrites the count at at (width characters) as n, padded with blanks:
** n is never more than the count announced, so it fits. */
static void rewrite_count(CsvStream *s, off_t at, int width, int n)
{
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%-*d", width, n);
    if (len == width && pwrite(s->fd, buf, (size_t)len, at) != len && !s->error[0])
        snprintf(s->error, sizeof s->error, "cannot write '%s': %s", s->path, strerror(errno));
}

int csv_stream_close(CsvStream *s, char *err, size_t errlen)
{
    flush_rows(s);
    bool told = s->sampling >= 0;   /* csv_stream_finished was called */
    /* a failed write: the iterations whose rows are in the file */
    if (told && s->error[0] && s->sampling_rows * s->thin < s->sampling) s->sampling = (int)(s->sampling_rows * s->thin);
    if (told && s->error[0] && !s->sampling_phase) s->warmup = (int)((s->rows - s->sampling_rows) * s->thin);
    if (told && s->sampling < s->num_samples) rewrite_count(s, s->samples_at, s->samples_width, s->sampling);
    if (told && s->warmup < s->num_warmup) rewrite_count(s, s->warmup_at, s->warmup_width, s->warmup);
    if (told && !s->error[0]) {
        fprintf(s->mem, "#\n"
                "#  Elapsed Time: %.6f seconds (Warm-up)\n"
                "#                %.6f seconds (Sampling)\n"
                "#                %.6f seconds (Total)\n"
                "#\n",
                s->warmup_seconds, s->sampling_seconds, s->warmup_seconds + s->sampling_seconds);
        flush_piece(s);
    }
    if (!s->error[0] && close(s->fd) != 0)
        snprintf(s->error, sizeof s->error, "cannot write '%s': %s", s->path, strerror(errno));
    else if (s->error[0])
        close(s->fd);
    s->fd = -1;
    int rc = s->error[0] ? -1 : 0;
    if (rc) snprintf(err, errlen, "%s", s->error);
    stream_free(s);
    return rc;
}

int csv_write_chain(const char *path, const Draws *d, const CsvChain *ch,
                    const RunInfo *run, char *err, size_t errlen)
{
    CsvConfig cfg = { .model = run->model, .prior = run->prior, .exact = run->exact, .num_samples = d->ndraws,
                      .num_warmup = run->tune, .thin = 1, .target_accept = run->target_accept,
                      .max_depth = run->max_treedepth, .dense = ch->stored_dense, .id = ch->chain + 1,
                      .seed = run->seed, .names = (const char *const *)d->names, .nvars = d->nvars };
    CsvStream *s = csv_stream_open(path, &cfg, err, errlen);
    if (!s) return -1;
    double *row = malloc((size_t)(d->nvars > 0 ? d->nvars : 1) * sizeof *row);
    int rc = row ? 0 : -1;
    if (rc == 0 && run->tune > 0)
        rc = csv_stream_adaptation(s, ch->stepsize, ch->inv_metric, ch->dim, ch->stored_dense);
    for (int i = 0; rc == 0 && i < d->ndraws; i++) {
        double stats[DRAW_NSTATS];
        for (int k = 0; k < DRAW_NSTATS; k++) stats[k] = draws_stat_const(d, (DrawStat)k, ch->chain)[i];
        for (int v = 0; v < d->nvars; v++) row[v] = draws_at_const(d, v, ch->chain)[i];
        rc = csv_stream_row(s, stats, row);
    }
    free(row);
    csv_stream_finished(s, run->tune, d->ndraws, ch->warmup_seconds, ch->sampling_seconds);
    int closed = csv_stream_close(s, err, errlen);
    if (rc != 0 && !closed) snprintf(err, errlen, "%s: out of memory", path);
    return rc != 0 || closed != 0 ? -1 : 0;
}
