#!/usr/bin/env bash
# Installs what the Janus comparison bench (test/bench/janus-join.ts) needs, from Debian only:
#  - janus 1.1.2 (bookworm's package): the VideoRoom plugin and the WebSocket transport come with it.
#  - iproute2: `ip netns` / `ip link add ... type veth`. Janus gathers no ICE candidate on a
#    loopback interface, so the bench runs it, and the Chromium that talks to it, in a network
#    namespace of its own, joined to this one by a veth pair whose two ends have 127.77.N.x
#    addresses (test/support/janus.ts): nothing there can reach any other address.
#  - procps: `sysctl`, to let 127.x addresses be routed over the veth (route_localnet).
#  - util-linux: `nsenter`/`unshare` (normally present already).
# Safe to run repeatedly: it does nothing when everything is present. It never starts Janus as a
# service: the bench starts its own Janus with a config generated in a temp dir (janus -F DIR).
set -euo pipefail

JANUS_VERSION=1.1.2

missing=()
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || missing+=("$1"); }
for p in janus iproute2 procps util-linux; do need_pkg "$p"; done

if [ ${#missing[@]} -eq 0 ]; then
  have="$(dpkg-query -W -f='${Version}' janus)"
  case "$have" in
    "$JANUS_VERSION"-*) ;;
    *) echo "install-janus: janus $have is installed, the bench was calibrated on $JANUS_VERSION" >&2 ;;
  esac
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "The Janus bench needs these Debian packages: ${missing[*]}" >&2
  echo "Run as root, or install them yourself: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-janus: installing ${missing[*]}" >&2
apt-get update -qq

# Keep the package's postinst from starting the system janus.service (it would take 8088/8188 on
# all interfaces with the /etc config): a policy-rc.d that denies starts, for this install only.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  own_policy=1
fi
cleanup() { if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

pkgs=()
for p in "${missing[@]}"; do
  if [ "$p" = janus ]; then pkgs+=("janus=${JANUS_VERSION}-*"); else pkgs+=("$p"); fi
done
# --no-install-recommends: lua-ansicolors / lua-json / ssl-cert are not needed (no TLS, no Lua).
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null

# If a systemd in this machine started it anyway, stop it: the bench wants no second Janus.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet janus 2>/dev/null; then
  systemctl stop janus || true
  systemctl disable janus >/dev/null 2>&1 || true
fi
