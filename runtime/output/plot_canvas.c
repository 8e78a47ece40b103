/*
** plot_canvas.c -- the drawing kit of the pictures (plot_canvas.h).
**
** Everything is laid out in pixels at 96 dpi.  PNG files are drawn at
** that size; SVG and PDF pages are the same picture in points (a pixel
** is 0.75 pt), so the three formats have the same proportions.
*/
#include "plot_canvas.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_math.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

/* ------------------------------------------------------------------ */
/* Sizes and colours                                                   */
/* ------------------------------------------------------------------ */

/* matplotlib's tab10, the colours ArviZ gives chains and models */
static const double TAB10[10][3] = {
    { 0x1f / 255.0, 0x77 / 255.0, 0xb4 / 255.0 }, { 0xff / 255.0, 0x7f / 255.0, 0x0e / 255.0 },
    { 0x2c / 255.0, 0xa0 / 255.0, 0x2c / 255.0 }, { 0xd6 / 255.0, 0x27 / 255.0, 0x28 / 255.0 },
    { 0x94 / 255.0, 0x67 / 255.0, 0xbd / 255.0 }, { 0x8c / 255.0, 0x56 / 255.0, 0x4b / 255.0 },
    { 0xe3 / 255.0, 0x77 / 255.0, 0xc2 / 255.0 }, { 0x7f / 255.0, 0x7f / 255.0, 0x7f / 255.0 },
    { 0xbc / 255.0, 0xbd / 255.0, 0x22 / 255.0 }, { 0x17 / 255.0, 0xbe / 255.0, 0xcf / 255.0 },
};

void plot_set_tab10(cairo_t *cr, int k, double alpha)
{
    const double *c = TAB10[k % 10];
    cairo_set_source_rgba(cr, c[0], c[1], c[2], alpha);
}

void plot_tab10_rgb(int k, double rgb[3])
{
    memcpy(rgb, TAB10[k % 10], 3 * sizeof *rgb);
}

void plot_set_grey(cairo_t *cr, double level)
{
    cairo_set_source_rgb(cr, level, level, level);
}

/* ------------------------------------------------------------------ */
/* Numbers on axes                                                     */
/* ------------------------------------------------------------------ */

/* The 1-2-5 step that cuts span into about target intervals. */
static double nice_step(double span, int target)
{
    double raw = span / (target > 0 ? target : 1);
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
}

/* The multiples of step in [lo, hi], at most max of them. */
static int ticks_at(double lo, double hi, double step, double *t, int max)
{
    int n = 0;
    double k = ceil(lo / step - 1e-9);
    for (; n < max; k += 1.0) {
        double v = k * step;
        if (v > hi + step * 1e-9) break;
        t[n++] = fabs(v) < step * 1e-9 ? 0.0 : v;   /* no "-0" */
    }
    return n;
}

/* A tick label with as many decimals as the step needs. */
static void fmt_tick(char *buf, size_t len, double v, double step)
{
    double big = fmax(fabs(v), step);
    if (big >= 1e6 || step < 1e-5) {
        snprintf(buf, len, "%.3g", v);
        return;
    }
    int decimals = (int)-floor(log10(step) + 1e-9);
    snprintf(buf, len, "%.*f", decimals > 0 ? decimals : 0, v);
}

/* A value as the labels show it: three significant digits, as ArviZ's
** round_num, but whole numbers from 1000 on rather than exponents.  No
** value is too small to show: a quantity may be measured in tiny units. */
void plot_fmt_value(char *buf, size_t len, double v)
{
    if (fabs(v) >= 1000.0 && fabs(v) < 1e9) snprintf(buf, len, "%.0f", v);
    else snprintf(buf, len, "%.3g", v == 0.0 ? 0.0 : v);   /* no "-0" */
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

void plot_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Copies s into out (len bytes), '?' for every byte that does not start
** a valid UTF-8 sequence: cairo puts a context in an error state for good
** when shown an invalid string, and names and labels come from users. */
static const char *clean_utf8(const char *s, char *out, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p && o + 5 < len) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        unsigned long cp = n == 1 ? *p : n == 2 ? (*p & 0x1Fu) : n == 3 ? (*p & 0x0Fu) : (*p & 0x07u);
        for (int k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80) { n = 0; break; }
            cp = cp << 6 | (p[k] & 0x3Fu);
        }
        static const unsigned long least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (n == 0 || cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out[o++] = '?';
            p++;
            continue;
        }
        memcpy(out + o, p, (size_t)n);
        o += (size_t)n;
        p += n;
    }
    out[o] = '\0';
    return out;
}

