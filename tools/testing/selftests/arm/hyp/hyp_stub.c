// SPDX-License-Identifier: GPL-2.0-only
/*
 * What user space sees of the 32-bit ARM HYP stub
 * (Documentation/arm/hyp-abi.rst), in the hyp directories of
 * /sys/devices/system/cpu and its cpuN: the per-CPU and summary
 * last_entry_mode files (the mode of each CPU's last entry), the per-CPU
 * provider files, the write-once lock file, and that HVC is not for user
 * space.
 *
 * usage: hyp_stub [--expect hyp|svc|mixed] [--provider stub|firmware|none]
 *                 [--destructive]
 *   --expect: the mode the CPUs were entered in ("mixed" when they were
 *   entered in different modes), as the one who booted the machine knows
 *   it; without it that comparison is skipped.
 *   --provider: where every online CPU's HYP comes from, as the one who
 *   booted the machine knows it (firmware: a HYP layer the firmware keeps);
 *   without it that comparison is skipped.
 *   --destructive: also run the case that locks the stub, which then stays
 *   locked until reboot; without it that case is skipped.
 *
 * A kernel without CONFIG_ARM_HYP_API has no lock file: its three cases
 * are skipped, with that reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../kselftest.h"

#define CPU_DIR		"/sys/devices/system/cpu"
#define LOCK_FILE	CPU_DIR "/hyp/lock"
#define NOBODY		65534

static const char *expect;
static const char *provider;
static bool destructive;
static bool have_lock;		/* the lock file exists (CONFIG_ARM_HYP_API) */
static const char no_lock[] = "no lock file: no CONFIG_ARM_HYP_API";

/* Reads a one-line sysfs value without its newline; false if it cannot. */
static bool read_value(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = !!fgets(buf, len, f);
	fclose(f);
	if (!ok || !strchr(buf, '\n'))
		return false;
	*strchr(buf, '\n') = '\0';
	return true;
}

/* Writes @val; returns 0 or the errno of the failure. */
static int write_value(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Calls @fn for each CPU in a list such as "0-3,5". */
static bool all_cpus_in(const char *list, bool (*fn)(int cpu))
{
	const char *p = list;
	bool ok = true;
	int a, b, n;

	while (sscanf(p, "%d%n", &a, &n) == 1) {
		p += n;
		b = a;
		if (*p == '-' && sscanf(p + 1, "%d%n", &b, &n) == 1)
			p += n + 1;
		for (; a <= b; a++)
			ok &= fn(a);
		if (*p != ',')
			break;
		p++;
	}
	return ok;
}

static bool cpu_online(int cpu)
{
	char path[96], v[8];

	snprintf(path, sizeof(path), CPU_DIR "/cpu%d/online", cpu);
	return !read_value(path, v, sizeof(v)) || strcmp(v, "1") == 0;
}

static bool cpu_mode(int cpu, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), CPU_DIR "/cpu%d/hyp/last_entry_mode", cpu);
	return read_value(path, buf, len);
}

static bool has_entry_mode_file(int cpu)
{
	char v[16];

	if (cpu_mode(cpu, v, sizeof(v)))
		return true;
	ksft_print_msg("cpu%d/hyp/last_entry_mode: %s\n", cpu, strerror(errno));
	return false;
}

/* Online CPUs entered in hyp or svc; others may also not have entered. */
static bool valid_entry_mode(int cpu)
{
	char v[16];

	if (!cpu_mode(cpu, v, sizeof(v)))
		return false;
	ksft_print_msg("cpu%d/hyp/last_entry_mode: %s%s\n", cpu, v,
		       cpu_online(cpu) ? "" : " (offline)");
	if (!strcmp(v, "hyp") || !strcmp(v, "svc"))
		return true;
	return !cpu_online(cpu) && !strcmp(v, "unknown");
}

static bool cpu_provider(int cpu, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), CPU_DIR "/cpu%d/hyp/provider", cpu);
	return read_value(path, buf, len);
}

/*
 * Each CPU's provider agrees with its mode: "stub" exactly when it entered
 * in HYP, "firmware" only when it entered in SVC.
 */
static bool valid_provider(int cpu)
{
	char mode[16], v[16];

	if (!cpu_mode(cpu, mode, sizeof(mode)) || !cpu_provider(cpu, v, sizeof(v))) {
		ksft_print_msg("cpu%d/hyp/provider: %s\n", cpu, strerror(errno));
		return false;
	}
	ksft_print_msg("cpu%d/hyp/provider: %s\n", cpu, v);
	if (!strcmp(v, "stub") != !strcmp(mode, "hyp"))
		return false;
	if (!strcmp(v, "firmware") && strcmp(mode, "svc"))
		return false;
	return !strcmp(v, "stub") || !strcmp(v, "firmware") || !strcmp(v, "none");
}

/* An online CPU's provider is the one given with --provider. */
static bool expected_provider(int cpu)
{
	char v[16];

	return !cpu_online(cpu) ||
	       (cpu_provider(cpu, v, sizeof(v)) && !strcmp(v, provider));
}

static char common[16];
static bool mixed;

