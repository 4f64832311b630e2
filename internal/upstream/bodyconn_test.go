package upstream

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// writerToOnly is a body that can only write itself, counting its writes.
type writerToOnly struct {
	data   []byte
	writes int
}

func (w *writerToOnly) Read(p []byte) (int, error) {
	panic("the body was read instead of writing itself")
}

func (w *writerToOnly) WriteTo(dst io.Writer) (int64, error) {
	if len(w.data) == 0 {
		return 0, nil // the transport's check that nothing follows
	}
	w.writes++
	n, err := dst.Write(w.data)
	w.data = w.data[n:]
	return int64(n), err
}

// A body that writes itself reaches the server whole, in its own slices;
// one longer than its Content-Length is refused as the transport refuses
// any other.
func TestPoolWritesBodiesThatWriteThemselves(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write([]byte(strconv.Itoa(len(b)) + " " + strconv.Itoa(int(b[len(b)-1]))))
	}))
	defer srv.Close()
	p := NewPool(PoolOptions{})
	defer p.CloseIdleConnections()
	data := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 3<<20)
	body := &writerToOnly{data: data}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, body)
	req.ContentLength = int64(len(data))
	resp, err := p.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := strconv.Itoa(len(data)) + " 7"; string(got) != want || body.writes != 1 {
		t.Errorf("server got %q, want %q; %d WriteTo calls", got, want, body.writes)
	}

	// Longer than declared: the transport's own check still applies.
	req, _ = http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(data))
	req.ContentLength = int64(len(data) - 10)
	if resp, err := p.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Errorf("a body longer than its Content-Length went out")
	} else if !strings.Contains(err.Error(), "ContentLength") {
		t.Logf("error: %v", err)
	}
}
