package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

func TestViaFloor(t *testing.T) {
	const up, floor = "http://127.0.0.1:5212", "http://127.0.0.1:6000"
	for _, c := range []struct{ target, want string }{
		{"http://127.0.0.1:5212/api/v4/file/content/1/0/a%20b.bin?sign=x%3Ay", "http://127.0.0.1:6000/api/v4/file/content/1/0/a%20b.bin?sign=x%3Ay"},
		{"https://127.0.0.1:5212/f?a=1", "http://127.0.0.1:6000/f?a=1"}, // the scheme is the proxy's too
		{"http://127.0.0.1:6000/f", "http://127.0.0.1:6000/f"},          // a relative URL resolved against the proxy
	} {
		if got, err := viaFloor(c.target, up, floor); err != nil || got != c.want {
			t.Errorf("viaFloor(%q) = %q, %v; want %q", c.target, got, err, c.want)
		}
	}
	for _, elsewhere := range []string{"https://bucket.s3.example.com/f?X-Amz-Signature=1", "http://127.0.0.1:5213/f"} {
		_, err := viaFloor(elsewhere, up, floor)
		host, _ := url.Parse(elsewhere)
		if !errors.Is(err, errNotUpstream) || !strings.Contains(err.Error(), host.Host) {
			t.Errorf("viaFloor(%q): %v; want errNotUpstream naming %s", elsewhere, err, host.Host)
		}
	}
}

// serveFloorInProcess serves floorServer in front of upstream for the
// test's length and returns its URL; hashed as floorServer takes it.
func serveFloorInProcess(t *testing.T, upstream string, hashed *atomic.Int64) string {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := floorServer(u, 1, hashed)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// TestFloorProxyStreamsBodies: a transfer through the floor proxy flows
// while it happens, both ways, for fixed-length bodies like the chunk POSTs
// and downloads: the upstream reads the start of an upload before the
// client sends its end, and the client reads the start of a download
// before the upstream writes its end. A proxy holding either body whole
// would leave each side waiting for the other until it gives up.
func TestFloorProxyStreamsBodies(t *testing.T) {
	const total, start = 256 << 10, 64 << 10
	const patience = 5 * time.Second
	content, _ := io.ReadAll(newPattern(total))
	for _, wire := range []struct {
		name      string
		transport func() *http.Transport
	}{{"http/1.1", http1Transport}, {"h2c", h2cTransport}} {
		t.Run(wire.name, func(t *testing.T) {
			uploadStarted, downloadStarted := make(chan struct{}), make(chan struct{})
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					got, err := io.ReadAll(io.LimitReader(r.Body, start/2))
					if err != nil || len(got) < start/2 {
						http.Error(w, fmt.Sprint("reading the upload's start: ", err), http.StatusBadRequest)
						return
					}
					close(uploadStarted)
					rest, err := io.ReadAll(r.Body)
					if err != nil {
						http.Error(w, fmt.Sprint("reading the upload's rest: ", err), http.StatusBadRequest)
						return
					}
					fmt.Fprint(w, len(got)+len(rest))
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(total))
				w.Write(content[:start])
				w.(http.Flusher).Flush()
				select {
				case <-downloadStarted:
					w.Write(content[start:])
				case <-time.After(patience): // the body ends short, and the client sees an error
				}
			}))
			defer upstream.Close()
			floor := serveFloorInProcess(t, upstream.URL, nil)
			tr := wire.transport()
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr, Timeout: 3 * patience}

			body, send := io.Pipe()
			go func() {
				send.Write(content[:start])
				select {
				case <-uploadStarted:
					send.Write(content[start:])
					send.Close()
				case <-time.After(patience):
					send.CloseWithError(errors.New("the upstream did not see the upload's start before its end was sent"))
				}
			}()
			req, err := http.NewRequest(http.MethodPost, floor+"/upload", body)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = total
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("upload through the floor: %v", err)
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || string(answer) != strconv.Itoa(total) {
				t.Errorf("upload through the floor: HTTP %d %q; want the upstream to count %d bytes", resp.StatusCode, answer, total)
			}

			resp, err = client.Get(floor + "/download")
			if err != nil {
				t.Fatalf("download through the floor: %v", err)
			}
			defer resp.Body.Close()
			head := make([]byte, start/2)
			if _, err := io.ReadFull(resp.Body, head); err != nil {
				t.Fatalf("reading the download's start: %v", err)
			}
			close(downloadStarted)
			tail, err := io.ReadAll(resp.Body)
			if err != nil || !bytes.Equal(append(head, tail...), content) {
				t.Errorf("download through the floor: %d bytes, %v; want the upstream's %d", len(head)+len(tail), err, total)
			}
		})
	}
}

// TestTransferThroughFloor runs C's transfers, as the scenarios make them,
// through a floor proxy process against a sandbox: a chunked upload over
// each of A's wires lands whole, and C's download of it brings the same
// bytes as B's.
func TestTransferThroughFloor(t *testing.T) {
	t.Run("plain", func(t *testing.T) { checkTransferThroughFloor(t, false) })
	t.Run("floor-sha256", func(t *testing.T) { checkTransferThroughFloor(t, true) })
}

