package upstream

// Cloudreve error codes the facade acts on. The full table, with a short name
// for each code, is codeNames below; names are ours, meanings are the server's.
const (
	CodeOK                 = 0
	CodeNotSet             = -1 // a placeholder the server can leak, with an empty message
	CodeNotFullySuccessful = 203
	CodeLoginRequired      = 401
	CodeNoPermission       = 403
	CodeNotFound           = 404
	CodeConflict           = 409

	CodeParamError           = 40001
	CodeUploadFailed         = 40002
	CodeCreateFolderFailed   = 40003
	CodeObjectExists         = 40004
	CodeSignatureExpired     = 40005
	CodePolicyNotAllowed     = 40006
	CodeGroupNotAllowed      = 40007
	CodeAdminRequired        = 40008
	CodeUploadSessionExpired = 40011
	CodeInvalidChunkIndex    = 40012
	CodeInvalidContentLength = 40013
	CodeTooManyDirectLinks   = 40014
	CodeTooManyDownloads     = 40015
	CodeParentNotExist       = 40016
	CodeUserBanned           = 40017
	CodeUserNotActivated     = 40018
	CodeFeatureDisabled      = 40019
	CodeCredentialInvalid    = 40020
	CodeUserNotFound         = 40021
	Code2FAIncorrect         = 40022
	CodeLoginSessionMissing  = 40023
	CodeCaptchaError         = 40026
	CodeCaptchaRefresh       = 40027
	CodeFileNotFound         = 40044
	CodeCreateTaskFailed     = 40048
	CodeFileTooLarge         = 40049
	CodeInsufficientCapacity = 40051
	CodeIllegalObjectName    = 40052
	CodeRootProtected        = 40053
	CodeUploadInProgress     = 40054
	CodeUnsupportedArchive   = 40056
	CodeShareLinkInvalid     = 40058
	CodeIncorrectPassword    = 40069
	CodeLockConflict         = 40073
	CodeTooManyURIs          = 40074
	CodeLockTokenExpired     = 40075
	CodeStaleVersion         = 40076
	CodeEntityNotExist       = 40077
	CodeFileInTrash          = 40078
	CodeWalkLimit            = 40079
	CodeInvalidPassword      = 40080
	CodeBatchPartialFailure  = 40081
	CodeOwnerOnly            = 40082
	CodePurchaseRequired     = 40083
	CodeAnonymousShareDenied = 40088
	CodeScopeInsufficient    = 40089

	CodeDBError         = 50001
	CodeEncryptError    = 50002
	CodeIOFailed        = 50004
	CodeInternalSetting = 50005
	CodeCacheError      = 50006
	CodeCallbackError   = 50007
	CodeNodeOffline     = 50010
	CodeMetaQueryFailed = 50011
)

var codeNames = map[int]string{
	-1:    "not set",
	203:   "not fully successful",
	401:   "login required",
	403:   "no permission",
	404:   "not found",
	409:   "modified concurrently",
	40001: "parameter error",
	40002: "upload failed",
	40003: "create folder failed",
	40004: "object already exists",
	40005: "signature expired",
	40006: "storage policy does not allow this",
	40007: "group not allowed",
	40008: "admin required",
	40009: "master node not registered",
	40010: "phone binding required",
	40011: "upload session expired",
	40012: "invalid chunk index",
	40013: "invalid content length",
	40014: "too many direct links",
	40015: "too many remote downloads",
	40016: "parent does not exist",
	40017: "user banned",
	40018: "user not activated",
	40019: "feature disabled",
	40020: "credential invalid",
	40021: "user not found",
	40022: "2FA code incorrect",
	40023: "login session missing",
	40024: "WebAuthn init failed",
	40025: "WebAuthn credential invalid",
	40026: "captcha incorrect",
	40027: "captcha needs refresh",
	40028: "e-mail sending failed",
	40029: "temporary link invalid",
	40030: "temporary link expired",
	40031: "e-mail provider banned",
	40032: "e-mail already used",
	40033: "e-mail re-sent",
	40034: "user cannot be activated",
	40035: "storage policy not found",
	40036: "cannot delete default policy",
	40037: "policy used by files",
	40038: "policy bound to groups",
	40039: "group not found",
	40040: "invalid action on system group",
	40041: "group in use",
	40042: "cannot change initial user's group",
	40043: "invalid action on default user",
	40044: "file not found",
	40045: "list files failed",
	40046: "invalid action on system node",
	40047: "create filesystem failed",
	40048: "create task failed",
	40049: "file too large",
	40050: "file type not allowed",
	40051: "insufficient capacity",
	40052: "illegal object name",
	40053: "root folder protected",
	40054: "same-name upload in progress",
	40055: "file metadata mismatch",
	40056: "unsupported archive type",
	40057: "available storage policy changed",
	40058: "share link invalid",
	40059: "cannot save own share",
	40060: "slave cannot reach master",
	40061: "version mismatch",
	40062: "insufficient credit",
	40063: "group conflict",
	40064: "already in group",
	40065: "invalid gift code",
	40066: "OpenID already linked",
	40067: "OpenID linked to another account",
	40068: "OpenID not linked",
	40069: "incorrect share password",
	40070: "share preview disabled",
	40071: "invalid signature",
	40072: "admin cannot buy group",
	40073: "lock conflict",
	40074: "too many URIs in batch",
	40075: "lock token expired",
	40076: "stale version",
	40077: "entity does not exist",
	40078: "file is in trash",
	40079: "walked-file limit reached",
	40080: "invalid credentials",
	40081: "batch partly failed",
	40082: "owner-only operation",
	40083: "purchase required",
	40084: "managed account needs OpenID",
	40085: "amount too small",
	40086: "node used by a storage policy",
	40087: "domain not licensed",
	40088: "anonymous share access denied",
	40089: "token scope insufficient",
	50001: "database error",
	50002: "encryption error",
	50004: "I/O failed",
	50005: "internal setting error",
	50006: "cache operation failed",
	50007: "callback failed",
	50008: "settings update failed",
	50009: "add CORS policy failed",
	50010: "node offline",
	50011: "metadata query failed",
}

// CodeName is a short English name of a Cloudreve code, or "" if unknown.
func CodeName(code int) string { return codeNames[code] }
