/*
** test_plot.c -- pictures: the cairo trace, posterior and forest plots,
** posterior predictive checks and priors against posteriors in PNG, SVG
** and PDF, and the character sketches of termplot.
**
** Files are checked by what the formats promise (PNG read back by cairo
** at the size asked for, the SVG and PDF signatures) and by pixels that
** only appear when the picture shows what it should: a chain's colour
** spread over many rows only when its draws vary, black divergence ticks
** only for divergent draws, the orange reference line only where the
** rule puts one.  Expected numbers are counted by hand in the comments.
*/
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "draws.h"
#include "plot.h"
#include "plot_canvas.h"
#include "plot_density.h"
#include "plot_figures.h"
#include "summary.h"
#include "termplot.h"
#include "testutil.h"

/* Under LeakSanitizer: fontconfig loses a few hundred bytes while it
** parses its configuration, once per process, whatever the caller does.
** LSan reads this hook for its default suppressions. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static char g_dir[64];

static int dir_init(void)
{
    snprintf(g_dir, sizeof g_dir, "%s", "/tmp/bmc-plot-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int dir_clean(void)
{
    /* every file a test writes is removed by that test */
    return rmdir(g_dir) == 0 ? 0 : -1;
}

static const char *in_dir(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", g_dir, name);
    return buf;
}

typedef enum { FILL_NORMAL, FILL_CONSTANT, FILL_COINS } Fill;

/* nvars variables of nchains x ndraws draws: standard normal (seeded),
** the constant 0.25, or 0/1 coin flips. */
static Draws *make_draws(int nvars, const char *const *names, int nchains, int ndraws, Fill fill,
                         unsigned long seed)
{
    Draws *d = draws_new(nvars, names, nchains, ndraws);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    d->ndraws = ndraws;
    for (int v = 0; v < nvars; v++)
        for (int c = 0; c < nchains; c++) {
            double *x = draws_at(d, v, c);
            for (int i = 0; i < ndraws; i++)
                x[i] = fill == FILL_NORMAL ? 0.1 * v + gsl_ran_gaussian(r, 1.0)
                     : fill == FILL_CONSTANT ? 0.25
                     : (double)(gsl_rng_uniform(r) < 0.7);
        }
    gsl_rng_free(r);
    return d;
}

static PlotOptions options(PlotKind kind)
{
    return (PlotOptions){ .kind = kind, .hdi_prob = 0.94, .which = NULL, .nwhich = 0,
                          .ref_val = 0.0, .ref_val_given = false, .title = "test" };
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The first len bytes of path, NUL-terminated (caller frees). */
static char *read_head(const char *path, size_t len)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(len + 1, 1);
    if (f) {
        size_t got = fread(buf, 1, len, f);
        buf[got] = '\0';
        fclose(f);
    }
    return buf;
}

/* A PNG read back, or NULL. */
static cairo_surface_t *load_png(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_flush(s);
    return s;
}

typedef bool (*PixelTest)(int r, int g, int b);

/* Pixels in the box [x0, x1) x [y0, y1) that pass test; with rows (or
** cols) not NULL, also the number of distinct rows (columns) holding
** one. */
static long count_pixels(cairo_surface_t *s, int x0, int x1, int y0, int y1, PixelTest test, int *rows, int *cols)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    long n = 0;
    if (rows) *rows = 0;
    if (cols) *cols = 0;
    bool *col_seen = calloc((size_t)w, sizeof *col_seen);
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++) {
        bool row_seen = false;
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++) {
            /* native-endian 0xAARRGGBB words */
            uint32_t p = *(const uint32_t *)(data + (size_t)y * (size_t)stride + 4 * (size_t)x);
            if (!test((int)(p >> 16 & 0xff), (int)(p >> 8 & 0xff), (int)(p & 0xff))) continue;
            n++;
            row_seen = true;
            if (cols && !col_seen[x]) {
                col_seen[x] = true;
                (*cols)++;
            }
        }
        if (rows && row_seen) (*rows)++;
    }
    free(col_seen);
    return n;
}

/* tab10 blue (31,119,180), pure or blended with white */
static bool is_blue(int r, int g, int b) { (void)g; return b - r > 60; }
/* black divergence ticks (the darkest text is 10% grey, 25) */
static bool is_black(int r, int g, int b) { return r < 20 && g < 20 && b < 20; }
/* tab10 orange (255,127,14) of the reference line */
static bool is_orange(int r, int g, int b) { return r > 200 && g > 90 && g < 190 && b < 100; }

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static void test_kind_parse(void)
{
    PlotKind k = PLOT_FOREST;
    CU_ASSERT_EQUAL(plot_kind_parse("trace", &k), 0);
    CU_ASSERT_EQUAL(k, PLOT_TRACE);
    CU_ASSERT_EQUAL(plot_kind_parse("posterior", &k), 0);
    CU_ASSERT_EQUAL(k, PLOT_POSTERIOR);
    CU_ASSERT_EQUAL(plot_kind_parse("forest", &k), 0);
    CU_ASSERT_EQUAL(k, PLOT_FOREST);
    CU_ASSERT_EQUAL(plot_kind_parse("ppc", &k), 0);
    CU_ASSERT_EQUAL(k, PLOT_PPC);
    CU_ASSERT_EQUAL(plot_kind_parse("prior", &k), 0);
    CU_ASSERT_EQUAL(k, PLOT_PRIOR);
    CU_ASSERT_PTR_NOT_NULL(strstr(PLOT_KIND_NAMES, "ppc"));
    CU_ASSERT_PTR_NOT_NULL(strstr(PLOT_KIND_NAMES, "prior"));
    k = PLOT_FOREST;
    CU_ASSERT_EQUAL(plot_kind_parse("Trace", &k), -1);
    CU_ASSERT_EQUAL(plot_kind_parse("", &k), -1);
    CU_ASSERT_EQUAL(plot_kind_parse("histogram", &k), -1);
    CU_ASSERT_EQUAL(plot_kind_parse(NULL, &k), -1);
    CU_ASSERT_EQUAL(k, PLOT_FOREST);        /* untouched on failure */
}

static void test_format_of(void)
{
    CU_ASSERT_EQUAL(plot_format_of("ab.png"), PLOT_FORMAT_PNG);
    CU_ASSERT_EQUAL(plot_format_of("/tmp/AB.PNG"), PLOT_FORMAT_PNG);
    CU_ASSERT_EQUAL(plot_format_of("out/trace.Svg"), PLOT_FORMAT_SVG);
    CU_ASSERT_EQUAL(plot_format_of("x.pdf"), PLOT_FORMAT_PDF);
    CU_ASSERT_EQUAL(plot_format_of("x.jpg"), PLOT_FORMAT_NONE);
    CU_ASSERT_EQUAL(plot_format_of("x.png.bak"), PLOT_FORMAT_NONE);
    CU_ASSERT_EQUAL(plot_format_of("png"), PLOT_FORMAT_NONE);
    CU_ASSERT_EQUAL(plot_format_of("dir.png/plot"), PLOT_FORMAT_NONE);
    CU_ASSERT_EQUAL(plot_format_of(""), PLOT_FORMAT_NONE);
    CU_ASSERT_EQUAL(plot_format_of(NULL), PLOT_FORMAT_NONE);
}

/* ------------------------------------------------------------------ */
/* The reference-value label                                           */
/* ------------------------------------------------------------------ */

static void test_ref_text(void)
{
    char buf[64];
    /* 7 finite draws (NaN and inf left out); below 0: -2, -1 (2 of 7 =
    ** 28.57%); at or above: 0, 1, 2, 3, 5 (5 of 7 = 71.43%) */
    const double x[] = { -2, -1, 0, 1, 2, 3, NAN, 5, INFINITY };
    CU_ASSERT_EQUAL(plot_ref_text(x, 9, 0.0, buf, sizeof buf), 7);
    CU_ASSERT_STRING_EQUAL(buf, "28.6% < 0 < 71.4%");
    /* ref 2.5: below are -2, -1, 0, 1, 2 (5 of 7 = 71.43%) */
    plot_ref_text(x, 9, 2.5, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "71.4% < 2.5 < 28.6%");
    /* all draws above: 0% and 100% */
    const double y[] = { 0.01, 0.02, 0.03, 0.04 };
    plot_ref_text(y, 4, 0.0, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0.0% < 0 < 100.0%");
    /* 1000 draws i/1000, i = 0..999, ref 0.123: i < 123 are below */
    double z[1000];
    for (int i = 0; i < 1000; i++) z[i] = i / 1000.0;
    plot_ref_text(z, 1000, 0.1225, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "12.3% < 0.1225 < 87.7%");
    /* no finite draws: no shares */
    const double w[] = { NAN };
    CU_ASSERT_EQUAL(plot_ref_text(w, 1, 0.0, buf, sizeof buf), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "nan"));
}

/* ------------------------------------------------------------------ */
/* Files of every kind and format                                      */
/* ------------------------------------------------------------------ */

static const char *const NAMES[] = { "p_A", "p_B", "diff", "theta[1]" };

