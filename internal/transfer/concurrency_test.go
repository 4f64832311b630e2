package transfer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Live chunks written with WriteTo (or read, then written) carry the
// content in order, and the hash taken beside them equals a direct SHA-256,
// whatever the source's slicing.
func TestLiveChunksHashOddSlicings(t *testing.T) {
	for _, tc := range []struct {
		size, chunk int64
		maxSlice    int
	}{
		{1000, 7, 3}, {1000, 64, 100}, {4099, 1024, 1}, {100000, 4096, 5000}, {5, 7, 2}, {0, 7, 1},
	} {
		data := content(int(tc.size))
		c := NewChunker(newSlices(data, uint64(tc.size), tc.maxSlice), tc.size, tc.chunk)
		var got bytes.Buffer
		for i := 0; ; i++ {
			ch, err := c.NextLive()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("size %d: %v", tc.size, err)
			}
			body := ch.Body()
			if i%2 == 1 {
				// Part by Read, the rest by WriteTo.
				var one [3]byte
				n, _ := body.Read(one[:])
				got.Write(one[:n])
			}
			if _, err := io.Copy(struct{ io.Writer }{&got}, body.(io.WriterTo).(io.Reader)); err != nil {
				t.Fatalf("size %d chunk %d: %v", tc.size, i, err)
			}
			if err := ch.settle(); err != nil {
				t.Fatal(err)
			}
		}
		want := sha256.Sum256(data)
		if !bytes.Equal(got.Bytes(), data) || !bytes.Equal(c.Sum(), want[:]) {
			t.Errorf("size %d chunk %d slices ≤%d: content equal %v, hash equal %v", tc.size, tc.chunk, tc.maxSlice,
				bytes.Equal(got.Bytes(), data), bytes.Equal(c.Sum(), want[:]))
		}
	}
}

// The download's hash, taken on its own goroutine over a ring of buffers,
// equals a direct SHA-256 for any slice size and ring length, resumed or
// not.
func TestDownloadHashOddSlices(t *testing.T) {
	data := content(300007)
	for _, cut := range []int{0, 1} {
		for _, slice := range []int{1, 7, 4096, 65536, 1 << 20} {
			for _, bufs := range []int{1, 2, 4} {
				if slice == 1 && bufs > 1 {
					continue
				}
				srv, _ := fileServer(t, data, cut, true)
				d := &Downloader{HTTP: srv.Client(), SliceSize: slice, Buffers: bufs, Retry: Retry{Backoff: time.Millisecond}}
				var c collect
				sum, err := d.Download(context.Background(), srv.URL, Range{}, c.sink)
				if err != nil {
					t.Fatalf("slice %d, %d buffers: %v", slice, bufs, err)
				}
				if !bytes.Equal(c.data, data) || sum.SHA256 != sha(data) || sum.Bytes != int64(len(data)) {
					t.Errorf("cut %d, slice %d, %d buffers: %d bytes, sha %s", cut, slice, bufs, len(c.data), sum.SHA256)
				}
			}
		}
	}
}

// hashers counts the goroutines hashing transfers.
func hashers() int {
	var b strings.Builder
	pprof.Lookup("goroutine").WriteTo(&b, 1)
	return strings.Count(b.String(), "(*hasher).run")
}

func noHashersLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for hashers() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d hashing goroutines left", hashers())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cancelAfter is a source that cancels the caller's context after n bytes
// and then fails as a canceled stream does.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
	ctx    context.Context
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
		<-c.ctx.Done()
		return 0, c.ctx.Err()
	}
	p = p[:min(len(p), c.n)]
	n, err := c.r.Read(p)
	c.n -= n
	return n, err
}

// Uploads and downloads that end early (the caller's stream failing, the
// caller canceling, the sink failing) leave no goroutine behind and, for
// uploads, no session.
func TestTransfersEndingEarlyLeakNothing(t *testing.T) {
	noHashersLeft(t)
	r := newRig(t, sandbox.Options{ChunkSize: 1000})
	data := content(10000)
	for i, stop := range []int{0, 500, 1000, 2500, 9999} {
		ctx, cancel := context.WithCancel(context.Background())
		src := &cancelAfter{r: bytes.NewReader(data), n: stop, cancel: cancel, ctx: ctx}
		size := int64(len(data))
		uri := fmt.Sprintf("cloudreve://my/canceled-%d.bin", i)
		_, err := r.up.Upload(ctx, cloudreveapi.CreateUploadSessionService{Uri: uri, Size: &size}, src)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("canceled after %d bytes: %v", stop, err)
		}
		if _, err := r.sb.ReadFile(r.user, uri); err == nil {
			t.Errorf("canceled after %d bytes: the file exists", stop)
		}
	}
	if n := r.sb.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}
	noHashersLeft(t)

	srv, _ := fileServer(t, data, 0, true)
	d := &Downloader{HTTP: srv.Client(), SliceSize: 100, Buffers: 3}
	failed := errors.New("caller gone")
	slices := 0
	_, err := d.Download(context.Background(), srv.URL, Range{}, func(_ *Info, b []byte) error {
		if slices++; slices == 5 {
			return failed
		}
		return nil
	})
	if !errors.Is(err, failed) {
		t.Errorf("sink failure: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	slices = 0
	_, err = d.Download(ctx, srv.URL, Range{}, func(_ *Info, b []byte) error {
		if slices++; slices == 5 {
			cancel()
		}
		return nil
	})
	if err == nil {
		t.Errorf("a canceled download succeeded")
	}
	cancel()
	noHashersLeft(t)
}
