#!/usr/bin/env bash
# report-browser-check.sh: renders `sim report` in headless Chromium and
# checks that the page loads nothing from the network.
#
# It builds sim, writes a small forecast and comparison, assembles the
# report, and opens report.html with a network log (--log-net-log) and
# verbose logging (--enable-logging=stderr --v=1). Requests the page starts
# carry the page as initiator; Chromium's own background requests (component
# updates, time sync, account checks) carry none and are counted apart. A
# control page with one remote image proves the detector sees page requests.
# DNS is mapped to nothing, so no request leaves the machine either way.
#
# Usage: scripts/report-browser-check.sh [OUTDIR]   (default: a temp dir)
# Exit status: 0 when the report renders and requests nothing but itself.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"

if ! command -v chromium >/dev/null 2>&1; then
	echo "installing chromium"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null
fi
py=/usr/bin/python3
[ -x "$py" ] || py=python3

go build -o "$out/sim" ./cmd/sim
"$out/sim" forecast --quarters 300 --seed 1 --out "$out/run" -q >/dev/null
"$out/sim" compare --quarters 100 --seed 1 --out "$out/run/compare" -q baseline two-more-sdrs respond-24x7 >/dev/null
"$out/sim" report --out "$out/report" "$out/run"

# browse URL NAME: screenshot and logs of URL in $out/NAME.*
browse() {
	local profile
	profile=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync --no-first-run \
		--host-resolver-rules="MAP * ~NOTFOUND" \
		--user-data-dir="$profile" --enable-logging=stderr --v=1 \
		--log-net-log="$out/$2.netlog.json" --net-log-capture-mode=Everything \
		--screenshot="$out/$2.png" --window-size=1280,2000 "$1" >"$out/$2.log" 2>&1 || true
	rm -rf "$profile"
}

# requests NAME: prints "page|browser URL" for every URL request in the log.
requests() {
	"$py" - "$out/$1.netlog.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read().rstrip().rstrip(",")
if not text.endswith("}"):
    text = text.rstrip("]").rstrip().rstrip(",") + "]}"  # log cut short
d = json.loads(text)
types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
seen = set()
for e in d.get("events", []):
    p = e.get("params") or {}
    if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
        continue
    who = "browser" if p.get("initiator", "not an origin") == "not an origin" else "page"
    key = (who, p["url"])
    if key not in seen:
        seen.add(key)
        print(who, p["url"])
PY
}

printf '<!DOCTYPE html><html><body><p>control</p><img src="http://example.invalid/probe.png"></body></html>\n' >"$out/control.html"
browse "file://$out/control.html" control
if ! requests control | grep -q '^page http://example.invalid/probe.png'; then
	echo "FAIL: the detector did not see the control page's remote image; see $out/control.*" >&2
	exit 1
fi

browse "file://$out/report/report.html" report
if [ ! -s "$out/report.png" ]; then
	echo "FAIL: no screenshot; see $out/report.log" >&2
	exit 1
fi
page=$(requests report | grep '^page ' || true)
browser=$(requests report | grep -c '^browser ' || true)
# Belt and braces: any URL in the verbose log that is neither file: nor
# data: nor one of the browser's own requests.
logged=$(grep -oE '(https?|wss?|ftp)://[^" )]+' "$out/report.log" | sort -u || true)
echo "report:      $out/report/report.html ($(wc -c <"$out/report/report.html") bytes)"
echo "screenshot:  $out/report.png"
echo "network log: $out/report.netlog.json"
echo "requests started by the page: $(printf '%s' "$page" | grep -c . || true)"
echo "requests started by Chromium itself (not the page): $browser"
if [ -n "$logged" ]; then
	echo "URLs in Chromium's verbose log (its own services):"
	printf '  %s\n' $logged
fi
if [ -n "$page" ]; then
	echo "FAIL: report.html requested:" >&2
	printf '%s\n' "$page" >&2
	exit 1
fi
echo "OK: report.html rendered and requested nothing from the network"