/* Writes d as kind into name; checks the file by its format.  Returns
** the PNG's height (or 0 for the other formats, -1 on failure). */
static int write_and_check(const char *name, const Draws *d, PlotKind kind)
{
    char path[128], err[256] = "";
    in_dir(path, sizeof path, name);
    VarSummary s[8];
    CU_ASSERT_FATAL(d->nvars <= 8);
    summary_compute(d, 0.94, 1, s);
    PlotOptions o = options(kind);
    int rc = plot_draws(path, d, s, &o, err, sizeof err);
    if (rc != 0) fprintf(stderr, "\n  %s: %s\n", name, err);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT(file_size(path) > 0);
    int height = -1;
    switch (plot_format_of(path)) {
    case PLOT_FORMAT_PNG: {
        cairo_surface_t *png = load_png(path);
        CU_ASSERT_PTR_NOT_NULL(png);
        if (png) {
            /* 1000 px wide as asked for; the forest plot is narrower */
            CU_ASSERT_EQUAL(cairo_image_surface_get_width(png), kind == PLOT_FOREST ? 800 : 1000);
            height = cairo_image_surface_get_height(png);
            cairo_surface_destroy(png);
        }
        break;
    }
    case PLOT_FORMAT_SVG: {
        char *head = read_head(path, 4096);
        CU_ASSERT_NSTRING_EQUAL(head, "<?xml", 5);
        CU_ASSERT_PTR_NOT_NULL(strstr(head, "<svg"));
        /* the same proportions in points: 1000 px = 750 pt */
        CU_ASSERT_PTR_NOT_NULL(strstr(head, kind == PLOT_FOREST ? "width=\"600pt\"" : "width=\"750pt\""));
        free(head);
        height = 0;
        break;
    }
    case PLOT_FORMAT_PDF: {
        char *head = read_head(path, 8);
        CU_ASSERT_NSTRING_EQUAL(head, "%PDF", 4);
        free(head);
        height = 0;
        break;
    }
    default:
        CU_FAIL("unexpected format");
    }
    remove(path);
    return height;
}

static void test_every_kind_and_format(void)
{
    Draws *d = make_draws(4, NAMES, 4, 300, FILL_NORMAL, 1);
    const char *kinds[] = { "trace", "posterior", "forest" };
    const char *exts[] = { "png", "svg", "pdf" };
    for (int k = 0; k < 3; k++)
        for (int e = 0; e < 3; e++) {
            char name[64];
            snprintf(name, sizeof name, "%s.%s", kinds[k], exts[e]);
            PlotKind kind;
            plot_kind_parse(kinds[k], &kind);
            CU_ASSERT(write_and_check(name, d, kind) >= 0);
        }
    draws_free(d);
}

/* Trace plots take 220 px per variable; posterior plots put three
** variables on a row. */
static void test_sizes(void)
{
    Draws *one = make_draws(1, NAMES, 2, 100, FILL_NORMAL, 2);
    Draws *three = make_draws(3, NAMES, 2, 100, FILL_NORMAL, 2);
    Draws *four = make_draws(4, NAMES, 2, 100, FILL_NORMAL, 2);
    int h1 = write_and_check("t1.png", one, PLOT_TRACE);
    int h3 = write_and_check("t3.png", three, PLOT_TRACE);
    CU_ASSERT_EQUAL(h3 - h1, 2 * 220);
    int p3 = write_and_check("p3.png", three, PLOT_POSTERIOR);
    int p4 = write_and_check("p4.png", four, PLOT_POSTERIOR);
    int p1 = write_and_check("p1.png", one, PLOT_POSTERIOR);
    CU_ASSERT_EQUAL(p3, p1);     /* one row */
    CU_ASSERT(p4 > p3);          /* two rows */
    draws_free(one);
    draws_free(three);
    draws_free(four);
}

/* ------------------------------------------------------------------ */
/* What the pictures show                                              */
/* ------------------------------------------------------------------ */

/* One chain, one variable: the trace panel is the right half of the
** picture and the density panel the left half, between the title line
** and the bottom. */
static void blue_extent(const char *name, Fill fill, int *trace_rows, int *density_cols)
{
    char path[128], err[256];
    Draws *d = make_draws(1, NAMES, 1, 500, fill, 3);
    PlotOptions o = options(PLOT_TRACE);
    CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, name), d, NULL, &o, err, sizeof err), 0);
    cairo_surface_t *png = load_png(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    count_pixels(png, w / 2, w, 0, h, is_blue, trace_rows, NULL);
    count_pixels(png, 0, w / 2, 0, h, is_blue, NULL, density_cols);
    cairo_surface_destroy(png);
    remove(path);
    draws_free(d);
}

static void test_trace_shows_the_draws(void)
{
    int rows_const, cols_const, rows_normal, cols_normal;
    blue_extent("const.png", FILL_CONSTANT, &rows_const, &cols_const);
    blue_extent("normal.png", FILL_NORMAL, &rows_normal, &cols_normal);
    /* constant draws: a flat line (a few pixel rows, antialiased) and a
    ** spike for the density (a few pixel columns) */
    CU_ASSERT(rows_const >= 1 && rows_const <= 4);
    CU_ASSERT(cols_const >= 1 && cols_const <= 4);
    /* varying draws fill much of the trace panel's height, and the
    ** density spans much of its panel's width */
    CU_ASSERT(rows_normal > 60);
    CU_ASSERT(cols_normal > 150);
}

static void test_divergences_marked(void)
{
    char path[128], err[256];
    Draws *d = make_draws(1, NAMES, 2, 200, FILL_NORMAL, 4);
    PlotOptions o = options(PLOT_TRACE);
    long black[2];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            for (int i = 10; i < 200; i += 20) draws_stat(d, DRAW_DIVERGENT, 1)[i] = 1;   /* 10 divergent draws in chain 2 */
        CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, "div.png"), d, NULL, &o, err, sizeof err), 0);
        cairo_surface_t *png = load_png(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(png);
        black[pass] = count_pixels(png, 0, cairo_image_surface_get_width(png), 0,
                                   cairo_image_surface_get_height(png), is_black, NULL, NULL);
        cairo_surface_destroy(png);
        remove(path);
    }
    /* ten ticks in each panel, several black pixels each; none without */
    CU_ASSERT_EQUAL(black[0], 0);
    CU_ASSERT(black[1] > 40);
    draws_free(d);
}

static long orange_pixels(const char *name, const Draws *d, bool given)
{
    char path[128], err[256];
    PlotOptions o = options(PLOT_POSTERIOR);
    o.ref_val_given = given;
    o.ref_val = 0.5;
    CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, name), d, NULL, &o, err, sizeof err), 0);
    cairo_surface_t *png = load_png(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    long n = count_pixels(png, 0, cairo_image_surface_get_width(png), 0, cairo_image_surface_get_height(png),
                          is_orange, NULL, NULL);
    cairo_surface_destroy(png);
    remove(path);
    return n;
}

/* The reference line: at 0 for names starting "diff", for every variable
** when given, else none. */
static void test_reference_line(void)
{
    const char *diff[] = { "diff_rate" }, *other[] = { "delta" };
    Draws *a = make_draws(1, diff, 2, 300, FILL_NORMAL, 5);
    Draws *b = make_draws(1, other, 2, 300, FILL_NORMAL, 5);
    CU_ASSERT(orange_pixels("ref1.png", a, false) > 50);
    CU_ASSERT_EQUAL(orange_pixels("ref2.png", b, false), 0);
    CU_ASSERT(orange_pixels("ref3.png", b, true) > 50);
    draws_free(a);
    draws_free(b);
}

/* ------------------------------------------------------------------ */
/* Forest plots of several models                                      */
/* ------------------------------------------------------------------ */

