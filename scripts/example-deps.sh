#!/usr/bin/env bash
# What the component package and the Python example install while the tests run, fetched here first so
# that the tests themselves reach no registry (they run npm and pip offline):
#   provider/node_modules      npm ci from provider/package-lock.json (also fills npm's cache, which the
#                              git-sourced copy of provider/ installs from)
#   .state/wheelhouse          the Python example's requirements, what the generated SDK requires
#                              (parver, semver) and its build tools, as wheels
#   Go's module cache          every module `pulumi install` of examples/go needs (go mod tidy walks tests
#                              of dependencies too), fetched through the configured module proxy and
#                              checked against the example's committed go.sum, by running that install
#                              once in a scratch copy (needs the engine: scripts/engine.sh runs first)
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

gostamp=.state/go-example-modules.complete
if [ ! -f "$gostamp" ] || [ examples/go/go.sum -nt "$gostamp" ] || [ examples/go/go.mod -nt "$gostamp" ] || [ "$0" -nt "$gostamp" ]; then
  command -v go >/dev/null || { echo "example-deps: go is not on PATH (install Go 1.25+)" >&2; exit 1; }
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/examples"
  cp -R examples/go "$scratch/examples/go"
  rm -rf "$scratch/examples/go/sdks"
  ln -s "$root/provider" "$scratch/provider"
  # The engine's environment: the Pulumi CLI on PATH (the user's own, or ours).
  source <(KSKH_ENGINE_NO_BUILD=1 bash scripts/engine.sh --env)
  (cd "$scratch/examples/go" && pulumi install >"$root/.state/go-example-modules.log" 2>&1) \
    || { echo "example-deps: pulumi install of examples/go failed (log: .state/go-example-modules.log)" >&2; tail -20 .state/go-example-modules.log >&2; exit 1; }
  touch "$gostamp"
fi

