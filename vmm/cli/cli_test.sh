#!/bin/sh
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
check "dynamic image reaching ld.so's place" 126 'its image reaches where the interpreter goes' -- \
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

rm -rf "$t"
echo "cli_test: $fails failed"
[ $fails = 0 ]
