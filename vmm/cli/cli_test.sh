#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# cli_test.sh WARMFORK GUEST READFILE FORKGUEST HELLO BADINTERP: the warmfork CLI's options,
# limits and exit statuses, for run and call (hello_bigimage.gcc is taken from BADINTERP's
# directory). Runs inside the ARM64 machine (busybox sh).
wf=$1 guest=$2 readfile=$3 forkguest=$4 hello=$5 badinterp=$6
fails=0
t=$(mktemp -d)
check() { # check NAME WANT_STATUS STDERR_ERE -- CMD...
	name=$1 want=$2 ere=$3
	shift 4
	"$@" >"$t/out" 2>"$t/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $name: exit $rc, want $want"; sed 's/^/  | /' "$t/err"; fails=$((fails + 1))
	elif [ -n "$ere" ] && ! grep -Eq -e "$ere" "$t/err"; then
		echo "FAIL: $name: stderr does not match /$ere/"; sed 's/^/  | /' "$t/err"
		fails=$((fails + 1))
	else
		echo "ok: $name"
	fi
}
check "no command" 2 'usage' -- "$wf"
check "unknown command" 2 'unknown command' -- "$wf" frobnicate
check "unknown option" 2 'unknown option --bogus' -- "$wf" run --bogus "$guest"
check "junk --mem" 2 'bad --mem size: lots' -- "$wf" run --mem lots "$guest"
check "junk --timeout" 2 'bad --timeout: -1' -- "$wf" run --timeout -1 "$guest"
check "too little memory" 125 'guest memory' -- "$wf" run --mem 1M "$guest"
check "missing program" 127 'cannot open /nonexistent' -- "$wf" run /nonexistent
echo 'not an ELF' >"$t/junk"
check "not an ELF" 126 'ELF' -- "$wf" run "$t/junk"
check "missing interpreter" 127 'its interpreter: cannot open /nonexistent/ld-aarch64.so' -- "$wf" run "$badinterp"
bigimage=$(dirname "$badinterp")/hello_bigimage.gcc
check "dynamic image with room for ld.so" 0 '' -- "$wf" run --mem 32M "$bigimage"
check "dynamic image reaching ld.so's place" 126 'its image reaches where the interpreter goes|does not fit the guest.s address space' -- \
	"$wf" run --mem 16M "$bigimage"
check "exit status" 9 '' -- "$wf" run "$guest" exit 9
check "timeout, spinning" 124 'timeout' -- "$wf" run --timeout 1 "$guest" spin
check "timeout, in syscalls" 124 'timeout' -- "$wf" run --timeout 1 "$guest" spin-syscall
check "--trace" 0 '^exit_group\(0\) = \?' -- "$wf" run --trace "$guest" print x
check "--max-output" 0 '' -- "$wf" run --max-output 3 "$guest" print xyz
# The guest writes "err\n" (unbuffered stderr) before "out xyz\n": 3 bytes in all get out.
[ "$(cat "$t/out" "$t/err")" = "err" ] || {
	echo "FAIL: --max-output let through: $(cat "$t/out" "$t/err")"; fails=$((fails + 1)); }
