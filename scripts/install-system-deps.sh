#!/usr/bin/env bash
# Installs the Debian packages FitLive needs when they are missing:
#  - build tools + libraries for building mediasoup's worker offline (only when no worker is cached)
#  - chromium for the browser tests (only with --test)
#  - Janus 1.1.2 and the network-namespace tools for the join bench's comparison (only with --janus):
#    Janus gathers no ICE candidate on loopback, so test/support/janus.ts runs it, and the Chromium
#    that talks to it, in a namespace of its own joined by a veth pair (iproute2; procps for sysctl)
# Safe to run repeatedly: it does nothing when everything is present.
set -euo pipefail

want_test=0
want_worker_build=0
want_janus=0
JANUS_VERSION=1.1.2
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --worker-build) want_worker_build=1 ;;
    --janus) want_janus=1 ;;
  esac
done

missing=()
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || missing+=("$1"); }

# Runtime libraries of a worker built against Debian's libraries.
for p in libuv1 libssl3 libsrtp2-1 libnss3 libnspr4 libabsl20220623; do need_pkg "$p"; done
# FFmpeg encodes broadcasts (a class or an RTMP feed) into the HLS ladder.
need_pkg ffmpeg
if [ "$want_worker_build" = 1 ]; then
  for p in build-essential pkg-config ninja-build libuv1-dev libssl-dev libsrtp2-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler; do need_pkg "$p"; done
fi
if [ "$want_test" = 1 ]; then
  # coturn: the relay-only (TURN) test runs a member through it on loopback.
  # php-cli: the README's PHP (WordPress) token example is run and its token verified.
  # postgresql: the migrations and row-level security run on a real server (its own throwaway cluster).
  # redis-server: the two-node (cluster) test shares a real Redis between backend processes.
  # fonts-noto-color-emoji: screenshots (docs/screenshots/) show the icons, not boxes.
  for p in chromium fonts-dejavu-core fonts-noto-color-emoji coturn php-cli postgresql redis-server; do need_pkg "$p"; done
fi

if [ "$want_janus" = 1 ]; then
  for p in janus iproute2 procps util-linux; do need_pkg "$p"; done
fi

need_meson=0
if [ "$want_worker_build" = 1 ]; then
  # mediasoup's meson.build needs meson >= 1.1; bookworm ships 1.0.1, backports has 1.7.
  if ! command -v meson >/dev/null 2>&1 || ! dpkg --compare-versions "$(meson --version 2>/dev/null || echo 0)" ge 1.1.0; then
    need_meson=1
  fi
fi

if [ ${#missing[@]} -eq 0 ] && [ "$need_meson" = 0 ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "FitLive needs these Debian packages: ${missing[*]}${need_meson:+ meson>=1.1 (bookworm-backports)}" >&2
  echo "Run as root, or install them yourself: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ "$need_meson" = 1 ] && [ ! -f /etc/apt/sources.list.d/bookworm-backports.sources ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  # Reuse the first stanza of the stock sources (same mirror, same keyring), pointed at backports.
  awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
    | sed 's/^Suites:.*/Suites: bookworm-backports/' > /etc/apt/sources.list.d/bookworm-backports.sources
fi
echo "fitlive: installing system packages: ${missing[*]} $([ "$need_meson" = 1 ] && echo meson)" >&2
apt-get update -qq
if [[ " ${missing[*]} " == *" janus "* ]]; then
  # Keep janus's postinst from starting the system janus.service (it would take 8088/8188 on all
  # interfaces with the /etc config): a policy-rc.d that denies starts, for this install only.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # The version the bench was calibrated on; no TLS or Lua, so no recommends.
  missing=("${missing[@]/#janus/janus=${JANUS_VERSION}-*}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$need_meson" = 1 ]; then
  apt-get install -y -qq --no-install-recommends -t bookworm-backports meson >/dev/null
fi
