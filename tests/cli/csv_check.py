#!/usr/bin/env python3
"""csv_check.py -- checks CmdStan-format CSV files as their readers see them.

    csv_check.py [--stopped] [--rows N] FILE...

Each file must parse: settings as '# key = value' comments, a header, then
rows that all have the header's field count and hold numbers (nan, inf
too), the file ending with a newline (no row cut short).  The settings
must count the rows: ceil(num_samples / thin) sampling rows, after
ceil(num_warmup / thin) warm-up rows when save_warmup = 1.  --rows N: each
file has N sampling rows; --stopped: fewer than asked is right, at least
one file must have some.  Prints what is wrong and exits 1; nothing and 0
when all is well.
"""
import math
import sys


def check(path, want_rows):
    text = open(path, encoding="utf-8").read()
    if not text.endswith("\n"):
        return ["%s: the last line has no newline (a row cut short)" % path], 0
    settings, header, rows, warm = {}, None, 0, None
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            if "=" in line and header is None:
                key, value = line[1:].split("=", 1)
                settings[key.strip()] = value.strip()
            if line.startswith("# Adaptation terminated"):
                warm = rows
            continue
        fields = line.split(",")
        if header is None:
            header = fields
            continue
        if len(fields) != len(header):
            problems.append("%s:%d: %d fields, the header has %d" % (path, n, len(fields), len(header)))
            continue
        try:
            [float(f) for f in fields]
        except ValueError:
            problems.append("%s:%d: not numbers: %s" % (path, n, line[:80]))
        rows += 1
    if header is None:
        return problems + ["%s: no header" % path], 0
    thin = int(settings.get("thin", "1"))
    samples, warmup = int(settings["num_samples"]), int(settings["num_warmup"])
    saved_warm = math.ceil(warmup / thin) if settings.get("save_warmup") == "1" else 0
    if warm is not None and warm != saved_warm:
        problems.append("%s: %d warm-up rows, num_warmup %d says %d" % (path, warm, warmup, saved_warm))
    sampling = rows - (warm if warm is not None else saved_warm)
    if sampling != math.ceil(samples / thin):
        problems.append("%s: %d sampling rows, num_samples %d (thin %d) says %d"
                        % (path, sampling, samples, thin, math.ceil(samples / thin)))
    if want_rows is not None and sampling != want_rows:
        problems.append("%s: %d rows, not %d" % (path, sampling, want_rows))
    return problems, sampling


def main(argv):
    stopped, want, paths = False, None, []
    i = 0
    while i < len(argv):
        if argv[i] == "--stopped":
            stopped = True
        elif argv[i] == "--rows":
            i += 1
            want = int(argv[i])
        else:
            paths.append(argv[i])
        i += 1
    if not paths:
        print("no files")
        return 1
    problems, most = [], 0
    for path in paths:
        p, rows = check(path, want)
        problems += p
        most = max(most, rows)
    if stopped and most == 0:
        problems.append("no file holds a draw")
    for p in problems[:10]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