static void test_forest_models(void)
{
    const char *n1[] = { "mu", "tau", "only_in_1" }, *n2[] = { "tau", "other", "mu" }, *n3[] = { "x" };
    Draws *a = make_draws(3, n1, 2, 200, FILL_NORMAL, 6);
    Draws *b = make_draws(3, n2, 2, 200, FILL_NORMAL, 7);
    Draws *c = make_draws(1, n3, 2, 200, FILL_NORMAL, 8);
    const Draws *ab[] = { a, b }, *ac[] = { a, c };
    const char *labels[] = { "pooled", "hierarchical" };
    PlotOptions o = options(PLOT_FOREST);
    char path[128], err[256] = "";
    in_dir(path, sizeof path, "forest.png");
    CU_ASSERT_EQUAL(plot_forest_models(path, 2, labels, ab, NULL, &o, err, sizeof err), 0);
    cairo_surface_t *png = load_png(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    /* the second model's colour is there */
    CU_ASSERT(count_pixels(png, 0, 800, 0, cairo_image_surface_get_height(png), is_orange, NULL, NULL) > 50);
    int h2 = cairo_image_surface_get_height(png);
    cairo_surface_destroy(png);
    remove(path);
    /* one model alone, its two variables: fewer rows than two models' */
    o.which = (const int[]){ 0, 1 };
    o.nwhich = 2;
    CU_ASSERT_EQUAL(plot_forest_models(path, 1, labels, ab, NULL, &o, err, sizeof err), 0);
    png = load_png(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    CU_ASSERT(cairo_image_surface_get_height(png) < h2);
    cairo_surface_destroy(png);
    remove(path);
    o.which = NULL;
    o.nwhich = 0;
    /* nothing shared */
    CU_ASSERT_EQUAL(plot_forest_models(path, 2, labels, ac, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "share no variable"));
    CU_ASSERT_EQUAL(file_size(path), -1);
    draws_free(a);
    draws_free(b);
    draws_free(c);
}

/* ------------------------------------------------------------------ */
/* Errors and awkward draws                                            */
/* ------------------------------------------------------------------ */

static void test_errors(void)
{
    Draws *d = make_draws(2, NAMES, 2, 50, FILL_NORMAL, 9);
    PlotOptions o = options(PLOT_TRACE);
    char err[256] = "", path[128];

    CU_ASSERT_EQUAL(plot_draws("/nonexistent-bmc-dir/x.png", d, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot write '/nonexistent-bmc-dir/x.png'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file or directory"));

    err[0] = '\0';
    in_dir(path, sizeof path, "x.jpg");
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ".png, .svg or .pdf"));
    CU_ASSERT_EQUAL(file_size(path), -1);

    /* a directory is not a file */
    err[0] = '\0';
    char dirpng[128];
    in_dir(dirpng, sizeof dirpng, "dir.png");
    CU_ASSERT_EQUAL_FATAL(mkdir(dirpng, 0700), 0);
    CU_ASSERT_EQUAL(plot_draws(dirpng, d, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot write"));
    rmdir(dirpng);

    /* nothing to draw: no kept draws, an empty selection, a bad index */
    in_dir(path, sizeof path, "empty.png");
    d->ndraws = 0;
    err[0] = '\0';
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "nothing to draw"));
    d->ndraws = 50;
    o.which = (const int[]){ 0 };
    o.nwhich = 0;
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), -1);
    o.which = (const int[]){ 0, 7 };
    o.nwhich = 2;
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_EQUAL(file_size(path), -1);
    draws_free(d);
}

/* Every kind in every format must survive these draws. */
static void all_kinds(const char *stem, const Draws *d)
{
    static const PlotKind kinds[] = { PLOT_TRACE, PLOT_POSTERIOR, PLOT_FOREST };
    static const char *const exts[] = { "png", "svg", "pdf" };
    for (int k = 0; k < 3; k++)
        for (int e = 0; e < 3; e++) {
            char name[64];
            snprintf(name, sizeof name, "%s%d.%s", stem, k, exts[e]);
            CU_ASSERT(write_and_check(name, d, kinds[k]) >= 0);
        }
}

static void test_awkward_draws(void)
{
    /* NaN and infinite draws among normal ones, and a variable with none
    ** finite at all */
    Draws *d = make_draws(3, NAMES, 2, 100, FILL_NORMAL, 10);
    for (int i = 0; i < 100; i += 7) draws_at(d, 0, 1)[i] = NAN;
    draws_at(d, 1, 0)[3] = INFINITY;
    draws_at(d, 1, 1)[5] = -INFINITY;
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < 100; i++) draws_at(d, 2, c)[i] = NAN;
    all_kinds("nan", d);
    draws_free(d);

    /* a single draw */
    d = make_draws(2, NAMES, 1, 1, FILL_NORMAL, 11);
    all_kinds("one", d);
    draws_free(d);

    /* constant draws, and 0/1 draws (drawn as bars) */
    d = make_draws(2, NAMES, 3, 100, FILL_CONSTANT, 12);
    all_kinds("const", d);
    draws_free(d);
    d = make_draws(3, NAMES, 3, 100, FILL_COINS, 13);
    all_kinds("coin", d);
    draws_free(d);

    /* names and titles that are not valid UTF-8 (cairo refuses such
    ** strings for good) */
    const char *odd[] = { "caf\xe9", "\xc3(", "ok" };
    d = make_draws(3, odd, 2, 50, FILL_NORMAL, 15);
    {
        char path[128], err[256] = "";
        PlotOptions o = options(PLOT_POSTERIOR);
        o.title = "model \xff\xfe";
        for (int f = 0; f < 3; f++) {
            static const char *const files[] = { "odd.png", "odd.svg", "odd.pdf" };
            CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, files[f]), d, NULL, &o, err, sizeof err), 0);
            remove(path);
        }
        const Draws *two[] = { d, d };
        const char *labels[] = { "\xed\xa0\x80 surrogate", "\xf0\x9f\x98\x80 fine" };
        o.kind = PLOT_FOREST;
        CU_ASSERT_EQUAL(plot_forest_models(in_dir(path, sizeof path, "odd2.png"), 2, labels, two, NULL, &o, err,
                                           sizeof err), 0);
        remove(path);
    }
    draws_free(d);

    /* more variables than panels: drawn, with a note */
    const char *many[50];
    char buf[50][24];
    for (int v = 0; v < 50; v++) {
        snprintf(buf[v], sizeof buf[v], "theta[%d]", v + 1);
        many[v] = buf[v];
    }
    d = make_draws(50, many, 1, 20, FILL_NORMAL, 14);
    char path[128], err[256];
    PlotOptions o = options(PLOT_TRACE);
    CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, "many.png"), d, NULL, &o, err, sizeof err), 0);
    remove(path);
    draws_free(d);
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

/* A picture of draws in other units is the same picture: draws times
** 2^k (exact) or 10^k give a view and a density whose ends scale with
** them and whose heights scale inversely, from 1e-300 to 1e300.  Sums of
** squares underflowed to a bandwidth of 0 (a spike), an absolute
** threshold widened ranges below 1e-12 into a flat line, and labels
** showed values below 1e-12 as 0. */
static void expect_view_scaled(const View *w, const Curve *c, const View *w0, const Curve *c0, double scale,
                               double rel)
{
    CU_ASSERT_EQUAL(c->kind, c0->kind);
    CU_ASSERT_EQUAL(c->n, c0->n);
    ASSERT_REL(w->lo, scale * w0->lo, rel);
    ASSERT_REL(w->hi, scale * w0->hi, rel);
    ASSERT_REL(w->hdi_lo, scale * w0->hdi_lo, rel);
    ASSERT_REL(w->hdi_hi, scale * w0->hdi_hi, rel);
    ASSERT_REL(w->mean, scale * w0->mean, 1e3 * rel + 1e-12);   /* a sum of both signs */
    ASSERT_REL(c->lo, scale * c0->lo, rel);
    ASSERT_REL(c->hi, scale * c0->hi, rel);
    ASSERT_REL(c->ymax, c0->ymax / scale, 1e3 * rel + 1e-12);
    double lo, hi, lo0, hi0;
    plot_view_xrange(w, &lo, &hi);
    plot_view_xrange(w0, &lo0, &hi0);
    ASSERT_REL(lo, scale * lo0, 1e3 * rel + 1e-12);
    ASSERT_REL(hi, scale * hi0, 1e3 * rel + 1e-12);
}

static void view_of(const Draws *d, View *w, Curve *c)
{
    CU_ASSERT_EQUAL_FATAL(plot_view_init(w, d, 0, NULL, 0.94), 0);
    CU_ASSERT_EQUAL(plot_view_curve(w, w->sorted, w->n, c), 0);
}

static void test_units(void)
{
    const char *names[] = { "x" };
    Draws *base = make_draws(1, names, 2, 500, FILL_NORMAL, 21), *d = make_draws(1, names, 2, 500, FILL_NORMAL, 21);
    View w0, w;
    Curve c0, c;
    view_of(base, &w0, &c0);
    CU_ASSERT_EQUAL(c0.kind, CURVE_KDE);
    for (int e = -990; e <= 990; e += 45) {
        double scale = ldexp(1.0, e);
        for (int ch = 0; ch < 2; ch++)
            for (int i = 0; i < 500; i++) draws_at(d, 0, ch)[i] = scale * draws_at(base, 0, ch)[i];
        view_of(d, &w, &c);
        expect_view_scaled(&w, &c, &w0, &c0, scale, 0.0);
        plot_view_free(&w);
    }
    for (int e = -300; e <= 300; e += 20) {
        double scale = pow(10.0, e);
        for (int ch = 0; ch < 2; ch++)
            for (int i = 0; i < 500; i++) draws_at(d, 0, ch)[i] = scale * draws_at(base, 0, ch)[i];
        view_of(d, &w, &c);
        expect_view_scaled(&w, &c, &w0, &c0, scale, 1e-14);
        plot_view_free(&w);
    }
    plot_view_free(&w0);
    draws_free(base);
    draws_free(d);

    char buf[32];
    plot_fmt_value(buf, sizeof buf, 6.4648e-19);
    CU_ASSERT_STRING_EQUAL(buf, "6.46e-19");
    plot_fmt_value(buf, sizeof buf, -0.0);
    CU_ASSERT_STRING_EQUAL(buf, "0");
    /* an empty range is widened; a narrow one far from 0 is not */
    double lo = 3e-17, hi = 3e-17;
    plot_widen(&lo, &hi);
    CU_ASSERT(lo < 3e-17 && hi > 3e-17);
    lo = 1e-17, hi = 3e-17;
    plot_widen(&lo, &hi);
    CU_ASSERT(lo == 1e-17 && hi == 3e-17);
}

