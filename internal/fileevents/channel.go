// Package fileevents reads Cloudreve's file event channel, GET
// /file/events?uri=<folder>: server-sent events that 4.11.0 added for its
// web client and no API document describes. A subscriber is a client id
// (a UUID in X-Cr-Client-Id) on a folder; it is told what is created,
// modified, renamed or deleted anywhere below the folder, with paths
// relative to it, after a quiet period (the site's debounce delay, 5 s by
// default). A connection that ends leaves the subscriber offline on the
// server, which keeps what happens meanwhile (14 days by default) for the
// next connection with the same client id, which starts "resumed".
package fileevents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tmaxmax/go-sse"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Op names the channel in errors.
const Op = "fileEvents"

// ClientIDHeader names the subscriber.
const ClientIDHeader = "X-Cr-Client-Id"

// maxEventSize bounds one event of the channel (a change is a few hundred
// bytes: four short fields, two paths).
const maxEventSize = 64 << 10

// Change types the channel sends.
const (
	TypeCreate = "create"
	TypeModify = "modify"
	TypeRename = "rename"
	TypeDelete = "delete"
)

// Change is one event of the channel, as the server sends it: From is the
// object's path below the folder ("/a/b.txt"), To its new path on a rename.
type Change struct {
	Type   string `json:"type"`
	FileID string `json:"file_id"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// Doer sends the request; it adds the credentials (auth.Doer).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Channel is one open connection of a subscriber.
type Channel struct {
	// Resumed: the server knew the client id and kept what happened while
	// it was away; it follows as the first changes.
	Resumed bool

	body     io.ReadCloser
	next     func() (sse.Event, error, bool)
	stop     func()
	stopOnce sync.Once
	idle     *time.Timer
	arm      func() // restarts the idle timer

	mu      sync.Mutex
	timed   bool // the idle timer closed the body
	reading bool // next is running: stop must wait for it to return
	closed  bool
}

// ErrIdle ends a channel that sent nothing, not even a keep-alive, for
// the idle timeout: the connection is taken for dead.
var ErrIdle = errors.New("fileevents: the event channel went silent")

// Open connects subscriber clientID to the folder at uri and reads its
// first event. The channel fails with ErrIdle when it stays silent longer
// than idle (the server sends a keep-alive every 30 s); 0 waits forever.
// Failures are the upstream's: an *upstream.HTTPError whose RouteMissing
// is true from a server without the channel (before 4.11.0), an
// *upstream.Error with code 40019 when the site turned it off, or 40016
// for a folder the user cannot list.
func Open(ctx context.Context, doer Doer, apiBase, uri, clientID string, idle time.Duration) (*Channel, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiBase+"/file/events?uri="+url.QueryEscape(uri), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(ClientIDHeader, clientID)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := doer.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		err = upstream.Action(Op).Check(resp, err)
		if err == nil { // an envelope with code 0 instead of a stream
			err = &upstream.HTTPError{Op: Op, StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Reason: "not an event stream"}
		}
		return nil, err
	}
	c := &Channel{body: resp.Body}
	c.next, c.stop = iter.Pull2(iter.Seq2[sse.Event, error](sse.Read(resp.Body, &sse.ReadConfig{MaxEventSize: maxEventSize})))
	if idle > 0 {
		c.idle = time.AfterFunc(idle, c.timeout)
		c.arm = func() { c.idle.Reset(idle) }
	}
	first, err := c.read()
	if err != nil {
		c.Close()
		return nil, err
	}
	switch first.Type {
	case "subscribed":
	case "resumed":
		c.Resumed = true
	default:
		c.Close()
		return nil, fmt.Errorf("fileevents: the channel started with %q, not subscribed or resumed", first.Type)
	}
	return c, nil
}

// Next returns the next change, skipping keep-alives. It fails with
// io.ErrUnexpectedEOF when the server ended the stream, ErrIdle, or what
// broke the connection.
func (c *Channel) Next() (Change, error) {
	for {
		ev, err := c.read()
		if err != nil {
			return Change{}, err
		}
		if ev.Type != "event" {
			continue // keep-alive, or a kind this facade does not know
		}
		var ch Change
		if err := json.Unmarshal([]byte(ev.Data), &ch); err != nil {
			return Change{}, fmt.Errorf("fileevents: an event that is not a change: %w", err)
		}
		return ch, nil
	}
}

func (c *Channel) read() (sse.Event, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return sse.Event{}, net.ErrClosed
	}
	c.reading = true
	c.mu.Unlock()
	ev, err, ok := c.next()
	c.mu.Lock()
	c.reading = false
	closed := c.closed
	c.mu.Unlock()
	if closed {
		c.stopOnce.Do(c.stop)
	}
	if c.arm != nil {
		c.arm()
	}
	switch {
	case closed:
		return sse.Event{}, net.ErrClosed
	case c.timedOut():
		return sse.Event{}, ErrIdle
	case !ok:
		return sse.Event{}, io.ErrUnexpectedEOF
	case err != nil:
		return sse.Event{}, upstream.WithoutURL(err)
	}
	return ev, nil
}

func (c *Channel) timeout() {
	c.mu.Lock()
	c.timed = true
	c.mu.Unlock()
	_ = c.body.Close()
}

func (c *Channel) timedOut() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.timed
}

// Close ends the connection; the server keeps the subscriber offline. It
// may be called while Next waits, which then fails with net.ErrClosed.
func (c *Channel) Close() {
	if c.idle != nil {
		c.idle.Stop()
	}
	_ = c.body.Close()
	c.mu.Lock()
	c.closed = true
	reading := c.reading
	c.mu.Unlock()
	if !reading {
		c.stopOnce.Do(c.stop)
	}
}
