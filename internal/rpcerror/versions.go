package rpcerror

import (
	"fmt"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// ReasonVersionTooOld is the ErrorInfo reason of a request the upstream's
// release cannot honour.
const ReasonVersionTooOld = "UPSTREAM_VERSION_TOO_OLD"

// FieldTooNew is the FailedPrecondition of a request field the upstream's
// release would silently ignore: the caller learns it before anything is
// sent, from a field violation that names the field and both versions.
func FieldTooNew(f upstream.Feature, have upstream.Version) *connect.Error {
	msg := fmt.Sprintf("%s needs Cloudreve %s or later; the upstream runs %s, which would ignore it", f.Name, f.Since, have)
	ce := connect.NewError(connect.CodeFailedPrecondition, fmt.Errorf("%s", msg))
	addDetails(ce,
		versionInfo(f, have),
		&errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
			Type: "UPSTREAM_VERSION", Subject: f.Name, Description: msg,
		}}},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
			Field: f.Name, Description: msg,
		}}},
	)
	return ce
}

// OperationTooNew is the Unimplemented of an operation the upstream's
// release does not serve.
func OperationTooNew(f upstream.Feature, have upstream.Version) *connect.Error {
	ce := connect.NewError(connect.CodeUnimplemented,
		fmt.Errorf("%s needs Cloudreve %s or later; the upstream runs %s", f.Name, f.Since, have))
	addDetails(ce, versionInfo(f, have))
	return ce
}

func versionInfo(f upstream.Feature, have upstream.Version) *errdetails.ErrorInfo {
	return &errdetails.ErrorInfo{Reason: ReasonVersionTooOld, Domain: Domain, Metadata: map[string]string{
		"feature":          f.Name,
		"required_version": f.Since.String(),
		"upstream_version": have.String(),
	}}
}
