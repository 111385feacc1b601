# SPDX-License-Identifier: Apache-2.0
# report.awk: conformance/python/run's verdicts: reads both sides' unittest -v lines, joins them with expected-differences, writes junit.xml, report.md and results.txt, prints the totals.
#
# Input lines (one per module, in order): MODULE RC_NATIVE RC_SANDBOX CS_NATIVE CS_SANDBOX
# (CS: centiseconds). Variables (-v): expected (the file), logs (the directory holding
# MODULE.native, MODULE.sandbox and MODULE.rerun: the second try of lost tests), junit,
# report, results, elapsed (centiseconds), filtered (1: only some modules ran), kernel, nmod.
# With -v mode=lost it only prints "MODULE TEST" for each native pass the sandbox lost that
# no entry explains (or only a FLAKY one): what run tries a second time.

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}

function secs(c) {
	return sprintf("%.1f", c / 100)
}

# The outcome a unittest -v tail names ("ok", "FAIL", "skipped 'why'", ...), or "".
function outcome(s) {
	if (s ~ /(^| )ok$/) return "ok"
	if (s ~ /(^| )FAIL$/) return "FAIL"
	if (s ~ /(^| )ERROR$/) return "ERROR"
	if (s ~ /(^| )expected failure$/) return "expected failure"
	if (s ~ /(^| )unexpected success$/) return "unexpected success"
	if (s ~ /(^| )skipped( .*)?$/) return "skipped"
	return ""
}

