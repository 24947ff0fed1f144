#!/usr/bin/env bash
# Regenerates the charts in docs/ that the README shows, from the commands
# the README quotes, and prints those commands' summaries to compare with
# the README's examples. Takes a few minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sim" ./cmd/sim
sim="$tmp/sim"

# A fixed --start: without it the quarter named is the next one from today.
"$sim" forecast --quarters 2000 --start 2027-01-01 --out "$tmp/forecast" > "$tmp/forecast.txt"
"$sim" forecast --quarters 2000 --start 2027-01-01 --horizon 4 --out "$tmp/horizon" > "$tmp/horizon.txt"
"$sim" compare --out "$tmp/compare" > "$tmp/compare.txt"
"$sim" sla --quarters 200 --out "$tmp/sla" > "$tmp/sla.txt"
"$sim" plan --quarters 150 --out "$tmp/plan" > "$tmp/plan.txt"
"$sim" calibrate data/sample -o "$tmp/model.yaml" --quota 700K --out "$tmp/calibrate" > /dev/null

cp "$tmp/forecast/revenue.png" "$tmp/forecast/coverage.png" docs/
cp "$tmp/horizon/horizon.png" docs/
cp "$tmp/forecast/waterfall.png" "$tmp/forecast/breakdown.png" docs/
cp "$tmp/compare/tornado.png" docs/
cp "$tmp/sla/moneycurve.png" docs/
cp "$tmp/calibrate/decay.png" docs/
# The backtest on the shared Maven fixture, when this checkout has it.
maven=../shared/fixtures/maven-crm/sales_pipeline.csv
if [ -f "$maven" ]; then
	"$sim" backtest "$maven" --origins monthly --out "$tmp/backtest" > "$tmp/backtest.txt"
	cp "$tmp/backtest/backtest.png" docs/backtest-maven.png
	"$sim" waterfall "$maven" --out "$tmp/waterfall" > /dev/null
	cp "$tmp/waterfall/waterfall.png" docs/waterfall-maven.png
	echo "== sim backtest $maven"
	cat "$tmp/backtest.txt"
fi
for f in forecast horizon compare sla plan; do
	echo "== sim $f"
	cat "$tmp/$f.txt"
done
