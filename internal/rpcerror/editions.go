package rpcerror

// proOnly lists the operations only the commercial edition serves (marked
// x-cloudreve-edition: pro in openapi/cloudreve.yaml; a test keeps the two in
// step). A community server answers them with an HTTP 404.
var proOnly = map[string]bool{
	"reportAbuse":                  true,
	"prepareOpenIdSignIn":          true,
	"finishOpenIdSignIn":           true,
	"unlinkOpenId":                 true,
	"listAvailableStoragePolicies": true,
	"listAvailableNodes":           true,
	"listCreditChanges":            true,
	"listPayments":                 true,
	"relocateStoragePolicy":        true,
	"setPermission":                true,
	"deletePermissionSetting":      true,
	"listFileActivities":           true,
	"mountStoragePolicy":           true,
	"createPayment":                true,
	"getPaymentStatus":             true,
	"checkGiftCode":                true,
	"redeemGiftCode":               true,
	"listGroups":                   true,
}

// IsProOnly reports whether the operation (an operationId) exists only in the
// commercial edition.
func IsProOnly(operationID string) bool { return proOnly[operationID] }
