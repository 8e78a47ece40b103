/*
** test_csv.c -- one chain's draws as a CmdStan CSV file: the comments,
** header and rows read back, dense and diagonal metrics, no warm-up; the
** stream as a run writes it: the counts rewritten when a chain stopped
** early, a second writer refused, and write failures that leave whole
** rows and a header that counts them; and such files read back into
** Draws (draws_csv_read), with files written by hand as CmdStan and rstan
** write them.
**
** Draws and statistics are built by hand, so every expected value follows
** from the inputs, never from this code's own output.
*/
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "csvout.h"
#include "draws_csv.h"
#include "report_fixtures.h"
#include "testutil.h"

/* ------------------------------------------------------------------ */
/* CSV                                                                 */
/* ------------------------------------------------------------------ */

static char g_dir[64];

static int csv_init(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/test_report_XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int csv_clean(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Draws with distinct, awkward values: x = (v+1) * 1.2345678901e-3 * ...
** spanning many magnitudes and signs. */
static double draw_value(int v, int c, int i)
{
    return (v % 2 ? -1.0 : 1.0) * (1.0 + 0.123456789 * i + 0.01 * c) * pow(10.0, v * 3 - 6);
}

enum { CSV_DRAWS = 50 };

typedef struct CsvFixture {
    Draws d;
    double x[NV * 2 * CSV_DRAWS];
    double st[DRAW_NSTATS * 2 * CSV_DRAWS];
    double inv[NV * NV];
    CsvChain ch;
    RunInfo run;
} CsvFixture;

static void csv_fixture(CsvFixture *f, int chain, int dense)
{
    f->d = (Draws){ .nvars = NV, .nchains = 2, .capacity = CSV_DRAWS, .ndraws = CSV_DRAWS, .names = g_names,
                    .group = g_group, .of = g_of, .observed = g_observed, .x = f->x, .stats = f->st };
    for (int v = 0; v < NV; v++)
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < CSV_DRAWS; i++)
                f->x[((size_t)v * 2 + c) * CSV_DRAWS + i] = draw_value(v, c, i);
    f->x[((size_t)2 * 2 + chain) * CSV_DRAWS + 7] = NAN;
    for (int i = 0; i < CSV_DRAWS; i++) {
        draws_stat(&f->d, DRAW_LP, chain)[i] = -6.7482711 - i * 0.001;
        draws_stat(&f->d, DRAW_ACCEPT, chain)[i] = 0.91234567;
        draws_stat(&f->d, DRAW_STEPSIZE, chain)[i] = 0.813694;
        draws_stat(&f->d, DRAW_TREEDEPTH, chain)[i] = 1 + i % 4;
        draws_stat(&f->d, DRAW_N_LEAPFROG, chain)[i] = 3 + i % 7;
        draws_stat(&f->d, DRAW_DIVERGENT, chain)[i] = i == 13;
        draws_stat(&f->d, DRAW_ENERGY, chain)[i] = 7.1234567 + i;
    }
    for (int k = 0; k < NV * NV; k++) f->inv[k] = 0.5 + k * 0.25;
    f->ch = (CsvChain){ .chain = chain, .stepsize = 0.813694,
                        .inv_metric = f->inv, .dim = NV, .stored_dense = dense,
                        .warmup_seconds = 0.005, .sampling_seconds = 0.002 };
    f->run = healthy_run();
    f->run.chains = 2;
    f->run.draws = CSV_DRAWS;
    f->run.tune = 200;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    char *text = slurp(f);
    fclose(f);
    return text;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int count_fields(const char *line)
{
    int n = 1;
    for (const char *p = line; *p; p++) n += *p == ',';
    return n;
}

static const char *const HEADER =
    "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,"
    "p_A,p_B,diff,theta.1,theta.2";

static void test_csv_content(void)
{
    static CsvFixture f;
    csv_fixture(&f, 1, 0);
    char path[128], err[256] = "", tmp[160];
    snprintf(path, sizeof path, "%s/ab-2.csv", g_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CU_ASSERT_EQUAL_FATAL(csv_write_chain(path, &f.d, &f.ch, &f.run, err, sizeof err), 0);
    CU_ASSERT_FALSE(exists(tmp));
    char *text = read_file(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);

    /* The configuration, the adaptation and the timing comments. */
    static const char *const comments[] = {
        "# model = ab\n", "# method = sample (Default)\n", "#   sample\n",
        "#     num_samples = 50\n", "#     num_warmup = 200\n", "#     save_warmup = 0\n",
        "#     thin = 1\n", "#       engaged = 1\n", "#       delta = 0.8\n",
        "#     algorithm = hmc\n", "#         engine = nuts\n", "#             max_depth = 10\n",
        "#         metric = diag_e\n", "# id = 2\n", "# random\n#   seed = 42\n",
        "# output\n", "# stan_version_major = 2\n",
        "# Adaptation terminated\n# Step size = 0.813694\n"
        "# Diagonal elements of inverse mass matrix:\n# 0.5, 0.75, 1, 1.25, 1.5\n",
        "#  Elapsed Time: 0.005", " seconds (Warm-up)\n", "0.002000 seconds (Sampling)\n",
        "0.007000 seconds (Total)\n",
    };
    for (size_t k = 0; k < sizeof comments / sizeof comments[0]; k++) {
        if (!strstr(text, comments[k])) fprintf(stderr, "\n  missing: %s\n", comments[k]);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, comments[k]));
    }
    char want_file[160];
    snprintf(want_file, sizeof want_file, "#   file = %s\n", path);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want_file));

    /* Header, then 50 rows of as many fields, round-tripping the values;
    ** the adaptation block sits between header and first row, the timing
    ** after the last row. */
    int hdr_line = -1, rows = 0, k = 0, adapt_line = -1, time_line = -1;
    char *line;
    while ((line = line_at(text, k)) != NULL) {
        if (line[0] == '#') {
            if (strstr(line, "Adaptation terminated")) adapt_line = k;
            if (strstr(line, "Elapsed Time")) time_line = k;
        } else if (hdr_line < 0) {
            hdr_line = k;
            CU_ASSERT_STRING_EQUAL(line, HEADER);
        } else {
            CU_ASSERT_EQUAL(count_fields(line), count_fields(HEADER));
            int i = rows++;
            char *p = line;
            double got[12];
            for (int j = 0; j < 12; j++) {
                got[j] = strtod(p, &p);
                if (*p == ',') p++;
            }
            CU_ASSERT_EQUAL(*p, '\0');
            ASSERT_REL(got[0], draws_stat_const(&f.d, DRAW_LP, 1)[i], 1e-8);
            ASSERT_REL(got[1], draws_stat_const(&f.d, DRAW_ACCEPT, 1)[i], 1e-8);
            ASSERT_REL(got[2], draws_stat_const(&f.d, DRAW_STEPSIZE, 1)[i], 1e-8);
            CU_ASSERT_EQUAL(got[3], draws_stat_const(&f.d, DRAW_TREEDEPTH, 1)[i]);
            CU_ASSERT_EQUAL(got[4], draws_stat_const(&f.d, DRAW_N_LEAPFROG, 1)[i]);
            CU_ASSERT_EQUAL(got[5], draws_stat_const(&f.d, DRAW_DIVERGENT, 1)[i]);
            ASSERT_REL(got[6], draws_stat_const(&f.d, DRAW_ENERGY, 1)[i], 1e-8);
            for (int v = 0; v < NV; v++) {
                double want = f.x[((size_t)v * 2 + 1) * CSV_DRAWS + i];
                if (isnan(want)) {
                    CU_ASSERT(isnan(got[7 + v]));
                } else {
                    ASSERT_REL(got[7 + v], want, 1e-8);
                }
            }
        }
        free(line);
        k++;
    }
    CU_ASSERT_EQUAL(rows, CSV_DRAWS);
    CU_ASSERT(hdr_line >= 0 && adapt_line > hdr_line);
    CU_ASSERT(time_line > adapt_line + CSV_DRAWS);
    /* Every configuration line precedes the header. */
    char *first_row = strstr(text, HEADER);
    CU_ASSERT(strstr(text, "# model = ab") < first_row);
    CU_ASSERT(strstr(text, "num_samples") < first_row);
    free(text);
}

