#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The judge (tools/harness/judge.py) on recorded serial logs.

recorded/NAME.log (with recorded/NAME.log.host when the host found
something) must give exactly recorded/NAME.expect as "judge.py -q" output:
its notes and reasons, then "N passed, N failed, N skipped" last; the exit
status must be non-zero exactly when that line counts a failure. The other
tests write small variants of a recorded log on the fly.

    python3 -m unittest -v test_judge    (or tools/harness/judge.sh test)
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
JUDGE = os.path.join(os.path.dirname(HERE), 'judge.py')
RECORDED = os.path.join(HERE, 'recorded')
LOGS = sorted(glob.glob(os.path.join(RECORDED, '*.log')))
# Logs of 6.12 kernels are named k612_*: 6.12's kunit_parser judges them.
LOGS_6_1 = [log for log in LOGS if not os.path.basename(log).startswith('k612_')]
SUMMARY = re.compile(r'^(\d+) passed, (\d+) failed, (\d+) skipped$')


def run(*args):
    p = subprocess.run([sys.executable, JUDGE, *args], capture_output=True, text=True,
                       check=False)
    return p.returncode, p.stdout.splitlines(), p.stderr


def expected(log):
    with open(log[:-len('.log')] + '.expect', encoding='utf-8') as f:
        return f.read().splitlines()


class Recorded(unittest.TestCase):
    def test_recorded_logs(self):
        """Each recorded log gives its .expect, and the exit status its
        summary calls for."""
        self.assertGreaterEqual(len(LOGS), 9)
        for log in LOGS:
            with self.subTest(log=os.path.basename(log)):
                want = expected(log)
                rc, out, err = run('-q', log)
                self.assertEqual(err, '')
                self.assertEqual(out, want, f'{log}: judge.py -q output vs its .expect')
                self.assertEqual(rc != 0, ' 0 failed' not in want[-1], f'{log}: exit status {rc}')

    def test_total_over_logs(self):
        """With several logs of one base, the last line adds them up; logs
        of two bases are refused (each base's own kunit_parser reads its
        logs), with exit status 2."""
        rc, _, err = run('-q', *LOGS)
        self.assertEqual(rc, 2)
        self.assertIn('judge one base at a time', err)
        rc, out, _ = run('-q', *LOGS_6_1)
        self.assertEqual(rc, 1)
        sums = [0, 0, 0]
        for log in LOGS_6_1:
            counts = SUMMARY.match(expected(log)[-1]).groups()
            sums = [a + int(b) for a, b in zip(sums, counts)]
        self.assertEqual(out[-1], '%d passed, %d failed, %d skipped' % tuple(sums))

    def test_ktap_reads_back_the_same(self):
        """--ktap: a nested subtest that the judge, given it as a guest's
        document, counts as it counted the log; RESULT agrees."""
        tmp = tempfile.mkdtemp()
        try:
            for log in LOGS:
                with self.subTest(log=os.path.basename(log)):
                    _, out, _ = run('--ktap', log)
                    p, f, s, verdict = out[-1].split()[1:]
                    self.assertEqual(verdict, 'fail' if int(f) else 'ok')
                    self.assertEqual(out[-1], f'RESULT {p} {f} {s} {verdict}')
                    back = os.path.join(tmp, 'back.log')
                    with open(back, 'w', encoding='utf-8') as w:
                        w.write('HARNESS: begin back\nKTAP version 1\n1..1\n')
                        # as check.sh prints it: its own line, the boot's name
                        name = os.path.basename(log)[:-len('.log')]
                        w.write('\n'.join(out[:-1]) +
                                f'\n{"not ok" if int(f) else "ok"} 1 {name}\n')
                        w.write('HARNESS: exit 0\nHARNESS: end\n')
                    _, again, _ = run('-q', back)
                    self.assertEqual(again[-1], f'{p} passed, {f} failed, {s} skipped', again)
        finally:
            shutil.rmtree(tmp)

    def test_cases_agree_with_counts(self):
        """--cases: one line per counted case."""
        for log in LOGS:
            with self.subTest(log=os.path.basename(log)):
                _, out, _ = run('--cases', log)
                got = [sum(1 for l in out if l.startswith(w + ' '))
                       for w in ('pass', 'fail', 'skip')]
                want = [int(n) for n in SUMMARY.match(expected(log)[-1]).groups()]
                self.assertEqual(got, want)


