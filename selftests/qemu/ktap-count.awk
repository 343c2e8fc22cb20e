# SPDX-License-Identifier: GPL-2.0
#
# Counts test cases in a KTAP report whose top-level results each may carry
# nested (two-space indented) cases: a top-level result with nested cases
# counts as those cases, plus one failure when it failed although none of
# its cases did (a timeout or a crash between cases); one without nested
# cases counts as itself. Prints "PASS FAIL SKIP".

function count(line, skipd) {
	skipd = line ~ /# *SKIP/
	if (line ~ /^ *not ok /)
		return "f"
	return skipd ? "s" : "p"
}

/^  (ok|not ok) / {
	r = count($0)
	np += (r == "p"); nf += (r == "f"); ns += (r == "s")
	next
}

/^(ok|not ok) / {
	r = count($0)
	if (np + nf + ns > 0) {
		pass += np; fail += nf; skip += ns
		if (r == "f" && nf == 0)
			fail++
	} else {
		pass += (r == "p"); fail += (r == "f"); skip += (r == "s")
	}
	np = nf = ns = 0
}

END { printf "%d %d %d\n", pass, fail, skip }
