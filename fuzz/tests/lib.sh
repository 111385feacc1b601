# lib.sh: shared by the fuzz test scripts (sourced): a scratch dir and a fail() that shows logs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	for f in "$tmp"/*.log; do
		[ -f "$f" ] && { echo "--- $f (tail)"; tail -30 "$f"; }
	done
	exit 1
}
