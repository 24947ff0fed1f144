#!/usr/bin/env bash
# fuzz-smoke.sh runs every fuzz target of packages data, model, montecarlo
# and montecarlo/backtest briefly, so that CI catches a crasher that the seed corpus
# alone does not. Each target runs for an execution count, not a
# duration, because a duration can end the run with a spurious "context
# deadline exceeded" from the Go fuzzing coordinator: 100000x for the
# parsers and the leads reader (about 5 s each on 2 cores), 30000x for the
# importers, which read several files per input (about 3 s each), and the
# model parsers, 1000x for the forecast of drawn models (most draws are
# refused by validation or CheckSize; the rest run two quarters), 200x
# for calibrate-then-forecast of mutated exports (about 15 a second).
# FUZZTIME overrides the count of every target. A failure leaves the
# crashing input under <package>/testdata/fuzz/<Target>/, to be committed
# with the fix.
#
# Usage: scripts/fuzz-smoke.sh            (from anywhere in the repository)
#        FUZZTIME=30s scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
for pkg in ./data/ ./model/ ./montecarlo/ ./montecarlo/backtest/; do
	targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	if [ -z "$targets" ]; then
		echo "fuzz-smoke: no fuzz targets in $pkg" >&2
		exit 1
	fi
	for t in $targets; do
		case $t in
		FuzzParseTime | FuzzParseAmount | FuzzReadLeads) fuzztime=100000x ;;
		FuzzForecastModel) fuzztime=1000x ;;
		FuzzCalibrateForecast) fuzztime=200x ;;
		*) fuzztime=30000x ;;
		esac
		fuzztime="${FUZZTIME:-$fuzztime}"
		echo "fuzz-smoke: $pkg $t ($fuzztime)"
		go test -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" "$pkg"
	done
done
