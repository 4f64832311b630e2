package rpcerror

import (
	"connectrpc.com/connect/v2"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// InvalidField is the InvalidArgument of a request field the facade
// refuses for a reason its validation rules cannot say, with a field
// violation naming it.
func InvalidField(field, description string) *connect.Error {
	return withDetails(connect.NewError(connect.CodeInvalidArgument, field+": "+description), &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
		Field: field, Description: description,
	}}})
}
