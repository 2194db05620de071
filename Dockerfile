# syntax=docker/dockerfile:1
#
# FitLive backend image: Express + Socket.IO + mediasoup + FFmpeg, started as
# `node --import tsx backend/main.ts` (what `npm start` runs after scripts/setup.mjs; here
# everything setup.mjs provides is built into the image).
#
#   docker build -t fitlive .
#   docker run --rm -p 8080:8080 \
#     -p 40000-40001:40000-40001/udp -p 40000-40001:40000-40001/tcp \
#     -e MEDIASOUP_WORKERS=2 -e RTC_WEBRTC_SERVER_PORT=40000 -e RTC_ANNOUNCED_ADDRESS=<public IP> \
#     -v fitlive-data:/data fitlive
#
# Ports:
#   8080/tcp   HTTP API, widget bundle, HLS and Socket.IO (PORT).
#   media      one UDP and one TCP port per mediasoup worker: worker i listens on
#              RTC_WEBRTC_SERVER_PORT + i, so with MEDIASOUP_WORKERS=N publish
#              RTC_WEBRTC_SERVER_PORT … RTC_WEBRTC_SERVER_PORT+N-1 for both udp and tcp, and
#              set RTC_ANNOUNCED_ADDRESS to the address browsers reach them at. Without
#              RTC_WEBRTC_SERVER_PORT each worker takes any free port of
#              RTC_MIN_PORT–RTC_MAX_PORT (40000–49999), which is awkward to publish.
#   RTMP       one TCP port per RTMP stream from RTMP_MIN_PORT–RTMP_MAX_PORT (19350–19449),
#              only if clubs push broadcasts from OBS or another encoder.
# See docs/scaling.md for several nodes and compose.yaml for a local two-node setup.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- base: what both the build and the runtime need ---------------------------------------
FROM ${NODE_IMAGE} AS base
# ffmpeg encodes broadcasts into the HLS ladder; the libraries are what a mediasoup worker
# built against Debian's packages (scripts/build-mediasoup-worker.sh, offline path) links to.
# They also keep scripts/install-system-deps.sh a no-op inside the build stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ffmpeg libuv1 libssl3 libsrtp2-1 libnss3 libnspr4 libabsl20220623 ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# ---- build: dependencies, mediasoup worker, widget bundle ---------------------------------
FROM base AS build
# Worker build dependencies (scripts/install-system-deps.sh --worker-build). mediasoup's
# meson.build needs meson >= 1.1; bookworm has 1.0, bookworm-backports has a newer one. As in
# that script, the backports source reuses the first stanza of the stock debian.sources.
RUN awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
      | sed 's/^Suites:.*/Suites: bookworm-backports/' > /etc/apt/sources.list.d/bookworm-backports.sources \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential pkg-config ninja-build libuv1-dev libssl-dev libsrtp2-dev libabsl-dev \
      libflatbuffers-dev flatbuffers-compiler \
 && apt-get install -y --no-install-recommends -t bookworm-backports meson \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# .npmrc sets ignore-scripts: mediasoup's postinstall does not run, the script below provides
# the worker instead.
COPY package.json package-lock.json .npmrc ./
RUN npm ci

# The worker only depends on node_modules/mediasoup and scripts/: a source change does not
# rebuild it. The script uses mediasoup's prebuilt binary when it can be downloaded, else builds
# offline (~8 min on 2 cores); the cache mount keeps that build across image builds.
COPY scripts ./scripts
RUN --mount=type=cache,target=/root/.cache/fitlive \
    bash scripts/build-mediasoup-worker.sh \
 && test -x node_modules/mediasoup/worker/out/Release/mediasoup-worker

COPY . .
# The widget bundle (dist/fitlive.js and its chunks), served by the backend.
RUN npx rollup -c rollup.config.js \
 && npm prune --omit=dev

# ---- runtime ------------------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
# The application stays owned by root (read-only for the process); it writes only to DATA_DIR
# and to HLS_DIR / FILES_DIR (under DATA_DIR unless set, e.g. /shared/... on a shared volume).
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/protocol ./protocol
COPY --from=build /app/backend ./backend
COPY --from=build /app/dist ./dist
COPY --from=build /app/demo-site ./demo-site
# /shared is where compose.yaml mounts the volume the nodes share; a fresh named volume takes
# this directory's owner, so the node user can write to it.
# Mount a volume at /data when the node runs alone on the embedded database (PGlite).
RUN mkdir -p /data /shared \
 && chown node:node /data /shared

# The unprivileged user of the node image (uid 1000).
USER node

EXPOSE 8080

# /readyz answers 200 once the database answers and a mediasoup worker is up, 503 otherwise.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# SIGTERM: the node leaves the cluster first (its classes move), stops broadcasts, then exits.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "backend/main.ts"]
