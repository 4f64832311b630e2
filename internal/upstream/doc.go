// Package upstream is the one place where answers of the Cloudreve REST API are
// judged. Cloudreve reports almost every failure as HTTP 200 with a non-zero
// `code` in its JSON envelope; this package turns those into *Error values and
// real HTTP or transport failures into *HTTPError and *TransportError, so that
// callers of the generated client never inspect envelopes themselves.
package upstream