/* A quantity that is not finite in some draws has no summary, and no
** picture either (summary.h): its view holds no draws and says in how
** many draws it is not a number, and a trace plot draws no line of it,
** where a quantity with finite draws fills its row with chain colours. */
static void test_nonfinite_not_drawn(void)
{
    const char *names[] = { "q" };
    Draws *d = make_draws(1, names, 2, 100, FILL_NORMAL, 31);
    for (int i = 0; i < 100; i += 40) draws_at(d, 0, 1)[i] = NAN;   /* 3 of 200 */
    draws_at(d, 0, 0)[7] = INFINITY;
    View w;
    CU_ASSERT_EQUAL_FATAL(plot_view_init(&w, d, 0, NULL, 0.94), 0);
    CU_ASSERT_EQUAL(w.n, 0);
    CU_ASSERT_EQUAL(w.nonfinite, 4);
    CU_ASSERT_STRING_EQUAL(w.empty, "not a number in 3 and infinite in 1 of 200 draws");
    double buf[100];
    CU_ASSERT_EQUAL(plot_view_draws(&w, d, 0, buf), 0);
    plot_view_free(&w);

    char path[128], err[256];
    PlotOptions o = options(PLOT_TRACE);
    long blue[2];
    for (int k = 0; k < 2; k++) {
        if (k == 1) draws_at(d, 0, 0)[7] = 0.5, draws_at(d, 0, 1)[0] = draws_at(d, 0, 1)[40] = draws_at(d, 0, 1)[80] = 0.1;
        CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, "nonfinite.png"), d, NULL, &o, err, sizeof err), 0);
        cairo_surface_t *png = load_png(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(png);
        /* below the header and its legend: the row's curves and lines */
        blue[k] = count_pixels(png, 0, 1000, (int)HEADER_H, 10000, is_blue, NULL, NULL);
        cairo_surface_destroy(png);
        remove(path);
    }
    CU_ASSERT_EQUAL(blue[0], 0);
    CU_ASSERT(blue[1] > 1000);
    draws_free(d);
}


/* ------------------------------------------------------------------ */
/* Posterior predictive checks                                         */
/* ------------------------------------------------------------------ */

typedef enum { VALUES_NORMAL, VALUES_COUNTS } Values;

/* Draws of nq observed quantities y1, y2, ... with size[q] values each,
** observed near obs_mu, and their replicates ("y1_rep[i]", a scalar's
** "y1_rep") near rep_mu at every draw, after one posterior variable
** "mu".  Counts are Poisson, the rest normal with sd 1. */
static Draws *make_replicates(int nq, const int *size, double obs_mu, double rep_mu, Values values, int nchains,
                              int ndraws, unsigned long seed)
{
    int nvars = 1;
    for (int q = 0; q < nq; q++) nvars += size[q];
    char **names = calloc((size_t)nvars, sizeof *names);
    names[0] = strdup("mu");
    for (int q = 0, v = 1; q < nq; q++)
        for (int e = 0; e < size[q]; e++, v++) {
            names[v] = malloc(32);
            if (size[q] == 1) snprintf(names[v], 32, "y%d_rep", q + 1);
            else snprintf(names[v], 32, "y%d_rep[%d]", q + 1, e + 1);
        }
    Draws *d = draws_new(nvars, (const char *const *)names, nchains, ndraws);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    d->ndraws = ndraws;
    for (int v = 0; v < nvars; v++) {
        double mu = v == 0 ? 0.0 : rep_mu;
        for (int c = 0; c < nchains; c++)
            for (int i = 0; i < ndraws; i++)
                draws_at(d, v, c)[i] = values == VALUES_COUNTS && v > 0 ? (double)gsl_ran_poisson(r, mu)
                                                                        : mu + gsl_ran_gaussian(r, 1.0);
    }
    for (int q = 0, v = 1; q < nq; q++)
        for (int e = 0; e < size[q]; e++, v++) {
            char of[16];
            snprintf(of, sizeof of, "y%d", q + 1);
            double y = values == VALUES_COUNTS ? (double)gsl_ran_poisson(r, obs_mu) : obs_mu + gsl_ran_gaussian(r, 1.0);
            draws_set_replicate(d, v, of, y);
        }
    gsl_rng_free(r);
    for (int v = 0; v < nvars; v++) free(names[v]);
    free(names);
    return d;
}

static void test_ppc_pick(void)
{
    size_t at[PPC_SETS];
    /* 4000 draws: 50 of them, 80 apart from the first */
    CU_ASSERT_EQUAL(plot_ppc_pick(4000, PPC_SETS, at), 50);
    for (int k = 0; k < 50; k++) CU_ASSERT_EQUAL(at[k], (size_t)(80 * k));
    /* 130 draws: at floor(130 k / 50), all different, spread over all */
    CU_ASSERT_EQUAL(plot_ppc_pick(130, PPC_SETS, at), 50);
    CU_ASSERT_EQUAL(at[0], 0u);
    CU_ASSERT_EQUAL(at[1], 2u);    /* 130 / 50 = 2.6 */
    CU_ASSERT_EQUAL(at[49], 127u); /* 130 * 49 / 50 = 127.4 */
    for (int k = 1; k < 50; k++) CU_ASSERT(at[k] > at[k - 1]);
    /* fewer draws than sets: every one */
    CU_ASSERT_EQUAL(plot_ppc_pick(30, PPC_SETS, at), 30);
    for (int k = 0; k < 30; k++) CU_ASSERT_EQUAL(at[k], (size_t)k);
}

/* Lines drawn at a replicated data set's opacity in an SVG: one per set
** and quantity (cairo writes each stroke as a path with its opacity). */
static int replicate_lines(const char *svg)
{
    char *text = read_head(svg, 1 << 22), want[64];
    snprintf(want, sizeof want, "stroke-opacity:%g;", PPC_REP_ALPHA);
    int n = 0;
    for (const char *p = text; (p = strstr(p, want)) != NULL; p += strlen(want)) n++;
    free(text);
    return n;
}

static void test_ppc_sets(void)
{
    char path[128], err[256] = "";
    PlotOptions o = options(PLOT_PPC);
    /* 4 x 100 draws: 50 sets for each of the two vectors, none for the
    ** scalar (its replicates are one histogram) */
    const int sizes[] = { 20, 1, 12 };
    Draws *d = make_replicates(3, sizes, 0.0, 0.0, VALUES_NORMAL, 4, 100, 21);
    in_dir(path, sizeof path, "sets.svg");
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), 0);
    CU_ASSERT_EQUAL(replicate_lines(path), 2 * 50);
    remove(path);
    draws_free(d);
    /* 1 x 30 draws: every one of the 30; counts the same way */
    d = make_replicates(1, sizes, 3.0, 3.0, VALUES_COUNTS, 1, 30, 22);
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), 0);
    CU_ASSERT_EQUAL(replicate_lines(path), 30);
    remove(path);
    draws_free(d);
}

/* pure black (0,0,0): the observed data; text is 10% grey at the darkest */
static bool is_pure_black(int r, int g, int b) { return r < 8 && g < 8 && b < 8; }
/* the replicates' blue, however translucent */
static bool is_bluish(int r, int g, int b) { return b > 150 && b - r > 25 && b > g; }
/* the observed counts' grey bars (82% grey) */
static bool is_bar_grey(int r, int g, int b) { return r == g && g == b && r >= 200 && r <= 215; }

/* The mean column of the pixels that pass test below the header. */
static double mean_column(cairo_surface_t *s, PixelTest test, long *count)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    double sum = 0.0;
    long n = 0;
    for (int x = 0; x < w; x++) {
        long c = count_pixels(s, x, x + 1, (int)HEADER_H, h, test, NULL, NULL);
        sum += (double)c * x;
        n += c;
    }
    *count = n;
    return n ? sum / (double)n : NAN;
}

static cairo_surface_t *draw_png(const char *name, const Draws *d, const PlotOptions *o, char *path, size_t len)
{
    char err[256] = "";
    int rc = plot_draws(in_dir(path, len, name), d, NULL, o, err, sizeof err);
    if (rc != 0) fprintf(stderr, "\n  %s: %s\n", name, err);
    CU_ASSERT_EQUAL(rc, 0);
    return load_png(path);
}