double plot_text_width(cairo_t *cr, const char *s, double size, bool bold)
{
    cairo_text_extents_t te;
    char clean[256];
    plot_font(cr, size, bold);
    cairo_text_extents(cr, clean_utf8(s, clean, sizeof clean), &te);
    return te.x_advance;
}

/* Shows s anchored at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top,
** 0.5 middle, 1 bottom of the line. */
void plot_text(cairo_t *cr, const char *s, double x, double y, double size, bool bold, double ax, double ay)
{
    cairo_font_extents_t fe;
    cairo_text_extents_t te;
    char clean[256];
    clean_utf8(s, clean, sizeof clean);
    plot_font(cr, size, bold);
    cairo_font_extents(cr, &fe);
    cairo_text_extents(cr, clean, &te);
    double line = fe.ascent + fe.descent;
    cairo_move_to(cr, x - ax * te.x_advance, y - ay * line + fe.ascent);
    cairo_show_text(cr, clean);
}

/* The same, rotated a quarter turn to read upwards, centred on (x, y). */
void plot_text_up(cairo_t *cr, const char *s, double x, double y, double size)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    plot_text(cr, s, 0, 0, size, false, 0.5, 0.5);
    cairo_restore(cr);
}

/* A label on a white box, so that it reads over the curve: anchored at x
** by ax, kept within [left, right], its top at y. */
void plot_text_boxed(cairo_t *cr, const char *s, double x, double y, double size, double ax, double left,
                     double right)
{
    double w = plot_text_width(cr, s, size, false);
    double x0 = x - ax * w;
    if (x0 + w > right) x0 = right - w;
    if (x0 < left) x0 = left;
    cairo_save(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x0 - 3, y - 2, w + 6, size + 6);
    cairo_fill(cr);
    cairo_restore(cr);
    plot_text(cr, s, x0, y, size, false, 0.0, 0.0);
}

/* ------------------------------------------------------------------ */
/* Frames: a box on the page and the data ranges it shows             */
/* ------------------------------------------------------------------ */

/* Widens [*lo, *hi] when it is empty beside its magnitude, so that a
** frame never divides by zero (constant draws, a single draw); a range
** of any size that is wide for its magnitude stays. */
void plot_widen(double *lo, double *hi)
{
    if (!isfinite(*lo) || !isfinite(*hi)) { *lo = -1.0; *hi = 1.0; }
    if (*hi - *lo > 1e-12 * fmax(fabs(*lo), fabs(*hi))) return;
    double c = 0.5 * (*lo + *hi), d = c != 0.0 ? 0.1 * fabs(c) : 1.0;
    *lo = c - d;
    *hi = c + d;
}

void plot_pad(double *lo, double *hi, double share)
{
    double d = (*hi - *lo) * share;
    *lo -= d;
    *hi += d;
}

void plot_ticks_make(cairo_t *cr, Ticks *t, double lo, double hi, double pixels, bool horizontal, bool integers)
{
    int target = (int)(pixels / (horizontal ? 90.0 : 40.0));
    if (target < 2) target = 2;
    if (target > 10) target = 10;
    for (; target >= 1; target--) {
        t->step = nice_step(hi - lo, target);
        if (integers && t->step < 1.0) t->step = 1.0;
        t->n = ticks_at(lo, hi, t->step, t->v, 16);
        double widest = 0.0;
        for (int i = 0; i < t->n; i++) {
            fmt_tick(t->label[i], sizeof t->label[i], t->v[i], t->step);
            widest = fmax(widest, plot_text_width(cr, t->label[i], FONT_TICK, false));
        }
        double gap = t->step / (hi - lo) * pixels;
        if (gap >= (horizontal ? widest + 12.0 : 2.2 * FONT_TICK)) break;
    }
}

