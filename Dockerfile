# The gateway's container image: the official Swift image builds `bpg`, a slim Debian runtime runs it.
#
#   docker build -t bpg .                      # or: buildah bud --isolation chroot -t bpg .
#   docker run -p 8080:8080 -p 8081:8081 bpg serve --dev --host 0.0.0.0
#
# The base images are build arguments, so a registry mirror or a pinned digest can be used. On a
# machine with no registry at all, scripts/build-image.sh builds the binary on the host and takes
# the `prebuilt` path below instead (BINARY_SOURCE=prebuilt).
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG BINARY_SOURCE=build

# Stage 1: compile. The Swift runtime and Foundation are linked statically (--static-swift-stdlib):
# the runtime image then needs no Swift libraries, and the process maps fewer shared objects.
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       pkg-config libcurl4-openssl-dev libmariadb-dev libsqlite3-dev libyaml-dev \
       libmicrohttpd-dev libssl-dev libcrypt-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# The manifest declares the test targets too, so their folders must exist for it to load.
COPY Tests ./Tests
RUN swift build -c release --product bpg --static-swift-stdlib \
    && mkdir -p /out && cp "$(swift build -c release --show-bin-path)/bpg" /out/bpg \
    && strip /out/bpg

# Alternative to stage 1: a binary built on a Debian 12 host (scripts/build-image.sh puts it there).
FROM scratch AS prebuilt
COPY .image/bpg /out/bpg

FROM ${BINARY_SOURCE} AS binary

# Stage 2: run. Only the C libraries the binary links, CA certificates for TLS to the clusters, and
# curl for the container health check.
FROM ${RUNTIME_IMAGE} AS runtime
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       ca-certificates curl libcurl4 libstdc++6 libmariadb3 libsqlite3-0 libyaml-0-2 libmicrohttpd12 libssl3 libcrypt1 \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/bpg --create-home bpg
COPY --from=binary /out/bpg /usr/local/bin/bpg
USER 10001:10001
WORKDIR /var/lib/bpg
# 8080: BPG's REST API (server.applicationConnectors); 8081: the admin port (server.adminConnectors).
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8081/healthcheck || exit 1
ENTRYPOINT ["/usr/local/bin/bpg"]
# BPG's command form: `server CONFIG`. The Kubernetes manifests mount the config here.
CMD ["server", "/etc/bpg/config.yaml"]
