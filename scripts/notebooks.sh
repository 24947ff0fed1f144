#!/usr/bin/env bash
# notebooks.sh: executes every notebook in notebooks/ headless and fails on
# the first error. Installs the Debian packages the notebooks need when
# they are missing (pandas, matplotlib, nbconvert, ipykernel).
#
# Usage: scripts/notebooks.sh [OUTDIR]   (executed copies go to OUTDIR,
# default a temp dir; the notebooks in the repository are not modified)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"

# The Debian packages install into the system Python; a pyenv or venv
# python3 earlier in PATH would not see them.
export PATH=/usr/bin:/bin:$PATH
if ! /usr/bin/python3 -c 'import pandas, matplotlib, nbconvert, ipykernel' 2>/dev/null || ! command -v jupyter-nbconvert >/dev/null; then
	echo "installing python3-pandas python3-matplotlib jupyter-nbconvert python3-ipykernel"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq -o DPkg::Lock::Timeout=600 python3-pandas python3-matplotlib jupyter-nbconvert python3-ipykernel >/dev/null
fi
export PYDEVD_DISABLE_FILE_VALIDATION=1
export FUNNEL_NB_WORK="$out/work"

status=0
for nb in notebooks/*.ipynb; do
	start=$(date +%s)
	if /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.kernel_name=python3 --output-dir "$out" "$nb" >"$out/$(basename "$nb" .ipynb).log" 2>&1; then
		echo "ok    $nb ($(($(date +%s) - start)) s)"
	else
		echo "FAIL  $nb ($(($(date +%s) - start)) s); log:" >&2
		tail -40 "$out/$(basename "$nb" .ipynb).log" >&2
		status=1
	fi
done
echo "executed notebooks in $out"
exit $status
