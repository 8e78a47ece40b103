/*
** data.h -- values for a model's `data` names, from data files (--data:
** CmdStan-format JSON, or CSV whose columns are vectors) and from
** -D name=value on the command line.
*/
#ifndef BMC_DATA_H
#define BMC_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "diag.h"

#define DATA_MAX_FILE_BYTES (256L * 1024 * 1024)  /* larger files are refused */
#define DATA_MAX_ELEMENTS   10000000L             /* per value (as IR_MAX_ELEMENTS) */

typedef struct DataValue {
    char *name;
    int ndim;          /* 0 scalar, 1 vector, 2 matrix */
    long dims[2];      /* dims[0] rows (or length), dims[1] columns */
    bool is_int;       /* every element was written as an integer */
    double *v;         /* n values, row-major */
    long n;
    char *origin;      /* "data.json" or "-D": where it came from, for messages */
    char *assigned;    /* given by name, "-D 'N=3'": that place, for messages; NULL from a file */
    /* A factor (a text column of a CSV file): v holds the codes 1..nlevels
    ** of its levels, sorted in byte order; NULL and 0 for numbers. */
    char **levels;
    long nlevels;
} DataValue;

typedef struct DataSet {
    DataValue *vals;
    int n, cap;
} DataSet;

DataSet *dataset_new(void);
void dataset_free(DataSet *ds);

/* The readers of data files. */
typedef enum { DATA_FORMAT_JSON, DATA_FORMAT_CSV } DataFormat;

/* The reader for a data file named name (NULL: no name) whose text starts
** with the len bytes of text: by the extension where it tells (.json;
** .csv and .tsv, any case), else (standard input, any other name) by the
** content: a JSON document starts with '{' after blanks and a byte order
** mark, anything else is CSV. */
DataFormat dataset_format(const char *name, const char *text, size_t len);

/* The separator a CSV file's name implies: '\t' for .tsv, else 0 (found
** from the header line). */
char dataset_csv_separator_of(const char *name);

/* Reads every value of the data file at path, in the format that
** dataset_format picks; csv_sep is a CSV file's separator (',', ';' or
** '\t'), 0 to find it from the name and the header line.  A later value of
** the same name replaces an earlier one.  Returns 0, or -1 with the error
** in err (at the line and column of the file where it has them).  A call
** that fails leaves ds as it was. */
int dataset_read_file(DataSet *ds, const char *path, char csv_sep, Diags *err);

/* The same for a stream (standard input) read to its end, with the size
** limit of files; name stands for it in messages ("<stdin>"). */
int dataset_read_stream(DataSet *ds, FILE *f, const char *name, char csv_sep, Diags *err);

/* The same for text already in memory, named name. */
int dataset_parse(DataSet *ds, const char *name, const char *text, size_t len, char csv_sep, Diags *err);

/* Reads every member of the JSON object in text (len bytes); name stands
** for the file in messages.  Returns and fails as dataset_read_file. */
int dataset_parse_json(DataSet *ds, const char *name, const char *text, size_t len, Diags *err);

/* Reads CSV text (data_csv.c): a header row naming the columns, then one
** row per observation; each column becomes a vector of that name, numbers
** when its first cell is a number, else a factor.  sep as for
** dataset_read_file; name stands for the file in messages.  Returns 0, or
** -1 with the error (at its line and column) in err, ds as it was. */
int dataset_parse_csv(DataSet *ds, const char *name, const char *text, size_t len, char sep, Diags *err);

/* The separators a CSV file may have, for --csv-sep: "," ";" "\t" (or
** "tab").  Returns the character, or 0 for any other text. */
char dataset_csv_separator(const char *text);

/* Parses "name=value", value a number or a JSON array ("[1, 2, 3]"), as
** given by how ("-D" on the command line, ":data" in the REPL: messages
** and values' origins say so; NULL is "-D").  Returns 0, or -1 with the
** error in err. */
int dataset_parse_assign(DataSet *ds, const char *text, const char *how, Diags *err);

/* The value called name, or NULL. */
const DataValue *dataset_find(const DataSet *ds, const char *name);

/* Puts a copy of the n = dims[0] * dims[1] values v (row-major; ndim 0, 1
** or 2, unused dimensions 1) into ds as name, replacing a value of that
** name; origin says where they come from, for messages.  Returns 0, or -1
** when out of memory (ds as it was). */
int dataset_put(DataSet *ds, const char *name, int ndim, const long dims[2], const double *v, bool is_int,
                const char *origin);

/* Moves every value of from into ds, replacing values of the same names,
** and frees from.  Returns 0, or -1 when out of memory (ds as it was,
** from freed). */
int dataset_take(DataSet *ds, DataSet *from);

/* Gives the vector name of ds (put there with dataset_put) the levels of a
** factor: copies of the nlevels strings.  Returns 0, or -1 when out of
** memory or when name is not there. */
int dataset_set_levels(DataSet *ds, const char *name, char *const *levels, long nlevels);

/* Writes every value of ds to f as one CmdStan-format JSON object that
** dataset_read_file reads back to the same values: integers as written,
** other numbers with all their digits, NaN and infinities as the strings
** "NaN", "Inf" and "-Inf".  Returns 0, or -1 when out of memory or when
** writing fails (errno says why). */
int dataset_write_json(const DataSet *ds, FILE *f);

#endif
