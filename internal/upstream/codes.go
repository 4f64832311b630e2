package upstream

import "slices"

// Cloudreve error codes the facade (or its sandbox) acts on. The full table,
// with a short name and an ErrorInfo reason for each code, is codeTable
// below; names and reasons are ours, meanings are the server's.
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
	CodeWebAuthnInvalid      = 40025
	CodeCaptchaError         = 40026
	CodeCaptchaRefresh       = 40027
	CodeTempLinkInvalid      = 40029
	CodeTempLinkExpired      = 40030
	CodeEmailInUse           = 40032
	CodeStoragePolicyMissing = 40035
	CodeFileNotFound         = 40044
	CodeCreateTaskFailed     = 40048
	CodeFileTooLarge         = 40049
	CodeInsufficientCapacity = 40051
	CodeIllegalObjectName    = 40052
	CodeRootProtected        = 40053
	CodeUploadInProgress     = 40054
	CodeUnsupportedArchive   = 40056
	CodeShareLinkInvalid     = 40058
	CodeInsufficientCredit   = 40062
	CodeInvalidGiftCode      = 40065
	CodeOpenIDLinked         = 40066
	CodeOpenIDOtherAccount   = 40067
	CodeOpenIDNotLinked      = 40068
	CodeIncorrectPassword    = 40069
	CodeInvalidSignature     = 40071
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

// CodeInfo is what the facade says about one Cloudreve code.
type CodeInfo struct {
	// Name is a short English name, for messages and logs.
	Name string
	// Reason is the google.rpc.ErrorInfo reason of the code (AIP-193): one
	// UPPER_SNAKE_CASE word per kind of failure, stable across releases,
	// so that callers can switch on it without knowing Cloudreve's numbers.
	Reason string
}

