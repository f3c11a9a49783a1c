#!/usr/bin/env bash
# A one-node Kubernetes cluster on this machine, as host processes, for the tests of the Kubernetes
# target: the binaries built from Go modules (scripts/cluster-build.sh), a containerd of its own with
# CRI, a CNI bridge, certificates made here, a kubeconfig on the node's own address, cluster DNS (CoreDNS)
# and NetworkPolicy enforcement (kube-router's firewall). cluster/README.md says why each part is what it is.
#
#   bash scripts/cluster.sh up       # build if needed, start (idempotent), import the local images
#   bash scripts/cluster.sh --env    # the environment for it: source <(bash scripts/cluster.sh --env)
#   bash scripts/cluster.sh --stop   # stop what `up` started (by PID), remove its interfaces, rules, mounts
#   bash scripts/cluster.sh import <image>…   # a Docker image into the cluster's containerd
#
# A machine whose KUBECONFIG reaches a cluster uses that one and builds nothing (the tests then need its
# nodes to have the project's images, and a NetworkPolicy implementation).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.state/cluster"
action="${1:-up}"
say() { printf '[cluster] %s\n' "$*" >&2; }
source "$root/scripts/lib/apt.sh"

# Addresses: the pod bridge and its gateway (the node's address, where cluster DNS listens), services.
BRIDGE=kskh0
POD_CIDR=10.244.0.0/24
NODE_IP=10.244.0.1
SERVICE_CIDR=10.96.0.0/16
API_PORT=6443
ETCD_PORT=2379
NODE=kskh-node
IMAGES=("${KSKH_TEST_IMAGE:-kong-signing-key-host-test/nginx:local}")
PAUSE_IMAGE=kskh.local/pause:3.10

kubeconfig="$state/admin.kubeconfig"
containerd_sock="$state/containerd/containerd.sock"

emit_env() {
  printf 'export KUBECONFIG=%q\n' "$1"
  [ -z "${2:-}" ] || printf 'export PATH=%q:"$PATH"\n' "$2"
}

# A cluster of the user's own: use it.
if [ -z "${KSKH_CLUSTER_BUILD:-}" ] && [ -n "${KUBECONFIG:-}" ] && [ "$KUBECONFIG" != "$kubeconfig" ] \
   && command -v kubectl >/dev/null 2>&1 && kubectl version --request-timeout=5s >/dev/null 2>&1; then
  say "using the cluster in KUBECONFIG ($KUBECONFIG)"
  [ "$action" = "--env" ] && emit_env "$KUBECONFIG"
  exit 0
fi

