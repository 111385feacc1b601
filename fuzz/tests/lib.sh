# SPDX-License-Identifier: Apache-2.0
# lib.sh: shared by the fuzz test scripts (sourced): a scratch dir and a fail() that shows logs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	for f in "$tmp"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $f (tail)"
		tail -30 "$f"
		# A guest crash report starts above that tail: show it whole.
		grep -q '^==warmfork== guest crashed' "$f" &&
			{ echo "--- $f (guest crash report)"; sed -n '/^==warmfork== guest crashed/,+40p' "$f"; }
	done
	exit 1
}
