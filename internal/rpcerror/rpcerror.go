// Package rpcerror turns upstream failures into Connect errors, once for every
// service: the Connect code says what kind of failure it was, and each error
// carries two details, a google.rpc.ErrorInfo (for generic tooling) and a
// cloudreve.common.v1.UpstreamError (the Cloudreve code, message, correlation
// id and the failed items of a batch).
package rpcerror

import (
	"errors"
	"fmt"
	"net/http"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Domain is the ErrorInfo domain of errors that come from Cloudreve.
const Domain = "cloudreve"

// ErrorInfo reasons of failures that are not a Cloudreve code; a Cloudreve
// code has the reason of internal/upstream's table (ReasonFor).
const (
	ReasonUpstreamCode = "CLOUDREVE_ERROR"      // a Cloudreve code the table does not know
	ReasonUpstreamHTTP = "UPSTREAM_HTTP"        // an answer that was not an envelope
	ReasonUnreachable  = "UPSTREAM_UNREACHABLE" // no answer at all
	ReasonProOnly      = "COMMERCIAL_EDITION_ONLY"
)

// ReasonFor is the ErrorInfo reason of a Cloudreve code.
func ReasonFor(upstreamCode int) string {
	if r := upstream.Reason(upstreamCode); r != "" {
		return r
	}
	return ReasonUpstreamCode
}

// errorInfo is the ErrorInfo of an upstream failure: what generic tooling
// reads (reason, domain, operation). Everything else Cloudreve said is in
// the cloudreve.common.v1.UpstreamError next to it, never in both.
func errorInfo(reason, op string) *errdetails.ErrorInfo {
	return &errdetails.ErrorInfo{Reason: reason, Domain: Domain, Metadata: map[string]string{"operation": op}}
}

// FromUpstream maps an error of upstream.Check (or any error met while calling
// the upstream) to a *connect.Error. nil stays nil; a *connect.Error passes
// through unchanged.
func FromUpstream(err error) error {
	if err == nil {
		return nil
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		return ce
	}
	var ue *upstream.Error
	var he *upstream.HTTPError
	var te *upstream.TransportError
	switch {
	case errors.As(err, &ue):
		return fromCode(ue)
	case errors.As(err, &he):
		return fromHTTP(he)
	case errors.As(err, &te):
		return fromTransport(te)
	}
	return connect.NewError(connect.CodeInternal, err.Error()).WithCause(err)
}

func fromCode(ue *upstream.Error) error {
	code := CodeFor(ue.Code)
	if ue.Code == upstream.CodeBatchPartialFailure {
		code = batchCode(ue)
	}
	ce := connect.NewError(code, ue.Error()).WithCause(ue)
	detail := &commonv1.UpstreamError{
		Code:          int32(ue.Code),
		Message:       ue.Msg,
		CorrelationId: ue.CorrelationID,
		Operation:     ue.Op,
		HttpStatus:    int32(ue.HTTPStatus),
		Applied:       ue.Applied,
	}
	for _, key := range ue.ItemKeys() {
		item := ue.Items[key]
		detail.Items = append(detail.Items, &commonv1.ItemError{
			Item: key, Code: int32(item.Code), Message: item.Msg, CorrelationId: item.CorrelationID,
		})
	}
	return withLocks(withDetails(ce, errorInfo(ReasonFor(ue.Code), ue.Op), detail), ue)
}

// batchCode picks the code of a partly failed batch: the items' own code when
// they all failed the same way, Aborted otherwise.
func batchCode(ue *upstream.Error) connect.Code {
	code := connect.CodeAborted
	first := true
	for _, item := range ue.Items {
		c := CodeFor(item.Code)
		if first {
			code, first = c, false
		} else if c != code {
			return connect.CodeAborted
		}
	}
	return code
}

func fromHTTP(he *upstream.HTTPError) error {
	var code connect.Code
	var err error = he
	reason := ReasonUpstreamHTTP
	switch {
	case he.RouteMissing() && IsProOnly(he.Op):
		code = connect.CodeUnimplemented
		reason = ReasonProOnly
		err = fmt.Errorf("%s is served only by the commercial (pro) edition of Cloudreve, and the upstream server does not serve it", he.Op)
	case he.RouteMissing():
		code = connect.CodeUnimplemented
		err = fmt.Errorf("the upstream Cloudreve server has no route for %s (is it older than 4.x?): %w", he.Op, he)
	case he.StatusCode == http.StatusTooManyRequests:
		code = connect.CodeResourceExhausted
	case he.StatusCode == http.StatusUnauthorized:
		code = connect.CodeUnauthenticated
	case he.StatusCode == http.StatusBadGateway, he.StatusCode == http.StatusServiceUnavailable, he.StatusCode == http.StatusGatewayTimeout:
		code = connect.CodeUnavailable
	default:
		code = connect.CodeInternal
	}
	return withDetails(connect.NewError(code, err.Error()).WithCause(err),
		errorInfo(reason, he.Op), &commonv1.UpstreamError{Operation: he.Op, HttpStatus: int32(he.StatusCode), Message: he.Error()})
}

func fromTransport(te *upstream.TransportError) error {
	code := connect.CodeUnavailable
	switch {
	case te.Timeout:
		code = connect.CodeDeadlineExceeded
	case te.Canceled:
		code = connect.CodeCanceled
	}
	return withDetails(connect.NewError(code, te.Error()).WithCause(te), errorInfo(ReasonUnreachable, te.Op))
}

// withDetails returns ce with msgs as error details (WithDetail copies the
// error, so callers keep the result).
func withDetails(ce *connect.Error, msgs ...proto.Message) *connect.Error {
	for _, m := range msgs {
		if d, err := connectproto.NewErrorDetail(m); err == nil {
			ce = ce.WithDetail(d)
		}
	}
	return ce
}
