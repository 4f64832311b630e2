package transfer

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// collect is a sink that keeps what it gets.
type collect struct {
	info   *Info
	data   []byte
	slices int
}

func (c *collect) sink(info *Info, data []byte) error {
	if info != nil {
		if c.info != nil {
			return errors.New("info sent twice")
		}
		c.info = info
	}
	if len(data) > 0 {
		c.slices++
	}
	c.data = append(c.data, data...)
	return nil
}

// fileServer serves data like a signed entity URL, and can cut the first
// responses short.
func fileServer(t *testing.T, data []byte, cutFirst int, ranges bool) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := n.Add(1)
		if !ranges {
			r.Header.Del("Range")
		}
		w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.bin`)
		w.Header().Set("Content-Type", "application/octet-stream")
		if call <= int64(cutFirst) {
			// Promise everything, send a little, then drop the connection.
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.WriteHeader(http.StatusOK)
			w.Write(data[:len(data)/3])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestDownloadWholeAndRange(t *testing.T) {
	data := content(5000)
	srv, _ := fileServer(t, data, 0, true)
	d := &Downloader{HTTP: http.DefaultClient, SliceSize: 700}
	var all collect
	sum, err := d.Download(context.Background(), srv.URL, Range{}, all.sink)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(all.data, data) || sum.SHA256 != sha(data) || sum.Bytes != 5000 || all.slices != 8 {
		t.Errorf("got %d bytes in %d slices, %+v", len(all.data), all.slices, sum)
	}
	if i := all.info; i.Name != "résumé.bin" || i.Size != 5000 || i.Length != 5000 || i.Offset != 0 {
		t.Errorf("info %+v", i)
	}

	var part collect
	sum, err = d.Download(context.Background(), srv.URL, Range{Offset: 1000, Length: 1500}, part.sink)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(part.data, data[1000:2500]) || sum.SHA256 != sha(data[1000:2500]) {
		t.Errorf("range: %d bytes", len(part.data))
	}
	if i := part.info; i.Size != 5000 || i.Offset != 1000 || i.Length != 1500 {
		t.Errorf("range info %+v", i)
	}
	var tail collect
	if _, err := d.Download(context.Background(), srv.URL, Range{Offset: 4990}, tail.sink); err != nil || !bytes.Equal(tail.data, data[4990:]) {
		t.Errorf("tail: %d bytes, %v", len(tail.data), err)
	}
	var none collect
	if _, err := d.Download(context.Background(), srv.URL, Range{Offset: 5000}, none.sink); !errors.Is(err, ErrRangeNotSatisfiable) {
		t.Errorf("range past the end: %v", err)
	}
}

func TestDownloadResumesBrokenConnection(t *testing.T) {
	data := content(9000)
	srv, calls := fileServer(t, data, 2, true)
	d := &Downloader{HTTP: http.DefaultClient, Retry: Retry{Backoff: time.Millisecond}}
	var got collect
	sum, err := d.Download(context.Background(), srv.URL, Range{}, got.sink)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.data, data) || sum.SHA256 != sha(data) || calls.Load() != 3 {
		t.Errorf("got %d bytes after %d requests", len(got.data), calls.Load())
	}
}

func TestDownloadWithoutRangeSupport(t *testing.T) {
	data := content(3000)
	srv, _ := fileServer(t, data, 1, false)
	d := &Downloader{HTTP: http.DefaultClient, Retry: Retry{Backoff: time.Millisecond}}
	var got collect
	if _, err := d.Download(context.Background(), srv.URL, Range{Offset: 100, Length: 2000}, got.sink); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.data, data[100:2100]) || got.info.Size != 3000 {
		t.Errorf("got %d bytes, info %+v", len(got.data), got.info)
	}
}

func TestDownloadErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`{"code":40071,"msg":"Invalid signature"}`))
	}))
	defer srv.Close()
	d := &Downloader{HTTP: http.DefaultClient}
	var got collect
	_, err := d.Download(context.Background(), srv.URL, Range{}, got.sink)
	var ue *upstream.Error
	if !errors.As(err, &ue) || ue.Code != 40071 || got.info != nil {
		t.Errorf("bad signature: %v", err)
	}

	// A failing sink stops the download at once, without retries.
	data := content(4000)
	files, calls := fileServer(t, data, 0, true)
	stop := errors.New("caller left")
	_, err = d.Download(context.Background(), files.URL, Range{}, func(info *Info, b []byte) error {
		if len(b) > 0 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls.Load() != 1 {
		t.Errorf("sink failure: %v after %d requests", err, calls.Load())
	}
}