# parse(FILE, SIDE): res[SIDE, ID] = outcome for every result line; ids in first-seen order
# go to order[] (native side only). Returns the number of tests seen.
function parse(path, side,    line, id, cur, o, n, tail) {
	n = 0
	cur = ""
	while ((getline line < path) > 0) {
		if (match(line, /^[A-Za-z_][A-Za-z0-9_]* \([A-Za-z_][A-Za-z0-9_.]*\)/)) {
			id = substr(line, 1, RLENGTH)
			sub(/^[^(]*\(/, "", id)
			sub(/\)$/, "", id)
			tail = substr(line, RLENGTH + 1)
			cur = id
			if (!((side, id) in res)) {
				n++
				if (side == "native")
					order[++norder] = id
			}
			res[side, id] = "missing"
			if (index(tail, " ... ")) {
				sub(/^.* \.\.\. /, "", tail)
				o = outcome(tail)
				if (o != "") {
					res[side, id] = o
					cur = ""
				}
			}
			continue
		}
		if (cur == "")
			continue
		tail = line
		if (index(tail, " ... "))
			sub(/^.* \.\.\. /, "", tail)
		o = outcome(tail)
		if (o != "" && (tail == line ? tail ~ /^(ok|FAIL|ERROR|expected failure|unexpected success|skipped.*)$/ : 1)) {
			res[side, cur] = o
			cur = ""
		}
	}
	close(path)
	return n
}

function passes(o) {
	return o == "ok" || o == "expected failure"
}

# glob(P): the ERE of an entry's pattern: literal, except that * matches anything.
function glob(p,    i, c, r) {
	r = "^"
	for (i = 1; i <= length(p); i++) {
		c = substr(p, i, 1)
		if (c == "*")
			r = r ".*"
		else if (index(".[]()+?^$|{}\\", c))
			r = r "\\" c
		else
			r = r c
	}
	return r "$"
}

BEGIN {
	nbad = 0
	nent = 0
	lineno = 0
	# expected-differences: "PATTERN REASON..." per line; # comments, blank lines.
	while ((getline line < expected) > 0) {
		lineno++
		if (line ~ /^[ \t]*(#|$)/)
			continue
		n = split(line, f, /[ \t]+/)
		reason = line
		sub(/^[^ \t]+[ \t]*/, "", reason)
		if (n < 2 || reason == "") {
			bad[++nbad] = expected ":" lineno ": needs a test pattern and a reason: " line
			continue
		}
		if (f[1] in entry_at) {
			bad[++nbad] = expected ":" lineno ": " f[1] " is listed twice"
			continue
		}
		nent++
		entry[nent] = f[1]
		entry_at[f[1]] = nent
		ere[nent] = glob(f[1])
		why[nent] = reason
		used[nent] = 0
	}
	close(expected)
}

{
	m = $1
	mods[++nm] = m
	rcn[m] = $2; rcs[m] = $3; tn[m] = $4; ts[m] = $5
	first[m] = norder + 1
	seen_n[m] = parse(logs "/" m ".native", "native")
	last[m] = norder
	parse(logs "/" m ".sandbox", "sandbox")
	parse(logs "/" m ".rerun", "rerun")
	if (seen_n[m] == 0)
		broken[m] = 1
}

END {
	n_tests = n_native = n_kept = n_exp = n_fail = n_retry = 0
	for (i = 1; i <= nm; i++) {
		m = mods[i]
		for (j = first[m]; j <= last[m]; j++) {
			id = order[j]
			n_tests++
			mod_of[id] = m
			on = res["native", id]
			os = (("sandbox", id) in res) ? res["sandbox", id] : "missing"
			if (!passes(on)) {
				st[id] = "native-only"
				continue
			}
			n_native++
			hit = 0
			for (e = 1; e <= nent; e++)
				if (id ~ ere[e]) {
					hit = e
					break
				}
			if (mode == "lost") {
				if (!passes(os) && (!hit || why[hit] ~ /^FLAKY:/))
					print m " " id
				continue
			}
			if (!passes(os) && passes(res["rerun", id])) {
				retried[id] = 1
				n_retry++
				if (hit)
					used[hit] = 1 # it did fail the first time
			}
			if (passes(os) || retried[id]) {
				st[id] = "kept"
				n_kept++
				for (e = 1; e <= nent; e++)
					if (id ~ ere[e] && why[e] ~ /^FLAKY:/)
						used[e] = 1
				continue
			}
			if (hit) {
				st[id] = "expected"
				used[hit] = 1
				reason_of[id] = why[hit]
				n_exp++
			} else {
				st[id] = "FAIL"
				n_fail++
			}
			got[id] = os
		}
	}
	if (mode == "lost")
		exit 0
	n_stale = 0
	if (!filtered)
		for (e = 1; e <= nent; e++)
			if (!used[e] && why[e] !~ /^FLAKY:/) {
				stale[++n_stale] = entry[e]
			}
	n_broken = 0
	for (i = 1; i <= nm; i++)
		if (broken[mods[i]])
			n_broken++
	failed = n_fail + n_stale + n_broken + nbad
	pct = n_native ? sprintf("%.2f", 100 * n_kept / n_native) : "0.00"
	totals = sprintf("python: %d modules, %d tests, %d native passes, %d kept in the sandbox (%s%%; %d on a second try), %d expected differences, %d failed",
			 nm, n_tests, n_native, n_kept, pct, n_retry, n_exp, failed)

	# JUnit: one testsuite per module, one testcase per test that passes natively.
	printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" > junit
	printf "<testsuites name=\"python\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%s\">\n",
	       n_native, n_fail, n_broken + nbad + n_stale, n_exp, secs(elapsed) > junit
	for (i = 1; i <= nm; i++) {
		m = mods[i]
		c = f_ = s_ = 0
		for (j = first[m]; j <= last[m]; j++) {
			id = order[j]
			if (st[id] == "native-only") continue
			c++
			if (st[id] == "FAIL") f_++
			if (st[id] == "expected") s_++
		}
		printf "  <testsuite name=\"python.%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%s\">\n",
		       m, c, f_, broken[m] ? 1 : 0, s_, secs(ts[m]) > junit
		printf "    <properties><property name=\"kernel\" value=\"%s\"/><property name=\"native_exit\" value=\"%s\"/><property name=\"sandbox_exit\" value=\"%s\"/><property name=\"native_time\" value=\"%s\"/></properties>\n",
		       esc(kernel), rcn[m], rcs[m], secs(tn[m]) > junit
		if (broken[m])
			printf "    <testcase classname=\"python.%s\" name=\"(module)\"><error message=\"the native run reported no test (exit %s)\"/></testcase>\n",
			       m, rcn[m] > junit
		for (j = first[m]; j <= last[m]; j++) {
			id = order[j]
			if (st[id] == "native-only") continue
			cls = id; sub(/\.[^.]*$/, "", cls)
			name = id; sub(/^.*\./, "", name)
			printf "    <testcase classname=\"%s\" name=\"%s\"", esc(cls), esc(name) > junit
			if (st[id] == "kept")
				print "/>" > junit
			else if (st[id] == "expected")
				printf ">\n      <skipped message=\"%s\"/>\n    </testcase>\n",
				       esc("expected difference (sandbox: " got[id] "): " reason_of[id]) > junit
			else
				printf ">\n      <failure message=\"%s\" type=\"FAIL\"/>\n    </testcase>\n",
				       esc("passes natively; in the sandbox: " got[id] " (see logs/" m ".sandbox)") > junit
		}
		print "  </testsuite>" > junit
	}
	if (n_stale || nbad) {
		print "  <testsuite name=\"python.expected-differences\">" > junit
		for (i = 1; i <= n_stale; i++)
			printf "    <testcase classname=\"python.expected-differences\" name=\"%s\"><error message=\"stale: no test that passes natively fails in the sandbox for this entry\"/></testcase>\n",
			       esc(stale[i]) > junit
		for (i = 1; i <= nbad; i++)
			printf "    <testcase classname=\"python.expected-differences\" name=\"entry %d\"><error message=\"%s\"/></testcase>\n",
			       i, esc(bad[i]) > junit
		print "  </testsuite>" > junit
	}
	print "</testsuites>" > junit
	close(junit)

	# results.txt: one line per test: ID STATUS NATIVE-OUTCOME / SANDBOX-OUTCOME.
	print "# python results: TEST STATUS (kept, expected, FAIL, native-only) native | sandbox" > results
	for (j = 1; j <= norder; j++) {
		id = order[j]
		os = (("sandbox", id) in res) ? res["sandbox", id] : "missing"
		print id " " st[id] " " res["native", id] " | " os (retried[id] ? " | again: " res["rerun", id] : "") > results
	}
	close(results)

	# report.md: per module figures, then what differs and why.
	print "# CPython regression tests: native vs warmfork\n" > report
	print "`" totals "`\n" > report
	printf "Kernel %s; %d modules in %s s (wall); each module ran natively (chroot) and under `warmfork run --sysroot`.\n\n",
	       kernel, nm, secs(elapsed) > report
	print "| module | tests | native passes | kept | native s | sandbox s | exits (native/sandbox) |" > report
	print "|---|---:|---:|---:|---:|---:|---|" > report
	for (i = 1; i <= nm; i++) {
		m = mods[i]
		a = b = c = 0
		for (j = first[m]; j <= last[m]; j++) {
			a++
			if (st[order[j]] != "native-only") b++
			if (st[order[j]] == "kept") c++
		}
		printf "| %s | %d | %d | %d | %s | %s | %s / %s%s |\n", m, a, b, c, secs(tn[m]),
		       secs(ts[m]), rcn[m], rcs[m], broken[m] ? " (BROKEN: no test natively)" : "" > report
	}
	print "" > report
	if (nbad || n_stale) {
		print "## Bad or stale expected-differences entries\n" > report
		for (i = 1; i <= nbad; i++) print "- " bad[i] > report
		for (i = 1; i <= n_stale; i++) print "- STALE: " stale[i] > report
		print "" > report
	}
	if (n_fail) {
		print "## Unexpected differences (" n_fail ")\n" > report
		for (j = 1; j <= norder; j++)
			if (st[order[j]] == "FAIL")
				print "- `" order[j] "`: sandbox " got[order[j]] > report
		print "" > report
	}
	if (n_exp) {
		print "## Expected differences (" n_exp ")\n" > report
		for (j = 1; j <= norder; j++)
			if (st[order[j]] == "expected")
				print "- `" order[j] "`: sandbox " got[order[j]] ". " reason_of[order[j]] > report
		print "" > report
	}
	close(report)

	for (j = 1; j <= norder; j++)
		if (st[order[j]] == "FAIL")
			print "FAIL: " order[j] ": passes natively; in the sandbox: " got[order[j]] " (logs/" mod_of[order[j]] ".sandbox)"
	for (i = 1; i <= nm; i++)
		if (broken[mods[i]])
			print "BROKEN: " mods[i] ": the native run reported no test (exit " rcn[mods[i]] ", logs/" mods[i] ".native)"
	for (i = 1; i <= n_stale; i++)
		print "STALE: " stale[i] ": no test that passes natively fails in the sandbox for this entry"
	for (i = 1; i <= nbad; i++)
		print "ERROR: " bad[i]
	print "python: junit " junit ", report " report
	print totals
	exit failed ? 1 : 0
}
