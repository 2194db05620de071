#!/usr/bin/env bash
# Provides mediasoup's worker binary without internet and prints its path.
#
# Order: a worker already in node_modules (mediasoup's own postinstall ran) → the cache
# (~/.cache/fitlive/mediasoup-worker/<key>/) → mediasoup's prebuilt release binary, when the
# network allows → an offline build from the C++ source inside the npm package, linked against
# Debian's libraries through the stand-in subprojects in scripts/mediasoup-worker/.
# The cache key covers the mediasoup version, this script, the stand-ins and the versions of the
# compiler and -dev packages, so only a change of one of them rebuilds (~8 min on 2 cores).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ms_dir="$root/node_modules/mediasoup"
worker_dir="$ms_dir/worker"
release_bin="$worker_dir/out/Release/mediasoup-worker"
log() { echo "fitlive[worker]: $*" >&2; }

[ -f "$ms_dir/package.json" ] || { log "node_modules/mediasoup is missing: run npm install first"; exit 1; }
version=$(node -p "require('$ms_dir/package.json').version")

# A worker run without MEDIASOUP_VERSION exits with 41: proof it loads and runs on this host.
runs_here() {
  local status=0
  env -i "$1" >/dev/null 2>&1 || status=$?
  [ "$status" = 41 ]
}

install_bin() {
  install -D -m755 "$1" "$release_bin.tmp.$$" && mv -f "$release_bin.tmp.$$" "$release_bin"
}

stamp="$worker_dir/out/Release/.fitlive-key"
key_input() {
  echo "mediasoup $version"
  cat "$0"
  (cd "$here/mediasoup-worker" && find . -type f | LC_ALL=C sort | xargs sha256sum)
  dpkg-query -W -f='${Package} ${Version}\n' g++ libuv1-dev libssl-dev libsrtp2-dev libabsl-dev \
    libflatbuffers-dev flatbuffers-compiler meson ninja-build 2>/dev/null || true
  dpkg --print-architecture 2>/dev/null || uname -m
}
key="$version-$(key_input | sha256sum | cut -c1-16)"
cache_root="${FITLIVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fitlive}/mediasoup-worker"
cached="$cache_root/$key/mediasoup-worker"

# 1. Already in place (mediasoup's postinstall, or an earlier run of this script).
if [ -x "$release_bin" ] && runs_here "$release_bin"; then
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" = "$key" ] || [ "$(cat "$stamp")" = "prebuilt-$version" ]; then
    echo "$release_bin"; exit 0
  fi
fi

# 2. Cache hit.
if [ -x "$cached" ] && runs_here "$cached"; then
  install_bin "$cached"; echo "$key" > "$stamp"
  log "using cached worker $key"
  echo "$release_bin"; exit 0
fi

# 3. mediasoup's own prebuilt binary, where it can be downloaded.
if [ "${FITLIVE_SKIP_PREBUILT:-}" != 1 ] && node "$here/fetch-mediasoup-prebuilt.mjs" "$ms_dir" "$release_bin" \
   && runs_here "$release_bin"; then
  echo "prebuilt-$version" > "$stamp"
  log "using mediasoup's prebuilt worker $version"
  echo "$release_bin"; exit 0
fi

# 4. Offline build.
log "building mediasoup-worker $version from source (cache key $key); this takes several minutes"
bash "$here/install-system-deps.sh" --worker-build
key="$version-$(key_input | sha256sum | cut -c1-16)"   # packages may have just been installed
cached="$cache_root/$key/mediasoup-worker"
build_root=$(mktemp -d "${TMPDIR:-/tmp}/fitlive-worker.XXXXXX")
trap 'rm -rf "$build_root"' EXIT
cp -r "$worker_dir" "$build_root/worker"
cd "$build_root/worker"
cp -r "$here/mediasoup-worker/subprojects/." subprojects/
# Debian's OpenSSL has kTLS; mediasoup's BIO callback answered every BIO_ctrl with 1 during the
# return phase, so libssl believed kTLS was on and never allocated its write buffer (SIGSEGV in
# SSL_read on the first DTLS record). Return-phase calls carry BIO_CB_RETURN as a flag.
sed -i 's/(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1/(operationType \& BIO_CB_RETURN) ? static_cast<long>(ret) : 1/' src/RTC/DtlsTransport.cpp
grep -q '(operationType & BIO_CB_RETURN)' src/RTC/DtlsTransport.cpp || { log "DTLS BIO patch did not apply to mediasoup $version"; exit 1; }
start=$(date +%s)
meson setup --wrap-mode=nodownload --buildtype=release -Db_ndebug=true out/Release/build >"$build_root/meson.log" 2>&1 \
  || { tail -40 "$build_root/meson.log" >&2; exit 1; }
ninja -C out/Release/build -j"$(( $(nproc) + 1 ))" mediasoup-worker >"$build_root/ninja.log" 2>&1 \
  || { tail -60 "$build_root/ninja.log" >&2; exit 1; }
runs_here out/Release/build/mediasoup-worker || { log "built worker does not run"; exit 1; }
install -D -m755 out/Release/build/mediasoup-worker "$cached.tmp.$$" && mv -f "$cached.tmp.$$" "$cached"
install_bin "$cached"; echo "$key" > "$stamp"
log "built in $(( $(date +%s) - start )) s, cached at $cached"
echo "$release_bin"