class Variants(unittest.TestCase):
    """A recorded log changed in one way."""
    def judge_text(self, text, host=None, *args):
        tmp = tempfile.mkdtemp()
        try:
            log = os.path.join(tmp, 'variant.log')
            with open(log, 'w', encoding='utf-8', newline='') as f:
                f.write(text)
            if host is not None:
                with open(log + '.host', 'w', encoding='utf-8') as f:
                    f.write(host)
            return run(*args, log)
        finally:
            shutil.rmtree(tmp)

    def clean(self):
        path = os.path.join(RECORDED, 'clean_boot.log')
        with open(path, encoding='utf-8', newline='') as f:
            return f.read()  # with the serial console's CRLF

    def test_host_results_beside_the_log(self):
        rc, out, _ = self.judge_text(self.clean(), '# the banner never came\n'
                                     'not ok jailhouse_banner_on_console_1\n'
                                     'ok image_written_then_restored\n')
        self.assertEqual(rc, 1)
        self.assertEqual(out[-1], '33 passed, 1 failed, 5 skipped')
        self.assertIn('  FAIL  host (2)', out)
        self.assertIn('    FAIL  jailhouse_banner_on_console_1', out)
        self.assertIn('          | the banner never came', out)

    def test_host_lines_in_the_log_are_not_results(self):
        """The host no longer writes into the log: such a line is no case."""
        rc, out, _ = self.judge_text(self.clean() + 'HARNESS-HOST: ok extra\r\n', None, '-q')
        self.assertEqual((rc, out[-1]), (0, '32 passed, 0 failed, 5 skipped'))

    def test_timeout_after_the_end_is_a_note(self):
        rc, out, _ = self.judge_text(self.clean(), '# timeout after 60 s\n', '-q')
        self.assertEqual(rc, 0)
        self.assertIn('# variant: timeout after 60 s after "HARNESS: end"', out)

    def test_results_beyond_the_plan(self):
        text = self.clean().replace('\r\nok 13 selftest\r\n', '\r\nok 13 selftest\r\nok 14 extra\r\n')
        rc, out, _ = self.judge_text(text, None, '-q')
        self.assertEqual(rc, 1)
        self.assertTrue(any('1 result(s) after the plan of 13' in l for l in out), out)

    def test_exit_status_without_failure(self):
        text = self.clean().replace('HARNESS: exit 0', 'HARNESS: exit 2')
        rc, out, _ = self.judge_text(text, None, '-q')
        self.assertEqual(rc, 1)
        self.assertTrue(any('exited 2 with no failed case' in l for l in out), out)

    def test_kselftest_skip_gets_its_name(self):
        text = self.clean().replace('    ok 11 lock_is_write_once\r\n',
                                    '    ok 11 # SKIP lock_is_write_once (no lock here)\r\n')
        rc, out, _ = self.judge_text(text, None, '--cases')
        self.assertEqual(rc, 0)
        self.assertIn('skip selftest.lock_is_write_once', out)

    def test_timeout_before_a_host_case_is_still_the_reason(self):
        """qemu.sh's timeout note comes before scenario.sh's cases."""
        text = self.clean().split('HARNESS: exit 0')[0]
        rc, out, _ = self.judge_text(text, '# timeout after 60 s\nok image_written_then_restored\n',
                                     '-q')
        self.assertEqual(rc, 1)
        self.assertTrue(any('no "HARNESS: end"' in l and 'timeout after 60 s' in l
                            for l in out), out)

    def test_a_host_line_that_is_no_result_fails(self):
        rc, out, _ = self.judge_text(self.clean(), 'not  ok x\n', '-q')
        self.assertEqual(rc, 1)
        self.assertTrue(any('is no host result' in l for l in out), out)

    def test_a_crash_glued_to_a_result_line(self):
        text = self.clean().replace('\r\nok 13 selftest\r\n',
                                    '\r\nok 13 selftest[   9.1] Internal error: Oops: 5 [#1]\r\n')
        rc, out, _ = self.judge_text(text, None, '-q')
        self.assertEqual(rc, 1)
        self.assertTrue(any('kernel crashed' in l for l in out), out)

    def test_no_exit_line(self):
        text = self.clean().replace('HARNESS: exit 0\r\n', '')
        rc, out, _ = self.judge_text(text, None, '-q')
        self.assertEqual(rc, 1)
        self.assertTrue(any('no "HARNESS: exit N"' in l for l in out), out)

    def test_a_document_the_parser_cannot_read_fails(self):
        """kunit_parser raises on some documents (6.1's LineStream past its
        end): a reason, never a judge that dies."""
        text = self.clean().replace('    KTAP version 1\r\n    # Subtest: hyp_stub_abi\r\n',
                                    '    KTAP version 1\r\n    KTAP version 1\r\n'
                                    '    # Subtest: hyp_stub_abi\r\n')
        for how in ('-q', '--ktap', '--cases'):
            rc, out, err = self.judge_text(text, None, how)
            self.assertEqual((rc, err), (1, ''), (how, out))

    def test_a_suite_cut_before_its_result_line(self):
        """The tree view of a suite with no result line of its own."""
        text = self.clean().split('ok 9 hyp_stub_abi')[0]
        rc, out, err = self.judge_text(text)
        self.assertEqual((rc, err), (1, ''))
        self.assertTrue(out[-1].endswith('failed, 1 skipped') or 'failed' in out[-1], out[-1])


if __name__ == '__main__':
    unittest.main()