/* The observed data drawn where they lie, the replicates where theirs
** do: data near 0 against replicates near 8 put the black curve left of
** the blue lines; bars for counts only. */
static void test_ppc_shows_the_data(void)
{
    char path[128];
    PlotOptions o = options(PLOT_PPC);
    const int sizes[] = { 40 };
    for (int counts = 0; counts < 2; counts++) {
        Draws *d = make_replicates(1, sizes, counts ? 2.0 : 0.0, counts ? 12.0 : 8.0,
                                   counts ? VALUES_COUNTS : VALUES_NORMAL, 2, 200, 23);
        cairo_surface_t *png = draw_png("data.png", d, &o, path, sizeof path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(png);
        long nblack, nblue;
        double black = mean_column(png, is_pure_black, &nblack), blue = mean_column(png, is_bluish, &nblue);
        CU_ASSERT(nblack > 100);
        CU_ASSERT(nblue > 500);
        /* the panel spans about -3 .. 11 (0 .. 20 for counts) across 960
        ** pixels: the curves' centres are hundreds of pixels apart */
        CU_ASSERT(blue - black > 250);
        /* inside the panel's frame, 24 .. 966 x 96 .. 270, clear of the text */
        long grey = count_pixels(png, 30, 960, 100, 265, is_bar_grey, NULL, NULL);
        /* bars fill thousands of pixels; a curve's antialiased edge some dozens */
        if (counts) {
            CU_ASSERT(grey > 5000);
        } else {
            CU_ASSERT(grey < 500);
        }
        cairo_surface_destroy(png);
        remove(path);
        draws_free(d);
    }
}

/* A scalar observation: the histogram of its replicates, the observed
** value a vertical black line where it lies (5, beyond replicates near 0). */
static void test_ppc_scalar(void)
{
    char path[128];
    PlotOptions o = options(PLOT_PPC);
    const int sizes[] = { 1 };
    Draws *d = make_replicates(1, sizes, 0.0, 0.0, VALUES_NORMAL, 4, 250, 24);
    d->observed[1] = 5.0;
    cairo_surface_t *png = draw_png("scalar.png", d, &o, path, sizeof path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    int cols = 0;
    long nblack = count_pixels(png, 0, 1000, (int)HEADER_H, 10000, is_pure_black, NULL, &cols);
    long nblue;
    double blue = mean_column(png, is_bluish, &nblue);
    CU_ASSERT(nblack > 100);
    CU_ASSERT(cols >= 1 && cols <= 4);   /* one line, antialiased */
    CU_ASSERT(nblue > 5000);             /* bars, filled */
    long black_at;
    double black = mean_column(png, is_pure_black, &black_at);
    CU_ASSERT(black - blue > 250);
    cairo_surface_destroy(png);
    remove(path);
    draws_free(d);
}

/* Which observed quantities get a panel: those whose replicates are
** selected, or all when the selection names none of them; two to a row. */
static void test_ppc_selection(void)
{
    char path[128];
    const int sizes[] = { 10, 10, 10 };
    Draws *d = make_replicates(3, sizes, 0.0, 0.0, VALUES_NORMAL, 1, 60, 25);
    PlotOptions o = options(PLOT_PPC);
    static const int y2_rep2[] = { 12 }, mu[] = { 0 };
    int h[3];
    for (int k = 0; k < 3; k++) {
        if (k == 1) o.which = y2_rep2, o.nwhich = 1;    /* y2_rep[2]: y2 alone */
        if (k == 2) o.which = mu, o.nwhich = 1;         /* no replicate: all of them */
        cairo_surface_t *png = draw_png("sel.png", d, &o, path, sizeof path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(png);
        h[k] = cairo_image_surface_get_height(png);
        cairo_surface_destroy(png);
        remove(path);
    }
    CU_ASSERT(h[0] > h[1]);      /* two rows, one */
    CU_ASSERT_EQUAL(h[2], h[0]);
    draws_free(d);
}

static void test_ppc_errors(void)
{
    char path[128], err[256] = "";
    Draws *d = make_draws(2, NAMES, 2, 50, FILL_NORMAL, 26);
    PlotOptions o = options(PLOT_PPC);
    in_dir(path, sizeof path, "none.png");
    CU_ASSERT_EQUAL(plot_draws(path, d, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no replicates of observed data"));
    CU_ASSERT_EQUAL(file_size(path), -1);
    draws_free(d);
    /* replicates that are not finite numbers, in some draws or all */
    const int sizes[] = { 5, 1 };
    d = make_replicates(2, sizes, 0.0, 0.0, VALUES_NORMAL, 2, 40, 27);
    for (int v = 1; v < d->nvars; v++)
        for (int i = 0; i < 40; i += v) draws_at(d, v, 0)[i] = v % 2 ? NAN : INFINITY;
    for (int e = 0; e < 40; e++) draws_at(d, 6, 1)[e] = NAN;
    static const char *const files[] = { "nan.png", "nan.svg", "nan.pdf" };
    for (int f = 0; f < 3; f++) {
        CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, files[f]), d, NULL, &o, err, sizeof err), 0);
        remove(path);
    }
    draws_free(d);
}

/* ------------------------------------------------------------------ */
/* Priors against posteriors                                           */
/* ------------------------------------------------------------------ */

/* One variable "mu" of 4 x 1000 draws: t with nu degrees of freedom
** (0: normal) times sd, plus mean. */
static Draws *make_one(const char *name, double mean, double sd, double nu, unsigned long seed)
{
    const char *names[] = { name };
    Draws *d = draws_new(1, names, 4, 1000);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    d->ndraws = 1000;
    for (int c = 0; c < 4; c++)
        for (int i = 0; i < 1000; i++)
            draws_at(d, 0, c)[i] = mean + sd * (nu > 0 ? gsl_ran_tdist(r, nu) : gsl_ran_gaussian(r, 1.0));
    gsl_rng_free(r);
    return d;
}

/* The first and last columns below the header holding a pixel that
** passes test; -1 for none. */
static void column_extent(cairo_surface_t *s, PixelTest test, int *first, int *last)
{
    *first = *last = -1;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    for (int x = 0; x < w; x++)
        if (count_pixels(s, x, x + 1, (int)HEADER_H, h, test, NULL, NULL) > 0) {
            if (*first < 0) *first = x;
            *last = x;
        }
}

/* How wide the orange (prior) and blue (posterior) curves are drawn below
** the header, in pixels; -1 for none. */
static void prior_widths(const Draws *post, const PlotOptions *o, int *orange, int *blue)
{
    char path[128];
    cairo_surface_t *png = draw_png("prior.png", post, o, path, sizeof path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    int a, b;
    column_extent(png, is_orange, &a, &b);
    *orange = a < 0 ? -1 : b - a;
    column_extent(png, is_blue, &a, &b);
    *blue = a < 0 ? -1 : b - a;
    cairo_surface_destroy(png);
    remove(path);
}

static void test_prior_overlay(void)
{
    Draws *post = make_one("mu", 2.0, 1.0, 0, 31), *prior = make_one("mu", 0.0, 3.0, 0, 32);
    PlotOptions o = options(PLOT_PRIOR);
    o.prior = prior;
    int orange, blue;
    prior_widths(post, &o, &orange, &blue);
    /* the panel is 952 pixels wide: the prior, from about -11 to 11 of
    ** -12 .. 12, shows over half of them at least, and the posterior,
    ** about -1.5 .. 5.5, over a quarter at most */
    CU_ASSERT(orange > 500);
    CU_ASSERT(blue > 100 && blue < 300);
    /* without prior draws, or with an improper prior: the posterior alone,
    ** over its own range */
    o.prior = NULL;
    prior_widths(post, &o, &orange, &blue);
    CU_ASSERT_EQUAL(orange, -1);
    CU_ASSERT(blue > 700);
    o.prior = prior;
    o.improper = (const char *const[]){ "mu" };
    o.nimproper = 1;
    prior_widths(post, &o, &orange, &blue);
    CU_ASSERT_EQUAL(orange, -1);
    draws_free(post);
    draws_free(prior);
}

/* A long-tailed prior (Cauchy) is shown as far as its bulk reaches, so
** the posterior keeps a shape: its range of about 0.8 within Tukey's
** fences -7 .. 7 of the prior's quartiles (-1, 1) is some 50 pixels of
** 930; within the Cauchy draws' whole range of thousands, under one. */
static void test_prior_long_tails(void)
{
    Draws *post = make_one("tau", 1.0, 0.1, 0, 33), *prior = make_one("tau", 0.0, 1.0, 1, 34);
    PlotOptions o = options(PLOT_PRIOR);
    o.prior = prior;
    int orange, blue;
    prior_widths(post, &o, &orange, &blue);
    CU_ASSERT(blue > 25);
    draws_free(post);
    draws_free(prior);
}

/* Replicates get no trace or density panel unless selected: they have
** their picture, --plot-kind ppc, and a vector of them would fill the page. */
static void test_replicates_left_out(void)
{
    char path[128];
    const int sizes[] = { 4 };
    Draws *post = make_replicates(1, sizes, 0.0, 0.0, VALUES_NORMAL, 1, 100, 38);
    Draws *one = make_draws(1, NAMES, 1, 100, FILL_NORMAL, 39);
    static const PlotKind kinds[] = { PLOT_TRACE, PLOT_POSTERIOR };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        PlotOptions o = options(kinds[k]);
        cairo_surface_t *all = draw_png("all.png", post, &o, path, sizeof path);
        remove(path);
        cairo_surface_t *alone = draw_png("alone.png", one, &o, path, sizeof path);
        remove(path);
        o.which = (const int[]){ 0, 1, 2, 3, 4 };
        o.nwhich = 5;
        cairo_surface_t *asked = draw_png("asked.png", post, &o, path, sizeof path);
        remove(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(all);
        CU_ASSERT_PTR_NOT_NULL_FATAL(alone);
        CU_ASSERT_PTR_NOT_NULL_FATAL(asked);
        CU_ASSERT_EQUAL(cairo_image_surface_get_height(all), cairo_image_surface_get_height(alone));
        CU_ASSERT(cairo_image_surface_get_height(asked) > cairo_image_surface_get_height(all));
        cairo_surface_destroy(all);
        cairo_surface_destroy(alone);
        cairo_surface_destroy(asked);
    }
    draws_free(post);
    draws_free(one);
}

/* The panels: the posterior's quantities, not its replicates; a vector's
** name marks all its elements improper. */
static void test_prior_panels(void)
{
    char path[128];
    const int sizes[] = { 4 };
    Draws *post = make_replicates(1, sizes, 0.0, 0.0, VALUES_NORMAL, 1, 100, 35);
    Draws *three = make_draws(3, NAMES, 1, 100, FILL_NORMAL, 36);
    PlotOptions o = options(PLOT_PRIOR);
    o.prior = post;
    cairo_surface_t *one = draw_png("one.png", post, &o, path, sizeof path);
    remove(path);
    o.prior = three;
    cairo_surface_t *row = draw_png("row.png", three, &o, path, sizeof path);
    remove(path);
    const char *theta[] = { "theta[1]", "theta[2]" };
    Draws *vec = make_draws(2, theta, 2, 100, FILL_NORMAL, 37);
    o.prior = vec;
    o.improper = (const char *const[]){ "theta" };
    o.nimproper = 1;
    int orange, blue;
    prior_widths(vec, &o, &orange, &blue);
    CU_ASSERT_EQUAL(orange, -1);
    CU_ASSERT(blue > 250);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(row);
    /* "mu" alone, and three quantities: one row either way, not two */
    CU_ASSERT_EQUAL(cairo_image_surface_get_height(one), cairo_image_surface_get_height(row));
    cairo_surface_destroy(one);
    cairo_surface_destroy(row);
    /* replicates alone: nothing to draw */
    char err[256] = "";
    o.prior = post;
    o.improper = NULL;
    o.nimproper = 0;
    o.which = (const int[]){ 1, 2 };
    o.nwhich = 2;
    CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, "reps.png"), post, NULL, &o, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no quantity of the posterior"));
    draws_free(post);
    draws_free(three);
    draws_free(vec);
}

static void test_prior_formats(void)
{
    Draws *post = make_draws(3, NAMES, 2, 200, FILL_COINS, 38), *prior = make_draws(3, NAMES, 2, 200, FILL_NORMAL, 39);
    const int sizes[] = { 6, 1 };
    Draws *reps = make_replicates(2, sizes, 2.0, 2.0, VALUES_COUNTS, 2, 100, 40);
    static const char *const files[] = { "k.png", "k.svg", "k.pdf" };
    char path[128], err[256];
    for (int f = 0; f < 3; f++) {
        PlotOptions o = options(PLOT_PRIOR);
        o.prior = prior;
        CU_ASSERT_EQUAL(plot_draws(in_dir(path, sizeof path, files[f]), post, NULL, &o, err, sizeof err), 0);
        CU_ASSERT(file_size(path) > 0);
        remove(path);
        o.prior = post;    /* bars against bars */
        CU_ASSERT_EQUAL(plot_draws(path, post, NULL, &o, err, sizeof err), 0);
        remove(path);
        o = options(PLOT_PPC);
        CU_ASSERT_EQUAL(plot_draws(path, reps, NULL, &o, err, sizeof err), 0);
        CU_ASSERT(file_size(path) > 0);
        remove(path);
    }
    draws_free(post);
    draws_free(prior);
    draws_free(reps);
}

/* ------------------------------------------------------------------ */
/* Densities                                                           */
/* ------------------------------------------------------------------ */

/* The kernel density over a window of the draws is the density of all of
** them: of 100000 standard normal draws at 0, the normal density
** smoothed by the kernel, 1/sqrt(2 pi (1 + bw^2)) with Silverman's
** bw = 0.9 * 100000^-0.2 = 0.0898: 0.3973. */
static void test_kde_window(void)
{
    enum { N = 100000 };
    double *x = malloc(N * sizeof *x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 41);
    for (int i = 0; i < N; i++) x[i] = gsl_ran_gaussian(r, 1.0);
    gsl_rng_free(r);
    gsl_sort(x, 1, N);
    Curve whole, window;
    CU_ASSERT_EQUAL(plot_kde(x, N, &whole), 0);
    CU_ASSERT_EQUAL(plot_kde_window(x, N, -1.0, 1.0, &window), 0);
    CU_ASSERT_EQUAL(window.kind, CURVE_KDE);
    ASSERT_CLOSE(window.lo, -1.0, 0);
    ASSERT_CLOSE(window.hi, 1.0, 0);
    ASSERT_CLOSE(plot_curve_at(&window, 0.0), 0.3973, 0.005);
    ASSERT_CLOSE(plot_curve_at(&whole, 0.0), 0.3973, 0.005);
    /* at 1: exp(-1 / (2 (1 + bw^2))) / sqrt(2 pi (1 + bw^2)) = 0.2418 */
    ASSERT_CLOSE(plot_curve_at(&window, 1.0), 0.2418, 0.005);
    CU_ASSERT_EQUAL(plot_curve_at(&window, 1.5), 0.0);    /* outside its grid */
    /* a window beside the draws: all of them */
    CU_ASSERT_EQUAL(plot_kde_window(x, N, 10.0, 20.0, &window), 0);
    ASSERT_CLOSE(window.lo, x[0], 0);
    ASSERT_CLOSE(window.hi, x[N - 1], 0);
    free(x);
}

/* ------------------------------------------------------------------ */
/* termplot                                                            */
/* ------------------------------------------------------------------ */

typedef struct Text {
    char *buf;
    size_t len;
} Text;

static FILE *text_open(Text *t)
{
    t->buf = NULL;
    t->len = 0;
    return open_memstream(&t->buf, &t->len);
}

/* Splits t into lines (the array and the text are modified in place). */
static int text_lines(char *s, char **lines, int max)
{
    int n = 0;
    while (*s && n < max) {
        lines[n++] = s;
        char *nl = strchr(s, '\n');
        if (nl == NULL) break;
        *nl = '\0';
        s = nl + 1;
    }
    return n;
}

/* Columns of a line: UTF-8 characters, ANSI escapes not counted. */
static int columns(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0x1b) {
            while (*p && *p != 'm') p++;
            if (!*p) break;
            continue;
        }
        if ((*p & 0xC0) != 0x80) n++;
    }
    return n;
}

