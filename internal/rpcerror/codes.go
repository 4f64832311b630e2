package rpcerror

import (
	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// codeMap says which Connect code each Cloudreve code becomes. Codes not
// listed fall back by range in CodeFor.
var codeMap = map[int]connect.Code{
	upstream.CodeNotSet:             connect.CodeUnknown,
	upstream.CodeNotFullySuccessful: connect.CodeUnknown,
	upstream.CodeLoginRequired:      connect.CodeUnauthenticated,
	upstream.CodeNoPermission:       connect.CodePermissionDenied,
	upstream.CodeNotFound:           connect.CodeNotFound,
	upstream.CodeConflict:           connect.CodeAborted,

	upstream.CodeParamError:           connect.CodeInvalidArgument,
	upstream.CodeObjectExists:         connect.CodeAlreadyExists,
	upstream.CodeSignatureExpired:     connect.CodeUnauthenticated,
	upstream.CodePolicyNotAllowed:     connect.CodeFailedPrecondition,
	upstream.CodeGroupNotAllowed:      connect.CodePermissionDenied,
	upstream.CodeAdminRequired:        connect.CodePermissionDenied,
	upstream.CodeUploadSessionExpired: connect.CodeNotFound,
	upstream.CodeInvalidChunkIndex:    connect.CodeInvalidArgument,
	upstream.CodeInvalidContentLength: connect.CodeInvalidArgument,
	upstream.CodeTooManyDirectLinks:   connect.CodeInvalidArgument,
	upstream.CodeTooManyDownloads:     connect.CodeInvalidArgument,
	upstream.CodeParentNotExist:       connect.CodeNotFound,
	upstream.CodeUserBanned:           connect.CodePermissionDenied,
	upstream.CodeUserNotActivated:     connect.CodeFailedPrecondition,
	upstream.CodeFeatureDisabled:      connect.CodeFailedPrecondition,
	upstream.CodeCredentialInvalid:    connect.CodeUnauthenticated,
	upstream.CodeUserNotFound:         connect.CodeNotFound,
	upstream.Code2FAIncorrect:         connect.CodeUnauthenticated,
	upstream.CodeLoginSessionMissing:  connect.CodeNotFound,
	upstream.CodeCaptchaError:         connect.CodeInvalidArgument,
	upstream.CodeCaptchaRefresh:       connect.CodeFailedPrecondition,
	upstream.CodeFileNotFound:         connect.CodeNotFound,
	upstream.CodeCreateTaskFailed:     connect.CodeInternal,
	upstream.CodeFileTooLarge:         connect.CodeResourceExhausted,
	upstream.CodeInsufficientCapacity: connect.CodeResourceExhausted,
	upstream.CodeIllegalObjectName:    connect.CodeInvalidArgument,
	upstream.CodeRootProtected:        connect.CodeFailedPrecondition,
	upstream.CodeUploadInProgress:     connect.CodeAborted,
	upstream.CodeUnsupportedArchive:   connect.CodeInvalidArgument,
	upstream.CodeShareLinkInvalid:     connect.CodeNotFound,
	upstream.CodeIncorrectPassword:    connect.CodePermissionDenied,
	upstream.CodeLockConflict:         connect.CodeAborted,
	upstream.CodeTooManyURIs:          connect.CodeInvalidArgument,
	upstream.CodeLockTokenExpired:     connect.CodeAborted,
	upstream.CodeStaleVersion:         connect.CodeFailedPrecondition,
	upstream.CodeEntityNotExist:       connect.CodeNotFound,
	upstream.CodeFileInTrash:          connect.CodeFailedPrecondition,
	upstream.CodeWalkLimit:            connect.CodeResourceExhausted,
	upstream.CodeInvalidPassword:      connect.CodeUnauthenticated,
	upstream.CodeBatchPartialFailure:  connect.CodeAborted,
	upstream.CodeOwnerOnly:            connect.CodePermissionDenied,
	upstream.CodePurchaseRequired:     connect.CodeFailedPrecondition,
	upstream.CodeAnonymousShareDenied: connect.CodePermissionDenied,
	upstream.CodeScopeInsufficient:    connect.CodePermissionDenied,
	40032:                             connect.CodeAlreadyExists,   // e-mail already used
	40066:                             connect.CodeAlreadyExists,   // OpenID already linked
	40067:                             connect.CodeAlreadyExists,   // OpenID linked to another account
	40029:                             connect.CodeNotFound,        // temporary link invalid
	40025:                             connect.CodeUnauthenticated, // passkey assertion or attestation rejected
	40030:                             connect.CodeFailedPrecondition,
	40035:                             connect.CodeNotFound, // storage policy not found
	40039:                             connect.CodeNotFound, // group not found
	40062:                             connect.CodeFailedPrecondition,
	40065:                             connect.CodeNotFound, // invalid gift code

	upstream.CodeDBError:         connect.CodeInternal,
	upstream.CodeIOFailed:        connect.CodeUnavailable,
	upstream.CodeNodeOffline:     connect.CodeUnavailable,
	upstream.CodeInternalSetting: connect.CodeInternal,
}

// CodeFor is the Connect code of a Cloudreve code.
func CodeFor(upstreamCode int) connect.Code {
	if c, ok := codeMap[upstreamCode]; ok {
		return c
	}
	switch {
	case upstreamCode >= 50000 && upstreamCode < 60000:
		return connect.CodeInternal
	case upstreamCode >= 40000 && upstreamCode < 50000:
		return connect.CodeFailedPrecondition
	}
	return connect.CodeUnknown
}
