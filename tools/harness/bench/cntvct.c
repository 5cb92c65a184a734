// SPDX-License-Identifier: GPL-2.0
/*
 * Harness only: prints "BENCH: cntvct TAG TICKS FREQ", the virtual counter
 * (CNTVCT) and its frequency (CNTFRQ) as user space reads them. The counter
 * runs on across kexec, where each kernel's printk clock starts again, so
 * two readings in two kernels give the virtual time between them; under
 * make bench's icount, its instructions. Built with the kernel's nolibc.
 */

static void put(const char *s)
{
	write(1, s, strlen(s));
}

static void put_u64(unsigned long long v)
{
	char d[24];
	int i = sizeof(d) - 1;

	d[i] = 0;
	do {
		d[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	put(&d[i]);
}

int main(int argc, char **argv)
{
	unsigned int lo, hi, freq;

	asm volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r" (lo), "=r" (hi));
	asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r" (freq));
	put("BENCH: cntvct ");
	put(argc > 1 ? argv[1] : "-");
	put(" ");
	put_u64((unsigned long long)hi << 32 | lo);
	put(" ");
	put_u64(freq);
	put("\n");
	return 0;
}
