#!/usr/bin/env bash
# The main job: `pulumi up` of the example stack on a local file backend and the local Docker engine.
#   npm run up            (extra arguments go to `pulumi up`, e.g. npm run up -- --yes)
# Needs the Pulumi CLI (https://www.pulumi.com/docs/install/) and a Docker engine; state is kept in
# .state/pulumi, encrypted with PULUMI_CONFIG_PASSPHRASE (empty by default: a local demo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v pulumi >/dev/null 2>&1 || { echo "up: the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "up: no Docker engine answers; start one (or run: bash scripts/provision.sh)" >&2; exit 1; }
[ -d node_modules/@pulumi/pulumi ] || npm install --no-audit --no-fund
mkdir -p .state/pulumi
export PULUMI_BACKEND_URL="file://$root/.state/pulumi"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-}"
pulumi stack select --create dev
pulumi up "$@"
