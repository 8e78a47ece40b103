/*
** data_file.c -- a data file or standard input read whole, and parsed by
** the reader its name and first bytes call for (data.c parses JSON).
*/
#include "data.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "source.h"

DataFormat dataset_format(const char *name, const char *text, size_t len)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && strcasecmp(dot, ".json") == 0) return DATA_FORMAT_JSON;
    /* no telling extension (standard input, data.txt): the content decides */
    size_t i = utf8_bom_length(text, len);
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i++;
    if (i < len && text[i] == '{') return DATA_FORMAT_JSON;
    /* JSON is the one reader yet: its messages say what a data file holds */
    return DATA_FORMAT_JSON;
}

int dataset_parse(DataSet *ds, const char *name, const char *text, size_t len, Diags *err)
{
    DataFormat format = dataset_format(name, text, len);
    if (format == DATA_FORMAT_JSON) return dataset_parse_json(ds, name, text, len, err);
    diag_error_at(err, DIAG_INTERNAL, name, "no reader for data format %d", (int)format);
    return -1;
}

/* What read_whole_file or read_whole_stream gave, parsed (buf freed). */
static int parse_read(DataSet *ds, const char *name, ReadStatus rs, char *buf, size_t len, const char *why,
                      Diags *err)
{
    if (rs != READ_OK) {
        DiagCode code = rs == READ_NO_MEMORY ? DIAG_NO_MEMORY : rs == READ_TOO_LARGE ? DIAG_LIMIT : DIAG_FILE;
        diag_error_at(err, code, name, "%s", why);
        return -1;
    }
    int rc = dataset_parse(ds, name, buf, len, err);
    free(buf);
    return rc;
}

int dataset_read_file(DataSet *ds, const char *path, Diags *err)
{
    char *buf = NULL, why[256];
    size_t len = 0;
    ReadStatus rs = read_whole_file(path, (size_t)DATA_MAX_FILE_BYTES, &buf, &len, why, sizeof why);
    return parse_read(ds, path, rs, buf, len, why, err);
}

int dataset_read_stream(DataSet *ds, FILE *f, const char *name, Diags *err)
{
    char *buf = NULL, why[256];
    size_t len = 0;
    ReadStatus rs = read_whole_stream(f, (size_t)DATA_MAX_FILE_BYTES, &buf, &len, why, sizeof why);
    return parse_read(ds, name, rs, buf, len, why, err);
}
