/*
** fuzz_data.c -- libFuzzer target: bytes -> the JSON data reader, the CSV
** reader (its separator found, and each one given), and the same bytes as
** one -D name=value.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "data.h"

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    DataSet *ds = dataset_new();
    if (!ds) return 0;
    Diags d;
    diags_init(&d, NULL);
    dataset_parse_json(ds, "<fuzz>", (const char *)bytes, size, &d);
    diags_clear(&d);
    static const char seps[] = { 0, ',', ';', '\t' };
    for (size_t k = 0; k < sizeof seps; k++) {
        dataset_parse_csv(ds, "<fuzz>", (const char *)bytes, size, seps[k], &d);
        diags_clear(&d);
    }
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, bytes, size);
        text[size] = '\0';
        dataset_parse_assign(ds, text, "-D", &d);
        diags_clear(&d);
        free(text);
    }
    dataset_free(ds);
    return 0;
}
