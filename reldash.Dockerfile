# Image of reldash, the release dashboard, for a machine without Swift (a Windows reviewer with
# Docker Desktop): a Swift build stage, then the binary on Debian slim with ncursesw and bash.
#
# One command builds it when missing and runs it with deploy/ mounted:
#   scripts/reldash_docker.sh [reldash arguments...]
# By hand (BuildKit: Docker Desktop, or DOCKER_BUILDKIT=1 with the docker.io client):
#   docker build -f reldash.Dockerfile -t reldash:local .
#   docker run --rm -it -v "$PWD/deploy:/work/deploy:ro" reldash:local
# The default target is read-only (RELDASH_READ_ONLY=1: no D, R, r keys). The `operator` target
# adds the docker CLI and Compose so that deploy and rollback run from the container, with the
# repository and the docker socket mounted (docs/dashboard.md).
# Machines with no registry: scripts/images/build-local-base-images.sh builds local stand-ins
# for SWIFT_IMAGE and DEBIAN_IMAGE (the same ARGs as the API's Dockerfile).

ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# OpenSSL's libcrypto for SHA-256 and libcurl for the Prometheus queries (the CLibCrypto and
# CLibCurl system library targets).
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libssl-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Dependencies first: reused as long as Package.swift (and a user's Package.resolved) is unchanged.
COPY Package.* ./
RUN swift package resolve

COPY Sources ./Sources
# Package.swift declares the test targets: their directories must exist (nothing there is built).
COPY Tests ./Tests
RUN --mount=type=cache,id=reldash-build,sharing=locked,target=/src/.build \
    swift build -c release --product reldash --static-swift-stdlib -Xlinker -s \
    && install -D -m 0755 .build/release/reldash /out/reldash

FROM ${DEBIAN_IMAGE} AS runtime
# ncursesw for the dashboard, its terminfo entries (xterm, tmux, screen...), libcurl for the
# Prometheus queries, libcrypto (libssl3) for SHA-256, CA certificates for an https Prometheus.
# Versions from the bookworm release of the mirror (libcurl moves with security updates).
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libncursesw6 ncurses-base ncurses-term libcurl4 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 65532 nonroot \
    && useradd --uid 65532 --gid 65532 --home-dir /work --no-create-home --shell /usr/sbin/nologin nonroot \
    && mkdir -p /work/deploy && chown 65532:65532 /work
COPY --from=build /out/reldash /usr/local/bin/reldash
WORKDIR /work
# UTF-8 so the sparklines use block glyphs (ASCII otherwise); the deploy tree is /work/deploy.
ENV LANG=C.UTF-8 \
    TZ=UTC \
    RELDASH_DEPLOY_DIR=/work/deploy \
    RELDASH_PROMETHEUS_URL=http://host.docker.internal:9090

# deploy and rollback from the container: the docker CLI and Compose v1 from Debian, the
# repository mounted at /work (scripts/ and deploy/), the socket at /var/run/docker.sock, and
# the socket's group added with --group-add (scripts/reldash_docker.sh --operator does it).
FROM runtime AS operator
# Versions from the bookworm release of the mirror, like the local base images.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io docker-compose git \
    && rm -rf /var/lib/apt/lists/*
USER 65532:65532
ENV RELDASH_READ_ONLY=0
ENTRYPOINT ["/usr/local/bin/reldash"]

FROM runtime
ARG VERSION=0.0.0-dev
ARG GIT_COMMIT=unknown
LABEL org.opencontainers.image.title="reldash" \
      org.opencontainers.image.description="Release dashboard of the simulated deployments (ncurses)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_COMMIT}"
ENV RELDASH_READ_ONLY=1
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/reldash"]
