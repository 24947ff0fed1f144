#!/usr/bin/env bash
# fuzz-smoke.sh runs every fuzz target of package data for a few seconds
# each (FUZZTIME, default 100000x: an execution count, because a duration
# can end the run with a spurious "context deadline exceeded" from the Go
# fuzzing coordinator), so that CI catches a crasher that the seed
# corpus alone does not. A failure leaves the crashing input under
# data/testdata/fuzz/<Target>/, to be committed with the fix.
#
# Usage: scripts/fuzz-smoke.sh            (from anywhere in the repository)
#        FUZZTIME=30s scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
fuzztime="${FUZZTIME:-100000x}"
pkg=./data/
targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
if [ -z "$targets" ]; then
	echo "fuzz-smoke: no fuzz targets in $pkg" >&2
	exit 1
fi
for t in $targets; do
	echo "fuzz-smoke: $t ($fuzztime)"
	go test -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" "$pkg"
done
