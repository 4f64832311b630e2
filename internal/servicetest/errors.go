package servicetest

import (
	"errors"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
)

// UpstreamFailure is what a client read from an error that maps an upstream
// failure: the details internal/rpcerror attaches, decoded off the wire.
type UpstreamFailure struct {
	Info     *errdetails.ErrorInfo
	Upstream *commonv1.UpstreamError // nil when the upstream never answered
}

// WantUpstreamError fails the test unless err is a Connect error with code
// whose ErrorInfo names the cloudreve domain and operation op.
func WantUpstreamError(t testing.TB, err error, code connect.Code, op string) UpstreamFailure {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want a %v error from %s, got %v", code, op, err)
	}
	if ce.Code() != code {
		t.Fatalf("want %v from %s, got %v: %v", code, op, ce.Code(), ce.Message())
	}
	var f UpstreamFailure
	for _, d := range ce.Details() {
		v, derr := connectproto.UnmarshalErrorDetail(d)
		if derr != nil {
			t.Fatalf("undecodable detail %s: %v", d.Type, derr)
		}
		switch v := v.(type) {
		case *errdetails.ErrorInfo:
			f.Info = v
		case *commonv1.UpstreamError:
			f.Upstream = v
		}
	}
	if f.Info == nil || f.Info.GetDomain() != rpcerror.Domain || f.Info.GetMetadata()["operation"] != op {
		t.Fatalf("want an ErrorInfo of domain %q for operation %s, got %v", rpcerror.Domain, op, f.Info)
	}
	return f
}

// WantUpstreamCode is WantUpstreamError for a failure the upstream reported
// with its own code: the UpstreamError detail must carry that code.
func WantUpstreamCode(t testing.TB, err error, code connect.Code, op string, upstreamCode int) UpstreamFailure {
	t.Helper()
	f := WantUpstreamError(t, err, code, op)
	if f.Upstream == nil || f.Upstream.GetCode() != int32(upstreamCode) || f.Upstream.GetOperation() != op {
		t.Fatalf("want upstream code %d for %s, got %v", upstreamCode, op, f.Upstream)
	}
	if f.Info.GetReason() != rpcerror.ReasonFor(upstreamCode) {
		t.Errorf("ErrorInfo reason %q, want %q", f.Info.GetReason(), rpcerror.ReasonFor(upstreamCode))
	}
	return f
}
