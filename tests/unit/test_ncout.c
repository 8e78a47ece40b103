/*
** test_ncout.c -- ArviZ's InferenceData in netCDF-4, read back with
** libnetcdf: groups, dimensions and their coordinates (integers, places
** of some elements, factor labels), a matrix laid out row by row under
** (chain, draw), the sampler's statistics with ArviZ's names and types,
** data without draws, the attributes, and failures that leave no file.
**
** Draws are built by hand, so every expected value follows from the
** inputs, never from this code's own output.
*/
#include <dirent.h>
#include <errno.h>
#include <netcdf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ncout.h"
#include "testutil.h"

static char g_dir[64];

static int nc_init(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/test_ncout_XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int nc_clean(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The value of variable v at chain c, draw i: distinct everywhere. */
static double value(int v, int c, int i)
{
    return 100.0 * v + 10.0 * c + i + 0.25;
}

enum { CHAINS = 2, DRAWS = 3 };

/* a; m[1,1] .. m[2,3] (row by row); v[1..3]; y[2], y[4]: 12 variables. */
static Draws *fixture(void)
{
    const char *names[] = {"a", "m[1,1]", "m[1,2]", "m[1,3]", "m[2,1]", "m[2,2]", "m[2,3]",
                           "v[1]", "v[2]", "v[3]", "y_rep[2]", "y_rep[4]"};
    Draws *d = draws_new(12, names, CHAINS, DRAWS + 2);   /* room for more than is kept */
    d->ndraws = DRAWS;
    for (int v = 0; v < d->nvars; v++)
        for (int c = 0; c < CHAINS; c++)
            for (int i = 0; i < DRAWS; i++) draws_at(d, v, c)[i] = value(v, c, i);
    for (int k = 0; k < DRAW_NSTATS; k++)
        for (int c = 0; c < CHAINS; c++)
            for (int i = 0; i < DRAWS; i++) draws_stat(d, (DrawStat)k, c)[i] = k == DRAW_DIVERGENT ? i == 1 : k + c + i;
    return d;
}

static int group(int ncid, const char *name)
{
    int gid = -1;
    CU_ASSERT_EQUAL(nc_inq_grp_ncid(ncid, name, &gid), NC_NOERR);
    return gid;
}

/* Variable name of gid: its dimensions' names, joined by ',', and its type. */
static int var(int gid, const char *name, char *dims, size_t len, nc_type *type)
{
    int vid = -1, nd = 0, dimids[8];
    CU_ASSERT_EQUAL_FATAL(nc_inq_varid(gid, name, &vid), NC_NOERR);
    CU_ASSERT_EQUAL(nc_inq_var(gid, vid, NULL, type, &nd, dimids, NULL), NC_NOERR);
    dims[0] = '\0';
    for (int k = 0; k < nd; k++) {
        char dn[NC_MAX_NAME + 1];
        nc_inq_dimname(gid, dimids[k], dn);
        snprintf(dims + strlen(dims), len - strlen(dims), "%s%s", k ? "," : "", dn);
    }
    return vid;
}

static void text_attr(int gid, int vid, const char *name, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    CU_ASSERT_EQUAL_FATAL(nc_inq_attlen(gid, vid, name, &n), NC_NOERR);
    CU_ASSERT_FATAL(n < len);
    nc_get_att_text(gid, vid, name, out);
    out[n] = '\0';
}

static void test_nc_layout(void)
{
    Draws *d = fixture();
    CU_ASSERT_FATAL(d != NULL);
    static const char *const levels[] = {"A", "B", "C"};
    static const long places[] = {1, 3};
    NcVar post[] = {
        {.name = "a", .rank = 0, .dims = {1, 1}, .first = 0},
        {.name = "m", .rank = 2, .dims = {2, 3}, .first = 1},
        {.name = "v", .rank = 1, .dims = {3, 1}, .first = 7, .labels = levels},
    };
    NcVar pred[] = {{.name = "y", .rank = 1, .dims = {2, 1}, .first = 10, .index = places}};
    static const double yobs[] = {7.5, -2};
    NcVar obs[] = {{.name = "y", .rank = 1, .dims = {2, 1}, .values = yobs, .index = places}};
    NcGroup groups[] = {
        {"posterior", d, post, 3, false, true},
        {"sample_stats", d, NULL, 0, true, false},
        {"posterior_predictive", d, pred, 1, false, false},
        {"observed_data", NULL, obs, 1, false, false},
    };
    RunInfo info = {.chains = CHAINS, .draws = DRAWS, .draws_kept = DRAWS, .tune = 7, .seed = 42,
                    .seconds = 1.5, .max_treedepth = 9, .metric = "dense", .target_accept = 0.9};
    NcMeta meta = {"9.8.7", &info};
    char path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/run.nc", g_dir);
    CU_ASSERT_EQUAL_FATAL(ncout_write(path, groups, 4, &meta, err, sizeof err), 0);

    int ncid, ngrps = 0;
    CU_ASSERT_EQUAL_FATAL(nc_open(path, NC_NOWRITE, &ncid), NC_NOERR);
    nc_inq_grps(ncid, &ngrps, NULL);
    CU_ASSERT_EQUAL(ngrps, 4);
    char dims[256], text[64];
    nc_type type;

    /* posterior: coordinates, the matrix row by row, the labels */
    int g = group(ncid, "posterior");
    long long coord[8];
    int vid = var(g, "chain", dims, sizeof dims, &type);
    CU_ASSERT_STRING_EQUAL(dims, "chain");
    CU_ASSERT_EQUAL(type, NC_INT64);
    nc_get_var_longlong(g, vid, coord);
    CU_ASSERT(coord[0] == 0 && coord[1] == 1);
    vid = var(g, "draw", dims, sizeof dims, &type);
    nc_get_var_longlong(g, vid, coord);
    CU_ASSERT(coord[0] == 0 && coord[1] == 1 && coord[2] == 2);
    vid = var(g, "a", dims, sizeof dims, &type);
    CU_ASSERT_STRING_EQUAL(dims, "chain,draw");
    CU_ASSERT_EQUAL(type, NC_DOUBLE);
    double x[CHAINS * DRAWS * 6];
    nc_get_var_double(g, vid, x);
    CU_ASSERT_EQUAL(x[1 * DRAWS + 2], value(0, 1, 2));
    vid = var(g, "m", dims, sizeof dims, &type);
    CU_ASSERT_STRING_EQUAL(dims, "chain,draw,m_dim_0,m_dim_1");
    nc_get_var_double(g, vid, x);
    /* m[2,1] of chain 1, draw 2: variable 4; (c, i, r, k) at ((c*D + i)*2 + r)*3 + k */
    CU_ASSERT_EQUAL(x[((1 * DRAWS + 2) * 2 + 1) * 3 + 0], value(4, 1, 2));
    CU_ASSERT_EQUAL(x[((0 * DRAWS + 1) * 2 + 0) * 3 + 2], value(3, 0, 1));
    vid = var(g, "m_dim_1", dims, sizeof dims, &type);
    nc_get_var_longlong(g, vid, coord);
    CU_ASSERT(coord[0] == 0 && coord[1] == 1 && coord[2] == 2);
    vid = var(g, "v_dim_0", dims, sizeof dims, &type);
    CU_ASSERT_EQUAL(type, NC_STRING);
    char *labels[3] = {0};
    CU_ASSERT_EQUAL(nc_get_var_string(g, vid, labels), NC_NOERR);
    CU_ASSERT(labels[0] && strcmp(labels[0], "A") == 0 && strcmp(labels[2], "C") == 0);
    nc_free_string(3, labels);
    text_attr(g, NC_GLOBAL, "inference_library", text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "bmc");
    text_attr(g, NC_GLOBAL, "inference_library_version", text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "9.8.7");
    text_attr(g, NC_GLOBAL, "created_at", text, sizeof text);
    CU_ASSERT_EQUAL(strlen(text), strlen("2026-01-02T03:04:05+00:00"));
    text_attr(g, NC_GLOBAL, "metric", text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "dense");
    long long n;
    nc_get_att_longlong(g, NC_GLOBAL, "num_warmup", &n);
    CU_ASSERT_EQUAL(n, 7);
    nc_get_att_longlong(g, NC_GLOBAL, "seed", &n);
    CU_ASSERT_EQUAL(n, 42);
    double delta = 0;
    nc_get_att_double(g, NC_GLOBAL, "delta", &delta);
    CU_ASSERT_EQUAL(delta, 0.9);

    /* sample_stats: ArviZ's names, int64 counts, diverging as xarray's bool */
    g = group(ncid, "sample_stats");
    CU_ASSERT_EQUAL(nc_inq_attid(g, NC_GLOBAL, "num_warmup", NULL), NC_ENOTATT);   /* settings once */
    vid = var(g, "tree_depth", dims, sizeof dims, &type);
    CU_ASSERT_EQUAL(type, NC_INT64);
    long long depth[CHAINS * DRAWS];
    nc_get_var_longlong(g, vid, depth);
    CU_ASSERT_EQUAL(depth[1 * DRAWS + 2], DRAW_TREEDEPTH + 1 + 2);
    vid = var(g, "diverging", dims, sizeof dims, &type);
    CU_ASSERT_EQUAL(type, NC_BYTE);
    text_attr(g, vid, "dtype", text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "bool");
    signed char div[CHAINS * DRAWS];
    nc_get_var_schar(g, vid, div);
    CU_ASSERT(div[0] == 0 && div[1] == 1 && div[DRAWS + 1] == 1 && div[DRAWS + 2] == 0);
    vid = var(g, "lp", dims, sizeof dims, &type);
    CU_ASSERT_STRING_EQUAL(dims, "chain,draw");
    nc_get_var_double(g, vid, x);
    CU_ASSERT_EQUAL(x[DRAWS + 1], DRAW_LP + 1 + 1);
    for (const char *const *s = (const char *const[]){"acceptance_rate", "step_size", "n_steps", "energy", NULL}; *s;
         s++)
        CU_ASSERT_EQUAL(nc_inq_varid(g, *s, &vid), NC_NOERR);

    /* the replicates of some elements, at their places */
    g = group(ncid, "posterior_predictive");
    vid = var(g, "y_dim_0", dims, sizeof dims, &type);
    nc_get_var_longlong(g, vid, coord);
    CU_ASSERT(coord[0] == 1 && coord[1] == 3);
    vid = var(g, "y", dims, sizeof dims, &type);
    CU_ASSERT_STRING_EQUAL(dims, "chain,draw,y_dim_0");
    nc_get_var_double(g, vid, x);
    CU_ASSERT_EQUAL(x[(1 * DRAWS + 0) * 2 + 1], value(11, 1, 0));

    /* data: no chain, no draw */
    g = group(ncid, "observed_data");
    CU_ASSERT_EQUAL(nc_inq_varid(g, "chain", &vid), NC_ENOTVAR);
    vid = var(g, "y", dims, sizeof dims, &type);
    CU_ASSERT_STRING_EQUAL(dims, "y_dim_0");
    nc_get_var_double(g, vid, x);
    CU_ASSERT(x[0] == 7.5 && x[1] == -2);
    nc_close(ncid);
    draws_free(d);
}

/* Whether g_dir holds a file whose name starts with prefix. */
static bool left_behind(const char *prefix)
{
    DIR *dir = opendir(g_dir);
    bool found = false;
    for (struct dirent *e; dir && (e = readdir(dir));)
        found = found || strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (dir) closedir(dir);
    return found;
}

static void test_nc_failures(void)
{
    Draws *d = fixture();
    CU_ASSERT_FATAL(d != NULL);
    NcVar post[] = {{.name = "a", .rank = 0, .dims = {1, 1}, .first = 0}};
    NcGroup groups[] = {{"posterior", d, post, 1, false, true}};
    NcMeta meta = {"1.0.0", NULL};
    char path[128], err[256] = "";

    /* a directory missing: said before a run, and after one */
    snprintf(path, sizeof path, "%s/none/run.nc", g_dir);
    CU_ASSERT_EQUAL(ncout_check(path, err, sizeof err), -1);
    CU_ASSERT(strstr(err, "cannot write") && strstr(err, path) && strstr(err, strerror(ENOENT)));
    err[0] = '\0';
    CU_ASSERT_EQUAL(ncout_write(path, groups, 1, &meta, err, sizeof err), -1);
    CU_ASSERT(strstr(err, strerror(ENOENT)) != NULL);

    /* the check leaves nothing behind */
    snprintf(path, sizeof path, "%s/checked.nc", g_dir);
    CU_ASSERT_EQUAL(ncout_check(path, err, sizeof err), 0);
    CU_ASSERT_FALSE(left_behind("checked.nc"));

    /* two variables of one name: netCDF refuses, and nothing is left */
    NcVar twice[] = {post[0], post[0]};
    NcGroup bad[] = {{"posterior", d, twice, 2, false, false}};
    snprintf(path, sizeof path, "%s/twice.nc", g_dir);
    err[0] = '\0';
    CU_ASSERT_EQUAL(ncout_write(path, bad, 1, &meta, err, sizeof err), -1);
    CU_ASSERT(strstr(err, nc_strerror(NC_ENAMEINUSE)) != NULL);
    CU_ASSERT_FALSE(left_behind("twice.nc"));

    /* a write that fails midway (the file-size limit, in a child so the
    ** limit stays there): -1, and neither the temporary nor the file */
    snprintf(path, sizeof path, "%s/limited.nc", g_dir);
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {600, 600};
        setrlimit(RLIMIT_FSIZE, &lim);
        char e[256] = "";
        int rc = ncout_write(path, groups, 1, &meta, e, sizeof e);
        _exit(rc == -1 && strstr(e, path) ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CU_ASSERT_FALSE(left_behind("limited.nc"));
    draws_free(d);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"groups, dimensions, coordinates, values, attributes", test_nc_layout},
        {"failures leave no file", test_nc_failures},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"ncout_write", nc_init, nc_clean, NULL, NULL, tests},
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
