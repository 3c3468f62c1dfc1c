#!/usr/bin/env bash
# Sets up report-audit on a fresh Debian machine with Python 3.11: the Debian packages it uses, a
# virtual environment in .venv, and the package with its extras. Idempotent: a second run is quick.
#   bash scripts/setup.sh          # what `audit` needs, plus LibreOffice and CJK fonts for Word-made PDFs
#   bash scripts/setup.sh --test   # also the test tools and headless Chromium
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

debs=(libreoffice-writer-nogui fonts-wqy-zenhei poppler-utils)
[ $want_test = 1 ] && debs+=(chromium)
missing=()
for d in "${debs[@]}"; do dpkg -s "$d" >/dev/null 2>&1 || missing+=("$d"); done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: no apt-get; install these yourself for PDF rendering and browser tests: ${missing[*]}" >&2
  fi
fi

py=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$py" -m venv .venv
extras="dask"
[ $want_test = 1 ] && extras="test,notebooks,dask"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${extras}]"

# The package's own bytecode, as a non-editable install has it: this environment may set
# PYTHONDONTWRITEBYTECODE=1, which stops Python writing __pycache__ at run time but not reading it, and every
# fresh `audit` process would otherwise compile its ~100 modules (0.1 s of each `audit check`). A module
# edited later is compiled again in memory (its source is newer); `compileall` here refreshes them all.
.venv/bin/python -m compileall -q -j 0 audit
# jieba's prepared prefix dictionary (audit/prefixdict.py) in the cache folder, so that even the first
# `audit check --no-cache` reads it instead of building it (any run with the cache on would prepare it).
.venv/bin/python -c "from audit.nlp import get_nlp; get_nlp()"