static TermPlotOptions term_options(int width, int height, bool utf8)
{
    return (TermPlotOptions){ .width = width, .height = height, .utf8 = utf8, .color = false,
                              .mark_lo = NAN, .mark_hi = NAN, .mark_mean = NAN, .label = NULL };
}

static void test_termplot_layout(void)
{
    double x[100];
    for (int i = 0; i < 100; i++) x[i] = i + 0.5;    /* 0.5 .. 99.5 */
    for (int utf8 = 0; utf8 < 2; utf8++) {
        TermPlotOptions o = term_options(60, 8, utf8);
        o.label = "a label that is much longer than sixty columns, so it must be cut to fit";
        o.mark_lo = 10;
        o.mark_hi = 40;
        o.mark_mean = 25;
        Text t;
        FILE *f = text_open(&t);
        CU_ASSERT_EQUAL(termplot_draws(f, x, 100, &o), 0);
        fclose(f);
        if (!utf8)
            for (size_t i = 0; i < t.len; i++) CU_ASSERT((unsigned char)t.buf[i] < 0x80);
        CU_ASSERT_PTR_NULL(strchr(t.buf, 0x1b));
        char *lines[64] = { 0 };
        int n = text_lines(t.buf, lines, 64);
        /* label, 8 rows, axis, tick values, marks */
        CU_ASSERT_EQUAL(n, 1 + 8 + 1 + 1 + 1);
        for (int i = 0; i < n; i++) CU_ASSERT(columns(lines[i]) <= 60);
        if (n > 0) CU_ASSERT_EQUAL(columns(lines[0]), 60);
        if (n == 12) {
            /* Column j shows [0.5 + j * 99/60, ...): the mean 25 is in
            ** column floor(24.5 / 99 * 60) = floor(14.85) = 14; the
            ** interval runs from floor(9.5 / 99 * 60) = 5 to
            ** floor(39.5 / 99 * 60) = 23. */
            const char *marks = lines[11];
            if (!utf8) {
                CU_ASSERT_EQUAL(strlen(marks), 24);
                CU_ASSERT_EQUAL(strspn(marks, " "), 5);
                CU_ASSERT_EQUAL(strchr(marks, '^') - marks, 14);
                CU_ASSERT_EQUAL(marks[13], '-');
                CU_ASSERT_EQUAL(marks[23], '-');
            } else {
                /* "│" after 5 spaces and 9 "─" */
                CU_ASSERT_EQUAL(columns(marks), 24);
                const char *bar = strstr(marks, "\xe2\x94\x82");
                CU_ASSERT_PTR_NOT_NULL(bar);
                if (bar) {
                    char *before = strndup(marks, (size_t)(bar - marks));
                    CU_ASSERT_EQUAL(columns(before), 14);
                    free(before);
                }
            }
            /* ticks: the draws' range 0.5 .. 99.5, with 0 and 100 within
            ** half a column (99/120) of its ends, has ticks 0, 20, .., 100
            ** (step 10 would give eleven, more than six) */
            CU_ASSERT_PTR_NOT_NULL(strstr(lines[10], "20"));
            CU_ASSERT_PTR_NOT_NULL(strstr(lines[10], "80"));
        }
        free(t.buf);
    }
}