static bool collect_mode(int cpu)
{
	char v[16];

	if (!cpu_mode(cpu, v, sizeof(v)))
		return false;
	if (!strcmp(v, "unknown"))
		return true;
	if (!common[0])
		snprintf(common, sizeof(common), "%s", v);
	else if (strcmp(common, v))
		mixed = true;
	return true;
}

static void test_entry_mode_files(const char *possible)
{
	ksft_test_result(all_cpus_in(possible, has_entry_mode_file),
			 "last_entry_mode_file_for_each_possible_cpu\n");
	ksft_test_result(all_cpus_in(possible, valid_entry_mode),
			 "last_entry_mode_values_hyp_or_svc\n");
}

static void test_summary(const char *possible)
{
	char summary[16];
	bool ok;

	ok = read_value(CPU_DIR "/hyp/last_entry_mode", summary, sizeof(summary)) &&
	     all_cpus_in(possible, collect_mode);
	if (ok)
		ksft_print_msg("hyp/last_entry_mode: %s, CPUs: %s\n", summary,
			       mixed ? "mixed" : common);
	ksft_test_result(ok && !strcmp(summary, mixed ? "mixed" : common),
			 "summary_agrees_with_cpus\n");

	if (!expect)
		ksft_test_result_skip("summary_matches_boot (no --expect)\n");
	else
		ksft_test_result(ok && !strcmp(summary, expect),
				 "summary_matches_boot\n");
}

/* HVC is undefined at PL0: the kernel must deliver SIGILL. */
static void test_hvc_from_user(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		asm volatile(".arch_extension virt\n\thvc #0" ::: "memory");
		_exit(0);
	}
	ksft_test_result(pid > 0 && waitpid(pid, &status, 0) == pid &&
			 WIFSIGNALED(status) && WTERMSIG(status) == SIGILL,
			 "hvc_from_user_raises_sigill\n");
}

static void test_lock_file(void)
{
	char v[8];
	int err;

	if (!have_lock) {
		ksft_test_result_skip("lock_rejects_garbage_with_einval (%s)\n", no_lock);
		ksft_test_result_skip("lock_is_write_once (%s)\n", no_lock);
		return;
	}
	err = write_value(LOCK_FILE, "garbage");
	ksft_test_result(err == EINVAL, "lock_rejects_garbage_with_einval\n");

	if (!destructive) {
		ksft_test_result_skip("lock_is_write_once (locks until reboot: --destructive)\n");
		return;
	}
	err = write_value(LOCK_FILE, "1");
	if (err == ENODEV) {
		ksft_test_result_skip("lock_is_write_once (no CPU has the stub or a HYP layer)\n");
		return;
	}
	ksft_test_result(!err && read_value(LOCK_FILE, v, sizeof(v)) &&
			 !strcmp(v, "1") && !write_value(LOCK_FILE, "1") &&
			 write_value(LOCK_FILE, "0") == EPERM &&
			 read_value(LOCK_FILE, v, sizeof(v)) && !strcmp(v, "1"),
			 "lock_is_write_once\n");
}

/* Runs @fn as nobody in a child; true if it returned true. */
static bool as_nobody(bool (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		_exit(fn() ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool nobody_reads(void)
{
	char v[16];

	return read_value(CPU_DIR "/hyp/last_entry_mode", v, sizeof(v)) &&
	       cpu_mode(0, v, sizeof(v)) &&
	       (!have_lock || read_value(LOCK_FILE, v, sizeof(v)));
}

static bool nobody_cannot_write(void)
{
	return write_value(LOCK_FILE, "1") == EACCES;
}

int main(int argc, char **argv)
{
	char possible[64];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--expect") && i + 1 < argc)
			expect = argv[++i];
		else if (!strcmp(argv[i], "--provider") && i + 1 < argc)
			provider = argv[++i];
		else if (!strcmp(argv[i], "--destructive"))
			destructive = true;
		else
			ksft_exit_fail_msg("usage: %s [--expect hyp|svc|mixed] %s\n", argv[0],
					   "[--provider stub|firmware|none] [--destructive]");
	}

	ksft_print_header();
	if (access(CPU_DIR "/hyp/last_entry_mode", F_OK))
		ksft_exit_skip("no %s/hyp/last_entry_mode: kernel without the HYP stub record\n",
			       CPU_DIR);
	if (!read_value(CPU_DIR "/possible", possible, sizeof(possible)))
		ksft_exit_fail_msg("cannot read %s/possible\n", CPU_DIR);
	have_lock = !access(LOCK_FILE, F_OK);
	ksft_set_plan(11);

	test_entry_mode_files(possible);
	test_summary(possible);
	ksft_test_result(all_cpus_in(possible, valid_provider),
			 "hyp_provider_agrees_with_last_entry_mode\n");
	if (!provider)
		ksft_test_result_skip("hyp_provider_matches_boot (no --provider)\n");
	else
		ksft_test_result(all_cpus_in(possible, expected_provider),
				 "hyp_provider_matches_boot\n");
	test_hvc_from_user();
	ksft_test_result(as_nobody(nobody_reads), "reads_as_non_root\n");
	if (!have_lock)
		ksft_test_result_skip("write_as_non_root_refused (%s)\n", no_lock);
	else
		ksft_test_result(as_nobody(nobody_cannot_write), "write_as_non_root_refused\n");
	test_lock_file();

	ksft_finished();
}