check "--max-fds" 2 '' -- "$wf" run --max-fds 3 --allow-read "$t" "$readfile" "$t/junk"
grep -q 'Too many open files' "$t/out" || { echo "FAIL: --max-fds: $(cat "$t/out")"; fails=$((fails + 1)); }
check "--allow-read refuses writes" 0 '' -- "$wf" run --allow-read "$t" "$guest" exit 0
# warmfork call: ready point, fork, one vmcall; integers and strings as arguments.
expect_out() { # expect_out NAME TEXT
	[ "$(cat "$t/out")" = "$2" ] || { echo "FAIL: $1: stdout '$(cat "$t/out")', want '$2'"; fails=$((fails + 1)); }
}
check "call: integers" 0 '' -- "$wf" call "$forkguest" wf_add 40 2
expect_out "call: integers" "42 (0x2a)"
check "call: negative and hex" 0 '' -- "$wf" call "$forkguest" wf_add -5 0x10
expect_out "call: negative and hex" "11 (0xb)"
check "call: a string" 0 '' -- "$wf" call "$forkguest" wf_strlen "hello, world"
expect_out "call: a string" "12 (0xc)"
check "call: fault" 139 'guest crashed: SIGSEGV at pc 0x[0-9a-f]+ addr 0x10' -- "$wf" call "$forkguest" wf_crash
check "call: timeout" 124 'timeout' -- "$wf" call --timeout 1 "$forkguest" wf_spin
check "call: exit" 7 '' -- "$wf" call "$forkguest" wf_exit 7
check "call: no such symbol" 125 'no symbol nosuchfn' -- "$wf" call "$forkguest" nosuchfn
check "call: no ready point" 125 'did not reach its ready point' -- "$wf" call "$hello" strtol 1
# A guest without the SDK: stop at main, then call libc's strtol("77z", NULL, 10).
check "call: --stop-at" 0 '' -- "$wf" call --stop-at main "$hello" strtol 77z 0 10
expect_out "call: --stop-at" "77 (0x4d)"
check "call: too many arguments" 2 'at most 8' -- "$wf" call "$forkguest" wf_add 1 2 3 4 5 6 7 8 9
# --sysroot: the same as chroot natively, for a dynamic program, a static one reading files
# inside the root, an absolute symlink inside it, and paths outside it.
same() { # same NAME ARGS... : chroot "$root" ARGS vs warmfork run --sysroot "$root" ARGS
	name=$1
	shift
	chroot "$root" "$@" >"$t/native" 2>&1
	n=$?
	"$wf" run --sysroot "$root" "$@" >"$t/sandbox" 2>&1
	w=$?
	if [ $n != $w ] || ! cmp -s "$t/native" "$t/sandbox"; then
		echo "FAIL: --sysroot $name: native exit $n, warmfork exit $w"
		sed 's/^/  native | /' "$t/native"
		sed 's/^/  warmfork | /' "$t/sandbox"
		fails=$((fails + 1))
	else
		echo "ok: --sysroot $name (exit $n)"
	fi
}
root=$t/root
mkdir -p "$root/bin" "$root/lib/aarch64-linux-gnu" "$root/etc"
cp -L /lib/ld-linux-aarch64.so.1 "$root/lib/"
cp -L /lib/aarch64-linux-gnu/libc.so.6 "$root/lib/aarch64-linux-gnu/"
cp "$(dirname "$badinterp")/hello_dyn.gcc" "$root/bin/hello"
cp "$readfile" "$root/bin/readfile"
ln -s /bin/hello "$root/bin/hello-link"
echo "inside the root" >"$root/etc/msg"
same "dynamic program" /bin/hello 4
same "absolute symlink inside the root" /bin/hello-link 5
same "file inside the root" /bin/readfile /etc/msg
same "directory listing" /bin/readfile -d /bin
same "path outside the root" /bin/readfile "$t/junk"
same "dotdot stays inside" /bin/readfile /../../etc/msg
check "--sysroot without the program" 127 'cannot open /nonexistent' -- \
	"$wf" run --sysroot "$root" /nonexistent
check "--sysroot not a directory" 2 'cannot use' -- "$wf" run --sysroot "$t/junk" /bin/hello
check "--sysroot twice" 2 'twice' -- "$wf" run --sysroot "$root" --sysroot "$root" /bin/hello
check "--sysroot stays read-only" 2 'cannot allow /' -- \
	"$wf" run --sysroot "$root" --allow-write / /bin/hello

# Paths as users write them: relative directories, HOST:GUEST (bind-mount style), --cwd.
# busybox (static) prints the guest's working directory.
expect_out1() { # expect_out1 NAME TEXT: the first stdout line containing "first line" or all
	got=$(grep '^first line: ' "$t/out" || cat "$t/out")
	[ "$got" = "$2" ] || { echo "FAIL: $1: stdout '$got', want '$2'"; fails=$((fails + 1)); }
}
in_dir() { dir=$1; shift; cd "$dir" && "$@"; s=$?; cd /; return $s; }
mkdir -p "$t/rel/sub" "$t/other"
echo "relative dirs" >"$t/rel/sub/f.txt"
check "--allow-read ." 0 '' -- in_dir "$t/rel" "$wf" run --allow-read . "$readfile" sub/f.txt
expect_out1 "--allow-read ." "first line: relative dirs"
check "--allow-read sub/.." 0 '' -- in_dir "$t/rel" "$wf" run --allow-read sub/.. "$readfile" "$t/rel/sub/f.txt"
expect_out1 "--allow-read sub/.." "first line: relative dirs"
check "cwd: the host's, when the guest sees it" 0 '' -- \
	in_dir "$t/rel/sub" "$wf" run --allow-read .. /bin/busybox pwd