/* Light grey grid lines at the ticks, under the data. */
void plot_frame_grid(cairo_t *cr, const Frame *f, const Ticks *xt, const Ticks *yt)
{
    cairo_set_line_width(cr, 1.0);
    cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
    for (int i = 0; xt && i < xt->n; i++) {
        double px = plot_fx(f, xt->v[i]);
        cairo_move_to(cr, px, f->y);
        cairo_line_to(cr, px, f->y + f->h);
    }
    for (int i = 0; yt && i < yt->n; i++) {
        double py = plot_fy(f, yt->v[i]);
        cairo_move_to(cr, f->x, py);
        cairo_line_to(cr, f->x + f->w, py);
    }
    cairo_stroke(cr);
}

/* The bottom axis (and the left one when yt is given), over the data. */
void plot_frame_axes(cairo_t *cr, const Frame *f, const Ticks *xt, const Ticks *yt)
{
    plot_set_grey(cr, 0.25);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, f->x, f->y + f->h);
    cairo_line_to(cr, f->x + f->w, f->y + f->h);
    if (yt) {
        cairo_move_to(cr, f->x, f->y);
        cairo_line_to(cr, f->x, f->y + f->h);
    }
    for (int i = 0; i < xt->n; i++) {
        double px = plot_fx(f, xt->v[i]);
        cairo_move_to(cr, px, f->y + f->h);
        cairo_line_to(cr, px, f->y + f->h + 4);
    }
    for (int i = 0; yt && i < yt->n; i++) {
        double py = plot_fy(f, yt->v[i]);
        cairo_move_to(cr, f->x, py);
        cairo_line_to(cr, f->x - 4, py);
    }
    cairo_stroke(cr);
    for (int i = 0; i < xt->n; i++)
        plot_text(cr, xt->label[i], plot_fx(f, xt->v[i]), f->y + f->h + 6, FONT_TICK, false, 0.5, 0.0);
    for (int i = 0; yt && i < yt->n; i++)
        plot_text(cr, yt->label[i], f->x - 7, plot_fy(f, yt->v[i]), FONT_TICK, false, 1.0, 0.5);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int plot_fail(char *err, size_t errlen, const char *fmt, const char *path, const char *why)
{
    if (errlen > 0) snprintf(err, errlen, fmt, path, why);
    return -1;
}

/* Opens path for a w x h pixel picture on a white page. */
int plot_figure_open(Figure *g, const char *path, double w, double h, const char *title, char *err,
                       size_t errlen)
{
    memset(g, 0, sizeof *g);
    g->path = path;
    g->format = plot_format_of(path);
    if (g->format == PLOT_FORMAT_NONE)
        return plot_fail(err, errlen, "cannot write '%s': %s", path, "the name must end in .png, .svg or .pdf");
    g->file = fopen(path, "wb");
    if (g->file == NULL) return plot_fail(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    if (g->format == PLOT_FORMAT_PNG) {
        g->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w), (int)ceil(h));
    } else if (g->format == PLOT_FORMAT_SVG) {
        g->surface = cairo_svg_surface_create_for_stream(write_file, g->file, w * PX_TO_PT, h * PX_TO_PT);
    } else {
        g->surface = cairo_pdf_surface_create_for_stream(write_file, g->file, w * PX_TO_PT, h * PX_TO_PT);
        if (cairo_surface_status(g->surface) == CAIRO_STATUS_SUCCESS) {
            cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_CREATOR, "bmc");
            char clean[256];
            if (title) cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_TITLE,
                                                      clean_utf8(title, clean, sizeof clean));
        }
    }
    g->cr = cairo_create(g->surface);
    cairo_status_t st = cairo_status(g->cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(g->cr);
        cairo_surface_destroy(g->surface);
        fclose(g->file);
        remove(path);
        return plot_fail(err, errlen, "cannot write '%s': %s", path, cairo_status_to_string(st));
    }
    if (g->format != PLOT_FORMAT_PNG) cairo_scale(g->cr, PX_TO_PT, PX_TO_PT);
    cairo_set_source_rgb(g->cr, 1, 1, 1);
    cairo_paint(g->cr);
    return 0;
}

