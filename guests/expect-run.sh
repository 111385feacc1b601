#!/bin/sh
# expect-run.sh STATUS STDOUT CMD [ARGS...]: run CMD, require that exact exit status and stdout.
want_rc=$1 want_out=$2
shift 2
out=$("$@")
rc=$?
[ "$rc" = "$want_rc" ] || { echo "exit status $rc, want $want_rc" >&2; exit 1; }
[ "$out" = "$want_out" ] || { printf 'stdout:\n%s\nwant:\n%s\n' "$out" "$want_out" >&2; exit 1; }
echo "ok: $* -> $rc"