func checkTransferThroughFloor(t *testing.T, hashed bool) {
	const chunk, size = 64 << 10, 200<<10 + 3 // four chunks, the last one short
	up, token := signedInSandbox(t, sandbox.Options{ChunkSize: chunk})
	ctx := context.Background()
	floor, err := startFloor(ctx, up.url, transferFloorIdle, t.TempDir(), hashed)
	if err != nil {
		t.Fatal(err)
	}
	defer floor.stop()
	run := &transferRun{up: up, floor: floor, token: token, rest: newRESTClient(up.url, token), prefix: "cloudreve://my/floor-test"}
	defer run.rest.close()
	want, _ := io.ReadAll(newPattern(size))

	var uri string
	for p, proto := range transferProtocols {
		c := run.floorClient(p)
		uri = run.uri("c", p)
		if err := c.upload(ctx, uri, size, newPattern(size)); err != nil {
			t.Fatalf("%s: upload through the floor: %v", proto.name, err)
		}
		var direct, proxied bytes.Buffer
		if n, err := run.rest.download(ctx, uri); err != nil || n != size {
			t.Fatalf("%s: B's download of C's upload: %d bytes, %v; want %d", proto.name, n, err, size)
		}
		target, err := run.rest.downloadURL(ctx, uri)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := run.rest.get(ctx, target, &direct); err != nil || !bytes.Equal(direct.Bytes(), want) {
			t.Errorf("%s: C's upload does not hold what was sent (%d bytes, %v)", proto.name, direct.Len(), err)
		}

		// The sandbox answers the proxied request with a URL of its own
		// host, so this download goes through viaFloor's rewrite.
		if target, err := c.downloadURL(ctx, uri); err != nil || !strings.HasPrefix(target, up.url+"/") {
			t.Errorf("%s: the download URL through the floor is %q, %v; want one of the upstream's", proto.name, target, err)
		}
		if why := floorDownloadMissing(ctx, c, up.url, uri); why != "" {
			t.Errorf("%s: C cannot download from the sandbox: %s", proto.name, why)
		}
		n, err := downloadViaFloor(ctx, c, up.url, uri, &proxied)
		if err != nil || n != size || !bytes.Equal(proxied.Bytes(), direct.Bytes()) {
			t.Errorf("%s: C's download: %d bytes, %v; want B's %d bytes", proto.name, n, err, direct.Len())
		}
		c.close()
	}

	// C's transfers depend on the proxy: with it gone they fail, B's work.
	floor.stop()
	c := run.floorClient(0)
	defer c.close()
	if _, err := downloadViaFloor(ctx, c, up.url, uri, io.Discard); err == nil {
		t.Error("C downloads with the floor proxy stopped")
	}
	if err := c.upload(ctx, run.uri("c", 99), size, newPattern(size)); err == nil {
		t.Error("C uploads with the floor proxy stopped")
	}
	if n, err := run.rest.download(ctx, uri); err != nil || n != size {
		t.Errorf("B's download with the floor proxy stopped: %d bytes, %v", n, err)
	}
}

// TestFloorProxyHashes: with hashing on, the floor proxy hashes every byte
// of the content it carries, both ways, and hashingBody's digest is the
// content's.
func TestFloorProxyHashes(t *testing.T) {
	const chunk, size = 64 << 10, 200<<10 + 3
	up, token := signedInSandbox(t, sandbox.Options{ChunkSize: chunk})
	ctx := context.Background()
	hashed := new(atomic.Int64)
	c := restClientOver(serveFloorInProcess(t, up.url, hashed), token, transferProtocols[0].transport())
	defer c.close()

	const uri = "cloudreve://my/floor-hash.bin"
	if err := c.upload(ctx, uri, size, newPattern(size)); err != nil {
		t.Fatal(err)
	}
	afterUpload := hashed.Load()
	if afterUpload < size {
		t.Errorf("the proxy hashed %d bytes of an upload of %d", afterUpload, size)
	}
	if n, err := downloadViaFloor(ctx, c, up.url, uri, io.Discard); err != nil || n != size {
		t.Fatalf("download through the hashing floor: %d bytes, %v", n, err)
	}
	if got := hashed.Load() - afterUpload; got < size {
		t.Errorf("the proxy hashed %d bytes of a download of %d", got, size)
	}

	want, _ := io.ReadAll(newPattern(size))
	b := &hashingBody{ReadCloser: io.NopCloser(bytes.NewReader(want)), h: sha256.New(), count: new(atomic.Int64)}
	if _, err := io.Copy(io.Discard, b); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(want); !bytes.Equal(b.h.Sum(nil), sum[:]) || b.count.Load() != size {
		t.Errorf("hashingBody: digest %x over %d bytes; want %x over %d", b.h.Sum(nil), b.count.Load(), sum, size)
	}
}
