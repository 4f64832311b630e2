package main

import (
	"math"
	"net/http"

	"connectrpc.com/connect/v2/connecthttp"
	"connectrpc.com/connect/v2/connectproto"

	"github.com/cloudreve-connect/facade/internal/telemetry"
	"github.com/cloudreve-connect/facade/internal/uploadcodec"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// fileMessageBytes is the read limit of FileService: a whole default upload
// chunk (25 MiB) in UploadFileChunk and content up to the server's edit
// limit (50 MiB) in UpdateFileContent must fit. UploadFile streams any size
// in small messages.
const fileMessageBytes = 64<<20 + 1<<20

// fileMessageLimit is appended to the common handler options of FileService
// (the last option given wins): a read limit of at least fileMessageBytes
// (more when --max-message-bytes asks for more), and no compression of
// answers, since file content is mostly compressed already and gzip would
// cap downloads at its speed (about 50 MB/s). Compressed requests are still
// read.
//
// Its binary codec reads UploadFile's content into pooled buffers, which the
// service gives back (internal/uploadcodec): no garbage per message.
func fileMessageLimit(cfg *config) []connecthttp.Option {
	limit := max(fileMessageBytes, cfg.MaxMessageBytes)
	return []connecthttp.Option{
		connecthttp.WithReadMaxBytes(limit), connecthttp.WithCompressMinBytes(math.MaxInt32),
		connecthttp.WithCodecs(uploadcodec.New(limit), connectproto.NewJSONCodec()),
	}
}

// transferHTTPClient carries file content: signed download URLs and storage
// providers' presigned URLs. Unlike the API client it adds no credentials
// and no tracing headers (the URLs may lead to a third party), and it has no
// overall deadline, since content can take long; a server that does not
// start answering within the upstream timeout is given up on (the pool's
// response header timeout), and internal/transfer bounds silence while a
// body streams. It shares the API client's connection pool.
func transferHTTPClient(pool *upstream.Pool) *http.Client {
	return &http.Client{Transport: pool, CheckRedirect: upstream.CheckRedirect}
}

// eventChannelClient carries the upstream's file event channel, a response
// that lasts as long as the subscription: the API client's pool, agent and
// telemetry (which times a call until its headers), without the API
// client's overall deadline. internal/fileevents bounds silence instead.
func eventChannelClient(tel *telemetry.Telemetry, pool *upstream.Pool, replicaID string) (telemetry.Doer, error) {
	return tel.UpstreamDoer(replicaAgent{base: &http.Client{CheckRedirect: upstream.CheckRedirect, Transport: pool}, agent: userAgent(replicaID)})
}
