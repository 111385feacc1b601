#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# licence-check.sh: every source file in the checkout (C, assembly, shell, CMake, scripts)
# carries an SPDX-License-Identifier line near its top, and the LICENSE file is there.
# usage: licence-check.sh REPO_DIR
set -u
cd "$1" || exit 1
[ -s LICENSE ] || { echo "FAIL: no LICENSE file"; exit 1; }
if [ -d .git ] || [ -f .git ]; then
	files=$(git ls-files)
else
	files=$(find . -path ./build -prune -o -type f -print | sed 's|^\./||')
fi
n=0 bad=0
for f in $files; do
	case $f in
	*.c | *.h | *.S | *.cc | *.sh | *.cmake | *.awk | *.py | *.yml | *.yaml | *.in | \
		*CMakeLists.txt | */Dockerfile) ;;
	*.*) continue ;;
	*) head -c 2 "$f" 2>/dev/null | grep -q '^#!' || continue ;;
	esac
	n=$((n + 1))
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: ' && continue
	echo "FAIL: $f has no SPDX-License-Identifier line in its first 3 lines"
	bad=$((bad + 1))
done
[ $n -gt 100 ] || { echo "FAIL: only $n source files found"; exit 1; }
[ $bad = 0 ] || exit 1
echo "licence-check: ok: $n source files carry an SPDX line"