expect_out1 "cwd: the host's" "$t/rel/sub"
check "cwd: / when the guest does not see it" 0 '' -- in_dir "$t/other" "$wf" run \
	--allow-read "$t/rel" /bin/busybox pwd
expect_out1 "cwd: /" "/"
check "--cwd DIR" 0 '' -- in_dir "$t/other" "$wf" run --allow-read "$t/rel" --cwd "$t/rel/sub" \
	/bin/busybox pwd
expect_out1 "--cwd DIR" "$t/rel/sub"
check "--cwd not visible" 2 "cannot use /nonexistent as the guest's working directory: the guest sees no such directory" -- \
	"$wf" run --cwd /nonexistent /bin/busybox pwd
check "--cwd relative" 2 'must be an absolute guest path' -- "$wf" run --cwd sub /bin/busybox pwd
check "HOST:GUEST" 0 '' -- "$wf" run --allow-read "$t/rel:/data" "$readfile" /data/sub/f.txt
expect_out1 "HOST:GUEST" "first line: relative dirs"
check "HOST:GUEST hides HOST's own path" 2 '' -- "$wf" run --allow-read "$t/rel:/data" "$readfile" "$t/rel/sub/f.txt"
expect_out1 "HOST:GUEST hides HOST's own path" "open: No such file or directory"
check "relative HOST:GUEST, --cwd GUEST" 0 '' -- in_dir "$t" "$wf" run --allow-read rel:/data \
	--cwd /data/sub /bin/busybox pwd
expect_out1 "relative HOST:GUEST, --cwd GUEST" "/data/sub"
check "--allow-read of a missing directory" 2 "cannot allow nosuch \\($t/nosuch\\): no such directory" -- \
	in_dir "$t" "$wf" run --allow-read nosuch /bin/busybox pwd
check "--allow-read of a file" 2 "cannot allow $t/junk: not a directory" -- \
	"$wf" run --allow-read "$t/junk" /bin/busybox pwd
check "--sysroot relative" 3 '' -- in_dir "$t" "$wf" run --sysroot root /bin/hello 3
# Inside a --sysroot, a directory of the root allowed for writing appears at its path in the
# root, as for chroot (guest path /tmp/w), and a write there lands in the host directory.
mkdir -p "$root/tmp/w"
echo "in the root's tmp" >"$root/tmp/w/x"
cp /bin/busybox "$root/bin/busybox"
chroot "$root" /bin/readfile /tmp/w/x >"$t/native" 2>&1
check "--allow-write R/tmp/w under --sysroot R" 0 '' -- \
	"$wf" run --sysroot "$root" --allow-write "$root/tmp/w" /bin/readfile /tmp/w/x
cmp -s "$t/native" "$t/out" || { echo "FAIL: --allow-write under --sysroot: not as chroot"; fails=$((fails + 1)); }
echo written | "$wf" run --sysroot "$root" --allow-write "$root/tmp/w" /bin/busybox tee /tmp/w/new >/dev/null
[ "$(cat "$root/tmp/w/new" 2>/dev/null)" = written ] && echo "ok: a write under --sysroot lands in R/tmp/w" ||
	{ echo "FAIL: a write to /tmp/w/new under --sysroot did not land in $root/tmp/w"; fails=$((fails + 1)); }
check "cwd inside the --sysroot" 0 '' -- in_dir "$root/tmp/w" "$wf" run --sysroot "$root" /bin/busybox pwd
expect_out1 "cwd inside the --sysroot" "/tmp/w"

rm -rf "$t"
echo "cli_test: $fails failed"
[ $fails = 0 ]
