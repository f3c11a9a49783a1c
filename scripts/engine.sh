#!/usr/bin/env bash
# The Pulumi engine for our machines: the CLI, Node.js, Python, Go and YAML language hosts and the docker
# and tls resource plugins, built from Go modules (nothing here can be downloaded as a
# binary) into a cache outside the repository, keyed by what goes into the build, and
# reused from then on. A machine that already has a Pulumi CLI on PATH uses it and
# builds nothing.
#
#   bash scripts/engine.sh          # build if needed; prints where everything is
#   source <(bash scripts/engine.sh --env)   # the same, then export PATH/PULUMI_* for it
#
# Cache: $KSKH_ENGINE_CACHE (default ~/.cache/kong-signing-key-host/engine/<key>).
# What is built (engine/README.md says why each part is built the way it is):
#   pulumi                  github.com/pulumi/pulumi/pkg/v3 v3.248.0, cmd/pulumi
#   pulumi-language-nodejs  engine/language-nodejs (ours)
#   pulumi-language-python  engine/language-python (ours; Pulumi's Python code generator for SDKs)
#   pulumi-language-go      engine/language-go (ours; Pulumi's Go code generator for SDKs)
#   pulumi-language-yaml    engine/language-yaml: github.com/pulumi/pulumi-yaml v1.30.1, cmd/pulumi-language-yaml
#   pulumi-resource-tls     engine/provider-tls: terraform-provider-tls via the bridge, as plugin tls 5.6.1
#   pulumi-resource-docker  engine/provider-docker: kreuzwerker's provider via the bridge, as plugin docker 5.2.0
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mode="${1:-}"
cli_version="3.248.0"

say() { printf '[engine] %s\n' "$*" >&2; }
source "$root/scripts/lib/build.sh"

emit_env() {
  # $1: bin dir to put first on PATH (empty: leave PATH), $2: PULUMI_HOME (empty: leave)
  [ "$mode" = "--env" ] || return 0
  [ -z "$1" ] || printf 'export PATH=%q:"$PATH"\n' "$1"
  [ -z "$2" ] || printf 'export PULUMI_HOME=%q\n' "$2"
  printf 'export PULUMI_SKIP_UPDATE_CHECK=true\n'
  printf 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=%s\n' "${3:-false}"
}

# 1. A Pulumi CLI of the user's own: use it (it fetches plugins itself).
if [ -z "${KSKH_ENGINE_BUILD:-}" ] && existing=$(command -v pulumi 2>/dev/null) \
   && [[ "$existing" != "${KSKH_ENGINE_CACHE:-$HOME/.cache/kong-signing-key-host/engine}"* ]]; then
  say "using the Pulumi CLI on PATH: $existing ($(pulumi version 2>/dev/null || echo '?'))"
  emit_env "" "" false
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "no Pulumi CLI on PATH and no Go toolchain to build one (install Go 1.25+ or the Pulumi CLI)"; exit 1; }

# 2. Our build, keyed by the wrapper sources and the Go version.
key=$( (cd "$root/engine" && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 sha256sum; sha256sum "$root/scripts/engine.sh" "$root/scripts/lib/build.sh" | cut -c1-64; go version) \
  | sha256sum | cut -c1-12)
cache_root="${KSKH_ENGINE_CACHE:-$HOME/.cache/kong-signing-key-host/engine}"
dest="$cache_root/$key"
bin="$dest/bin"              # on PATH: the CLI and the language host only
plugins="$dest/plugin-builds" # installed into PULUMI_HOME, kept off PATH (else the CLI warns)
home="$cache_root/pulumi-home"  # shared by builds: stack selection and logins survive a rebuild
log="$dest/build.log"

if [ ! -f "$dest/.complete" ] && [ -n "${KSKH_ENGINE_NO_BUILD:-}" ]; then
  say "not built yet ($dest): run bash scripts/engine.sh"
  exit 1
fi

build_lock

if [ ! -f "$dest/.complete" ]; then
  build_begin "$root/engine" "$bin" "$plugins"
  build_step "Pulumi CLI $cli_version (go module github.com/pulumi/pulumi/pkg/v3)" \
    bash -c "cd '$dest/src/cli' && go build -trimpath -ldflags '-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$cli_version' -o '$bin/pulumi' github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
  for lang in nodejs python go; do # ours
    build_step "$lang language host (engine/language-$lang)" \
      bash -c "cd '$dest/src/language-$lang' && go build -trimpath -o '$bin/pulumi-language-$lang' ."
  done
  build_step "YAML language host (github.com/pulumi/pulumi-yaml, engine/language-yaml)" \
    bash -c "cd '$dest/src/language-yaml' && go build -trimpath -o '$bin/pulumi-language-yaml' github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
  for p in tls docker; do
    src="$dest/src/provider-$p"
    tags=""; [ "$p" = docker ] && tags="-tags no_compose"
    build_step "schema generator for the $p provider (engine/provider-$p)" \
      bash -c "cd '$src' && go build -trimpath $tags -o '$dest/tfgen-$p' ./cmd/pulumi-tfgen-$p"
    build_step "schema of the $p provider" \
      bash -c "cd '$src/cmd/pulumi-resource-$p' && '$dest/tfgen-$p' schema --out . && test -s schema.json"
    build_step "resource plugin $p" \
      bash -c "cd '$src' && go build -trimpath $tags -o '$plugins/pulumi-resource-$p' ./cmd/pulumi-resource-$p"
    rm -f "$dest/tfgen-$p" # only needed for the schema (about 160 MB each)
  done
  build_end "$bin" "$plugins"
else
  say "using the cached build in $dest (built in $(cat "$dest/build-seconds" 2>/dev/null || echo '?') s)"
fi

# The shared PULUMI_HOME must hold this build's plugins (another build may have put its own there).
plugin_version() { sed -n 's/^const Version = "\(.*\)"/\1/p' "$dest/src/provider-$1/info/info.go"; }
for p in tls docker; do
  v=$(plugin_version "$p")
  installed="$home/plugins/resource-$p-v$v/pulumi-resource-$p"
  if ! cmp -s "$installed" "$plugins/pulumi-resource-$p"; then
    say "installing plugin resource $p $v into $home"
    PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true "$bin/pulumi" plugin install resource "$p" "$v" \
      --file "$plugins/pulumi-resource-$p" >>"$log" 2>&1 || { say "plugin install failed (see $log)"; exit 1; }
  fi
done

prune_old_builds "$cache_root"

emit_env "$bin" "$home" true
