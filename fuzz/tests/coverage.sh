#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# coverage.sh REPO OUTDIR DEMO_GUEST: ci/coverage on the demo: lines the corpus reaches are
# covered, the planted bug's line is not (until a crashing input is added), and the HTML
# report exists and renders in headless Chromium (a screenshot is left in OUTDIR).
set -uo pipefail
repo=$1 out=$2 guest=$3
demo=$repo/guests/demo/demo.c
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

line_of() { # line_of FIXED_STRING: its line number in demo.c
	grep -nF -- "$1" "$demo" | head -n1 | cut -d: -f1
}
# da LCOV LINE: the DA count of demo.c's LINE ("" when the line is not in the tracefile).
da() {
	awk -v f="$demo" -v l="$2" '/^SF:/ { in_f = (substr($0, 4) == f) }
		in_f && $0 ~ "^DA:" l "," { split(substr($0, 4), a, ","); print a[2] }' "$1"
}
fnda() { # fnda LCOV NAME: the FNDA count of function NAME in demo.c
	awk -v f="$demo" -v n="$2" '/^SF:/ { in_f = (substr($0, 4) == f) }
		in_f && /^FNDA:/ { split(substr($0, 6), a, ","); if (a[2] == n) print a[1] }' "$1"
}

magic=$(line_of "if (data[0] != 'W')")
values=$(line_of "st.sum += p[i];")
bug=$(line_of "*(volatile uint8_t *)(uintptr_t)len = 0;")
[ -n "$magic" ] && [ -n "$values" ] && [ -n "$bug" ] || { echo "FAIL: marker lines not found in $demo"; exit 1; }

# 1. The embedded demo over its seed corpus.
rm -rf "$out"
"$repo/ci/coverage" --no-build -o "$out/corpus" "$repo/corpus/demo" >"$out.log" 2>&1
rc=$?
cat "$out.log"
lcov=$out/corpus/lcov.info
[ $rc = 0 ] && ok "ci/coverage exits 0" || fail "ci/coverage exited $rc"
grep -qx "SF:$demo" "$lcov" && ok "demo.c is in the tracefile" || fail "no SF:$demo in $lcov"
c=$(da "$lcov" "$magic")
[ -n "$c" ] && [ "$c" -gt 0 ] && ok "the magic check (line $magic) is covered ($c inputs)" ||
	fail "line $magic (magic check): DA '$c'"
c=$(da "$lcov" "$values")
[ -n "$c" ] && [ "$c" -gt 0 ] && ok "the values loop (line $values) is covered ($c inputs)" ||
	fail "line $values (values loop): DA '$c'"
c=$(da "$lcov" "$bug")
[ "$c" = 0 ] && ok "the planted bug's line $bug is not covered" || fail "line $bug (bug): DA '$c', want 0"
c=$(fnda "$lcov" parse)
[ -n "$c" ] && [ "$c" -gt 0 ] && ok "function parse entered by $c inputs" || fail "FNDA parse '$c'"
grep -q '^coverage: total: lines [1-9][0-9]*/[0-9]*' "$out.log" && ok "a total summary line" ||
	fail "no total summary"
grep -q "^coverage: $demo: lines" "$out.log" && ok "a per-file summary line" || fail "no per-file summary"
[ -f "$out/corpus/index.html" ] && ok "index.html written" || fail "no index.html"
page=$(find "$out/corpus" -name demo.c.gcov.html | head -n1)
[ -n "$page" ] && grep -q 'lineCov' "$page" && grep -q 'lineNoCov' "$page" &&
	ok "demo.c's annotated page marks covered and uncovered lines" ||
	fail "no annotated demo.c.gcov.html under $out/corpus"

# 2. -guest= and a single input file that reaches the bug: now its line is covered (once).
crash=$out/crash-input
mkdir -p "$out"
printf 'WFZ!\002N\010\000AAAAAAAA' >"$crash"
"$repo/ci/coverage" --no-build -guest="$guest" -o "$out/crash" "$repo/corpus/demo" "$crash" >"$out.log2" 2>&1
rc=$?
[ $rc = 0 ] && ok "ci/coverage -guest= with a crashing input exits 0" || { cat "$out.log2"; fail "exit $rc"; }
grep -q 'crashes the guest' "$out.log2" && ok "the crash is reported" || fail "the crash is not reported"
c=$(da "$out/crash/lcov.info" "$bug")
[ "$c" = 1 ] && ok "with the crashing input, line $bug is covered by 1 input" ||
	fail "line $bug with the crash: DA '$c', want 1"

# 3. Bad usage is refused with a message.
"$repo/ci/coverage" >/dev/null 2>"$out.err"
[ $? = 2 ] && grep -q 'no corpus' "$out.err" && ok "no corpus: usage error" || fail "no corpus accepted"
"$repo/ci/coverage" --no-build "$out/no-such-dir" >/dev/null 2>"$out.err"
[ $? = 2 ] && grep -q 'no such file' "$out.err" && ok "missing corpus refused" || fail "missing corpus"

# 4. The report renders: headless Chromium loads it, and its DOM has genhtml's summary table.
"$repo/ci/deps" browser
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--user-data-dir="$out/chrome")
timeout 120 "${chrome[@]}" --dump-dom "file://$out/corpus/index.html" >"$out/dom.html" 2>/dev/null
grep -q 'warmfork coverage' "$out/dom.html" && grep -q 'demo/index.html' "$out/dom.html" &&
	ok "Chromium renders index.html (title and the demo directory's row)" ||
	fail "Chromium's DOM lacks the report"
timeout 120 "${chrome[@]}" --window-size=1280,900 --screenshot="$out/report.png" \
	"file://$out/corpus/index.html" >/dev/null 2>&1
size=$(stat -c %s "$out/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] && ok "screenshot $out/report.png ($size bytes)" || fail "screenshot: $size bytes"

echo "coverage_test: $fails failed"
[ $fails = 0 ]