static double binomial4(double k, void *ctx)
{
    (void)ctx;
    return gsl_ran_binomial_pdf((unsigned)k, 0.5, 4);
}

static double std_normal(double x, void *ctx)
{
    (void)ctx;
    return gsl_ran_gaussian_pdf(x, 1.0);
}

static void test_termplot_curves(void)
{
    /* Binomial(4, 1/2) on 0..4 in 20 columns: five slots of 4 columns,
    ** bars 3 wide centred on columns 4k + 2; the tallest, P(2) = 6/16,
    ** fills the top row at columns 9..11 only.  P(0) = 1/16 is 1/6 of
    ** it: 1/6 * 6 rows * 8 = 8 eighths, one full bottom cell. */
    TermPlotOptions o = term_options(20, 6, true);
    Text t;
    FILE *f = text_open(&t);
    CU_ASSERT_EQUAL(termplot_curve(f, binomial4, NULL, 0, 4, true, &o), 0);
    fclose(f);
    char *lines[32] = { 0 };
    int n = text_lines(t.buf, lines, 32);
    CU_ASSERT_EQUAL(n, 6 + 2);
    if (n == 8) {
        CU_ASSERT_STRING_EQUAL(lines[0], "         \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
        CU_ASSERT_EQUAL(columns(lines[5]), 20);   /* the last bar: columns 17..19 */
        CU_ASSERT_NSTRING_EQUAL(lines[5], " \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88 ", 11);
        /* integer ticks, under their bars: 0 at column 2, 4 at column 18 */
        CU_ASSERT_EQUAL(strchr(lines[7], '0') - lines[7], 2);
        CU_ASSERT_EQUAL(strchr(lines[7], '4') - lines[7], 18);
    }
    free(t.buf);

    /* the standard normal on [-4, 4] in 41 columns of 4 rows (8 half
    ** cells): column j's centre is -4 + (j + 0.5) * 8/41, so column 20's
    ** is the mode 0 and its neighbours are 0.195 apart.  The top row is
    ** '#' where round(8 exp(-x^2/2)) = 8, i.e. exp(-x^2/2) >= 7.5/8, |x| <=
    ** 0.359: columns 19, 20 and 21 (|x| = 0.195, 0), not 18 or 22 (0.390). */
    o = term_options(41, 4, false);
    f = text_open(&t);
    CU_ASSERT_EQUAL(termplot_curve(f, std_normal, NULL, -4, 4, false, &o), 0);
    fclose(f);
    n = text_lines(t.buf, lines, 32);
    CU_ASSERT_EQUAL(n, 4 + 2);
    if (n == 6) {
        CU_ASSERT_EQUAL(strchr(lines[0], '#') - lines[0], 19);
        CU_ASSERT_EQUAL(strrchr(lines[0], '#') - lines[0], 21);
        for (int i = 0; i < n; i++) CU_ASSERT(columns(lines[i]) <= 41);
    }
    free(t.buf);

    /* more integers than columns: Poisson-like mass on 0..99 in 10 columns */
    o = term_options(10, 3, false);
    f = text_open(&t);
    CU_ASSERT_EQUAL(termplot_curve(f, binomial4, NULL, 0, 99, true, &o), 0);
    fclose(f);
    n = text_lines(t.buf, lines, 32);
    CU_ASSERT_EQUAL(n, 3 + 2);
    for (int i = 0; i < n; i++) CU_ASSERT(columns(lines[i]) <= 10);
    free(t.buf);
}

static double flat(double x, void *ctx)
{
    (void)x;
    (void)ctx;
    return 1.0;
}

/* The axis and tick-label lines of a flat curve over [lo, hi] in width
** columns (ASCII, one row of bars), copied into axis and labels. */
static void tick_lines(double lo, double hi, bool discrete, int width, char *axis, char *labels, size_t len)
{
    TermPlotOptions o = term_options(width, 1, false);
    Text t;
    FILE *f = text_open(&t);
    CU_ASSERT_EQUAL(termplot_curve(f, flat, NULL, lo, hi, discrete, &o), 0);
    fclose(f);
    char *lines[8] = { 0 };
    int n = text_lines(t.buf, lines, 8);
    CU_ASSERT_EQUAL(n, 3);      /* bars, axis, labels */
    snprintf(axis, len, "%s", n == 3 ? lines[1] : "");
    snprintf(labels, len, "%s", n == 3 ? lines[2] : "");
    free(t.buf);
}

/* Where the ticks go and what they read, worked out by hand.  A value v
** is in column floor((v - lo) / (hi - lo) * width); a label of len
** characters starts len/2 before its tick, moved inside the line; labels
** keep two spaces apart; at most six ticks; the finest 1-2-5 step that
** fits; a tick less than half a column past an end sits in the end
** column. */
static void test_termplot_ticks(void)
{
    char axis[256], labels[256];

    /* [0, 1] in 60: step 0.1 gives 11 ticks, 0.2 gives 0, 0.2, .., 1.0 in
    ** columns 0, 12, 24, 36, 48 and 60, the last drawn in 59; labels of 3
    ** start one before, the last moved back to 57 */
    tick_lines(0.0, 1.0, false, 60, axis, labels, sizeof labels);
    CU_ASSERT_STRING_EQUAL(axis, "+-----------+-----------+-----------+-----------+----------+");
    CU_ASSERT_STRING_EQUAL(labels, "0.0        0.2         0.4         0.6         0.8       1.0");

    /* draws 0.0005, 0.0015, .., 0.9995: 0 and 1 lie 0.0005 past the ends,
    ** within half a column (0.999 / 120 = 0.0083), so they are ticked,
    ** in columns 0 and 59; 0.2 is in floor(0.1995 / 0.999 * 60) =
    ** floor(11.98) = 11, 0.4 in floor(23.99) = 23, 0.6 in
    ** floor(36.01) = 36, 0.8 in floor(48.02) = 48 */
    double x[1000];
    for (int i = 0; i < 1000; i++) x[i] = (i + 0.5) / 1000.0;
    TermPlotOptions o = term_options(60, 1, false);
    Text t;
    FILE *f = text_open(&t);
    CU_ASSERT_EQUAL(termplot_draws(f, x, 1000, &o), 0);
    fclose(f);
    char *lines[8] = { 0 };
    if (text_lines(t.buf, lines, 8) == 3) {
        CU_ASSERT_STRING_EQUAL(lines[1], "+----------+-----------+------------+-----------+----------+");
        CU_ASSERT_STRING_EQUAL(lines[2], "0.0       0.2         0.4          0.6         0.8       1.0");
    } else {
        CU_FAIL("not three lines");
    }
    free(t.buf);

    /* 1000 -3.02e-6 .. 1000 + 2.98e-6: step 1e-6 gives 7 ticks, 2e-6
    ** gives 999.999998, 1000.000000 and 1000.000002 in columns
    ** floor(10.2), floor(30.2), floor(50.2); fixed point (11 characters
    ** at most) is shorter than 9.99999998e+02 */
    tick_lines(1000 - 3.02e-6, 1000 + 2.98e-6, false, 60, axis, labels, sizeof labels);
    CU_ASSERT_STRING_EQUAL(axis, "----------+-------------------+-------------------+---------");
    CU_ASSERT_STRING_EQUAL(labels, "     999.999998          1000.000000         1000.000002");
    /* in 30 columns those three overlap (columns 5, 15, 25, labels of
    ** 10 and 11); step 5e-6 leaves 1000.000000 alone, in column 15 */
    tick_lines(1000 - 3.02e-6, 1000 + 2.98e-6, false, 30, axis, labels, sizeof labels);
    CU_ASSERT_STRING_EQUAL(labels, "          1000.000000");

    /* the same around 0: -2e-06, 0, 2e-06 are shorter than -0.000002;
    ** columns 10, 30, 50, labels starting at 7, 30 and 48 */
    tick_lines(-3.02e-6, 2.98e-6, false, 60, axis, labels, sizeof labels);
    CU_ASSERT_STRING_EQUAL(labels, "       -2e-06                 0                 2e-06");

    /* the integers 999900000 .. 1000100000 on an axis from 999899999.5
    ** to 1000100000.5 (span 200001): step 2e4 gives 11 ticks; 5e4 gives
    ** five in columns 0, 15, 30, 44, 59, the last label moved back to 50,
    ** one space after the fourth; 1e5 gives columns 0, 30, 59 */
    tick_lines(999900000, 1000100000, true, 60, axis, labels, sizeof labels);
    CU_ASSERT_STRING_EQUAL(axis, "+-----------------------------+----------------------------+");
    CU_ASSERT_STRING_EQUAL(labels, "999900000                1000000000               1000100000");

    /* [1e9, 3e9]: step 5e8, ticks in columns 0, 15, 30, 45, 59; 1.0e+09
    ** (7 characters) is shorter than 1000000000 */
    tick_lines(1e9, 3e9, false, 60, axis, labels, sizeof labels);
    CU_ASSERT_STRING_EQUAL(labels, "1.0e+09     1.5e+09        2.0e+09        2.5e+09    3.0e+09");

    /* many ranges, near and far from 0, narrow and wide: the labels read
    ** as numbers increase by one step, there is at least one, and they lie
    ** within half a column of the range */
    const double centres[] = { 0.0, 1.0, -7.0, 1000.0, 123456.789, 1e9, -5e5, 3e-7, 1e15 };
    const double spans[] = { 1e-6, 3.7e-4, 0.05, 1.0, 17.0, 2500.0, 8e6 };
    const int widths[] = { 30, 47, 60, 100 };
    int bad = 0;
    for (size_t c = 0; c < sizeof centres / sizeof *centres; c++)
        for (size_t s = 0; s < sizeof spans / sizeof *spans; s++)
            for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
                double span = spans[s] * fmax(1.0, fabs(centres[c]) * 1e-3);
                double lo = centres[c] - 0.43 * span, hi = centres[c] + 0.57 * span;
                tick_lines(lo, hi, false, widths[w], axis, labels, sizeof labels);
                double v[16];
                int n = 0;
                for (char *p = labels, *end; n < 16; p = end) {
                    v[n] = strtod(p, &end);
                    if (end == p) break;
                    n++;
                }
                bool ok = n >= 1 && columns(labels) <= widths[w];
                for (int i = 0; i < n && ok; i++) {
                    ok = v[i] >= lo - span / widths[w] && v[i] <= hi + span / widths[w];
                    if (i >= 2) ok = ok && fabs((v[i] - v[i - 1]) - (v[1] - v[0])) <= 1e-6 * (v[1] - v[0]);
                    if (i >= 1) ok = ok && v[i] > v[i - 1];
                }
                if (!ok) {
                    fprintf(stderr, "\n  [%.17g, %.17g] in %d: \"%s\"\n", lo, hi, widths[w], labels);
                    bad++;
                }
            }
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_termplot_edges(void)
{
    TermPlotOptions o = term_options(30, 5, true);
    Text t;
    FILE *f = text_open(&t);
    double nan[3] = { NAN, NAN, INFINITY }, one[1] = { 2.5 }, same[4] = { 1, 1, 1, 1 };
    CU_ASSERT_EQUAL(termplot_draws(f, nan, 0, &o), -1);
    CU_ASSERT_EQUAL(termplot_draws(f, nan, 3, &o), -1);
    o.width = 0;
    CU_ASSERT_EQUAL(termplot_draws(f, one, 1, &o), -1);
    o.width = 30;
    CU_ASSERT_EQUAL(termplot_curve(f, std_normal, NULL, 1, -1, false, &o), -1);
    CU_ASSERT_EQUAL(termplot_curve(f, std_normal, NULL, 0.2, 0.8, true, &o), -1);   /* no integer */
    CU_ASSERT_EQUAL(termplot_draws(f, one, 1, &o), 0);
    CU_ASSERT_EQUAL(termplot_draws(f, same, 4, &o), 0);
    o.color = true;
    CU_ASSERT_EQUAL(termplot_draws(f, one, 1, &o), 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.buf, "\x1b["));
    free(t.buf);
}

