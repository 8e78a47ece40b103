#!/usr/bin/env python3
"""Keeps the outputs pasted in the documents true to what bmc prints.

Three kinds of block are checked:

  - a ```sh block holding one `./bmc run`, `./bmc compare`,
    `./bmc simulate` or `./bmc summary` command, followed by a ```text
    block: the command's output;
  - a ``` or ```text block whose first line is `$ ./bmc run ...` (or
    compare, simulate, summary), the output following it in the same
    block;
  - a REPL transcript: a ```text block whose first line is `$ ./bmc repl`
    or starts with the prompt `bmc> `.  Its input lines are those after
    the prompts `bmc> ` and `...> `; they are typed into `bmc repl` on a
    terminal of 80 columns (a pseudo-terminal with TERM=dumb, a UTF-8
    locale and an empty HOME), each after the prompt before it appears,
    and the screen is the output.  A block that starts at a prompt shows
    a session without its banner line.  Input lines must fit on the
    terminal's line.

A command is split into words as the shell splits it (quotes, and
globs such as out/*.csv expanded in sorted order).  The commands of a
document run in its order, from a scratch directory
that links to everything at the repository root (a file one command
writes, another may read; none stays).  Each command is run again (with
$BMC in place of ./bmc) and its output (for the commands, stdout then
stderr) compared with the block, ignoring
the timings (seconds and ESS per second), which vary from run to run;
--update rewrites only the blocks that differ in more than those.

    tools/tutorial-outputs.py --check docs/tutorial.md ...   exit 1 on a difference
    tools/tutorial-outputs.py --update docs/tutorial.md ...  rewrite the blocks

Run from the repository root."""
import difflib
import fcntl
import glob
import os
import re
import select
import shlex
import struct
import subprocess
import sys
import tempfile
import termios
import time

BMC = os.environ.get('BMC', './bmc')
BMC = os.path.abspath(BMC) if os.sep in BMC else BMC   # the commands run elsewhere
TIMING = re.compile(r'[0-9.,]+ s sampling|independently, [0-9.,]+ s|conjugate posterior \([^)]*\), [0-9.,]+ s|ESS/s: [0-9,.]+')
COMMANDS = ('./bmc run ', './bmc compare ', './bmc simulate ', './bmc summary ')
PROMPTS = ('bmc> ', '...> ')
COLUMNS = 80
WAIT = 120 * (20 if os.environ.get('BMC_VALGRIND') else 1)   # seconds for each prompt


def words(cmd):
    """cmd's words, as the shell gives them: quoted, and globs expanded."""
    out = []
    for w in shlex.split(cmd):
        matched = sorted(glob.glob(w)) if any(c in w for c in '*?[') else []
        out.extend(matched or [w])
    return out


def run(cmd):
    args = words(cmd)
    args[0] = BMC
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return (p.stdout + p.stderr).rstrip('\n').split('\n')


# ---- the REPL on a terminal

def screen(raw):
    """The lines a terminal shows for raw output: a carriage return goes
    back to the start of the line, ESC [ 2 K clears it, other escape
    sequences change nothing that stays on the screen."""
    lines, line, col = [], [], 0
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == '\x1b':
            m = re.match(r'\x1b\[[0-9;?]*([A-Za-z])', raw[i:])
            if m:
                if m.group(0) == '\x1b[2K':
                    line, col = [], 0
                i += len(m.group(0))
                continue
        if c == '\n':
            lines.append(''.join(line).rstrip())
            line, col = [], 0
        elif c == '\r':
            col = 0
        elif c >= ' ':
            if col < len(line):
                line[col] = c
            else:
                line.append(c)
            col += 1
        i += 1
    lines.append(''.join(line).rstrip())
    return lines


def read_to_prompt(fd, out):
    """Reads the REPL's output into out until it waits at a prompt."""
    end = time.time() + WAIT
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:   # the REPL has gone: its terminal is closed
            return False
        if not data:
            return False
        out.extend(data)
        if out.endswith(b'bmc> ') or out.endswith(b'...> '):
            return True
    raise TimeoutError('bmc repl did not come back to its prompt')