// codeTable is every code Cloudreve documents. The mapping to Connect codes
// (internal/rpcerror), the reasons callers see and the sandbox's answers
// all read it; proto/cloudreve/common/v1/errors.proto lists the reasons.
var codeTable = map[int]CodeInfo{
	-1:    {"not set", "CODE_NOT_SET"},
	203:   {"not fully successful", "NOT_FULLY_SUCCESSFUL"},
	401:   {"login required", "LOGIN_REQUIRED"},
	403:   {"no permission", "NO_PERMISSION"},
	404:   {"not found", "NOT_FOUND"},
	409:   {"modified concurrently", "CONCURRENT_MODIFICATION"},
	40001: {"parameter error", "PARAMETER_ERROR"},
	40002: {"upload failed", "UPLOAD_FAILED"},
	40003: {"create folder failed", "CREATE_FOLDER_FAILED"},
	40004: {"object already exists", "OBJECT_EXISTS"},
	40005: {"signature expired", "SIGNATURE_EXPIRED"},
	40006: {"storage policy does not allow this", "STORAGE_POLICY_NOT_ALLOWED"},
	40007: {"group not allowed", "GROUP_NOT_ALLOWED"},
	40008: {"admin required", "ADMIN_REQUIRED"},
	40009: {"master node not registered", "MASTER_NODE_NOT_REGISTERED"},
	40010: {"phone binding required", "PHONE_BINDING_REQUIRED"},
	40011: {"upload session expired", "UPLOAD_SESSION_EXPIRED"},
	40012: {"invalid chunk index", "INVALID_CHUNK_INDEX"},
	40013: {"invalid content length", "INVALID_CONTENT_LENGTH"},
	40014: {"too many direct links", "TOO_MANY_DIRECT_LINKS"},
	40015: {"too many remote downloads", "TOO_MANY_REMOTE_DOWNLOADS"},
	40016: {"parent does not exist", "PARENT_NOT_FOUND"},
	40017: {"user banned", "USER_BANNED"},
	40018: {"user not activated", "USER_NOT_ACTIVATED"},
	40019: {"feature disabled", "FEATURE_DISABLED"},
	40020: {"credential invalid", "CREDENTIAL_INVALID"},
	40021: {"user not found", "USER_NOT_FOUND"},
	40022: {"2FA code incorrect", "TWO_FACTOR_CODE_INCORRECT"},
	40023: {"login session missing", "LOGIN_SESSION_MISSING"},
	40024: {"WebAuthn init failed", "WEBAUTHN_INIT_FAILED"},
	40025: {"WebAuthn credential invalid", "WEBAUTHN_CREDENTIAL_INVALID"},
	40026: {"captcha incorrect", "CAPTCHA_INCORRECT"},
	40027: {"captcha needs refresh", "CAPTCHA_REFRESH_NEEDED"},
	40028: {"e-mail sending failed", "EMAIL_SEND_FAILED"},
	40029: {"temporary link invalid", "TEMPORARY_LINK_INVALID"},
	40030: {"temporary link expired", "TEMPORARY_LINK_EXPIRED"},
	40031: {"e-mail provider banned", "EMAIL_PROVIDER_BANNED"},
	40032: {"e-mail already used", "EMAIL_IN_USE"},
	40033: {"e-mail re-sent", "EMAIL_RESENT"},
	40034: {"user cannot be activated", "USER_CANNOT_BE_ACTIVATED"},
	40035: {"storage policy not found", "STORAGE_POLICY_NOT_FOUND"},
	40036: {"cannot delete default policy", "DEFAULT_POLICY_UNDELETABLE"},
	40037: {"policy used by files", "POLICY_IN_USE"},
	40038: {"policy bound to groups", "POLICY_BOUND_TO_GROUPS"},
	40039: {"group not found", "GROUP_NOT_FOUND"},
	40040: {"invalid action on system group", "SYSTEM_GROUP_PROTECTED"},
	40041: {"group in use", "GROUP_IN_USE"},
	40042: {"cannot change initial user's group", "INITIAL_USER_GROUP_FIXED"},
	40043: {"invalid action on default user", "DEFAULT_USER_PROTECTED"},
	40044: {"file not found", "FILE_NOT_FOUND"},
	40045: {"list files failed", "LIST_FILES_FAILED"},
	40046: {"invalid action on system node", "SYSTEM_NODE_PROTECTED"},
	40047: {"create filesystem failed", "CREATE_FILESYSTEM_FAILED"},
	40048: {"create task failed", "CREATE_TASK_FAILED"},
	40049: {"file too large", "FILE_TOO_LARGE"},
	40050: {"file type not allowed", "FILE_TYPE_NOT_ALLOWED"},
	40051: {"insufficient capacity", "INSUFFICIENT_CAPACITY"},
	40052: {"illegal object name", "ILLEGAL_OBJECT_NAME"},
	40053: {"root folder protected", "ROOT_PROTECTED"},
	40054: {"same-name upload in progress", "UPLOAD_IN_PROGRESS"},
	40055: {"file metadata mismatch", "FILE_METADATA_MISMATCH"},
	40056: {"unsupported archive type", "UNSUPPORTED_ARCHIVE_TYPE"},
	40057: {"available storage policy changed", "AVAILABLE_POLICY_CHANGED"},
	40058: {"share link invalid", "SHARE_LINK_INVALID"},
	40059: {"cannot save own share", "OWN_SHARE_UNSAVABLE"},
	40060: {"slave cannot reach master", "MASTER_UNREACHABLE"},
	40061: {"version mismatch", "VERSION_MISMATCH"},
	40062: {"insufficient credit", "INSUFFICIENT_CREDIT"},
	40063: {"group conflict", "GROUP_CONFLICT"},
	40064: {"already in group", "ALREADY_IN_GROUP"},
	40065: {"invalid gift code", "INVALID_GIFT_CODE"},
	40066: {"OpenID already linked", "OPENID_ALREADY_LINKED"},
	40067: {"OpenID linked to another account", "OPENID_LINKED_ELSEWHERE"},
	40068: {"OpenID not linked", "OPENID_NOT_LINKED"},
	40069: {"incorrect share password", "SHARE_PASSWORD_INCORRECT"},
	40070: {"share preview disabled", "SHARE_PREVIEW_DISABLED"},
	40071: {"invalid signature", "SIGNATURE_INVALID"},
	40072: {"admin cannot buy group", "ADMIN_CANNOT_BUY_GROUP"},
	40073: {"lock conflict", "LOCK_CONFLICT"},
	40074: {"too many URIs in batch", "TOO_MANY_URIS"},
	40075: {"lock token expired", "LOCK_TOKEN_EXPIRED"},
	40076: {"stale version", "STALE_VERSION"},
	40077: {"entity does not exist", "ENTITY_NOT_FOUND"},
	40078: {"file is in trash", "FILE_IN_TRASH"},
	40079: {"walked-file limit reached", "WALK_LIMIT_REACHED"},
	40080: {"invalid credentials", "CREDENTIALS_INVALID"},
	40081: {"batch partly failed", "BATCH_PARTLY_FAILED"},
	40082: {"owner-only operation", "OWNER_ONLY"},
	40083: {"purchase required", "PURCHASE_REQUIRED"},
	40084: {"managed account needs OpenID", "MANAGED_ACCOUNT_NEEDS_OPENID"},
	40085: {"amount too small", "AMOUNT_TOO_SMALL"},
	40086: {"node used by a storage policy", "NODE_USED_BY_POLICY"},
	40087: {"domain not licensed", "DOMAIN_NOT_LICENSED"},
	40088: {"anonymous share access denied", "ANONYMOUS_SHARE_ACCESS_DENIED"},
	40089: {"token scope insufficient", "TOKEN_SCOPE_INSUFFICIENT"},
	50001: {"database error", "DATABASE_ERROR"},
	50002: {"encryption error", "ENCRYPTION_ERROR"},
	50004: {"I/O failed", "IO_FAILED"},
	50005: {"internal setting error", "INTERNAL_SETTING_ERROR"},
	50006: {"cache operation failed", "CACHE_OPERATION_FAILED"},
	50007: {"callback failed", "CALLBACK_FAILED"},
	50008: {"settings update failed", "SETTINGS_UPDATE_FAILED"},
	50009: {"add CORS policy failed", "CORS_POLICY_ADD_FAILED"},
	50010: {"node offline", "NODE_OFFLINE"},
	50011: {"metadata query failed", "METADATA_QUERY_FAILED"},
}

// CodeName is a short English name of a Cloudreve code, or "" if unknown.
func CodeName(code int) string { return codeTable[code].Name }

// Reason is the ErrorInfo reason of a Cloudreve code, or "" if unknown.
func Reason(code int) string { return codeTable[code].Reason }

// KnownCodes are the codes of the table, in ascending order.
func KnownCodes() []int {
	out := make([]int, 0, len(codeTable))
	for c := range codeTable {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