static void test_csv_dense_and_no_warmup(void)
{
    static CsvFixture f;
    csv_fixture(&f, 0, 1);
    char path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/dense-1.csv", g_dir);
    CU_ASSERT_EQUAL_FATAL(csv_write_chain(path, &f.d, &f.ch, &f.run, err, sizeof err), 0);
    char *text = read_file(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#         metric = dense_e\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "# id = 1\n"));
    /* Five rows of five: row r holds 0.5 + (5r + j) / 4. */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "# Elements of inverse mass matrix:\n"
                                        "# 0.5, 0.75, 1, 1.25, 1.5\n"
                                        "# 1.75, 2, 2.25, 2.5, 2.75\n"
                                        "# 3, 3.25, 3.5, 3.75, 4\n"
                                        "# 4.25, 4.5, 4.75, 5, 5.25\n"
                                        "# 5.5, 5.75, 6, 6.25, 6.5\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "Diagonal"));
    free(text);

    /* Without warm-up nothing was adapted: CmdStan writes no block then. */
    f.run.tune = 0;
    CU_ASSERT_EQUAL_FATAL(csv_write_chain(path, &f.d, &f.ch, &f.run, err, sizeof err), 0);
    text = read_file(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#       engaged = 0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#     num_warmup = 0\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "Adaptation terminated"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Elapsed Time"));
    free(text);
}

/* The rows of a file: lines that are not comments, after the header;
** each must end with its newline and have the header's field count. */
static int whole_rows(const char *text, int *bad)
{
    int rows = -1, k = 0, fields = 0;
    *bad = 0;
    char *line;
    while ((line = line_at(text, k++)) != NULL) {
        if (line[0] != '#') {
            if (rows < 0) fields = count_fields(line);
            else *bad += count_fields(line) != fields;
            rows++;
        }
        free(line);
    }
    size_t n = strlen(text);
    *bad += n > 0 && text[n - 1] != '\n';
    return rows < 0 ? 0 : rows;
}

/* A config for the fixture's five quantities. */
static CsvConfig stream_config(int num_samples, int num_warmup)
{
    return (CsvConfig){ .model = "ab", .num_samples = num_samples, .num_warmup = num_warmup, .thin = 1,
                        .target_accept = 0.8, .max_depth = 10, .id = 1, .seed = 3, .names = (const char *const *)g_names, .nvars = NV };
}

/* A chain stopped after 7 of 1000 draws (Ctrl-C): the header counts the 7,
** rewritten in place, and a second stream on the file while the first
** holds it is refused, the file untouched. */
static void test_csv_stream_stopped(void)
{
    char path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/stopped-1.csv", g_dir);
    CsvConfig cfg = stream_config(1000, 200);
    CsvStream *s = csv_stream_open(path, &cfg, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    double inv[NV] = { 1, 2, 3, 4, 5 }, stats[DRAW_NSTATS] = { -1, 0.9, 0.5, 2, 3, 0, 1 }, x[NV] = { 1, 2, 3, 4, 5 };
    CU_ASSERT_EQUAL(csv_stream_adaptation(s, 0.5, inv, NV, false), 0);
    for (int i = 0; i < 6; i++) CU_ASSERT_EQUAL(csv_stream_row(s, stats, x), 0);
    char *text = read_file(path);   /* what a reader sees mid-run: whole rows, if any yet */
    int bad;
    CU_ASSERT(whole_rows(text, &bad) <= 6);
    CU_ASSERT_EQUAL(bad, 0);
    free(text);
    /* a row that comes a tenth of a second after the last write goes to
    ** the file at once, with every row held */
    nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
    CU_ASSERT_EQUAL(csv_stream_row(s, stats, x), 0);
    text = read_file(path);
    CU_ASSERT_EQUAL(whole_rows(text, &bad), 7);
    CU_ASSERT_EQUAL(bad, 0);
    free(text);

    err[0] = '\0';
    CU_ASSERT_PTR_NULL(csv_stream_open(path, &cfg, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "being written by another run"));
    text = read_file(path);
    CU_ASSERT_EQUAL(whole_rows(text, &bad), 7);
    free(text);

    csv_stream_finished(s, 200, 7, 0.5, 0.25);
    CU_ASSERT_EQUAL(csv_stream_close(s, err, sizeof err), 0);
    text = read_file(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#     num_samples = 7   \n"));   /* the width of "1000" kept */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#     num_warmup = 200\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "0.250000 seconds (Sampling)"));
    CU_ASSERT_EQUAL(whole_rows(text, &bad), 7);
    CU_ASSERT_EQUAL(bad, 0);
    free(text);

    /* stopped in the warm-up, with its draws saved (every 2nd of 200): 3 rows */
    snprintf(path, sizeof path, "%s/warmup-1.csv", g_dir);
    cfg.save_warmup = true;
    cfg.thin = 2;
    s = csv_stream_open(path, &cfg, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    for (int i = 0; i < 3; i++) CU_ASSERT_EQUAL(csv_stream_row(s, stats, x), 0);
    csv_stream_finished(s, 5, 0, 0.1, 0);
    CU_ASSERT_EQUAL(csv_stream_close(s, err, sizeof err), 0);
    text = read_file(path);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#     num_samples = 0   \n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#     num_warmup = 5  \n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "#     save_warmup = 1\n#     thin = 2\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "Adaptation terminated"));
    free(text);
}

static void test_csv_failures(void)
{
    static CsvFixture f;
    csv_fixture(&f, 0, 0);
    char path[160], err[256];

    /* A directory that does not exist. */
    snprintf(path, sizeof path, "%s/no/such/dir/ab-1.csv", g_dir);
    err[0] = '\0';
    CU_ASSERT_EQUAL(csv_write_chain(path, &f.d, &f.ch, &f.run, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, strerror(ENOENT)));

    /* A directory that is a file. */
    char file[128];
    snprintf(file, sizeof file, "%s/plain", g_dir);
    FILE *pf = fopen(file, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
    fclose(pf);
    snprintf(path, sizeof path, "%s/ab-1.csv", file);
    err[0] = '\0';
    CU_ASSERT_EQUAL(csv_write_chain(path, &f.d, &f.ch, &f.run, err, sizeof err), -1);
    CU_ASSERT(strlen(err) > 0);

    /* The name is taken by a directory. */
    snprintf(path, sizeof path, "%s/taken.csv", g_dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    err[0] = '\0';
    CU_ASSERT_EQUAL(csv_write_chain(path, &f.d, &f.ch, &f.run, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, strerror(EISDIR)));

    /* A write that fails midway (the file-size limit, in a child so the
    ** limit stays there) through a stream of 1000 rows, held and written
    ** in pieces: -1, and the file holds whole rows, as many as its
    ** num_samples says, and as many as the stream says it wrote. */
    snprintf(path, sizeof path, "%s/limited.csv", g_dir);
    fflush(NULL);
    int fds[2];
    CU_ASSERT_FATAL(pipe(fds) == 0);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = { 30000, 30000 };
        setrlimit(RLIMIT_FSIZE, &lim);
        char e[256] = "";
        CsvConfig cfg = stream_config(1000, 0);
        CsvStream *s = csv_stream_open(path, &cfg, e, sizeof e);
        double stats[DRAW_NSTATS] = { -1, 0.9, 0.5, 2, 3, 0, 1 }, x[NV] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
        int made = 0;
        while (s && made < 1000 && csv_stream_row(s, stats, x) == 0) made++;
        if (s) csv_stream_finished(s, 0, made < 1000 ? made : 1000, 0.0, 0.1);
        long written = s ? csv_stream_rows(s) : -1;
        int rc = s ? csv_stream_close(s, e, sizeof e) : 0;
        _exit(write(fds[1], &written, sizeof written) == sizeof written && rc == -1 && strstr(e, path)
              && strstr(e, strerror(EFBIG)) ? 0 : 1);
    }
    close(fds[1]);
    long written = -1;
    CU_ASSERT_EQUAL(read(fds[0], &written, sizeof written), (ssize_t)sizeof written);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *text = read_file(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    int bad, rows = whole_rows(text, &bad);
    CU_ASSERT(rows > 0 && rows < 1000);
    CU_ASSERT_EQUAL(rows, written);
    CU_ASSERT_EQUAL(bad, 0);
    char want[64];
    snprintf(want, sizeof want, "#     num_samples = %-4d\n", rows);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    free(text);
}

/* ------------------------------------------------------------------ */
/* Reading back                                                        */
/* ------------------------------------------------------------------ */

/* Two chains written, then read: every name, value (to the nine digits
** written) and statistic as it was, the NaN a NaN, the settings read. */
static void test_read_round_trip(void)
{
    CsvFixture f[2];
    char paths[2][128];
    for (int c = 0; c < 2; c++) {
        csv_fixture(&f[c], c, 0);
        snprintf(paths[c], sizeof paths[c], "%s/rt_%d.csv", g_dir, c + 1);
        char e[256] = "";
        CU_ASSERT_EQUAL_FATAL(csv_write_chain(paths[c], &f[c].d, &f[c].ch, &f[c].run, e, sizeof e), 0);
    }
    const char *p[2] = { paths[0], paths[1] };
    Draws *d = NULL;
    DrawsCsvRun run;
    DrawsCsvError err;
    CU_ASSERT_EQUAL_FATAL(draws_csv_read(p, 2, &d, &run, &err), 0);
    CU_ASSERT_EQUAL(d->nvars, NV);
    CU_ASSERT_EQUAL(d->nchains, 2);
    CU_ASSERT_EQUAL(d->ndraws, CSV_DRAWS);
    for (int v = 0; v < NV; v++) CU_ASSERT_STRING_EQUAL(d->names[v], g_names[v]);
    for (int c = 0; c < 2; c++)
        for (int v = 0; v < NV; v++)
            for (int i = 0; i < CSV_DRAWS; i++) {
                double want = f[c].x[((size_t)v * 2 + c) * CSV_DRAWS + i], got = draws_at(d, v, c)[i];
                if (isnan(want)) {
                    CU_ASSERT(isnan(got));
                } else {
                    ASSERT_REL(got, want, 5e-9);
                }
            }
    for (int k = 0; k < DRAW_NSTATS; k++) {
        CU_ASSERT(run.has_stat[k]);
        for (int i = 0; i < CSV_DRAWS; i++)
            ASSERT_REL(draws_stat(d, (DrawStat)k, 1)[i], draws_stat(&f[1].d, (DrawStat)k, 1)[i], 5e-9);
    }
    CU_ASSERT_EQUAL(run.num_samples, CSV_DRAWS);
    CU_ASSERT_EQUAL(run.num_warmup, 200);
    CU_ASSERT_EQUAL(run.max_depth, f[0].run.max_treedepth);
    CU_ASSERT(run.seed_given && run.seed == f[0].run.seed);
    CU_ASSERT_FALSE(run.cut_short[0] || run.cut_short[1]);
    draws_free(d);
    draws_csv_run_free(&run);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* CmdStan's names of a matrix and of labelled elements, a sampler column
** bmc does not keep, the sampler's columns that are missing (NAN, not
** recorded), CRLF line ends, and rstan's settings. */
static void test_read_by_hand(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/hand.csv", g_dir);
    write_text(path, "# iter=5\r\n# warmup=3\r\n# save_warmup=1\r\n"
                     "lp__,x.2.3,p.A,mystery__\r\n-1,1,2,9\r\n-1,1,2,9\r\n-1,1,2,9\r\n"
                     "# Adaptation terminated\r\n-2,3,4,9\r\n-3,5,6,9\r\n");
    const char *p[1] = { path };
    Draws *d = NULL;
    DrawsCsvRun run;
    DrawsCsvError err;
    CU_ASSERT_EQUAL_FATAL(draws_csv_read(p, 1, &d, &run, &err), 0);
    CU_ASSERT_EQUAL_FATAL(d->nvars, 2);
    CU_ASSERT_STRING_EQUAL(d->names[0], "x[2,3]");
    CU_ASSERT_STRING_EQUAL(d->names[1], "p[A]");
    CU_ASSERT_EQUAL(d->ndraws, 2);
    CU_ASSERT_EQUAL(draws_at(d, 1, 0)[1], 6);
    CU_ASSERT_EQUAL(draws_stat(d, DRAW_LP, 0)[0], -2);
    CU_ASSERT(run.has_stat[DRAW_LP]);
    CU_ASSERT_FALSE(run.has_stat[DRAW_DIVERGENT]);
    CU_ASSERT(isnan(draws_stat(d, DRAW_DIVERGENT, 0)[0]));
    CU_ASSERT_EQUAL(run.num_samples, 2);
    CU_ASSERT_FALSE(run.cut_short[0]);
    draws_free(d);
    draws_csv_run_free(&run);

    char name[64];
    draws_csv_column_name("X[2, 3]", name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "X.2.3");
}

/* Each value as %.9g writes it: whole numbers take a path of their own,
** which must agree with printf at its edges (signs, zero, 10^9). */
static void test_put_value(void)
{
    const double xs[] = { 0, -0.0, 1, -1, 7, 10, 99, 100, 12345, -12345, 999999999, -999999999, 1e9, -1e9,
                          1e9 + 1, 4294967296.0, 1e15, 1e300, 0.5, -0.5, 2.5, 1e-300, 0.1, 123456789.5,
                          0.126097661, -0.00737081468, 5e-324, 1.5e9 };
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        char want[64], *got = NULL;
        size_t len = 0;
        snprintf(want, sizeof want, "%.9g", xs[i]);
        FILE *f = open_memstream(&got, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        csv_put_value(f, xs[i]);
        fclose(f);
        if (strcmp(got, want) != 0) printf("\n  %.17g: got %s, want %s\n", xs[i], got, want);
        CU_ASSERT_STRING_EQUAL(got, want);
        free(got);
    }
    for (long v = -100000; v <= 100000; v += 7) {   /* every digit count, both signs */
        char want[64], *got = NULL;
        size_t len = 0;
        snprintf(want, sizeof want, "%.9g", (double)v * 997);
        FILE *f = open_memstream(&got, &len);
        csv_put_value(f, (double)v * 997);
        fclose(f);
        CU_ASSERT_STRING_EQUAL(got, want);
        free(got);
    }
    const char *spelled[] = { "nan", "inf", "-inf" };
    const double special[] = { NAN, INFINITY, -INFINITY };
    for (int i = 0; i < 3; i++) {
        char *got = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&got, &len);
        csv_put_value(f, special[i]);
        fclose(f);
        CU_ASSERT_STRING_EQUAL(got, spelled[i]);
        free(got);
    }
}

int main(void)
{
    CU_TestInfo csv_tests[] = {
        { "comments, header, rows round-trip", test_csv_content },
        { "dense metric; no warm-up", test_csv_dense_and_no_warmup },
        { "a stream stopped early; a second writer", test_csv_stream_stopped },
        { "write failures leave whole rows", test_csv_failures },
        { "values as %.9g writes them", test_put_value },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo read_tests[] = {
        { "written files read back", test_read_round_trip },
        { "CmdStan's and rstan's ways", test_read_by_hand },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "csv_write_chain", csv_init, csv_clean, NULL, NULL, csv_tests },
        { "draws_csv_read", csv_init, csv_clean, NULL, NULL, read_tests },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