/* The REPL's sketch of draws in other units is the same sketch: every
** line but the tick values is the same (an absolute threshold drew draws
** below 1e-12 as a spike; a bandwidth from squares that underflow, as one
** too). */
static void test_termplot_units(void)
{
    double x[400], y[400];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 400; i++) x[i] = gsl_ran_gaussian(r, 1.0);
    gsl_rng_free(r);
    /* powers of ten, so that the ticks fall on the same columns (up to
    ** spans of 1e300, where ticks stop) */
    static const double scales[] = { 1e-300, 1e-170, 1e-17, 1e-9, 1e160, 1e250 };
    TermPlotOptions o = term_options(60, 8, false);
    Text t0;
    FILE *f = text_open(&t0);
    CU_ASSERT_EQUAL(termplot_draws(f, x, 400, &o), 0);
    fclose(f);
    char *base[16] = { 0 };
    int n0 = text_lines(t0.buf, base, 16);
    CU_ASSERT_EQUAL(n0, 8 + 2);      /* rows, axis, tick values */
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        for (int i = 0; i < 400; i++) y[i] = scales[k] * x[i];
        Text t;
        f = text_open(&t);
        CU_ASSERT_EQUAL(termplot_draws(f, y, 400, &o), 0);
        fclose(f);
        char *lines[16] = { 0 };
        int n = text_lines(t.buf, lines, 16);
        CU_ASSERT_EQUAL(n, n0);
        for (int i = 0; i < n && i < n0; i++) {
            if (i == 9) continue;   /* the tick values */
            if (strcmp(lines[i], base[i]) != 0)
                fprintf(stderr, "\n  times %g, line %d: '%s', expected '%s'\n", scales[k], i, lines[i], base[i]);
            CU_ASSERT_STRING_EQUAL(lines[i], base[i]);
        }
        free(t.buf);
    }
    free(t0.buf);
}

/* Marks outside integer draws widen the axis to them: draws 0..3 with
** the mark at 6 in 70 columns put 7 integers in slots of 10, and the mark
** in column floor((6 + 0.5) / 7 * 70) = 65 (it was clamped to the last
** column of 4 slots of 17, 67). */
static void test_termplot_integer_marks(void)
{
    double x[8] = { 0, 1, 1, 2, 2, 2, 3, 3 };
    TermPlotOptions o = term_options(70, 4, false);
    o.mark_mean = 6;
    Text t;
    FILE *f = text_open(&t);
    CU_ASSERT_EQUAL(termplot_draws(f, x, 8, &o), 0);
    fclose(f);
    char *lines[16] = { 0 };
    int n = text_lines(t.buf, lines, 16);
    CU_ASSERT_EQUAL(n, 4 + 3);
    if (n == 7) {
        CU_ASSERT_EQUAL(strchr(lines[6], '^') - lines[6], 65);
        CU_ASSERT_PTR_NOT_NULL(strstr(lines[5], "6"));   /* a tick at 6 */
    }
    free(t.buf);
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo name_tests[] = {
        { "plot_kind_parse", test_kind_parse },
        { "plot_format_of", test_format_of },
        { "reference shares by hand count", test_ref_text },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo file_tests[] = {
        { "every kind as PNG, SVG and PDF", test_every_kind_and_format },
        { "sizes per variable", test_sizes },
        { "trace shows the draws", test_trace_shows_the_draws },
        { "divergent draws marked", test_divergences_marked },
        { "reference line where the rule puts it", test_reference_line },
        { "forest of several models", test_forest_models },
        { "errors", test_errors },
        { "NaN, single, constant, discrete, many", test_awkward_draws },
        { "the same picture in any units", test_units },
        { "a quantity not finite in some draws is not drawn", test_nonfinite_not_drawn },
        { "ppc: replicated sets chosen evenly", test_ppc_pick },
        { "ppc: one line per replicated set", test_ppc_sets },
        { "ppc: the data where they lie, bars for counts", test_ppc_shows_the_data },
        { "ppc: a scalar's histogram and its observed line", test_ppc_scalar },
        { "ppc: the quantities selected", test_ppc_selection },
        { "ppc: errors and values not finite", test_ppc_errors },
        { "prior: dashed over the posterior, or none", test_prior_overlay },
        { "prior: long tails cut to the bulk", test_prior_long_tails },
        { "prior: panels of the posterior's quantities", test_prior_panels },
        { "trace and posterior: replicates only when selected", test_replicates_left_out },
        { "prior and ppc in every format", test_prior_formats },
        { "a kernel density over a window", test_kde_window },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo term_tests[] = {
        { "lines, widths, ASCII, marker columns", test_termplot_layout },
        { "discrete and continuous curves", test_termplot_curves },
        { "tick steps, labels and ends", test_termplot_ticks },
        { "edge cases", test_termplot_edges },
        { "the same sketch in any units", test_termplot_units },
        { "marks beside integer draws", test_termplot_integer_marks },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "plot names", NULL, NULL, NULL, NULL, name_tests },
        { "plot files", dir_init, dir_clean, NULL, NULL, file_tests },
        { "termplot", NULL, NULL, NULL, NULL, term_tests },
        CU_SUITE_INFO_NULL,
    };
    int rc = testutil_run(suites);
    /* cairo keeps fonts (and fontconfig patterns) cached for the life of
    ** the process; LeakSanitizer reports them unless they are dropped */
    cairo_debug_reset_static_data();
    return rc;
}
