package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// GET /file/events: the server-sent file events of a folder, which 4.11.0
// added for the web client and no API document describes. Like 4.18.0 it
// needs a signed-in user, the site setting fs_event_push_enabled
// (Options.NoFileEvents turns it off: 40019), a folder the user can list
// (40016 otherwise) and a client id, a UUID in X-Cr-Client-Id that names
// the subscriber across connections (40001 without). It answers a stream
// of "subscribed" (or "resumed", with what was kept meanwhile), "event"
// and "keep-alive" events, and never ends it by itself, even once the
// token has expired. The hub is store_events.go.

const clientIDHeader = "X-Cr-Client-Id"

func (s *cloudreve) serveFileEvents(w http.ResponseWriter, r *http.Request) {
	u := caller(r.Context())
	if u == nil {
		s.writeError(w, r, errLoginRequired())
		return
	}
	if s.opts.NoFileEvents {
		s.writeError(w, r, fail(upstream.CodeFeatureDisabled, "This feature is not enabled"))
		return
	}
	raw := r.URL.Query().Get("uri")
	if raw == "" {
		s.writeError(w, r, bindErr("Uri cannot be empty"))
		return
	}
	sub, resumed, aerr := s.openSubscription(u, raw, r.Header.Get(clientIDHeader))
	if aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	flusher, _ := w.(http.Flusher)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream;charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	send := func(name string, data any) bool {
		if err := writeServerEvent(w, name, data); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}
	first := "subscribed"
	if resumed {
		first = "resumed"
	}
	keepAlive := time.NewTicker(s.opts.EventKeepAlive)
	defer keepAlive.Stop()
	defer s.store.closeSubscription(sub)
	if !send(first, nil) {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.store.closing():
			return
		case ev := <-sub.events():
			if !send("event", ev) {
				return
			}
		case <-keepAlive.C:
			if !send("keep-alive", nil) {
				return
			}
		}
	}
}

// openSubscription checks the folder and the client id, in the real
// server's order, and attaches the connection to its subscriber.
func (s *cloudreve) openSubscription(u *user, raw, clientID string) (*eventSub, bool, *apiError) {
	p, aerr := parseURI(raw)
	if aerr != nil {
		return nil, false, fail(upstream.CodeParamError, "Unknown uri")
	}
	return s.store.openSubscription(u, p, clientID)
}

// writeServerEvent frames one event as the real server's SSE encoder does:
// "event:<name>", then "data:" with the JSON of a value (and the encoder's
// newline) or, for none, the text "<nil>", then an empty line.
func writeServerEvent(w http.ResponseWriter, name string, data any) error {
	buf := []byte("event:" + name + "\ndata:")
	if data == nil {
		buf = append(buf, "<nil>\n\n"...)
	} else {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		buf = append(append(buf, b...), "\n\n"...)
	}
	_, err := w.Write(buf)
	return err
}

// actorOf is the client id a request named itself with (X-Cr-Client-Id).
func actorOf(ctx context.Context) string {
	if r := request(ctx); r != nil {
		return r.Header.Get(clientIDHeader)
	}
	return ""
}
