#!/usr/bin/env bash
# Idempotent setup for the tests that need real parts: Debian's docker.io and
# nginx, a running Docker engine, and a local nginx image (no registry is
# reachable on our machines, so the image is built from Debian's packages).
#
#   bash scripts/provision.sh          # install + start + build image
#   bash scripts/provision.sh --stop   # stop the dockerd this script started
#
# A dockerd started here records its PID in .state/dockerd.pid; --stop ends
# only that process.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.state"
mkdir -p "$state"
# The image name the real-Docker tests swap in for the stock nginx image.
image="${KSKH_TEST_IMAGE:-kong-signing-key-host-test/nginx:local}"
# Bumped whenever the image's content changes, so machines that have an older build rebuild it.
image_version=2

log() { printf '[provision] %s\n' "$*"; }
source "$root/scripts/lib/apt.sh"

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$state/dockerd.pid" ]; then
    pid=$(cat "$state/dockerd.pid")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping dockerd $pid"
      kill "$pid"
      # Wait for it to exit (it removes /var/run/docker.pid last): a dockerd started right after would
      # otherwise find that file and refuse to start.
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then log "dockerd $pid did not exit within 30 s"; exit 1; fi
    fi
    rm -f "$state/dockerd.pid"
  fi
  exit 0
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v wrk >/dev/null 2>&1 || need+=(wrk)   # benchmarks only
# The public-port proxy is an nginx `stream` proxy: Debian ships that module separately.
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt_install "${need[@]}"
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: $state/dockerd.log)"
  nohup dockerd >"$state/dockerd.log" 2>&1 &
  echo $! > "$state/dockerd.pid"
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see $state/dockerd.log"; exit 1; }
fi

if [ "$(docker image inspect -f '{{index .Config.Labels "io.github.kong-signing-key-host.image-version"}}' "$image" 2>/dev/null)" != "$image_version" ]; then
  log "building $image from Debian's nginx and curl"
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  mkdir -p "$ctx/rootfs/usr/sbin" "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc/nginx/modules-enabled" "$ctx/rootfs/tmp" \
    "$ctx/rootfs/usr/lib/nginx/modules"
  cp "$(command -v nginx)" "$ctx/rootfs/usr/sbin/nginx"
  cp "$(command -v curl)" "$ctx/rootfs/usr/bin/curl"
  # The stream module, loaded the way Debian's packages load dynamic modules.
  cp /usr/lib/nginx/modules/ngx_stream_module.so "$ctx/rootfs/usr/lib/nginx/modules/"
  echo 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;' > "$ctx/rootfs/etc/nginx/modules-enabled/50-mod-stream.conf"
  # Every shared library the two binaries load, at the same paths.
  for lib in $( (ldd "$(command -v nginx)"; ldd "$(command -v curl)") | grep -o '/[^ ]*' | sort -u); do
    mkdir -p "$ctx/rootfs$(dirname "$lib")"
    cp -L "$lib" "$ctx/rootfs$lib"
  done
  # The stock nginx image's unprivileged user: uid/gid 101.
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnginx:x:101:101:nginx:/nonexistent:/sbin/nologin\n' > "$ctx/rootfs/etc/passwd"
  printf 'root:x:0:\nnginx:x:101:\n' > "$ctx/rootfs/etc/group"
  chmod 1777 "$ctx/rootfs/tmp"
  cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
LABEL io.github.kong-signing-key-host.image-version=IMAGE_VERSION
STOPSIGNAL SIGQUIT
CMD ["/usr/sbin/nginx", "-g", "daemon off;"]
DOCKERFILE
  sed -i "s/IMAGE_VERSION/$image_version/" "$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$image" "$ctx" >/dev/null 2>"$state/docker-build.log" \
    || { cat "$state/docker-build.log"; exit 1; }
fi
log "ready: docker $(docker version --format '{{.Server.Version}}'), nginx $(nginx -v 2>&1 | sed 's/.*\///'), image $image"
