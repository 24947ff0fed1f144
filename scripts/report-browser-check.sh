#!/usr/bin/env bash
# report-browser-check.sh: renders `sim report` in headless Chromium and
# checks that the page loads nothing from the network, logs no console
# error, and lays out inside its text column.
#
# It builds sim, writes a forecast, a comparison, an SLA sweep, a plan and
# a calibration of a generated export (one model, one seed), assembles the
# report and checks:
#   - size: report.html under 2 MB;
#   - structure: the executive sections come before the "Analyst appendix"
#     break, and the appendix holds the calibration and the method;
#   - network: report.html opened with a network log (--log-net-log) and
#     verbose logging. Requests the page starts carry the page as
#     initiator; Chromium's own background requests (component updates,
#     time sync, account checks) carry none and are counted apart. A
#     control page with one remote image proves the detector sees page
#     requests. DNS is mapped to nothing, so no request leaves the machine;
#   - console: no console message at error level while the page loads;
#   - layout: a copy of the page with a measuring script added (report.html
#     itself has no script) is loaded at 1280 and 800 pixels wide; no
#     element may reach past the body's content box (a table may scroll
#     inside its wrapper, which counts as the element), and the page may not
#     scroll sideways. Tables that scroll are listed;
#   - screenshot: $OUT/report.png (1280x4000), to look at.
#
# Usage: scripts/report-browser-check.sh [OUTDIR]   (default: a temp dir)
# Exit status: 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
fail=0

if ! command -v chromium >/dev/null 2>&1; then
	echo "installing chromium"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null
fi
py=/usr/bin/python3
[ -x "$py" ] || py=python3

go build -o "$out/sim" ./cmd/sim
sim="$out/sim"
run="$out/run"
rm -rf "$run"
"$sim" generate --quarters 2 --out "$out/export" >/dev/null
"$sim" calibrate "$out/export" -o "$out/model.yaml" --out "$run/calibrate" --quota 9.5M >/dev/null
"$sim" forecast --model "$out/model.yaml" --quarters 300 --seed 1 --out "$run" -q >/dev/null
"$sim" compare --model "$out/model.yaml" --quarters 100 --seed 1 --out "$run/compare" -q baseline two-more-sdrs respond-24x7 >/dev/null
"$sim" sla --model "$out/model.yaml" --quarters 30 --seed 1 --out "$run/sla" -q >/dev/null
"$sim" plan --model "$out/model.yaml" --quarters 10 --seed 1 --out "$run/plan" -q >/dev/null
"$sim" report --out "$out/report" "$run"
page="$out/report/report.html"

size=$(wc -c <"$page")
echo "report:      $page ($size bytes)"
if [ "$size" -ge 2000000 ]; then
	echo "FAIL: report.html is $size bytes, want under 2 MB" >&2
	fail=1
fi

# Structure: executive sections, then the appendix break, then the appendix.
"$py" - "$page" <<'PY' || fail=1
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
brk = page.find('id="appendix"')
if brk < 0:
    sys.exit("FAIL: no analyst appendix break")
for sec in ["forecast-revenue", "forecast-coverage", "forecast-funnel", "compare", "sla", "plan"]:
    i = page.find('<section id="%s"' % sec)
    if i < 0 or i > brk:
        sys.exit("FAIL: executive section %s missing or after the appendix break" % sec)
for sec in ["calibrate", "method"]:
    i = page.find('<section id="%s"' % sec)
    if i < brk:
        sys.exit("FAIL: appendix section %s missing or before the appendix break" % sec)
if 'class="warnings"' in page:
    sys.exit("FAIL: a provenance warning on folders made from one model and seed:\n" + re.search(r'<div class="warnings".*?</div>', page, re.S).group(0))
print("structure:   executive sections, then the analyst appendix; no provenance warning")
PY

