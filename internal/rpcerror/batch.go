package rpcerror

import (
	"encoding/json"
	"strconv"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// addApplied says in the ErrorInfo metadata which items of a partly failed
// batch were applied, when the request's items are known (call.Over): a
// 40081 is a partial success, and a caller that retries the whole batch
// would otherwise repeat what was done. "applied_items" is their count,
// "applied" a JSON array of the items as the request named them.
// (UpstreamError has no field for them yet.)
func addApplied(meta map[string]string, ue *upstream.Error) {
	if ue.Code != upstream.CodeBatchPartialFailure || ue.Applied == nil {
		return
	}
	meta["applied_items"] = strconv.Itoa(len(ue.Applied))
	if b, err := json.Marshal(ue.Applied); err == nil {
		meta["applied"] = string(b)
	}
}
