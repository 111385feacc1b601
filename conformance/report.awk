# SPDX-License-Identifier: Apache-2.0
# report.awk: conformance/run's verdicts: joins the raw results with expected-differences and
# writes junit.xml, report.md and results.txt, prints the failures and the totals line.
#
# Input lines (one per case, in order): ID VERDICT RC_NATIVE RC_OTHER CENTISECONDS, where
# VERDICT is same, differ or broken. Variables (-v): native_only, expected (the file), keep
# (the directory holding ID/{diff,native.err,...}), junit, report, results, elapsed
# (centiseconds), cc, filtered (1: only some cases ran), kernel, ncases.

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}

# The first max lines of a file ("" if it is missing), each ending in a newline.
function slurp(path, max,    line, s, n) {
	s = ""
	n = 0
	while ((getline line < path) > 0) {
		if (++n > max) {
			s = s "...\n"
			break
		}
		s = s line "\n"
	}
	close(path)
	return s
}

function signame(rc) {
	if (rc !~ /^[0-9]+$/ || rc <= 128)
		return ""
	return " (" (sig[rc - 128] ? sig[rc - 128] : "signal " (rc - 128)) ")"
}

function secs(c) {
	return sprintf("%.2f", c / 100)
}

BEGIN {
	split("SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 " \
	      "SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP " \
	      "SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS",
	      sig, " ")
	other = native_only ? "native2" : "warmfork"
	nbad_entries = 0
	# expected-differences: "ID SYSCALLS REASON..." per line; # comments, blank lines.
	lineno = 0
	while ((getline line < expected) > 0) {
		lineno++
		if (line ~ /^[ \t]*(#|$)/)
			continue
		n = split(line, f, /[ \t]+/)
		id = f[1]
		reason = line
		sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", reason)
		if (n < 3 || reason == "") {
			bad_entry[++nbad_entries] = expected ":" lineno ": needs ID, SYSCALLS and a reason: " line
			continue
		}
		if (id in xreason)
			bad_entry[++nbad_entries] = expected ":" lineno ": " id " is listed twice"
		xreason[id] = reason
		xsys[id] = f[2]
	}
	close(expected)
	n_pass = n_exp = n_fail = n_stale = n_broken = 0
}

{
	id = $1; v = $2; rc1 = $3; rc2 = $4; t = $5
	ncase++
	ids[ncase] = id
	seen[id] = 1
	time[id] = t
	rcs[id] = "native exit " rc1 signame(rc1) ", " other " exit " rc2 signame(rc2)
	if (v == "broken") {
		st = "BROKEN"
		why[id] = "the native run produced no transcript of its own (" rcs[id] ")"
	} else if (native_only) {
		st = v == "same" ? "pass" : "FAIL"
		why[id] = "two native runs differ: the case is not deterministic (" rcs[id] ")"
	} else if (v == "same") {
		st = (id in xreason) ? "STALE" : "pass"
		why[id] = "listed in expected-differences but native and warmfork now agree: " \
			  "remove the entry (" xreason[id] ")"
	} else {
		st = (id in xreason) ? "expected" : "FAIL"
		why[id] = (rc1 == rc2 ? "transcripts differ" : "termination differs") " (" rcs[id] ")"
	}
	status[id] = st
	if (st == "pass") n_pass++
	else if (st == "expected") n_exp++
	else if (st == "STALE") n_stale++
	else if (st == "BROKEN") n_broken++
	else n_fail++
}

END {
	if (!native_only && !filtered)
		for (id in xreason)
			if (!(id in seen))
				bad_entry[++nbad_entries] = expected ": " id " names no case"
	failed = n_fail + n_stale + n_broken
	total_t = 0
	for (i = 1; i <= ncase; i++)
		total_t += time[ids[i]]

	# JUnit: one testcase per case; expected differences are skipped with their reason.
	suite = native_only ? "conformance-native" : "conformance"
	printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" > junit
	printf "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%s\">\n",
	       suite, ncase, n_fail + n_stale, n_broken + nbad_entries, n_exp, secs(elapsed) > junit
	printf "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%s\">\n",
	       suite, ncase, n_fail + n_stale, n_broken + nbad_entries, n_exp, secs(total_t) > junit
	printf "    <properties><property name=\"cc\" value=\"%s\"/><property name=\"kernel\" value=\"%s\"/></properties>\n",
	       esc(cc), esc(kernel) > junit
	for (i = 1; i <= ncase; i++) {
		id = ids[i]
		prog = id; sub(/\..*/, "", prog)
		cname = id; sub(/^[^.]*\./, "", cname)
		st = status[id]
		printf "    <testcase classname=\"%s.%s\" name=\"%s\" time=\"%s\"", suite, esc(prog),
		       esc(cname), secs(time[id]) > junit
		if (st == "pass") {
			print "/>" > junit
			continue
		}
		print ">" > junit
		body = slurp(keep "/" id "/diff", 200)
		errs = slurp(keep "/" id "/" other ".err", 40)
		if (st == "expected") {
			printf "      <skipped message=\"%s\"/>\n", esc("expected difference: " xreason[id]) > junit
			printf "      <system-out>%s</system-out>\n", esc(body) > junit
		} else {
			tag = st == "BROKEN" ? "error" : "failure"
			printf "      <%s message=\"%s\" type=\"%s\">%s%s</%s>\n", tag, esc(why[id]), st,
			       esc(body), esc(errs == "" ? "" : "\n" other " stderr:\n" errs), tag > junit
		}
		print "    </testcase>" > junit
	}
	for (i = 1; i <= nbad_entries; i++)
		printf "    <testcase classname=\"%s.expected-differences\" name=\"entry %d\"><error message=\"%s\"/></testcase>\n",
		       suite, i, esc(bad_entry[i]) > junit
	print "  </testsuite>\n</testsuites>" > junit
	close(junit)

	# results.txt: machine-readable verdicts (docs/syscalls.md reads them).
	print "# conformance results: ID STATUS (pass, expected, FAIL, STALE, BROKEN); cc " cc \
	      (native_only ? "; native only" : "") > results
	for (i = 1; i <= ncase; i++)
		print ids[i] " " status[ids[i]] > results
	close(results)

	# report.md: what differs, and why.
	totals = sprintf("conformance%s: %d cases, %d passed, %d expected differences, %d failed",
			 native_only ? " (native only)" : "", ncase, n_pass, n_exp, failed)
	print "# Conformance report" (native_only ? " (native runs only)" : "") "\n" > report
	print "`" totals "`\n" > report
	printf "Programs built with %s; kernel %s; %d cases in %s s%s.\n\n", cc, kernel, ncase,
	       secs(elapsed), native_only ? "; each case ran natively twice" : \
	       "; each case ran natively and under `warmfork run`" > report
	if (nbad_entries) {
		print "## Bad expected-differences entries\n" > report
		for (i = 1; i <= nbad_entries; i++)
			print "- " bad_entry[i] > report
		print "" > report
	}
	split("BROKEN FAIL STALE expected", order, " ")
	title["BROKEN"] = "Broken cases"
	title["FAIL"] = native_only ? "Not deterministic" : "Unexpected differences"
	title["STALE"] = "Stale expected differences (they no longer differ)"
	title["expected"] = "Expected differences"
	for (o = 1; o <= 4; o++) {
		k = order[o]
		cnt = 0
		for (i = 1; i <= ncase; i++)
			if (status[ids[i]] == k)
				cnt++
		if (!cnt)
			continue
		print "## " title[k] " (" cnt ")\n" > report
		for (i = 1; i <= ncase; i++) {
			id = ids[i]
			if (status[id] != k)
				continue
			print "### " id "\n" > report
			if (k == "expected")
				print "Reason (" xsys[id] "): " xreason[id] "\n" > report
			else
				print why[id] "\n" > report
			if (k == "expected" || k == "FAIL")
				print rcs[id] "\n" > report
			body = slurp(keep "/" id "/diff", 80)
			if (body != "")
				print "```diff\n" body "```\n" > report
			errs = slurp(keep "/" id "/" other ".err", 15)
			if (k != "expected" && errs != "")
				print other " stderr:\n\n```\n" errs "```\n" > report
		}
	}
	close(report)

	# The console: what went wrong, then the totals.
	for (i = 1; i <= ncase; i++) {
		id = ids[i]
		st = status[id]
		if (st == "pass" || st == "expected")
			continue
		print st ": " id ": " why[id]
		printf "%s", slurp(keep "/" id "/diff", 40)
		errs = slurp(keep "/" id "/" other ".err", 10)
		if (errs != "")
			printf "  %s stderr:\n%s", other, errs
	}
	for (i = 1; i <= nbad_entries; i++)
		print "ERROR: " bad_entry[i]
	print "conformance: junit " junit ", report " report
	print totals
	exit (failed || nbad_entries) ? 1 : 0
}
