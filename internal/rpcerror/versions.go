package rpcerror

import (
	"fmt"

	"connectrpc.com/connect/v2"
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
	return withDetails(connect.NewError(connect.CodeFailedPrecondition, msg),
		versionInfo(f, have),
		&errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
			Type: "UPSTREAM_VERSION", Subject: f.Name, Description: msg,
		}}},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
			Field: f.Name, Description: msg,
		}}},
	)
}

// OperationTooNew is the Unimplemented of an operation the upstream's
// release does not serve.
func OperationTooNew(f upstream.Feature, have upstream.Version) *connect.Error {
	return withDetails(connect.Errorf(connect.CodeUnimplemented,
		"%s needs Cloudreve %s or later; the upstream runs %s", f.Name, f.Since, have), versionInfo(f, have))
}

func versionInfo(f upstream.Feature, have upstream.Version) *errdetails.ErrorInfo {
	return &errdetails.ErrorInfo{Reason: ReasonVersionTooOld, Domain: Domain, Metadata: map[string]string{
		"feature":          f.Name,
		"required_version": f.Since.String(),
		"upstream_version": have.String(),
	}}
}

// FeatureTooNew is the FailedPrecondition of a call that needs a part of
// the upstream's API its release lacks, where no request field is to
// blame (the file event channel).
func FeatureTooNew(f upstream.Feature, have upstream.Version) *connect.Error {
	msg := fmt.Sprintf("the upstream runs Cloudreve %s, which has no %s: it needs Cloudreve %s or later", have, f.Name, f.Since)
	return withDetails(connect.NewError(connect.CodeFailedPrecondition, msg), versionInfo(f, have), &errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
		Type: "UPSTREAM_VERSION", Subject: f.Name, Description: msg,
	}}})
}

// SwitchedOff is the FailedPrecondition of a feature the upstream's site
// settings turned off (Cloudreve's 40019): the upstream's details, and a
// message naming the feature, the setting and the release.
func SwitchedOff(ue *upstream.Error, what, setting string, have upstream.Version) *connect.Error {
	msg := fmt.Sprintf("the upstream (Cloudreve %s) has %s switched off (site setting %s)", have, what, setting)
	from, _ := fromCode(ue).(*connect.Error)
	ce := connect.NewError(connect.CodeFailedPrecondition, msg)
	for _, d := range from.Details() {
		ce = ce.WithDetail(d)
	}
	return withDetails(ce, &errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
		Type: "UPSTREAM_SETTING", Subject: setting, Description: msg,
	}}})
}
