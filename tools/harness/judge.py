#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""judge.py [-q] [--ktap | --cases] LOG...: judges boot serial logs with the
kernel's own KTAP parser, tools/testing/kunit/kunit_parser.py of the base
tree ($KUNIT_DIR, default build/src/tools/testing/kunit of this repository).

What a serial log holds
  * Kernel messages, with a timestamp "[    1.234567] ". They never reach
    the parser (built-in KUnit's empty "KTAP version 1 / 1..0" at boot is
    one); they are only scanned for an oops or a panic.
  * One segment per generation of the guest: "HARNESS: begin NAME", one KTAP
    document, and "HARNESS: exit N" then "HARNESS: end" for the last one. A
    kexec chain or a hibernation closes every earlier generation with
    "HARNESS: next"; each generation's document has its own plan.
  * In a document: the guest's own cases ("ok N name"), and the KUnit suites
    and the kselftest as nested subtests, as those tools print them:
        KTAP version 1
        1..3
        ok 1 upstream_mode_lines
            KTAP version 1
            # Subtest: hyp_stub_abi
            1..6
            ok 1 hyp_stub_entry_mode_record_consistent
            ...
        ok 2 hyp_stub_abi
    A prefix such as "gen2." or "conform." in front of a name (and the
    flat SUITE.CASE names of older logs) is nested again: gen2 > case.

Beside the log, LOG.host holds what the host found (scenario.sh, qemu.sh),
one a line: "ok NAME", "not ok NAME" (cases under a "host" node) and
"# text" (the diagnostics of the next case; "# timeout after N s" from
qemu.sh). The host never writes into the serial log itself; a big-endian
boot's LOG.dumped (the document dumped.sh made of what the guest dumped) is
read after it.

What the judge finds wrong with the log as a whole (no document, no plan,
results past the plan, the guest did not finish, a timeout, a kernel
crash) is one failing case, host > serial_log_complete, whose diagnostics
say what; a last line cut short (QEMU stopped mid-line) is dropped and
noted. Counts are leaves: a result the plan promised that never came is a
failure, and so is a subtest whose own line says "not ok" while every case
under it passed (a KUnit suite that failed to initialise, a kselftest that
exited non-zero).

