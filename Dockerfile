# Image of the tasks-api service: a Swift build stage, then the binary alone on a distroless
# runtime (no shell, no package manager, uid 65532).
#
# Build (BuildKit: Docker Desktop, or DOCKER_BUILDKIT=1 with the docker.io client):
#   docker build -t tasks-api:dev --build-arg VERSION="$(cat app/VERSION)" \
#     --build-arg GIT_COMMIT="$(git rev-parse HEAD)" .
# Machines with no registry: scripts/images/build-local-base-images.sh builds local stand-ins
# for SWIFT_IMAGE and RUNTIME_IMAGE (see README, "Image et pile Compose").

ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM ${SWIFT_IMAGE} AS build
WORKDIR /src

# Dependencies first: this layer is reused as long as Package.swift and Package.resolved do not
# change (a Package.resolved, when present, pins the versions).
COPY app/Package.* ./
RUN swift package resolve

COPY app/Sources ./Sources
COPY app/Tests ./Tests
# .build (checkouts, build database, compiled modules) lives in a BuildKit cache mount, so a
# one-line change recompiles one module instead of every dependency; builds running at the
# same time take turns (locked). The binary is copied out of the mount, stripped.
RUN --mount=type=cache,id=tasks-api-build,sharing=locked,target=/src/.build \
    swift build -c release --product tasks-api --static-swift-stdlib -Xlinker -s \
    && install -D -m 0755 .build/release/tasks-api /out/tasks-api

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/tasks-api /usr/local/bin/tasks-api

ARG VERSION=0.0.0-dev
ARG GIT_COMMIT=unknown
ARG CREATED=unknown
ARG SOURCE_URL=unknown
LABEL org.opencontainers.image.title="tasks-api" \
      org.opencontainers.image.description="Task API (Swift, Hummingbird, PostgreSQL)" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_COMMIT}" \
      org.opencontainers.image.created="${CREATED}"
# TZ: log and API timestamps are UTC whatever the host's zone (checked by the structure test).
ENV APP_VERSION="${VERSION}" \
    GIT_COMMIT="${GIT_COMMIT}" \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    TZ=UTC

USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/tasks-api", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/tasks-api"]
CMD ["serve"]
