/*
** data_file.c -- a data file or standard input read whole, and parsed by
** the reader its name and first bytes call for (data.c parses JSON,
** data_csv.c CSV).
*/
#include "data.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "source.h"

/* Whether name ends in ext (".csv"), in any case. */
static bool has_extension(const char *name, const char *ext)
{
    size_t n = name ? strlen(name) : 0, e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

DataFormat dataset_format(const char *name, const char *text, size_t len)
{
    if (has_extension(name, ".json")) return DATA_FORMAT_JSON;
    if (has_extension(name, ".csv") || has_extension(name, ".tsv")) return DATA_FORMAT_CSV;
    /* no telling extension (standard input, data.txt): the content decides */
    size_t i = utf8_bom_length(text, len);
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i++;
    /* nothing at all: the JSON reader says the file is empty */
    return i < len && text[i] != '{' ? DATA_FORMAT_CSV : DATA_FORMAT_JSON;
}

char dataset_csv_separator_of(const char *name)
{
    return has_extension(name, ".tsv") ? '\t' : 0;
}

int dataset_parse(DataSet *ds, const char *name, const char *text, size_t len, char csv_sep, Diags *err)
{
    if (dataset_format(name, text, len) == DATA_FORMAT_CSV)
        return dataset_parse_csv(ds, name, text, len, csv_sep ? csv_sep : dataset_csv_separator_of(name), err);
    return dataset_parse_json(ds, name, text, len, err);
}

/* What read_whole_file or read_whole_stream gave, parsed (buf freed). */
static int parse_read(DataSet *ds, const char *name, ReadStatus rs, char *buf, size_t len, const char *why,
                      char csv_sep, Diags *err)
{
    if (rs != READ_OK) {
        DiagCode code = rs == READ_NO_MEMORY ? DIAG_NO_MEMORY : rs == READ_TOO_LARGE ? DIAG_LIMIT : DIAG_FILE;
        diag_error_at(err, code, name, "%s", why);
        return -1;
    }
    int rc = dataset_parse(ds, name, buf, len, csv_sep, err);
    free(buf);
    return rc;
}

int dataset_read_file(DataSet *ds, const char *path, char csv_sep, Diags *err)
{
    char *buf = NULL, why[256];
    size_t len = 0;
    ReadStatus rs = read_whole_file(path, (size_t)DATA_MAX_FILE_BYTES, &buf, &len, why, sizeof why);
    return parse_read(ds, path, rs, buf, len, why, csv_sep, err);
}

int dataset_read_stream(DataSet *ds, FILE *f, const char *name, char csv_sep, Diags *err)
{
    char *buf = NULL, why[256];
    size_t len = 0;
    ReadStatus rs = read_whole_stream(f, (size_t)DATA_MAX_FILE_BYTES, &buf, &len, why, sizeof why);
    return parse_read(ds, name, rs, buf, len, why, csv_sep, err);
}
