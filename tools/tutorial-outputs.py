#!/usr/bin/env python3
"""Keeps the outputs pasted in the tutorials true to what bmc prints.

Every ```sh block holding one `./bmc run` or `./bmc compare` command that
is followed by a ```text block is run again (with $BMC in place of ./bmc);
its output (stdout, then stderr) is compared with the block, ignoring the
timings (seconds and ESS per second), which vary from run to run.

    tools/tutorial-outputs.py --check docs/tutorial.md ...   exit 1 on a difference
    tools/tutorial-outputs.py --update docs/tutorial.md ...  rewrite the blocks

Run from the repository root."""
import difflib
import os
import re
import subprocess
import sys

BMC = os.environ.get('BMC', './bmc')
TIMING = re.compile(r'[0-9.,]+ s sampling|ESS/s: [0-9,.]+')


def run(cmd):
    args = cmd.split()
    args[0] = BMC
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return (p.stdout + p.stderr).rstrip('\n').split('\n')


def blocks(lines):
    """(index of the command line, command, first and last line of its text block)."""
    i = 0
    while i < len(lines):
        if lines[i] == '```sh' and i + 2 < len(lines) and lines[i + 2] == '```':
            cmd = lines[i + 1]
            j = i + 3
            while j < len(lines) and lines[j] == '':
                j += 1
            if (cmd.startswith('./bmc run ') or cmd.startswith('./bmc compare ')) and '--plot' not in cmd \
                    and j < len(lines) and lines[j] == '```text':
                k = j + 1
                while k < len(lines) and lines[k] != '```':
                    k += 1
                yield cmd, j + 1, k
                i = k
        i += 1


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('--check', '--update'):
        sys.exit(__doc__)
    update = sys.argv[1] == '--update'
    differ = checked = 0
    for path in sys.argv[2:]:
        lines = open(path, encoding='utf-8').read().split('\n')
        for cmd, first, last in reversed(list(blocks(lines))):
            old, new = lines[first:last], run(cmd)
            checked += 1
            if [TIMING.sub('', x) for x in old] != [TIMING.sub('', x) for x in new]:
                differ += 1
                print(f'{path}: the output of "{cmd}" differs:')
                for d in difflib.unified_diff(old, new, lineterm='', n=0):
                    print('   ', d)
            lines[first:last] = new
        if update:
            open(path, 'w', encoding='utf-8').write('\n'.join(lines))
    print(f'tutorial outputs: {checked - differ} passed, {differ} failed')
    sys.exit(1 if differ and not update else 0)


if __name__ == '__main__':
    main()
