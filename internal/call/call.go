// Package call is the one way services call the upstream: a generated
// client method's raw answer goes through Op.Do (or Op.Need), which reads it
// once, judges the envelope and maps any failure to a Connect error.
//
//	d, err := call.Op[cloudreveapi.User]("getUser").Need(s.api.GetUser(ctx, id))
//
// Services hold a cloudreveapi.ClientInterface (the methods that return the
// *http.Response unread); the generated typed parsers are not used, so no
// answer is decoded twice and none is cut at a size limit. Packages below
// the services that want upstream errors rather than Connect errors use
// upstream.Op directly.
package call

import (
	"net/http"

	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Op names one upstream operation (its operationId, used in errors, logs and
// metrics) and the type of its answer's data.
type Op[T any] string

// Do decodes the data of a successful answer; nil when the answer had none.
func (op Op[T]) Do(resp *http.Response, err error) (*T, error) {
	d, err := upstream.Op[T](op).Decode(resp, err)
	return d, rpcerror.FromUpstream(err)
}

// Need is Do for operations whose success always carries data: an answer
// without it is the upstream's fault, reported as Internal.
func (op Op[T]) Need(resp *http.Response, err error) (*T, error) {
	d, err := upstream.Op[T](op).Need(resp, err)
	return d, rpcerror.FromUpstream(err)
}

// Value is Do for data the caller takes as a value: the zero value when the
// answer had none.
func (op Op[T]) Value(resp *http.Response, err error) (T, error) {
	d, err := op.Do(resp, err)
	if err != nil || d == nil {
		var zero T
		return zero, err
	}
	return *d, nil
}

// Action names an operation whose answer carries nothing the caller needs.
type Action string

// Do judges the answer; whatever data it has is skipped, not decoded.
func (op Action) Do(resp *http.Response, err error) error {
	return rpcerror.FromUpstream(upstream.Action(op).Check(resp, err))
}

// NoData is the error of a success answer that lacks the data it promises.
func NoData(op string) error { return rpcerror.FromUpstream(upstream.NoData(op)) }
