#!/usr/bin/env bash
# The main job: `pulumi up` of the example stack on a local file backend and the local Docker engine.
#   npm run up            (extra arguments go to `pulumi up`, e.g. npm run up -- --yes)
#   npm run down          (pulumi destroy of the same stack)
#   npm run sweep         (kong-signing-key-host-sweep for the same stack: orphans of an interrupted up;
#                          npm run sweep -- --remove removes them)
# Uses the Pulumi CLI on PATH when there is one; otherwise builds the CLI, a Node.js language host and the
# docker and tls providers from Go modules into ~/.cache/kong-signing-key-host (scripts/engine.sh; a cold
# build takes several minutes and prints where its log is). State is kept in .state/pulumi, encrypted with
# PULUMI_CONFIG_PASSPHRASE (empty by default: a local demo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
action="${KSKH_ACTION:-up}"

bash scripts/provision.sh
[ -d node_modules/@pulumi/pulumi ] || npm install --no-audit --no-fund --loglevel=error
source <(bash scripts/engine.sh --env)

mkdir -p .state/pulumi
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$root/.state/pulumi}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-}"
stack="${KSKH_STACK:-dev}"
pulumi stack select --create "$stack" >/dev/null

if [ "$action" = "down" ]; then
  exec pulumi destroy --stack "$stack" "$@"
fi
if [ "$action" = "sweep" ]; then
  exec node scripts/sweep.js --stack "$stack" "$@"
fi

# The docker provider does not pull for a container: the image must be on the engine. When the configured
# one is not (our machines reach no registry, and this script never pulls), run the locally built nginx
# image instead, and say so.
configured=$(pulumi config get image --stack "$stack" 2>/dev/null || sed -n '/^  image:/,/default:/s/^ *default: *//p' Pulumi.yaml)
local_image="${KSKH_TEST_IMAGE:-kong-signing-key-host-test/nginx:local}"
if [ "$configured" != "$local_image" ] && ! docker image inspect "$configured" >/dev/null 2>&1; then
  echo "[up] image $configured is not on this Docker engine: using $local_image (built from Debian's nginx by scripts/provision.sh); to run $configured, \`docker pull $configured\` and \`pulumi config set image $configured\`" >&2
  pulumi config set image "$local_image" --stack "$stack"
fi
exec pulumi up --stack "$stack" "$@"
