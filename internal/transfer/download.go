package transfer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// ErrRangeNotSatisfiable is returned when the requested range starts at or
// after the end of the content.
var ErrRangeNotSatisfiable = errors.New("transfer: the range starts past the end of the content")

// Downloader streams signed download URLs.
type Downloader struct {
	// HTTP fetches the URLs; it must not add Cloudreve credentials (the
	// URLs are signed, and may point at a storage provider).
	HTTP Client
	// SliceSize is the most bytes handed to the sink at once. Default 1 MiB.
	SliceSize int
	// Buffers is how many slices one download holds at most: one is filled
	// from the upstream and handed to the sink while the others wait to be
	// hashed, on a goroutine of their own. Default 4.
	Buffers int
	// IdleTimeout ends a connection that delivers nothing for this long (it
	// is then resumed like a broken one). Default 30s.
	IdleTimeout time.Duration
	Retry       Retry
	Log         *slog.Logger
}

// Range selects the bytes to download: Length 0 means up to the end.
type Range struct {
	Offset, Length int64
}

// Info describes a download, before its first byte.
type Info struct {
	Name        string
	ContentType string
	// Size of the whole file; -1 when the server did not say.
	Size   int64
	Offset int64
	// Length is how many bytes will be sent; -1 when unknown.
	Length int64
}

// Summary is what a finished download sent.
type Summary struct {
	Bytes  int64
	SHA256 string
}

// Sink receives a download: info on the first call only (data may be empty
// then), and the content in order. data is only valid during the call.
type Sink func(info *Info, data []byte) error

// Download fetches url (a range of it) into sink, with memory bounded by
// Buffers slices. A connection that breaks is resumed where it stopped, with a Range
// request on the same url, as long as attempts remain: asking the upstream
// for a new URL would spend another download of a limited share link.
func (d *Downloader) Download(ctx context.Context, url string, rng Range, sink Sink) (*Summary, error) {
	bufs := newRing(d.buffers(), d.sliceSize())
	hash := newHasherIf(checksumWanted(ctx), d.buffers())
	defer hash.stop()
	st := &downloadState{url: url, pos: rng.Offset, want: -1, hash: hash}
	if rng.Length > 0 {
		st.want = rng.Length
	}
	err := d.Retry.do(ctx, func(attempt int) error {
		if attempt > 0 {
			d.log().Info("resuming a download", "offset", st.pos, "attempt", attempt+1)
		}
		return d.fetch(ctx, st, bufs, sink)
	})
	if err != nil {
		return nil, err
	}
	return &Summary{Bytes: st.sent, SHA256: hash.hex()}, nil
}

// ring hands out up to n buffers of one size, made when first needed, and
// takes them back (from the hasher, once it hashed them).
type ring struct {
	free    chan []byte
	made, n int
	size    int
}

func newRing(n, size int) *ring { return &ring{free: make(chan []byte, n), n: n, size: size} }

// get returns a free buffer, waiting for one when all n are in use, or
// false once ctx ends.
func (r *ring) get(ctx context.Context) ([]byte, bool) {
	if r.made < r.n {
		select {
		case b := <-r.free:
			return b[:cap(b)], true
		default:
			r.made++
			return make([]byte, r.size), true
		}
	}
	select {
	case b := <-r.free:
		return b[:cap(b)], true
	case <-ctx.Done():
		return nil, false
	}
}

type downloadState struct {
	url     string
	pos     int64 // file offset of the next byte to send
	want    int64 // bytes still to send; -1 for up to the end
	sent    int64
	hash    *hasher
	started bool
}

// fetch makes one request from st.pos on and sends what arrives.
func (d *Downloader) fetch(parent context.Context, st *downloadState, bufs *ring, sink Sink) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, st.url, nil)
	if err != nil {
		return err
	}
	if st.pos > 0 || st.want >= 0 {
		end := ""
		if st.want >= 0 {
			end = strconv.FormatInt(st.pos+st.want-1, 10)
		}
		req.Header.Set("Range", "bytes="+strconv.FormatInt(st.pos, 10)+"-"+end)
	}
	resp, err := d.HTTP.Do(req)
	if err != nil {
		return &upstream.TransportError{Op: "download", Err: withoutURL(err), Canceled: parent.Err() != nil}
	}
	defer resp.Body.Close()

	skip := int64(0) // bytes before st.pos when the server ignored Range
	total := int64(-1)
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != st.pos {
			return &upstream.HTTPError{Op: "download", StatusCode: resp.StatusCode, Reason: "unexpected Content-Range " + resp.Header.Get("Content-Range")}
		}
		total = size
	case http.StatusOK:
		if err := envelopeError(resp); err != nil {
			return err
		}
		skip = st.pos
		total = resp.ContentLength
	case http.StatusRequestedRangeNotSatisfiable:
		if !st.started {
			return ErrRangeNotSatisfiable
		}
		return nil // a resumed download that had already sent everything
	default:
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return upstream.CheckBody("download", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if total > 0 && st.pos >= total && !st.started {
		return ErrRangeNotSatisfiable
	}
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, resp.Body, skip); err != nil {
			return &upstream.TransportError{Op: "download", Err: err, Canceled: parent.Err() != nil}
		}
	}
	if !st.started {
		info := &Info{Name: fileName(resp.Header.Get("Content-Disposition")), ContentType: resp.Header.Get("Content-Type"),
			Size: total, Offset: st.pos, Length: -1}
		switch {
		case st.want >= 0 && total >= 0:
			info.Length = min(st.want, max(total-st.pos, 0))
		case st.want >= 0:
			info.Length = st.want
		case total >= 0:
			info.Length = max(total-st.pos, 0)
		}
		if err := sink(info, nil); err != nil {
			return &sinkError{err}
		}
		st.started = true
	}
	return d.copy(parent, cancel, st, resp.Body, bufs, sink)
}