pidfile() { echo "$state/pids/$1.pid"; }
running() { local f; f=$(pidfile "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

stop_all() {
  for name in kube-router coredns kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do
    local f; f=$(pidfile "$name")
    [ -f "$f" ] || continue
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping $name ($pid)"
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$f"
  done
  # The pods' processes: containerd-shims of our containerd (their runc state is under our root).
  if [ -d "$state/containerd/state" ]; then
    for shim in $(pgrep -f "containerd-shim.*-address $containerd_sock" || true); do kill -9 "$shim" 2>/dev/null || true; done
  fi
  # Mounts under our folders (pod volumes, sandboxes' shm, rootfs) and pod network namespaces.
  if [ -d "$state" ]; then
    grep -o " $state[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
  # Rules: kube-proxy's and kube-router's iptables chains and ipsets, our FORWARD rules, the bridge.
  local cached; cached=$(ls -d "${KSKH_CLUSTER_CACHE:-$HOME/.cache/kong-signing-key-host/cluster}"/*/bin/kube-proxy 2>/dev/null | head -1)
  [ -z "$cached" ] || "$cached" --cleanup >/dev/null 2>&1 || true
  for table in nat filter mangle; do
    iptables-save -t "$table" 2>/dev/null | grep -q 'KUBE-' || continue
    iptables-save -t "$table" | grep -v -- '-j KUBE-\|^:KUBE-\|-A KUBE-' | iptables-restore -T "$table" 2>/dev/null || true
  done
  for table in filter; do
    iptables-save -t "$table" 2>/dev/null | grep -q 'KUBE-ROUTER\|KUBE-NWPLCY\|KUBE-POD-FW\|KUBE-SRC\|KUBE-DST' || continue
    iptables-save -t "$table" | grep -v -- 'KUBE-ROUTER\|KUBE-NWPLCY\|KUBE-POD-FW\|KUBE-SRC\|KUBE-DST' | iptables-restore -T "$table" 2>/dev/null || true
  done
  for set in $(ipset list -n 2>/dev/null | grep '^KUBE-' || true); do ipset destroy "$set" 2>/dev/null || true; done
  iptables -t nat -D POSTROUTING -s "$POD_CIDR" ! -o "$BRIDGE" -j MASQUERADE 2>/dev/null || true
  for dir in -i -o; do iptables -D FORWARD "$dir" "$BRIDGE" -j ACCEPT 2>/dev/null || true; done
  ip link delete "$BRIDGE" 2>/dev/null || true
  ip link delete kube-ipvs0 2>/dev/null || true
}

if [ "$action" = "--stop" ]; then
  stop_all
  say "stopped"
  exit 0
fi

# Build (or find) the binaries.
cache=$(bash "$root/scripts/cluster-build.sh")
bin="$cache/bin"

# The Pulumi kubernetes plugin, into our engine's PULUMI_HOME (a Pulumi CLI of the user's own fetches its
# own plugins), under the version the @pulumi/kubernetes SDK asks for.
install_plugin() {
  local env; env=$(KSKH_ENGINE_NO_BUILD=1 bash "$root/scripts/engine.sh" --env 2>/dev/null) || return 0
  grep -q 'PULUMI_HOME=' <<<"$env" || return 0
  (
    eval "$env"
    local v; v=$(cat "$cache/plugin-builds/version")
    local installed="$PULUMI_HOME/plugins/resource-kubernetes-v$v/pulumi-resource-kubernetes"
    if ! cmp -s "$installed" "$cache/plugin-builds/pulumi-resource-kubernetes"; then
      say "installing plugin resource kubernetes $v into $PULUMI_HOME"
      pulumi plugin install resource kubernetes "$v" --file "$cache/plugin-builds/pulumi-resource-kubernetes" >/dev/null
    fi
  )
}

if [ "$action" = "--env" ]; then
  [ -f "$kubeconfig" ] || { say "no cluster started here yet: run bash scripts/cluster.sh up"; exit 1; }
  emit_env "$kubeconfig" "$bin"
  exit 0
fi
if [ "$action" = "import" ]; then # images built by the tests (e.g. their client image), by Docker reference
  shift
  for image in "$@"; do
    docker save "$image" | ctr --address "$containerd_sock" -n k8s.io images import - >/dev/null
  done
  exit 0
fi
[ "$action" = "up" ] || { say "usage: cluster.sh up | --env | --stop | import <image>…"; exit 2; }

started_at=$(date +%s)
kubectl() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

# --- Debian packages: CNI plugins, and the tools kube-proxy and the policy controller call.
need=()
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
command -v conntrack >/dev/null || need+=(conntrack)
command -v ipset >/dev/null || need+=(ipset)
command -v iptables >/dev/null || need+=(iptables)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt_install "${need[@]}"
fi

mkdir -p "$state"/{pids,logs,pki,etcd,containerd,cni/net.d,kubelet,manifests}

# --- Certificates: one CA; serving certificates for the API server and the kubelet; a client certificate per
#     component (its user and groups are the CN and O the authorizers read).
pki="$state/pki"
if [ ! -f "$pki/ca.crt" ]; then
  say "making certificates in $pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -days 3650 -subj "/CN=kskh-cluster-ca" 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null
  openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  issue() { # name subject sans(ext) usage
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=%s\n%s\n' "$4" "$3" > "$pki/$1.ext"
    openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
      -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
  }
  issue apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,IP:$NODE_IP,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" serverAuth
  issue kubelet "/CN=system:node:$NODE/O=system:nodes" "subjectAltName=IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE" serverAuth,clientAuth
  issue apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client/O=system:masters" "" clientAuth
  issue admin "/CN=kskh-admin/O=system:masters" "" clientAuth
  issue controller-manager "/CN=system:kube-controller-manager" "" clientAuth
  issue scheduler "/CN=system:kube-scheduler" "" clientAuth
  issue kube-proxy "/CN=system:kube-proxy" "" clientAuth
  issue coredns "/CN=system:coredns" "" clientAuth
  issue network-policy "/CN=system:kube-router" "" clientAuth
fi
write_kubeconfig() { # name -> $state/<name>.kubeconfig
  cat > "$state/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: kskh, cluster: {server: "https://$NODE_IP:$API_PORT", certificate-authority: "$pki/ca.crt"}}]
users: [{name: $1, user: {client-certificate: "$pki/$1.crt", client-key: "$pki/$1.key"}}]
contexts: [{name: kskh, context: {cluster: kskh, user: $1}}]
current-context: kskh
EOF
}
for c in admin controller-manager scheduler kube-proxy coredns network-policy kubelet; do write_kubeconfig "$c"; done

start() { # name, then the command; logs to $state/logs/<name>.log
  local name=$1; shift
  if running "$name"; then return 0; fi
  say "starting $name (log: $state/logs/$name.log)"
  nohup "$@" >"$state/logs/$name.log" 2>&1 &
  echo $! > "$(pidfile "$name")"
}
wait_for() { # what, seconds, command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  say "$what did not come up in ${secs} s (logs: $state/logs)"; exit 1
}

# --- The pod bridge, made before the kubelet so cluster DNS can listen on its gateway address.
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
fi
# Pods reach nothing outside this machine; no masquerade needed. Bridged traffic must pass netfilter for
# Services and policies.
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
# Docker sets the FORWARD policy to DROP: pod traffic routed through the node (to a Service's pod) must
# pass. Appended, so kube-router's policy chain, first in FORWARD, still decides before these.
for dir in -i -o; do
  iptables -C FORWARD "$dir" "$BRIDGE" -j ACCEPT 2>/dev/null || iptables -A FORWARD "$dir" "$BRIDGE" -j ACCEPT
done
cat > "$state/cni/net.d/10-kskh.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "kskh", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "isDefaultGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$NODE_IP"}]], "dataDir": "$state/cni/ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOF

# --- etcd and the control plane.
start etcd "$bin/etcd" --name kskh --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster kskh=http://127.0.0.1:2380 --log-level warn
wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"
start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_PORT" --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
  --service-cluster-ip-range "$SERVICE_CIDR" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$pki/apiserver-kubelet-client.key" --kubelet-certificate-authority "$pki/ca.crt" \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local --authorization-mode Node,RBAC \
  --enable-admission-plugins NodeRestriction --allow-privileged=true --profiling=false \
  --kubelet-preferred-address-types InternalIP --v=1
wait_for kube-apiserver 60 kubectl get --raw /readyz
start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$state/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/controller-manager.kubeconfig" --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" --use-service-account-credentials \
  --service-cluster-ip-range "$SERVICE_CIDR" --allocate-node-cidrs=false --leader-elect=false --v=1
start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$state/scheduler.kubeconfig" \
  --authentication-kubeconfig "$state/scheduler.kubeconfig" --authorization-kubeconfig "$state/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --v=1

# --- A containerd of our own with CRI. Root here lacks CAP_SYS_RESOURCE, so runc cannot raise a sandbox's
#     oom_score_adj: restrict_oom_score_adj keeps it within what we may set. Images are never pulled.
cat > "$state/containerd/config.toml" <<EOF
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
[grpc]
  address = "$containerd_sock"
[ttrpc]
  address = "$containerd_sock.ttrpc"
[debug]
  level = "warn"
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$state/cni/net.d"
EOF
start containerd containerd --config "$state/containerd/config.toml"
wait_for containerd 30 ctr --address "$containerd_sock" version

# --- Images: the pause image (the sandbox) and the project's local images, built FROM scratch and imported.
import_image() { # docker image reference
  if ! ctr --address "$containerd_sock" -n k8s.io images check "name==docker.io/$1" 2>/dev/null | grep -q "$1" \
     && ! ctr --address "$containerd_sock" -n k8s.io images ls -q | grep -qx "$1\|docker.io/$1"; then
    say "importing image $1 into the cluster's containerd"
    docker save "$1" | ctr --address "$containerd_sock" -n k8s.io images import --no-unpack=false - >/dev/null
  fi
}
if ! docker image inspect "$PAUSE_IMAGE" >/dev/null 2>&1; then
  ctx=$(mktemp -d)
  cp "$bin/pause" "$ctx/pause"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' > "$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$PAUSE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi
import_image "$PAUSE_IMAGE"
for image in "${IMAGES[@]}" ${KSKH_CLUSTER_IMAGES:-}; do
  docker image inspect "$image" >/dev/null 2>&1 || { say "image $image is not in Docker: run bash scripts/provision.sh"; exit 1; }
  import_image "$image"
done

# --- The node: kubelet (cgroup v1 with cgroupfs, as our machines run) and kube-proxy (iptables mode).
cat > "$state/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failCgroupV1: false
containerRuntimeEndpoint: unix://$containerd_sock
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: "$pki/ca.crt"}}
authorization: {mode: Webhook}
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
resolvConf: $state/kubelet/resolv.conf
staticPodPath: $state/manifests
failSwapOn: false
cgroupsPerQOS: true
enforceNodeAllocatable: []
protectKernelDefaults: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
maxPods: 50
EOF
: > "$state/kubelet/resolv.conf"
start kubelet "$bin/kubelet" --config "$state/kubelet/config.yaml" --kubeconfig "$state/kubelet.kubeconfig" \
  --hostname-override "$NODE" --node-ip "$NODE_IP" --root-dir "$state/kubelet/root" --cert-dir "$state/kubelet/pki" --v=1
start kube-proxy "$bin/kube-proxy" --kubeconfig "$state/kube-proxy.kubeconfig" --proxy-mode iptables \
  --cluster-cidr "$POD_CIDR" --hostname-override "$NODE" --bind-address 127.0.0.1 --metrics-bind-address 127.0.0.1:10249 \
  --healthz-bind-address 127.0.0.1:10256 --conntrack-max-per-core 0 --v=1

# kube-router identifies the node it runs on by its Node object.
wait_for "node $NODE Ready" 120 bash -c "'$bin/kubectl' --kubeconfig '$kubeconfig' get node '$NODE' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"

# --- RBAC for the host-process add-ons (CoreDNS, the policy controller): read what they need.
kubectl apply -f - >/dev/null <<'EOF'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kskh-coredns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kskh-coredns}
subjects: [{kind: User, name: "system:coredns", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kskh-coredns}
rules:
- {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kskh-network-policies}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kskh-network-policies}
subjects: [{kind: User, name: "system:kube-router", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kskh-network-policies}
rules:
- {apiGroups: [""], resources: [pods, namespaces, nodes, services, endpoints], verbs: [list, watch, get]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch, get]}
- {apiGroups: [networking.k8s.io, extensions], resources: [networkpolicies], verbs: [list, watch, get]}
EOF

# --- Cluster DNS: CoreDNS with the kubernetes plugin, on the node's bridge address (pods' nameserver).
cat > "$state/Corefile" <<EOF
.:53 {
    bind $NODE_IP
    errors
    health 127.0.0.1:18080
    ready 127.0.0.1:18181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $state/coredns.kubeconfig kskh
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loadbalance
}
EOF
start coredns "$bin/coredns" -conf "$state/Corefile"
# --- NetworkPolicy: kube-router with only its firewall on (iptables + ipset on the bridge's traffic).
#     kube-network-policies needs the kernel's nftables queue, which our machines' kernel lacks.
start kube-router "$bin/kube-router" --kubeconfig "$state/network-policy.kubeconfig" --hostname-override "$NODE" \
  --run-firewall=true --run-router=false --run-service-proxy=false --run-loadbalancer=false --enable-cni=false \
  --service-cluster-ip-range "$SERVICE_CIDR" --health-port 20244 --metrics-port 0 --v=1

wait_for "cluster DNS" 30 curl -sf http://127.0.0.1:18181/ready
wait_for "NetworkPolicy enforcement (kube-router's firewall)" 60 curl -sf http://127.0.0.1:20244/healthz
install_plugin
say "up in $(( $(date +%s) - started_at )) s: kubeconfig $kubeconfig (source <(bash scripts/cluster.sh --env))"