def repl(inputs):
    """The screen of a session that types the inputs, up to its last prompt."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in ('COLUMNS', 'LINES', 'NO_COLOR', 'LC_ALL')}
        env.update(TERM='dumb', LANG='C.UTF-8', HOME=home, INPUTRC='/dev/null')
        p = subprocess.Popen([BMC, 'repl'], stdin=slave, stdout=slave, stderr=slave, env=env,
                             start_new_session=True)
        os.close(slave)
        out = bytearray()
        try:
            for line in inputs:
                if not read_to_prompt(master, out):
                    break
                os.write(master, line.encode() + b'\n')
            if read_to_prompt(master, out):
                os.write(master, b'\x04')   # Ctrl-D: the end
            p.wait(timeout=WAIT)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            os.close(master)
    shown = screen(out.decode('utf-8', 'replace'))
    while shown and shown[-1] in ('', PROMPTS[0].rstrip()):   # the prompt it was left at
        shown.pop()
    return shown


def run_transcript(lines):
    """A transcript's output: its lines as the REPL gives them now."""
    banner = lines[0] == '$ ./bmc repl'
    inputs = [x[len(PROMPTS[0]):] for x in lines if x.startswith(PROMPTS)]
    shown = repl(inputs)
    return shown if banner else shown[1:]


# ---- the blocks

def fences(lines):
    """Each fenced block: (its info string, the index of its first and past its last line)."""
    i = 0
    while i < len(lines):
        if lines[i].startswith('```'):
            k = i + 1
            while k < len(lines) and lines[k] != '```':
                k += 1
            yield lines[i][3:].strip(), i + 1, k
            i = k
        i += 1


def blocks(lines):
    """(what is run, how, first and past the last line of the output it is compared with)."""
    fenced = list(fences(lines))
    for n, (info, first, last) in enumerate(fenced):
        top = lines[first] if first < last else ''
        if info == 'sh' and last == first + 1 and top.startswith(COMMANDS) and '--plot' not in top:
            after = fenced[n + 1] if n + 1 < len(fenced) else None
            # the text block must follow, blank lines between
            if after and after[0] == 'text' and all(x == '' for x in lines[last + 1:after[1] - 1]):
                yield top, run, after[1], after[2]
        elif info in ('', 'text') and top.startswith('$ ') and top[2:].startswith(COMMANDS) and '--plot' not in top:
            yield top[2:], run, first + 1, last
        elif info == 'text' and (top == '$ ./bmc repl' or top.startswith(PROMPTS[0])):
            banner = top == '$ ./bmc repl'
            yield lines[first:last], run_transcript, first + banner, last


def scratch_copy(root, into):
    """into as root seen from a scratch directory: a link to each entry, so
    that models/ and docs/ are where the commands name them and the files
    the commands write (bmc simulate --output) land outside the tree."""
    for name in os.listdir(root):
        os.symlink(os.path.join(root, name), os.path.join(into, name))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('--check', '--update'):
        sys.exit(__doc__)
    update = sys.argv[1] == '--update'
    differ = checked = 0
    root = os.getcwd()
    for path in sys.argv[2:]:
        lines = open(path, encoding='utf-8').read().split('\n')
        found = list(blocks(lines))
        # in the document's order, as a reader runs them, each document in
        # a directory of its own: a command may read what one before wrote
        with tempfile.TemporaryDirectory(prefix='bmc-tutorial-') as scratch:
            scratch_copy(root, scratch)
            os.chdir(scratch)
            try:
                outputs = [how(what) for what, how, _, _ in found]
            finally:
                os.chdir(root)
        for (what, how, first, last), new in reversed(list(zip(found, outputs))):
            old = lines[first:last]
            name = what if isinstance(what, str) else f'the REPL session at line {first + 1}'
            checked += 1
            if [TIMING.sub('', x) for x in old] != [TIMING.sub('', x) for x in new]:
                differ += 1
                print(f'{path}: the output of "{name}" differs:')
                for d in difflib.unified_diff(old, new, lineterm='', n=0):
                    print('   ', d)
                lines[first:last] = new     # a block that differs only in its timings stays
        if update:
            open(path, 'w', encoding='utf-8').write('\n'.join(lines))
    print(f'tutorial outputs: {checked - differ} passed, {differ} failed')
    sys.exit(1 if differ and not update else 0)

if __name__ == '__main__':
    main()
