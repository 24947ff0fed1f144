#!/usr/bin/env bash
# stream-rss.sh measures reading a large canonical export (1M leads, 5M
# stage events, 0.5M activities, 50K opportunities; FUNNEL_BENCH_LEADS
# changes the size): rows per second and peak resident memory of
#   go-stream   the streaming readers (NewLeadReader, NewStageEventReader...)
#   go-export   data.ReadExport, which loads everything into slices
#   pandas-*    pandas.read_csv of the same files, whole and in chunks
#               (skipped when python3 or pandas is missing)
# and fails unless the streaming path peaks below 1 GiB.
#
# The export is written once under $TMPDIR/funnel-stream-<leads> by the
# data package's benchmarks (the run also prints their numbers).
#
# Usage: scripts/stream-rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
leads="${FUNNEL_BENCH_LEADS:-1000000}"
export FUNNEL_BENCH_LEADS="$leads"
dir="${TMPDIR:-/tmp}/funnel-stream-$leads"

echo "== go test -bench (writes $dir on first use)"
go test -run '^$' -bench 'Stream|ExportLarge' -benchtime 1x -timeout 30m ./data/

bin="$(mktemp -d)/streamrss"
go build -o "$bin" ./scripts/streamrss
timev=()
if [ -x /usr/bin/time ]; then timev=(/usr/bin/time -f 'max RSS (time -v): %M kB, elapsed %e s'); fi

echo "== go, one process each"
stream_line=$("${timev[@]}" "$bin" stream "$dir")
echo "$stream_line"
"${timev[@]}" "$bin" export "$dir"

echo "== pandas.read_csv"
py=""
for c in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$c" >/dev/null && "$c" -c 'import pandas' 2>/dev/null; then py="$c"; break; fi
done
if [ -z "$py" ]; then
	echo "pandas not found (apt-get install python3-pandas, or set PYTHON); skipping"
else
	for mode in chunked load; do
		"${timev[@]}" "$py" scripts/stream_pandas.py "$mode" "$dir"
	done
fi

peak=$(sed -n 's/.*peak-rss-MB=\([0-9]*\).*/\1/p' <<<"$stream_line")
if [ "$peak" -ge 1024 ]; then
	echo "FAIL: streaming peak RSS ${peak} MB >= 1 GiB" >&2
	exit 1
fi
echo "OK: streaming peak RSS ${peak} MB < 1 GiB"
