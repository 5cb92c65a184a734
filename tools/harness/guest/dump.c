// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 for a kernel that cannot run the test initramfs: a big-endian kernel
 * cannot run our little-endian armhf busybox. Built with the kernel's nolibc
 * for the kernel's endianness, it checks nothing itself. It prints the files
 * the boot checks read (guest/checks.sh) and the kernel log to the console,
 * then powers the machine off; the host runs checks.sh on what it printed
 * (scenario.sh --dump):
 *
 *   HARNESS-FILE <path>     a file that exists; its lines follow as
 *   HARNESS-LINE <text>     ("dmesg" is the kernel log, as dmesg prints it)
 */

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_CONSOLE_LEVEL	8

#define CPU_DIR "/sys/devices/system/cpu"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char buf[1 << 18];

static void put(const char *s)
{
	write(1, s, strlen(s));
}

/* dump_text: NAME's header, then each line of TEXT (LEN bytes). */
static void dump_text(const char *name, const char *text, long len)
{
	long i, start = 0;

	put("HARNESS-FILE ");
	put(name);
	put("\n");
	for (i = 0; i < len; i++) {
		if (text[i] != '\n' && i + 1 < len)
			continue;
		put("HARNESS-LINE ");
		write(1, text + start, i + (text[i] != '\n') - start);
		put("\n");
		start = i + 1;
	}
}

static void dump_file(const char *path)
{
	long len = 0, n;
	int fd = open(path, O_RDONLY, 0);

	if (fd < 0)
		return;
	while (len < (long)sizeof(buf) &&
	       (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(fd);
	dump_text(path, buf, len);
}

/* The kernel log without each record's "<level>", as dmesg prints it. */
static void dump_kernel_log(void)
{
	long len, i, out = 0;
	int skip = 0;

	len = my_syscall3(__NR_syslog, SYSLOG_ACTION_READ_ALL, buf, sizeof(buf));
	if (len < 0)
		return;
	for (i = 0; i < len; i++) {
		if (buf[i] == '<' && (i == 0 || buf[i - 1] == '\n'))
			skip = 1;
		if (!skip)
			buf[out++] = buf[i];
		else if (buf[i] == '>')
			skip = 0;
	}
	dump_text("dmesg", buf, out);
}

/* cpu<N> as text, N < 100. */
static void cpu_path(char *path, int cpu, const char *file)
{
	char *p = path;

	strcpy(p, CPU_DIR "/cpu");
	p += strlen(p);
	if (cpu >= 10)
		*p++ = '0' + cpu / 10;
	*p++ = '0' + cpu % 10;
	*p++ = '/';
	strcpy(p, file);
}

int main(void)
{
	static const char * const files[] = {
		"/proc/cmdline", "/proc/cpuinfo", CPU_DIR "/online", CPU_DIR "/possible",
		CPU_DIR "/hyp/last_entry_mode", CPU_DIR "/hyp/lock",
	};
	char path[64];
	unsigned int i;
	int cpu, fd;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	/* Only our lines on the console from here on. */
	my_syscall3(__NR_syslog, SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 1);

	put("HARNESS: dump begin\n");
	for (i = 0; i < ARRAY_SIZE(files); i++)
		dump_file(files[i]);
	for (cpu = 0; cpu < 100; cpu++) {
		cpu_path(path, cpu, "");
		fd = open(path, O_RDONLY | O_DIRECTORY, 0);
		if (fd < 0)
			break;
		close(fd);
		cpu_path(path, cpu, "online");
		dump_file(path);
		cpu_path(path, cpu, "hyp/last_entry_mode");
		dump_file(path);
		cpu_path(path, cpu, "hyp/provider");
		dump_file(path);
	}
	dump_kernel_log();
	put("HARNESS: dump end\n");
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
