/*
** draw_files.c -- a run's CSV files, written as the chains make their
** draws (see draw_files.h).
*/
#include "draw_files.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_sort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- the sink: each chain's calls go to its own file ---- */

static int sink_adapted(void *user, int chain, double stepsize, const double *inv_metric, long dim, bool dense)
{
    DrawFiles *f = user;
    return csv_stream_adaptation(f->chains[chain], stepsize, inv_metric, dim, dense);
}

static int sink_draw(void *user, int chain, const double *stats, const double *values)
{
    DrawFiles *f = user;
    return csv_stream_row(f->chains[chain], stats, values);
}

static void sink_finished(void *user, int chain, int warmup, int sampling, double warmup_seconds,
                          double sampling_seconds)
{
    DrawFiles *f = user;
    csv_stream_finished(f->chains[chain], warmup, sampling, warmup_seconds, sampling_seconds);
}

/* ---- opening and closing ---- */

/* DIR/MODEL_ID.csv, malloc'ed; NULL when out of memory. */
static char *chain_path(const char *dir, const char *model, int id)
{
    size_t len = strlen(dir) + strlen(model) + 32;
    char *path = malloc(len);
    if (path) snprintf(path, len, "%s/%s_%d.csv", dir, model, id);
    return path;
}

/* Frees what f holds, closing the files still open without a word. */
static void release(DrawFiles *f)
{
    char ignored[8];
    for (int c = 0; c < f->n; c++)
        if (f->chains[c]) csv_stream_close(f->chains[c], ignored, sizeof ignored);
    free(f->chains);
    ir_free_names(f->names, f->nnames);
    free(f->dir);
    free(f->model);
    memset(f, 0, sizeof *f);
}

/* dir as a directory to write in, made when missing.  Returns 0, or -1
** with why in err. */
static int make_dir(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) return 0;
    if (errno == EEXIST)
        snprintf(err, errlen, "--output-dir '%s' is a file, not a directory", dir);
    else if (errno == ENOENT)
        snprintf(err, errlen, "--output-dir '%s': its parent directory does not exist (bmc makes only the last "
                 "part)", dir);
    else
        snprintf(err, errlen, "cannot make directory '%s': %s", dir, strerror(errno));
    return -1;
}

int draw_files_open(DrawFiles *f, const char *dir, const char *model, const IrModel *ir, const SampleOptions *o,
                    char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    const RunConfig *rc = &o->cfg;
    if (make_dir(dir, err, errlen) != 0) return -1;
    f->n = rc->chains;
    f->nnames = ir_output_count(ir);
    f->chains = calloc((size_t)f->n, sizeof *f->chains);
    f->names = ir_output_names(ir);
    f->dir = strdup(dir);
    f->model = strdup(model);
    f->first_id = run_chain_id(rc, 0);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    f->opened = (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
    if (!f->chains || !f->names || !f->dir || !f->model) {
        snprintf(err, errlen, "out of memory");
        release(f);
        return -1;
    }
    bool exact = ir->dim == 0;
    CsvConfig cfg = { .model = model, .prior = o->predictive == PREDICT_PRIOR, .exact = exact,
                      .num_samples = rc->nuts.draws, .num_warmup = exact ? 0 : rc->nuts.tune,
                      .thin = rc->thin > 0 ? rc->thin : 1, .save_warmup = rc->save_warmup,
                      .target_accept = rc->nuts.target_accept, .max_depth = rc->nuts.max_treedepth,
                      .dense = nuts_resolve_metric(rc->nuts.metric, (int)ir->dim, rc->nuts.tune) == METRIC_DENSE,
                      .seed = rc->seed, .names = (const char *const *)f->names, .nvars = (int)f->nnames };
    for (int c = 0; c < f->n; c++) {
        cfg.id = run_chain_id(rc, c);
        char *path = chain_path(dir, model, cfg.id);
        if (!path) {
            snprintf(err, errlen, "out of memory");
            release(f);
            return -1;
        }
        f->chains[c] = csv_stream_open(path, &cfg, err, errlen);
        free(path);
        if (!f->chains[c]) {
            release(f);
            return -1;
        }
    }
    f->sink = (DrawSink){ .user = f, .adapted = sink_adapted, .draw = sink_draw, .finished = sink_finished };
    return 0;
}

int draw_files_close(DrawFiles *f, char *err, size_t errlen)
{
    int rc = 0;
    for (int c = 0; c < f->n; c++) {
        char why[512];
        long rows = csv_stream_rows(f->chains[c]);
        int closed = csv_stream_close(f->chains[c], why, sizeof why);
        f->chains[c] = NULL;
        if (closed != 0 && rc == 0) {
            snprintf(err, errlen, "%s; the file holds its first %ld draws, whole", why, rows);
            rc = -1;
        }
    }
    release(f);
    return rc;
}

/* The id N of name when it is MODEL_N.csv; 0 otherwise. */
static long id_of(const char *name, const char *model)
{
    size_t n = strlen(model);
    if (strncmp(name, model, n) != 0 || name[n] != '_') return 0;
    char *end;
    long id = strtol(name + n + 1, &end, 10);
    return id > 0 && name + n + 1 != end && strcmp(end, ".csv") == 0 && name[n + 1] != '0' ? id : 0;
}

void draw_files_stale(const DrawFiles *f, char *buf, size_t size)
{
    buf[0] = '\0';
    DIR *d = opendir(f->dir);
    if (!d) return;
    double ids[64];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < sizeof ids / sizeof ids[0];) {
        long id = id_of(e->d_name, f->model);
        if (!id || (id >= f->first_id && id < f->first_id + f->n)) continue;
        char *path = chain_path(f->dir, f->model, (int)id);
        struct stat st;
        /* a file written since this run began is another run's of now: not stale */
        if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
            (double)st.st_mtim.tv_sec + 1e-9 * (double)st.st_mtim.tv_nsec < f->opened) ids[n++] = (double)id;
        free(path);
    }
    closedir(d);
    gsl_sort(ids, 1, n);
    size_t used = 0;
    for (size_t k = 0; k < n && used + 1 < size; k++) {
        int w = snprintf(buf + used, size - used, "%s%s/%s_%ld.csv", k ? ", " : "", f->dir, f->model, (long)ids[k]);
        if (w < 0) break;
        used += (size_t)w;
    }
}
