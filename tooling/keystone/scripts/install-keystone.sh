#!/usr/bin/env bash
# Installs Debian's Keystone (OpenStack Zed in bookworm) and the uWSGI Python 3 plugin for the
# integration tests, without letting any service start: the tests run their own Keystone on a free
# loopback port, and a packaged one on port 5000 would only get in the way.
#
# Safe to run concurrently (test projects start in parallel): the first caller installs under a
# lock, the others wait for it and then find everything present. Needs root and apt-get.
set -euo pipefail

packages=(keystone uwsgi-core uwsgi-plugin-python3)
lock=/var/lock/slipstream-keystone-install.lock

installed() {
  [ -x /usr/bin/keystone-manage ] && [ -x /usr/bin/keystone-wsgi-public ] &&
    [ -x /usr/bin/uwsgi ] && [ -e /usr/lib/uwsgi/plugins/python3_plugin.so ]
}

installed && exit 0

exec 9>"$lock"
flock -w 1200 9
installed && exit 0

export DEBIAN_FRONTEND=noninteractive

# policy-rc.d answering 101 ("action forbidden") stops invoke-rc.d from starting the keystone
# service the package ships; the file that was there before (Docker images have one) comes back.
policy=/usr/sbin/policy-rc.d
backup=
if [ -e "$policy" ]; then
  backup=$(mktemp)
  cp -p "$policy" "$backup"
fi
restore_policy() {
  if [ -n "$backup" ]; then mv -f "$backup" "$policy"; else rm -f "$policy"; fi
}
trap restore_policy EXIT
printf '#!/bin/sh\n# Written by install-keystone.sh while it installs packages: start no service.\nexit 101\n' >"$policy"
chmod 755 "$policy"

# A dpkg run killed half-way (a test interrupted during an install) leaves dpkg "interrupted", which
# refuses every later install until it is finished: finish it first.
dpkg --configure -a

apt_install() {
  apt-get install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}"
}
# A machine whose package lists are missing or stale fails the first attempt; refresh and retry.
if ! apt_install; then
  apt-get update
  apt_install
fi

# Belt and braces: whatever got started anyway is stopped, and systemd does not start it at boot.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  systemctl disable --now keystone.service || true
fi
if [ -x /etc/init.d/keystone ] && /etc/init.d/keystone status >/dev/null 2>&1; then
  /etc/init.d/keystone stop || true
fi

installed