# browse URL NAME [WIDTH HEIGHT] [extra flags...]: screenshot and logs of URL in $out/NAME.*
browse() {
	local url=$1 name=$2 w=${3:-1280} h=${4:-4000} profile
	shift 4 || shift $#
	profile=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync --no-first-run \
		--host-resolver-rules="MAP * ~NOTFOUND" \
		--user-data-dir="$profile" --enable-logging=stderr --v=1 \
		--log-net-log="$out/$name.netlog.json" --net-log-capture-mode=Everything \
		--window-size="$w,$h" "$@" "$url" >"$out/$name.out" 2>"$out/$name.log" || true
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
browse "file://$out/control.html" control 1280 2000 --screenshot="$out/control.png"
if ! requests control | grep -q '^page http://example.invalid/probe.png'; then
	echo "FAIL: the detector did not see the control page's remote image; see $out/control.*" >&2
	exit 1
fi

browse "file://$page" report 1280 4000 --screenshot="$out/report.png"
if [ ! -s "$out/report.png" ]; then
	echo "FAIL: no screenshot; see $out/report.log" >&2
	exit 1
fi
echo "screenshot:  $out/report.png"
reqs=$(requests report | grep '^page ' || true)
browser=$(requests report | grep -c '^browser ' || true)
echo "network log: $out/report.netlog.json"
echo "requests started by the page: $(printf '%s' "$reqs" | grep -c . || true)"
echo "requests started by Chromium itself (not the page): $browser"
if [ -n "$reqs" ]; then
	echo "FAIL: report.html requested:" >&2
	printf '%s\n' "$reqs" >&2
	fail=1
fi
# Console messages at error level (CSS, SVG or HTML the browser refused).
console=$(grep -E 'CONSOLE|console' "$out/report.log" | grep -iE 'error|uncaught|failed' || true)
if [ -n "$console" ]; then
	echo "FAIL: console errors:" >&2
	printf '%s\n' "$console" >&2
	fail=1
else
	echo "console:     no errors"
fi

# Layout: a copy with a measuring script, read back from the DOM.
layout="$out/report/.layout-check.html"
"$py" - "$page" "$layout" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = r"""<script>
addEventListener("load", () => {
  const body = document.body, cs = getComputedStyle(body), br = body.getBoundingClientRect();
  const left = br.left + parseFloat(cs.paddingLeft) - 1, right = br.right - parseFloat(cs.paddingRight) + 1;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined && el.className ? "." + String(el.className).split(" ").join(".") : "");
  const over = [], scroll = [];
  for (const el of body.querySelectorAll("*")) {
    if (el.tagName === "SCRIPT") continue;
    const wrap = el.closest(".tablewrap");
    if (wrap && wrap !== el) continue;             // inside a scrolling wrapper: the wrapper counts
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < left || r.right > right) {
      const sec = el.closest("section");
      over.push(name(el) + " in " + (sec ? "#" + sec.id : "body") + ": " + Math.round(r.left) + "-" + Math.round(r.right) + " past " + Math.round(left) + "-" + Math.round(right));
    }
  }
  for (const w of body.querySelectorAll(".tablewrap")) {
    if (w.scrollWidth > w.clientWidth + 1) {
      const sec = w.closest("section"), cap = w.querySelector("caption");
      scroll.push((sec ? "#" + sec.id : "") + " " + (cap ? cap.textContent : "table") + ": " + w.scrollWidth + " in " + w.clientWidth);
    }
  }
  const doc = document.documentElement;
  const res = {over: over.slice(0, 20), overflows: over.length, scroll: scroll,
    pageScroll: doc.scrollWidth > innerWidth + 1 ? doc.scrollWidth + " in " + innerWidth : ""};
  const out = document.createElement("pre");
  out.id = "layout-result";
  out.textContent = JSON.stringify(res);
  body.appendChild(out);
});
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", probe + "</body>"))
# The control: the same page with one element wider than the column.
wide = '<p style="width:1500px;white-space:nowrap">control: too wide</p>'
open(sys.argv[2].replace(".html", "-control.html"), "w", encoding="utf-8").write(page.replace("</body>", wide + probe + "</body>"))
PY
control="${layout%.html}-control.html"
browse "file://$control" layoutcontrol 1280 3000 --dump-dom --virtual-time-budget=5000
if ! grep -q '"overflows":[1-9]' "$out/layoutcontrol.out"; then
	echo "FAIL: the layout check did not see the control's too-wide paragraph; see $out/layoutcontrol.*" >&2
	exit 1
fi
echo "layout:      the check sees a too-wide element in a control copy"
for w in 1280 800; do
	browse "file://$layout" "layout$w" "$w" 3000 --dump-dom --virtual-time-budget=5000
	"$py" - "$out/layout$w.out" "$w" <<'PY' || fail=1
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
m = re.search(r'<pre id="layout-result">(.*?)</pre>', dom, re.S)
if not m:
    sys.exit("FAIL: layout at %spx: no result from the measuring script" % sys.argv[2])
r = json.loads(html.unescape(m.group(1)))
w = sys.argv[2]
for s in r["scroll"]:
    print("layout %spx: table scrolls sideways inside its wrapper: %s" % (w, s))
bad = False
if r["overflows"]:
    bad = True
    print("FAIL: layout at %spx: %d elements reach past the text column:" % (w, r["overflows"]), *r["over"], sep="\n  ", file=sys.stderr)
if r["pageScroll"]:
    bad = True
    print("FAIL: layout at %spx: the page scrolls sideways (%s)" % (w, r["pageScroll"]), file=sys.stderr)
if bad:
    sys.exit(1)
print("layout %spx: every element inside the text column, no sideways page scroll" % w)
PY
done
rm -f "$layout" "$control"

if [ "$fail" != 0 ]; then
	echo "FAIL: see above; files in $out" >&2
	exit 1
fi
echo "OK: report.html under 2 MB, executive pages before the appendix, no network request, no console error, laid out inside its column"