/* Finishes the file; a failed figure (ok false) is removed. */
int plot_figure_close(Figure *g, bool ok, char *err, size_t errlen)
{
    cairo_status_t st = cairo_status(g->cr);
    cairo_destroy(g->cr);
    if (ok && st == CAIRO_STATUS_SUCCESS) {
        if (g->format == PLOT_FORMAT_PNG) st = cairo_surface_write_to_png_stream(g->surface, write_file, g->file);
        cairo_surface_finish(g->surface);
        if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(g->surface);
    }
    cairo_surface_destroy(g->surface);
    int closed = fclose(g->file);
    int closed_errno = errno;
    if (!ok) {
        remove(g->path);
        return -1;
    }
    if (st != CAIRO_STATUS_SUCCESS || closed != 0) {
        remove(g->path);
        return plot_fail(err, errlen, "cannot write '%s': %s", g->path,
                    st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : strerror(closed_errno));
    }
    return 0;
}

/* The title line: the model's name and what is shown, at the left. */
double plot_header(cairo_t *cr, const char *title, const char *what)
{
    double x = 16;
    if (title && *title) {
        plot_set_grey(cr, 0.1);
        plot_text(cr, title, x, 14, 16, true, 0.0, 0.0);
        x += plot_text_width(cr, title, 16, true) + 12;
    }
    plot_set_grey(cr, 0.35);
    plot_text(cr, what, x, 16, FONT_LABEL, false, 0.0, 0.0);
    return x + plot_text_width(cr, what, FONT_LABEL, false);
}

/* A legend of coloured lines, right-aligned at x_right on line y. */
void plot_legend(cairo_t *cr, double x_right, double y, int n, const char *const *labels, const char *fallback)
{
    LegendItem items[10];
    char buf[10][64];
    int shown = n < 10 ? n : 10;    /* tab10 repeats after ten */
    for (int k = 0; k < shown; k++) {
        snprintf(buf[k], sizeof buf[k], "%s %d", fallback, k + 1);
        const char *label = labels && labels[k] ? labels[k] : buf[k];
        items[k] = (LegendItem){ label, TAB10[k][0], TAB10[k][1], TAB10[k][2], 1.0, 3.0, false };
    }
    plot_legend_items(cr, x_right, y, items, shown);
}

void plot_legend_items(cairo_t *cr, double x_right, double y, const LegendItem *items, int n)
{
    double widths[16], total = 0.0;
    char buf[16][64];
    int shown = n < 16 ? n : 16;
    for (int k = 0; k < shown; k++) {
        clean_utf8(items[k].label ? items[k].label : "", buf[k], sizeof buf[k]);
        widths[k] = 24 + plot_text_width(cr, buf[k], FONT_LABEL, false) + 16;
        total += widths[k];
    }
    double x = x_right - total;
    for (int k = 0; k < shown; k++) {
        const LegendItem *it = &items[k];
        cairo_set_source_rgba(cr, it->r, it->g, it->b, it->a);
        if (it->width > 0.0) {
            cairo_set_line_width(cr, it->width);
            if (it->dashed) cairo_set_dash(cr, (double[]){ 5, 3 }, 2, 0);
            cairo_move_to(cr, x, y);
            cairo_line_to(cr, x + 18, y);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        } else {
            cairo_rectangle(cr, x + 2, y - 6, 14, 12);
            cairo_fill(cr);
        }
        plot_set_grey(cr, 0.2);
        plot_text(cr, buf[k], x + 24, y, FONT_LABEL, false, 0.0, 0.5);
        x += widths[k];
    }
}

void plot_footnote(cairo_t *cr, double y, int shown, int total)
{
    char buf[128];
    snprintf(buf, sizeof buf, "showing %d of %d variables; choose others with --vars", shown, total);
    plot_set_grey(cr, 0.35);
    plot_text(cr, buf, 16, y, FONT_TICK, false, 0.0, 0.0);
}
