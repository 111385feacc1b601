#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh: dynamic programs in a Debian arm64 root, natively (chroot) and under warmfork run
# --sysroot, compared: stdout, stderr and exit status must be identical (stderr not when a
# signal killed the program).
# usage: run.sh WARMFORK SYSROOT GUEST_DIR SRC_DIR   (in the ARM64 machine, as root)
set -u
wf=$1 root=$2 g=$3 src=$4
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# The programs under test go into the root, where both sides see them.
opt=$root/opt/warmfork
mkdir -p "$opt"
cp "$g/dlopen_main.gcc" "$g/dlopen_main.clang" "$g/libwfplugin.so" "$g/hello_dyn.gcc" \
	"$g/hello_nopie.gcc" "$g/hello_nopie.clang" "$src/sortlines.py" "$src/lines.txt" "$opt/"

same() { # same NAME ARGS...
	name=$1
	shift
	chroot "$root" "$@" >"$t/n.out" 2>"$t/n.err"
	n=$?
	"$wf" run --sysroot "$root" "$@" >"$t/w.out" 2>"$t/w.err"
	w=$?
	# Killed by a signal: the shell's "Terminated" and warmfork's crash report differ.
	[ $n -gt 128 ] && : >"$t/n.err" && : >"$t/w.err"
	if [ $n != $w ] || ! cmp -s "$t/n.out" "$t/w.out" || ! cmp -s "$t/n.err" "$t/w.err"; then
		echo "FAIL: $name: native exit $n, warmfork exit $w"
		for f in n.out w.out n.err w.err; do sed "s/^/  $f | /" "$t/$f" | head -20; done
		fails=$((fails + 1))
	else
		echo "ok: $name (exit $n): $(head -c 100 "$t/n.out" | head -n 1)"
	fi
}

py=/usr/bin/python3
same "python3 -c json, hashlib" $py -c 'import sys, json, hashlib; print(json.dumps({"v": sys.version_info[:2], "h": hashlib.sha256(b"x").hexdigest()}))'
same "python3 script sorts a file" $py /opt/warmfork/sortlines.py /opt/warmfork/lines.txt
same "python3 missing file" $py /opt/warmfork/sortlines.py /opt/warmfork/nonexistent
same "python3 exit status" $py -c 'import sys; sys.exit(7)'
same "python3 uncaught exception" $py -c 'raise ValueError("boom")'
same "python3 signals" $py -c 'import signal; print(len(signal.valid_signals()), signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGPIPE))'
same "python3 threads" $py -c 'import threading, queue
q = queue.Queue()
ts = [threading.Thread(target=lambda i=i: q.put(i * i)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sorted(q.get() for _ in ts))'
same "python3 killed by SIGTERM" $py -c 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'
same "python3 subprocess.run" $py -c 'import subprocess, sys
r = subprocess.run([sys.executable, "-c", "import sys; print(sys.argv[1:]); sys.exit(3)", "a", "b c"], capture_output=True, text=True)
print(r.returncode, repr(r.stdout), repr(r.stderr))'
same "python3 subprocess pipes" $py -c 'import subprocess, sys
p = subprocess.Popen([sys.executable, "-c", "import sys; d = sys.stdin.read(); sys.stdout.write(d.upper()); sys.stderr.write(str(len(d)))"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = p.communicate(b"hello through two pipes\n" * 100)
print(p.returncode, out[:24], err)'
same "python3 subprocess missing program" $py -c 'import subprocess
try:
    subprocess.run(["/no/such/program"])
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno)'
same "python3 os.fork and waitpid" $py -c 'import os
kids = []
for i in range(5):
    pid = os.fork()
    if pid == 0:
        os._exit(10 + i)
    kids.append(pid)
print(sorted(os.waitstatus_to_exitcode(os.waitpid(k, 0)[1]) for k in kids))
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r); os.write(w, str(os.getppid()).encode()); os._exit(0)
os.close(w); ppid = int(os.read(r, 100)); os.waitpid(pid, 0)
print("ppid ok", ppid == os.getpid())'
same "python3 socketpair between processes" $py -c 'import os, socket
a, b = socket.socketpair()
pid = os.fork()
if pid == 0:
    a.close(); b.sendall(b.recv(100).upper()); os._exit(0)
b.close(); a.sendall(b"hello over a socket pair"); print(a.recv(100), os.waitpid(pid, 0)[1])'
same "python3 child killed by a signal" $py -c 'import subprocess, sys
r = subprocess.run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
print(r.returncode)'
for cc in gcc clang; do
	same "dlopen.$cc" /opt/warmfork/dlopen_main.$cc
	same "dlopen.$cc missing library" /opt/warmfork/dlopen_main.$cc /opt/warmfork/nope.so
	same "non-PIE dynamic hello.$cc" /opt/warmfork/hello_nopie.$cc 3
done
same "PIE dynamic hello" /opt/warmfork/hello_dyn.gcc 4
echo "dynamic: $fails failed"
[ $fails = 0 ]
