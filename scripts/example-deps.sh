#!/usr/bin/env bash
# What the component package and the Python example install while the tests run, fetched here first so
# that the tests themselves reach no registry (they run npm and pip offline):
#   provider/node_modules      npm ci from provider/package-lock.json (also fills npm's cache, which the
#                              git-sourced copy of provider/ installs from)
#   .state/wheelhouse          the Python example's requirements, what the generated SDK requires
#                              (parver, semver) and its build tools, as wheels
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -d provider/node_modules/@pulumi/pulumi ] || [ provider/package-lock.json -nt provider/node_modules/.package-lock.json ]; then
  (cd provider && npm ci --no-audit --no-fund --loglevel=error)
fi

wheels=.state/wheelhouse
stamp="$wheels/.complete"
if [ ! -f "$stamp" ] || [ examples/python/requirements.txt -nt "$stamp" ] || [ "$0" -nt "$stamp" ]; then
  command -v python3 >/dev/null || { echo "example-deps: python3 is not on PATH (install Python 3.9+)" >&2; exit 1; }
  mkdir -p "$wheels"
  python3 -m pip download --disable-pip-version-check --quiet --dest "$wheels" \
    -r examples/python/requirements.txt setuptools wheel "parver>=0.2.1" "semver>=2.8.1"
  touch "$stamp"
fi
