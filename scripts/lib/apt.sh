# Sourced by scripts/provision.sh and scripts/cluster.sh: installs Debian packages without letting them
# start services of their own (a policy-rc.d that refuses, for the install only).
apt_install() {
  [ $# -gt 0 ] || return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  local made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
}