Output: the tree (default), the tree as a nested KTAP subtest followed by
"RESULT passed failed skipped ok|fail" (--ktap), or one
"pass|fail|skip dotted.name" line per case (--cases). Exit status 1 if any
log fails.
"""
import argparse
import io
import os
import re
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VERSION = re.compile(r'Linux version (\d+\.\d+)\.')
TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\] ')
CRASH = re.compile(r'Internal error: |Kernel panic - not syncing|kernel BUG at |'
                   r'BUG: |Unable to handle kernel ')
# A kernel line with one of those anywhere in a line (glued to another).
CRASH_ANY = re.compile(r'\[\s*\d+\.\d+\] .*(' + CRASH.pattern + ')')
# kselftest's "ok 3 # SKIP name (reason)": kunit_parser reads no name, nor
# even a result, in it.
KSFT_SKIP = re.compile(r'^(\s*)(ok|not ok) (\d+) # SKIP (\S+)(.*)$')
kp = kunit_printer = S = None


def setup_error(msg):
    """The judge cannot judge at all: exit status 2, never a verdict."""
    print(f'judge.py: {msg}', file=sys.stderr)
    sys.exit(2)


def base_of(path):
    """The base a log's kernel was built from (its "Linux version X.Y"
    line), or None."""
    try:
        with open(path, 'rb') as f:
            for raw in f:
                m = VERSION.search(raw.decode('utf-8', 'replace'))
                if m:
                    return m[1]
    except OSError:
        pass
    return None


def kunit_dir(logs):
    """$KUNIT_DIR, or tools/testing/kunit of the tree of the base the logs'
    kernel was built from: build/src for 6.1, build/BASE/src for any other
    (as lib.sh's build_dir). Each base's kunit_parser reads what its own
    KUnit prints (6.12's prints "# module:" lines 6.1's does not know)."""
    if os.environ.get('KUNIT_DIR'):
        return os.environ['KUNIT_DIR']
    bases = {b for b in map(base_of, logs) if b}
    if len(bases) > 1:
        setup_error(f'logs of several bases ({", ".join(sorted(bases))}): judge one base at a time')
    base = bases.pop() if bases else '6.1'
    build = os.path.join(TOP, 'build') if base == '6.1' else os.path.join(TOP, 'build', base)
    return os.path.join(build, 'src/tools/testing/kunit')


def load_parser(where):
    """Imports the base tree's kunit_parser, keeping the directive of each
    result line (kunit_parser drops what follows " # ")."""
    global kp, kunit_printer, S, MARK, WORD
    if not os.path.isfile(os.path.join(where, 'kunit_parser.py')):
        setup_error(f'no kunit_parser.py in {where}: make tree (KBASE=... for another base) '
                    'puts the base tree there, or say KUNIT_DIR=DIR')
    sys.path.insert(0, where)
    import kunit_parser as kp  # pylint: disable=import-outside-toplevel
    import kunit_printer  # pylint: disable=import-outside-toplevel
    S = kp.TestStatus
    MARK = {S.SUCCESS: 'ok', S.FAILURE: 'FAIL', S.SKIPPED: 'skip'}
    WORD = {S.SUCCESS: 'pass', S.FAILURE: 'fail', S.SKIPPED: 'skip'}
    parse_result = kp.parse_test_result

    def result_with_directive(lines, test, expected_num):
        line = lines.peek() if lines else ''
        if not parse_result(lines, test, expected_num):
            return False
        m = kp.TEST_RESULT.match(line)
        test.directive = m[5].strip() if m and m[5] else ''
        return True
    kp.parse_test_result = result_with_directive


class Segment:
    """What one generation printed between "HARNESS: begin" and its end."""
    def __init__(self, name, num):
        self.name, self.num = name, num
        self.lines = []      # (line number, text) for kunit_parser
        self.closed = None   # 'next', 'end', or None (log ended, or a new begin)
        self.exit = None


def read_log(path):
    """The log's segments, its crash lines, and notes on torn lines."""
    segs, crashes, notes, cur = [], [], [], None
    if not os.path.exists(path):
        return segs, crashes, [f'no serial log {path}']
    lines = []
    # LOG.dumped: a big-endian boot's document, which the host made from
    # the files the guest dumped (dumped.sh), read after the serial log.
    for name in (path, path + '.dumped'):
        if name != path and not os.path.exists(name):
            continue
        with open(name, 'rb') as f:
            more = f.read().decode('utf-8', 'replace').split('\n')
        if more[-1]:  # no newline at the end: QEMU was stopped mid-line
            where = '' if name == path else 'LOG.dumped '
            notes.append(f'torn last line dropped, {where}line {len(more)}: {more[-1]!r}')
        lines += more[:-1]
    for num, line in enumerate(lines, 1):
        line = line.rstrip('\r')
        if CRASH_ANY.search(line):
            crashes.append(f'line {num}: {TIMESTAMP.sub("", line)}')
        if TIMESTAMP.match(line):
            continue
        if line.startswith('HARNESS: begin'):
            words = line[len('HARNESS: begin'):].split()
            cur = Segment(words[0] if words else 'guest', num)
            segs.append(cur)
        elif cur is None:
            continue
        elif line in ('HARNESS: next', 'HARNESS: end'):
            cur.closed, cur = line.split()[1], None
        elif line.startswith('HARNESS: exit '):
            word = line.split()[2]
            cur.exit = int(word) if word.isdigit() else -1
        elif not line.startswith('HARNESS'):
            m = KSFT_SKIP.match(line)
            if m:
                line = f'{m[1]}{m[2]} {m[3]} {m[4].rstrip(":")} # SKIP{m[5]}'
            cur.lines.append((num, line))
    return segs, crashes, notes


def read_host(path):
    """LOG.host: the host's cases (with the "#" lines before each as its
    diagnostics), the "#" lines after the last one, the timeout note
    (qemu.sh's "# timeout after N s", wherever it is) and the lines that
    are none of these."""
    cases, diags, timeout, bad = [], [], [], []
    if not os.path.exists(path):
        return cases, diags, timeout, bad
    with open(path, encoding='utf-8', errors='replace') as f:
        for num, line in enumerate(f, 1):
            line = line.rstrip('\r\n')
            m = re.fullmatch(r'(ok|not ok) (\S+)', line)
            if m:
                cases.append(leaf(m[2], S.SUCCESS if m[1] == 'ok' else S.FAILURE, diags))
                diags = []
            elif line.startswith('# timeout'):
                timeout.append(line[1:].strip())
            elif line.startswith('#'):
                diags.append(line[1:].strip())
            else:
                bad.append(f'{os.path.basename(path)} line {num} is no host result: {line!r}')
    return cases, diags, timeout, bad


def parse(lines):
    """kunit_parser on one document: (Test, its [ERROR] messages, results
    left after its plan)."""
    buf = io.StringIO()
    kp.stdout = kunit_printer.Printer(buf)
    stream = kp.LineStream(iter(lines))
    test = kp.parse_test(stream, 0, [], False)
    left = [t for t in stream if kp.TEST_RESULT.match(t)]
    errors = [l.split('[ERROR] ', 1)[1] for l in buf.getvalue().splitlines() if '[ERROR] ' in l]
    return test, errors, left


def node(name, subtests):
    """A node of the judge's own (a log, a generation, a prefix, host): no
    result line of its own."""
    t = kp.Test()
    t.name, t.subtests, t.ours = name, subtests, True
    return t


def leaf(name, status, log=()):
    t = kp.Test()
    t.name, t.status, t.log = name, status, list(log)
    return t


def recount(t):
    """The counts of t from its leaves, and its status from them. A parsed
    subtest whose own line failed while no case under it did counts one
    failure more (kunit_parser's counts only sum leaves)."""
    c = kp.TestCounts()
    if not t.subtests:
        if t.status in (S.SUCCESS, S.SKIPPED):
            c.add_status(t.status)
        else:  # failed, crashed (never reported), no tests
            c.failed += 1
    else:
        for s in t.subtests:
            recount(s)
            c.add_subtest_counts(s.counts)
        t.reported_failure = (not getattr(t, 'ours', False) and c.failed == 0 and
                              t.status not in (S.SUCCESS, S.SKIPPED))
        c.failed += t.reported_failure
    t.counts = c
    t.status = S.FAILURE if c.failed else S.SUCCESS if c.passed else S.SKIPPED
    return c


def nest(tests):
    """Runs of results named A.REST become subtests of a node A (the
    guest's KTAP_PREFIX, and older logs' flat SUITE.CASE names)."""
    out = []
    for t in tests:
        head, _, rest = t.name.partition('.')
        if not rest or not head or ' ' in head:
            out.append(t)
            continue
        t.name = rest
        if out and getattr(out[-1], 'folded', False) and out[-1].name == head:
            out[-1].subtests.append(t)
        else:
            g = node(head, [t])
            g.folded = True
            out.append(g)
    for t in out:
        if getattr(t, 'folded', False):
            t.subtests = nest(t.subtests)
    return out


def name_missing(t):
    """kunit_parser's placeholders for missing results have no name."""
    for n, s in enumerate(t.subtests, 1):
        s.name = s.name or f'result {n} (missing)'
        name_missing(s)


def planless(tests):
    """The subtests with results under them but no plan kunit_parser read
    (without a plan it cannot tell that results are missing)."""
    for t in tests:
        if t.subtests and t.expected_count is None:
            yield t
        yield from planless(t.subtests)


def judge_segment(seg, label, reasons, notes):
    """The tree of one generation's document, or None without one."""
    where = f'{label} (line {seg.num})'
    if not any(kp.KTAP_START.match(l) for _, l in seg.lines):
        what = 'KTAP results but no version line' if any(
            kp.TEST_RESULT.match(l) for _, l in seg.lines) else 'no KTAP document'
        reasons.append(f'{where}: {what}')
        return None
    try:
        test, errors, left = parse(seg.lines)
    except Exception as e:  # pylint: disable=broad-except
        reasons.append(f'{where}: kunit_parser could not read the document: {e!r}')
        return None
    if test.expected_count is None:
        reasons.append(f'{where}: no KTAP plan')
    for t in planless(test.subtests):
        reasons.append(f'{where}: subtest {t.name}: no KTAP plan')
    if left:
        reasons.append(f'{where}: {len(left)} result(s) after the plan of '
                       f'{test.expected_count}, first: {left[0].strip()}')
    missing = {}
    for e in errors:
        m = re.match(r'Test: (.*): missing expected subtest!$', e)
        if m:  # kunit_parser's crashed placeholders, counted as failures
            missing[m[1]] = missing.get(m[1], 0) + 1
        else:
            reasons.append(f'{where}: kunit_parser: {e}')
    for name, n in missing.items():
        notes.append(f'{where}: {label if name == "main" else name}: {n} result(s) '
                     'its plan promised never came')
    name_missing(test)
    doc = node(label, nest(test.subtests))
    if seg.exit not in (None, 0) and recount(doc).failed == 0:
        reasons.append(f'{where}: the guest exited {seg.exit} with no failed case')
    return doc


def judge(path):
    """The tree of one log (its node's children: the generations' cases,
    or one node per generation, then host), and the notes and reasons."""
    segs, crashes, notes = read_log(path)
    hosts, host_notes, timeout, bad = read_host(path + '.host')
    reasons, docs = list(bad), []
    for i, seg in enumerate(segs, 1):
        label = f'{seg.name}[{i}]' if len(segs) > 1 else seg.name
        doc = judge_segment(seg, label, reasons, notes)
        if doc:
            docs.append(doc)
    if len(segs) == 1 and docs:
        docs = docs[0].subtests
    notes += host_notes
    if not segs:
        reasons.append('no "HARNESS: begin": the guest never ran')
    elif segs[-1].closed != 'end':
        why = 'after "HARNESS: next"' if segs[-1].closed == 'next' else 'no "HARNESS: end"'
        reasons.append(f'guest did not finish ({why})' + (f', {timeout[0]}' if timeout else ''))
    elif segs[-1].exit is None:
        reasons.append('the guest ended with no "HARNESS: exit N" line')
    elif timeout:
        notes.append(f'{timeout[0]} after "HARNESS: end"')
    if crashes:
        reasons.append(f'kernel crashed, {crashes[0]}')
    if reasons:
        hosts.append(leaf('serial_log_complete', S.FAILURE, reasons))
    if hosts:
        docs.append(node('host', hosts))
    name = os.path.basename(path)
    tree = node(name[:-4] if name.endswith('.log') else name, docs)
    recount(tree)
    return tree, notes, reasons


MARK = WORD = None


def diagnostics(t):
    """t's diagnostic lines, one "#" each."""
    return ['# ' + re.sub(r'^\s*#? ?', '', l) for l in t.log if l.strip()]


def show(t, depth=0):
    """Indented names with their status; the diagnostics of a failed case."""
    n = f' ({t.counts.total()})' if t.subtests else ''
    own = ''
    if getattr(t, 'reported_failure', False):
        directive = getattr(t, 'directive', '')
        own = ' (its own result: not ok' + (f' {directive}' if directive else '') + ')'
    print(f'{"  " * depth}{MARK[t.status]:5} {t.name}{n}{own}')
    if t.status == S.FAILURE and (not t.subtests or own):
        for line in diagnostics(t)[-12:]:
            print(f'{"  " * (depth + 3)}| {line[2:]}')
    for s in t.subtests:
        show(s, depth + 1)


def ktap(t, num, ind, out):
    """t as KTAP: a subtest with its cases when it has any, then its result
    line, indented by ind."""
    if t.subtests:
        out += [f'{ind}    KTAP version 1', f'{ind}    # Subtest: {t.name}',
                f'{ind}    1..{len(t.subtests)}']
        for i, s in enumerate(t.subtests, 1):
            ktap(s, i, ind + '    ', out)
    out += [ind + l for l in diagnostics(t)]
    directive = getattr(t, 'directive', '') if not t.subtests else ''
    if t.status == S.SKIPPED and not directive.startswith('# SKIP'):
        directive = '# SKIP'
    directive = f' {directive}' if directive else ''
    out.append(f'{ind}{"not ok" if t.status == S.FAILURE else "ok"} {num} {t.name}{directive}')


def cases(t, path, out):
    """One "pass|fail|skip dotted.name" per case, and per subtest whose own
    line failed with every case under it passing."""
    for s in t.subtests:
        name = f'{path}.{s.name}' if path else s.name
        if not s.subtests or s.reported_failure:
            out.append(f'{WORD[s.status]} {name}')
        cases(s, name, out)


def summary(c):
    return f'{c.passed} passed, {c.failed} failed, {c.skipped} skipped'


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-q', '--quiet', action='store_true', help='no tree, only notes and counts')
    how = ap.add_mutually_exclusive_group()
    how.add_argument('--ktap', action='store_true',
                     help='the tree as a KTAP subtest indented by 4, then a RESULT line')
    how.add_argument('--cases', action='store_true', help='"pass|fail|skip dotted.name" per case')
    ap.add_argument('logs', nargs='+', metavar='LOG')
    args = ap.parse_args(argv)
    load_parser(kunit_dir(args.logs))
    total, bad = kp.TestCounts(), 0
    for path in args.logs:
        tree, notes, reasons = judge(path)
        c = tree.counts
        total.add_subtest_counts(c)
        bad += c.failed > 0
        if args.ktap:
            out = ['    KTAP version 1', f'    # Subtest: {tree.name}',
                   f'    1..{len(tree.subtests)}']
            for i, s in enumerate(tree.subtests, 1):
                ktap(s, i, '    ', out)
            out += [f'    # {n}' for n in notes]
            out.append(f'RESULT {c.passed} {c.failed} {c.skipped} {"fail" if c.failed else "ok"}')
            print('\n'.join(out))
            continue
        if args.cases:
            out = []
            cases(tree, '', out)
            print('\n'.join(out))
            continue
        if not args.quiet:
            show(tree)
        for n in notes + reasons:
            print(f'# {tree.name}: {n}')
        print(summary(c))
    if len(args.logs) > 1 and not (args.ktap or args.cases):
        print(f'# {len(args.logs)} logs, {bad} failed')
        print(summary(total))
    return 1 if bad else 0


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # judge.py LOG | head
    sys.exit(main(sys.argv[1:]))
