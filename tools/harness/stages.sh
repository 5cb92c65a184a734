#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Where make check's time went, as a Markdown table.
#
# usage: stages.sh TIMES
#   TIMES is check.sh's build/check-times.tsv: lines KIND NAME SECONDS
#   [CORES], KIND one of stage (a build or set-up step, or a pool's wall
#   time), host (a host-side test) or boot (one boot scenario, patched
#   kernel; its seconds overlap other boots and the host tests that run
#   beside them); CORES, the cores busy on average during a stage. One
#   line "disk GROWTH END": the most the disk's use rose during the run and
#   what build/ holds at its end (KiB).
#   Prints every stage and host test in the order it ran, the boots as one
#   line (how many, the sum of their times), each with its share of the
#   whole run, and the run's CPU work: the core-seconds it kept busy, and
#   that divided by this machine's cores, the least wall time any schedule
#   of the same work could have here.
set -euo pipefail

times=${1:?usage: stages.sh TIMES}
[ -f "$times" ] || { echo "stages.sh: no $times" >&2; exit 1; }
awk -F'\t' -v ncpu="$(nproc)" '
	$1 == "stage" && $2 == "make check" { total = $3; tcores = $4; next }
	$1 == "boot" { nboot++; if ($3 != "-") bootsum += $3; next }
	$1 == "disk" { dgrow = $2; dend = $3; disk = 1; next }
	{ name[++n] = $2; secs[n] = $3; kind[n] = $1; cores[n] = $4 }
	END {
		printf "| stage | seconds | share of the run | cores busy (of %d) |\n", ncpu
		print "|---|---|---|---|"
		for (i = 1; i <= n; i++)
			printf "| %s%s | %.0f | %s | %s |\n", name[i], (kind[i] == "host" ? " (test)" : ""),
				secs[i], (total > 0 ? sprintf("%.1f %%", 100 * secs[i] / total) : "-"),
				(cores[i] != "" ? cores[i] : "-")
		if (nboot)
			printf "| each boot scenario, patched (%d; sum of their times, run %s) | %.0f | - | - |\n",
				nboot, "beside each other and the host tests after the first boot", bootsum
		if (total > 0)
			printf "| **make check** | **%d** (%.1f min) | 100 %% | %s |\n", total, total / 60,
				(tcores != "" ? tcores : "-")
		if (total > 0 && tcores != "")
			printf "\nCPU work: %.0f core-seconds; on %d cores no schedule of it takes less than %.0f s (%.1f min).\n",
				total * tcores, ncpu, total * tcores / ncpu, total * tcores / ncpu / 60
		if (disk)
			printf "\nDisk: use of the file system rose by at most %.1f GiB during the run (sampled every 10 s; other users of the disk count too); build/ holds %.1f GiB at the end.\n",
				dgrow / 1048576, dend / 1048576
	}' "$times"
