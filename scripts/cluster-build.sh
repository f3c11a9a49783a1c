#!/usr/bin/env bash
# The binaries of a one-node Kubernetes cluster for our machines, built from Go modules (nothing here can
# be downloaded as a binary or an image) into a cache outside the repository, keyed by what goes into the
# build, and reused from then on. `scripts/cluster.sh` calls it; cluster/README.md says why each part is
# built the way it is.
#
#   bash scripts/cluster-build.sh          # build if needed; prints the cache folder last
#
# Cache: $KSKH_CLUSTER_CACHE (default ~/.cache/kong-signing-key-host/cluster/<key>).
# What is built (Kubernetes 1.34: from 1.35 the kubelet refuses cgroup v1, which our machines run):
#   etcd                      go.etcd.io/etcd/server/v3 v3.6.16 (cluster/etcd)
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl
#                             k8s.io/kubernetes v1.34.4 (cluster/kubernetes), version stamped
#   coredns                   github.com/coredns/coredns v1.14.7 with the plugins the cluster uses (cluster/coredns)
#   kube-router               github.com/cloudnativelabs/kube-router/v2 v2.1.0 (cluster/network-policy): NetworkPolicy
#                             with iptables and ipset (the kernel here has no nftables queue for kube-network-policies)
#   pulumi-resource-kubernetes  github.com/pulumi/pulumi-kubernetes/provider/v4 (cluster/provider-kubernetes),
#                             as plugin kubernetes <the version @pulumi/kubernetes asks for>
#   pause                     the pod sandbox's pause.c from the kubernetes module, static
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[cluster] %s\n' "$*" >&2; }
source "$root/scripts/lib/build.sh"

k8s_version="v1.34.4"
# The plugin version the @pulumi/kubernetes SDK in package.json asks for (its package.json `pulumi` block).
plugin_version=$(node -p 'require(process.argv[1]).pulumi.version' "$root/node_modules/@pulumi/kubernetes/package.json" 2>/dev/null) \
  || { say "node_modules/@pulumi/kubernetes is missing: run npm install first"; exit 1; }

command -v go >/dev/null 2>&1 || { say "no Go toolchain to build the cluster (install Go 1.25+), and no cluster in KUBECONFIG"; exit 1; }
command -v gcc >/dev/null 2>&1 || { say "gcc is needed for the pause binary (apt-get install gcc libc6-dev)"; exit 1; }

key=$( (cd "$root/cluster" && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 sha256sum; sha256sum "$root/scripts/cluster-build.sh" "$root/scripts/lib/build.sh" | cut -c1-64; go version; echo "$plugin_version") \
  | sha256sum | cut -c1-12)
cache_root="${KSKH_CLUSTER_CACHE:-$HOME/.cache/kong-signing-key-host/cluster}"
dest="$cache_root/$key"
bin="$dest/bin"                # on PATH (cluster.sh --env): kubectl and the cluster's own binaries
plugins="$dest/plugin-builds"  # the Pulumi plugin, kept off PATH (else the CLI warns); cluster.sh installs it
log="$dest/build.log"

build_lock

if [ ! -f "$dest/.complete" ]; then
  build_begin "$root/cluster" "$bin" "$plugins"
  # Unstamped, Kubernetes reports v0.0.0-master+$Format:%H$, and clients (kubectl's skew check, the Pulumi
  # kubernetes provider) read that version.
  minor=${k8s_version#v1.}; minor=${minor%%.*}
  stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    stamp+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  build_step "etcd (go.etcd.io/etcd/server/v3, cluster/etcd)" \
    bash -c "cd '$dest/src/etcd' && go build -trimpath -o '$bin/etcd' go.etcd.io/etcd/server/v3"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    build_step "$cmd $k8s_version (k8s.io/kubernetes, cluster/kubernetes)" \
      bash -c "cd '$dest/src/kubernetes' && go build -trimpath -ldflags '$stamp' -o '$bin/$cmd' k8s.io/kubernetes/cmd/$cmd"
  done
  build_step "coredns (github.com/coredns/coredns, cluster/coredns)" \
    bash -c "cd '$dest/src/coredns' && go build -trimpath -o '$bin/coredns' ."
  build_step "kube-router (github.com/cloudnativelabs/kube-router/v2, cluster/network-policy)" \
    bash -c "cd '$dest/src/network-policy' && go build -trimpath -o '$bin/kube-router' github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
  # A module's folder in the module cache: downloaded first (on a cold cache `go list -m` has no Dir for a
  # module no build has needed yet).
  module_dir() { (cd "$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2"); }
  export -f module_dir
  prov="$dest/src/provider-kubernetes"
  build_step "schema of the kubernetes provider, as plugin version $plugin_version" \
    bash -c "set -e; cd '$prov'; dir=\$(module_dir . github.com/pulumi/pulumi-kubernetes/provider/v4); go run ./gen \"\$dir\" '$plugin_version' ."
  build_step "resource plugin kubernetes $plugin_version (cluster/provider-kubernetes)" \
    bash -c "cd '$prov' && go build -trimpath -ldflags '-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$plugin_version' -o '$plugins/pulumi-resource-kubernetes' ."
  build_step "pause (build/pause/linux/pause.c of k8s.io/kubernetes $k8s_version, static)" \
    bash -c "set -e; cd '$dest/src/kubernetes'; dir=\$(module_dir . k8s.io/kubernetes); gcc -Os -Wall -Werror -static -DVERSION=$k8s_version -o '$bin/pause' \"\$dir/build/pause/linux/pause.c\""
  echo "$plugin_version" > "$plugins/version"
  build_end "$bin" "$plugins"
else
  say "using the cached build in $dest (built in $(cat "$dest/build-seconds" 2>/dev/null || echo '?') s)"
fi

prune_old_builds "$cache_root"
echo "$dest"