// copy sends the body in full slices, ending the request (cancel) if the
// body stays silent; parent is the caller's context. Three stages overlap:
// a goroutine reads the next slices from the upstream while this one sends
// the current slice to the sink, and the hasher hashes the slice sent
// before (a slice goes to the hasher only once the sink is done with it;
// the hasher frees it). The ring bounds what is held.
func (d *Downloader) copy(parent context.Context, cancel context.CancelFunc, st *downloadState, body io.Reader, bufs *ring, sink Sink) error {
	idle := time.AfterFunc(d.idleTimeout(), cancel)
	defer idle.Stop()
	body = &watchedReader{r: body, idle: idle, timeout: d.idleTimeout()}

	readCtx, stopReading := context.WithCancel(parent)
	slices := make(chan readSlice, bufs.n)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readAhead(readCtx, body, st.want, bufs, slices)
	}()
	defer func() { stopReading(); cancel(); <-readerDone }()

	for sl := range slices {
		if len(sl.data) > 0 {
			if err := sink(nil, sl.data); err != nil {
				return &sinkError{err}
			}
			st.hash.write(sl.data, bufs.free)
			got := int64(len(sl.data))
			st.pos += got
			st.sent += got
			if st.want > 0 {
				st.want -= got
			}
		}
		switch err := sl.err; {
		case errors.Is(err, io.EOF):
			if st.want > 0 {
				return &upstream.TransportError{Op: "download", Err: io.ErrUnexpectedEOF}
			}
			return nil
		case err != nil:
			return &upstream.TransportError{Op: "download", Err: err, Canceled: parent.Err() != nil}
		}
	}
	if st.want == 0 {
		return nil // all that was asked for is sent
	}
	// The reading gave up: the caller went away (or the idle timer fired).
	err := context.Cause(readCtx)
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return &upstream.TransportError{Op: "download", Err: err, Canceled: parent.Err() != nil}
}

// readSlice is content read ahead, or how the reading ended (err).
type readSlice struct {
	data []byte
	err  error
}

// readAhead fills slices from body until want bytes are read (want < 0: to
// the end) or the body fails, and closes out. It gives up when ctx ends.
func readAhead(ctx context.Context, body io.Reader, want int64, bufs *ring, out chan<- readSlice) {
	defer close(out)
	for want != 0 {
		buf, ok := bufs.get(ctx)
		if !ok {
			return
		}
		n := len(buf)
		if want > 0 && int64(n) > want {
			n = int(want)
		}
		got, err := fill(body, buf[:n])
		sl := readSlice{err: err}
		if got > 0 {
			sl.data = buf[:got]
			if want > 0 {
				want -= int64(got)
			}
		} else {
			bufs.free <- buf
		}
		if sl.data == nil && sl.err == nil {
			continue
		}
		select {
		case out <- sl:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// fill reads until buf is full or the body fails, and returns the body's own
// error (io.EOF at the end, io.ErrUnexpectedEOF for a cut connection).
func fill(r io.Reader, buf []byte) (int, error) {
	got := 0
	for got < len(buf) {
		n, err := r.Read(buf[got:])
		got += n
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

// watchedReader restarts the idle timer whenever bytes arrive, so that only
// silence ends a download, however slow.
type watchedReader struct {
	r       io.Reader
	idle    *time.Timer
	timeout time.Duration
}

func (w *watchedReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if n > 0 {
		w.idle.Reset(w.timeout)
	}
	return n, err
}

// sinkError is a failure of the receiving side: never retried.
type sinkError struct{ err error }

func (e *sinkError) Error() string { return e.err.Error() }
func (e *sinkError) Unwrap() error { return e.err }

// envelopeError spots a Cloudreve error envelope answered in place of the
// content (the server does this with HTTP 200 for bad or expired signatures).
func envelopeError(resp *http.Response) error {
	ct := resp.Header.Get("Content-Type")
	if !strings.Contains(ct, "json") || resp.Header.Get("Content-Disposition") != "" || resp.ContentLength > 64<<10 {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return &upstream.TransportError{Op: "download", Err: err}
	}
	if err := upstream.CheckBody("download", resp.StatusCode, ct, body); err != nil {
		var ue *upstream.Error
		if errors.As(err, &ue) {
			return err
		}
	}
	// Content after all: put it back.
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(strings.NewReader(string(body)), resp.Body), resp.Body}
	return nil
}

// parseContentRange reads "bytes start-end/size" (size may be "*").
func parseContentRange(v string) (start, size int64, ok bool) {
	v, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, false
	}
	span, total, found := strings.Cut(v, "/")
	from, _, found2 := strings.Cut(span, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(from, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	size = -1
	if total != "*" {
		if size, err = strconv.ParseInt(total, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, size, true
}

// fileName reads the file name of a Content-Disposition header.
func fileName(v string) string {
	if v == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(v)
	if err != nil {
		return ""
	}
	return params["filename"]
}

func (d *Downloader) sliceSize() int {
	if d.SliceSize <= 0 {
		return 1 << 20
	}
	return d.SliceSize
}

func (d *Downloader) buffers() int {
	if d.Buffers <= 0 {
		return 4
	}
	return d.Buffers
}

func (d *Downloader) idleTimeout() time.Duration {
	if d.IdleTimeout <= 0 {
		return 30 * time.Second
	}
	return d.IdleTimeout
}

func (d *Downloader) log() *slog.Logger {
	if d.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Log
}
