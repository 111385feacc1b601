# SPDX-License-Identifier: Apache-2.0
# sortlines.py: read the file named on the command line, print its lines sorted, then a summary.
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    lines = f.read().splitlines()
for line in sorted(lines):
    print(line)
print(f"{len(lines)} lines, {sum(len(x) for x in lines)} characters", file=sys.stderr)
