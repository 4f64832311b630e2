package upstream

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Error is a Cloudreve envelope whose code is not 0.
type Error struct {
	// Op is the operationId of the call that failed, e.g. "createArchive".
	Op string
	// HTTPStatus is the HTTP status the envelope came with: 200 almost always,
	// 400 or 401 for the storage callbacks.
	HTTPStatus int
	// Code is Cloudreve's error code (see codes.go).
	Code int
	// Msg is the server's human-readable message.
	Msg string
	// CorrelationID identifies the request in the server's logs, when it set one.
	CorrelationID string
	// Detail is the raw Go error text a server in debug mode adds.
	Detail string
	// Items holds the per-item errors of a partly failed batch (code 40081),
	// keyed by the item (a URI, a download source, …).
	Items map[string]*Error
	// Applied lists, for a batch that partly failed, the requested items that
	// were applied, as the request named them; nil when unknown (see
	// NameItems).
	Applied []string
	// Data is the envelope's data, kept raw: a lock conflict (40073) lists the
	// conflicting locks there and a partly failed batch the items that succeeded.
	Data json.RawMessage
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "cloudreve code %d", e.Code)
	if name := CodeName(e.Code); name != "" {
		fmt.Fprintf(&b, " (%s)", name)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if len(e.Items) > 0 {
		fmt.Fprintf(&b, " [%d failed: %s]", len(e.Items), strings.Join(e.ItemKeys(), ", "))
	}
	switch {
	case e.Applied == nil:
	case len(e.Applied) == 0:
		b.WriteString(" [no item was applied]")
	default:
		fmt.Fprintf(&b, " [applied to the other %d: %s]", len(e.Applied), strings.Join(e.Applied, ", "))
	}
	return b.String()
}

// ItemKeys lists the failed items of a batch in a stable order.
func (e *Error) ItemKeys() []string {
	keys := make([]string, 0, len(e.Items))
	for k := range e.Items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// HTTPError is an answer that is not a Cloudreve envelope: an unknown route
// (HTTP 404 "404 page not found", also what a community server answers to a
// commercial-only route), a server error, or a body that is not the JSON the
// operation promises.
type HTTPError struct {
	Op          string
	StatusCode  int
	ContentType string
	// Body is the beginning of the body, for the message; never a secret since
	// Cloudreve does not echo credentials.
	Body string
	// Reason says what was wrong when the status alone does not.
	Reason string
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "upstream answered HTTP %d", e.StatusCode)
	if e.ContentType != "" {
		fmt.Fprintf(&b, " (%s)", e.ContentType)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

// RouteMissing reports whether the server does not know the route at all,
// which is how a community server answers a commercial-only operation.
func (e *HTTPError) RouteMissing() bool { return e.StatusCode == 404 }

// TransportError is a call that got no answer: connection refused, reset,
// timeout, or the caller's context ending.
type TransportError struct {
	Op string
	// Timeout is true when a deadline or a network timeout ended the call.
	Timeout bool
	// Canceled is true when the caller's context was canceled.
	Canceled bool
	Err      error
}

func (e *TransportError) Error() string {
	what := "upstream unreachable"
	switch {
	case e.Timeout:
		what = "upstream timed out"
	case e.Canceled:
		what = "call canceled"
	}
	if e.Op != "" {
		return fmt.Sprintf("%s: %s: %v", e.Op, what, e.Err)
	}
	return fmt.Sprintf("%s: %v", what, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }
