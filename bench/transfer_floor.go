package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// C, the floor, in the transfer scenarios: B's REST transfer with every
// request sent to the floor proxy (floor.go) instead of the upstream. As in
// the unary scenarios, C's client speaks A's wire to the proxy (HTTP/1.1,
// or h2c in the gRPC rows), which forwards over HTTP/1.1 like B.

// transferFloorIdle is the floor proxy's idle upstream connections: one
// transfer runs at a time, one request after another, so one would do; the
// second covers a connection not yet back in the pool when the next
// request comes.
const transferFloorIdle = 2

// floorProxy starts the floor proxy in front of up, its log in a directory
// of its own (each scenario starts one).
func (e *streamEnv) floorProxy(ctx context.Context, up *upstream) (*floorProcess, error) {
	dir, err := os.MkdirTemp(e.dir, "floor-")
	if err != nil {
		return nil, err
	}
	progress("starting the floor proxy against %s", up.url)
	return startFloor(ctx, up.url, transferFloorIdle, dir, e.o.floorSHA256)
}

// floorClient is C's REST client, to the floor proxy over protocol p's
// transport; nil with --floor=false.
func (t *transferRun) floorClient(p int) *restClient {
	if t.floor == nil {
		return nil
	}
	return restClientOver(t.floor.url, t.token, transferProtocols[p].transport())
}

// errNotUpstream is a download URL that points elsewhere than the upstream,
// such as a storage provider's: a proxy in front of the upstream never sees
// that download, so C cannot measure it.
var errNotUpstream = errors.New("the download URL does not point at the upstream, so the floor proxy cannot carry the download")

// viaFloor points a download URL at the floor proxy: a URL of the upstream
// gets the proxy's scheme and host; one already at the proxy (a relative
// URL resolved against it) stays; any other is errNotUpstream.
func viaFloor(target, upstreamURL, floorURL string) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("download URL %q: %w", target, err)
	}
	up, err := url.Parse(upstreamURL)
	if err != nil {
		return "", err
	}
	floor, err := url.Parse(floorURL)
	if err != nil {
		return "", err
	}
	switch {
	case strings.EqualFold(u.Host, floor.Host):
		return target, nil
	case strings.EqualFold(u.Host, up.Host):
		u.Scheme, u.Host = floor.Scheme, floor.Host
		return u.String(), nil
	}
	return "", fmt.Errorf("%w: it points at %s, the upstream is %s", errNotUpstream, u.Host, up.Host)
}

// downloadViaFloor is B's download with both of its requests sent to the
// floor proxy c talks to, and returns the length copied into w.
func downloadViaFloor(ctx context.Context, c *restClient, upstreamURL, uri string, w io.Writer) (int64, error) {
	target, err := c.downloadURL(ctx, uri)
	if err != nil {
		return 0, err
	}
	if target, err = viaFloor(target, upstreamURL, c.base); err != nil {
		return 0, err
	}
	return c.get(ctx, target, w)
}

// floorDownloadMissing says why C cannot download uri, or "" when it can.
// Other failures are left to C's phases, which fail the row with them.
func floorDownloadMissing(ctx context.Context, c *restClient, upstreamURL, uri string) string {
	target, err := c.downloadURL(ctx, uri)
	if err != nil {
		return ""
	}
	if _, err := viaFloor(target, upstreamURL, c.base); errors.Is(err, errNotUpstream) {
		return err.Error()
	}
	return ""
}
