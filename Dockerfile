# Container image of the facade: a static binary on a distroless base,
# running as an unprivileged user. Generated code is committed, so the build
# needs only Go.
#
#   docker build -t cloudreve-facade .
#   docker run -p 8080:8080 -e CLOUDREVE_URL=http://cloudreve:5212 \
#     -e NATS_URL=nats://nats:4222 -v facade-state:/var/lib/cloudreve-facade cloudreve-facade
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
# The stubs' module, which go.mod replaces with ./gen/go.
COPY gen/go/go.mod gen/go/go.sum ./gen/go/
RUN go mod download
COPY . .
# The same build the end-to-end tests run (tests/deploy_test.go checks it is static).
RUN scripts/build.sh /out/cloudreve-facade && mkdir -p /out/state

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cloudreve-facade /usr/local/bin/cloudreve-facade
COPY --from=build --chown=65532:65532 /out/state /var/lib/cloudreve-facade
# Every flag has an environment variable (see README, "Configuration").
# Listening on 0.0.0.0, the facade refuses to start without CLOUDREVE_URL
# (it never serves its stand-in sandbox there unless FACADE_SANDBOX=true).
ENV FACADE_LISTEN=0.0.0.0:8080 \
    FACADE_STATE_DIR=/var/lib/cloudreve-facade \
    FACADE_LOG_FORMAT=json
VOLUME /var/lib/cloudreve-facade
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/cloudreve-facade"]
