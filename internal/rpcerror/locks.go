package rpcerror

import (
	"encoding/json"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// withLocks adds the locks of a lock conflict (40073, whose data lists them)
// to its Connect error as a cloudreve.file.v1.LockConflict detail, so that
// callers can release them with ForceUnlock. Any operation that touches
// files can meet one.
func withLocks(ce *connect.Error, ue *upstream.Error) *connect.Error {
	if ue.Code != upstream.CodeLockConflict || len(ue.Data) == 0 {
		return ce
	}
	var locks []cloudreveapi.ConflictDetail
	if json.Unmarshal(ue.Data, &locks) != nil || len(locks) == 0 {
		return ce
	}
	detail := &filev1.LockConflict{}
	for _, l := range locks {
		app := l.Owner.Application
		detail.Locks = append(detail.Locks, &filev1.Lock{
			Path: values.Deref(l.Path), Token: values.Deref(l.Token), Type: files.FileType(l.Type),
			Application: string(app.Type), ViewerId: values.Deref(app.ViewerId), InnerXml: values.Deref(app.InnerXml),
		})
	}
	return withDetails(ce, detail)
}
