package upstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
)

type listing struct {
	Files []struct {
		Name string `json:"name"`
	} `json:"files"`
}

// bigListing is a success envelope of n files, several MiB for large n.
func bigListing(n int) string {
	var b strings.Builder
	b.WriteString(`{"code":0,"data":{"files":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"file-%08d-%s"}`, i, strings.Repeat("x", 80))
	}
	b.WriteString(`]},"msg":""}`)
	return b.String()
}

func TestDecodeLargeSuccessComesBackWhole(t *testing.T) {
	const n = 110_000 // about 11 MiB
	body := bigListing(n)
	if len(body) < 10<<20 {
		t.Fatalf("test body only %d bytes", len(body))
	}
	counter := &countingReader{r: strings.NewReader(body)}
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(counter)}
	d, err := Op[listing]("listFiles").Decode(resp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != n || d.Files[n-1].Name != fmt.Sprintf("file-%08d-%s", n-1, strings.Repeat("x", 80)) {
		t.Fatalf("got %d files", len(d.Files))
	}
	if counter.n != int64(len(body)) {
		t.Errorf("read %d bytes of %d: the body is read once, whole", counter.n, len(body))
	}
}

func TestDecodeErrorDataKeptRawWhateverItsShape(t *testing.T) {
	// A typed success shape must not lose an error whose data is a list
	// (40073) or a string (203).
	_, err := Op[listing]("createFile").Decode(fakeResponse{200, "application/json",
		`{"code":40073,"data":[{"token":"opaquelocktoken:9","type":0}],"msg":"Lock conflict","correlation_id":"c1"}`}.http(), nil)
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != CodeLockConflict || !strings.Contains(string(ue.Data), "opaquelocktoken:9") || ue.CorrelationID != "c1" {
		t.Fatalf("conflict: %#v", err)
	}
	_, err = Op[listing]("passwordSignIn").Decode(fakeResponse{200, "application/json", `{"code":203,"data":"2fa-session-id","msg":""}`}.http(), nil)
	if !errors.As(err, &ue) || ue.Code != CodeNotFullySuccessful || string(ue.Data) != `"2fa-session-id"` {
		t.Fatalf("203: %#v", err)
	}
}

func TestDecodeDataBeforeCode(t *testing.T) {
	d, err := Op[string]("ping").Decode(fakeResponse{200, "application/json", `{"data":"4.18.0","msg":"","code":0}`}.http(), nil)
	if err != nil || *d != "4.18.0" {
		t.Fatalf("got %v %v", d, err)
	}
	_, err = Op[listing]("x").Decode(fakeResponse{200, "application/json", `{"data":[1,2],"code":40016,"msg":"gone"}`}.http(), nil)
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != 40016 || string(ue.Data) != "[1,2]" {
		t.Fatalf("got %#v", err)
	}
}

func TestDecodeAbsentAndNullData(t *testing.T) {
	for _, body := range []string{`{"code":0,"msg":""}`, `{"code":0,"data":null,"msg":""}`} {
		d, err := Op[listing]("x").Decode(fakeResponse{200, "application/json", body}.http(), nil)
		if err != nil || d != nil {
			t.Errorf("%s: got %v %v", body, d, err)
		}
		if _, err := Op[listing]("x").Need(fakeResponse{200, "application/json", body}.http(), nil); !strings.Contains(fmt.Sprint(err), "without data") {
			t.Errorf("%s: Need = %v", body, err)
		}
	}
}

func TestDecodeWrongDataShapeIsMalformed(t *testing.T) {
	_, err := Op[listing]("x").Decode(fakeResponse{200, "application/json", `{"code":0,"data":"a string"}`}.http(), nil)
	var he *HTTPError
	if !errors.As(err, &he) || !strings.Contains(he.Reason, "malformed JSON") {
		t.Fatalf("got %#v", err)
	}
}

func TestDecodeErrorBodyIsBounded(t *testing.T) {
	body := `{"code":40016,"msg":"x","data":"` + strings.Repeat("a", 3<<20) + `"}`
	counter := &countingReader{r: strings.NewReader(body)}
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(counter)}
	_, err := Op[listing]("x").Decode(resp, nil)
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != 40016 || !strings.Contains(ue.Error(), "longer than") || ue.Data != nil {
		t.Fatalf("got %v", err)
	}
	if counter.n > maxErrorBody+maxDrain+64<<10 {
		t.Errorf("read %d bytes of an error answer", counter.n)
	}
}

func TestDecodeBrokenBodyIsATransportError(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(io.MultiReader(
		strings.NewReader(`{"code":0,"data":{"files":[`), errReader{io.ErrUnexpectedEOF}))}
	_, err := Op[listing]("listFiles").Decode(resp, nil)
	var te *TransportError
	if !errors.As(err, &te) || te.Op != "listFiles" {
		t.Fatalf("got %T %v", err, err)
	}
}

// Every answer, success or error, leaves its connection reusable.
func TestDecodeReusesTheConnection(t *testing.T) {
	bodies := []string{`{"code":0,"data":"4.18.0","msg":""}`, `{"code":40016,"msg":"gone","data":{"a":1}}`, `{"code":0,"msg":""}`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, bodies[len(r.URL.Path)%len(bodies)]+"\n")
	}))
	defer srv.Close()
	dials := 0
	for i := range 30 {
		trace := &httptrace.ClientTrace{ConnectStart: func(string, string) { dials++ }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), "GET", srv.URL+strings.Repeat("/", i+1), nil)
		_, _ = Op[string]("x").Decode(srv.Client().Do(req))
	}
	if dials != 1 {
		t.Errorf("%d connections for 30 sequential calls", dials)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func BenchmarkDecodePing(b *testing.B) {
	body := `{"code":0,"data":"4.18.0","msg":""}`
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
		if _, err := Op[string]("ping").Decode(resp, nil); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = json.RawMessage{}
