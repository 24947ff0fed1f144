#!/usr/bin/env bash
# Speed as a ratio: builds sim at an older commit (default e944af7, where
# issue 19's figures were taken) and at the working tree, then runs each
# workload with both binaries one after the other on this machine and prints
# wall time, CPU time and peak RSS side by side with the old/new ratio.
#
#   scripts/speed.sh                 # all workloads against e944af7
#   scripts/speed.sh -b REV forecast # one workload against REV
#
# Workloads: forecast (default model, 10,000 quarters), sla (the 22-scenario
# sweep of issue 19), sla100 (sim sla --quarters 100), compare. The sla
# sweep takes minutes with the old binary.
set -euo pipefail
cd "$(dirname "$0")/.."
base=e944af7
if [ "${1:-}" = "-b" ]; then base=$2; shift 2; fi
work=("$@")
[ ${#work[@]} -gt 0 ] || work=(forecast sla sla100 compare)

tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/old-src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --detach "$tmp/old-src" "$base" >/dev/null 2>&1
(cd "$tmp/old-src" && go build -o "$tmp/old" ./cmd/sim)
go build -o "$tmp/new" ./cmd/sim

args() {
	case $1 in
	forecast) echo "forecast --quarters 10000" ;;
	sla) echo "sla --headcount 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20 --hours business --threshold 60 --quarters 10000" ;;
	sla100) echo "sla --quarters 100" ;;
	compare) echo "compare" ;;
	*) echo "unknown workload $1" >&2; exit 2 ;;
	esac
}

# measure BIN WORKLOAD prints "wall_s cpu_s rss_mb".
measure() {
	local out="$tmp/out-$1-$2" log="$tmp/time-$1-$2"
	# shellcheck disable=SC2046
	/usr/bin/time -f '%e %U %S %M' -o "$log" "$tmp/$1" $(args "$2") --out "$out" -q >/dev/null
	awk '{printf "%.2f %.2f %.0f\n", $1, $2+$3, $4/1024}' "$log"
}

printf '%-9s %9s %9s %7s   %8s %8s %7s   %7s %7s\n' workload old_wall new_wall ratio old_cpu new_cpu ratio old_MB new_MB
for w in "${work[@]}"; do
	read -r ow oc om < <(measure old "$w")
	read -r nw nc nm < <(measure new "$w")
	awk -v w="$w" -v ow="$ow" -v nw="$nw" -v oc="$oc" -v nc="$nc" -v om="$om" -v nm="$nm" 'BEGIN {
		printf "%-9s %8.1fs %8.1fs %6.2fx   %7.1fs %7.1fs %6.2fx   %7d %7d\n", w, ow, nw, ow/nw, oc, nc, oc/nc, om, nm
	}'
done
echo "old = $(git rev-parse --short "$base"), new = working tree at $(git rev-parse --short HEAD); $(nproc) cores"
