/*
** fuzz_draws_csv.c -- libFuzzer target: bytes -> a CmdStan CSV file read
** back as draws (draws_csv_read), as one chain and as two.  The reader
** takes files, so the bytes are written to one first.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "draws_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    char path[] = "/tmp/fuzz_draws_csv_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return 0;
    }
    fwrite(bytes, 1, size, f);
    fclose(f);
    const char *paths[2] = { path, path };
    for (int n = 1; n <= 2; n++) {
        Draws *d = NULL;
        DrawsCsvRun run;
        DrawsCsvError err;
        if (draws_csv_read(paths, n, &d, &run, &err) == 0) {
            draws_free(d);
            draws_csv_run_free(&run);
        }
    }
    unlink(path);
    return 0;
}
