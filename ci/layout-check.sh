#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# layout-check.sh: the seams docs/architecture.md promises hold in the source: arch headers
# only under vmm/arch, arch code never calls into the Linux personality, page-table bits only
# in arch code, vm_internal.h only inside vmm/. Each rule fails with the offending lines.
# usage: layout-check.sh REPO_DIR
set -u
cd "$1" || exit 1
# The checkout's own files (a CI clone is a git checkout; anything else is not checked).
git rev-parse --git-dir >/dev/null 2>&1 || { echo "layout-check: not a git checkout"; exit 77; }
grep_src() { git grep -n "$@"; }
bad=0
rule() { # rule WHAT PATTERN PATHSPEC...
	what=$1
	shift
	out=$(grep_src "$@")
	if [ -n "$out" ]; then
		echo "FAIL: $what:"
		echo "$out"
		bad=$((bad + 1))
	fi
}
rule "arch-only headers included outside vmm/arch (pgtable.h is the one arch interface)" \
	'#include "\(regs_arm64\|hwcaps_arm64\)\.h"' -- . ':!vmm/arch'
rule "arch code includes the Linux personality (ask the VM instead)" \
	'#include "linux/' -- vmm/arch
rule "page-table descriptor bits used outside arch code (use wf_pte_valid/wf_pte_pa)" \
	'WF_PTE_[A-Z]' -- vmm ':!vmm/arch'
rule "vm_internal.h included outside vmm/ (use vm.h)" \
	'#include "vm_internal.h"' -- fuzz
[ $bad = 0 ] || exit 1
echo "layout-check: ok: 4 rules hold"
