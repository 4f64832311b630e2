package rpcerror

import (
	"errors"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// InvalidField is the InvalidArgument of a request field the facade
// refuses for a reason its validation rules cannot say, with a field
// violation naming it.
func InvalidField(field, description string) *connect.Error {
	ce := connect.NewError(connect.CodeInvalidArgument, errors.New(field+": "+description))
	addDetails(ce, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
		Field: field, Description: description,
	}}})
	return ce
}
