package fileevents

import (
	"context"
	"path"
	"strings"

	"github.com/google/uuid"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Cloudreve reports a file restored from the trash as created under the
// random name it carried in the trash (4.18.0: "/3f2a…-…"), a path that
// does not exist. The facade asks for the file's real place instead.

// trashNamed reports a created change whose last element is such a name.
func trashNamed(c Change) bool {
	if c.Type != TypeCreate {
		return false
	}
	_, err := uuid.Parse(path.Base(c.From))
	return err == nil && len(path.Base(c.From)) == 36
}

// FixRestored returns c with the real path of a restored file below folder
// (canonical), read with the caller's credentials in ctx; c unchanged when
// it is no such change or the file cannot be found below the folder.
func FixRestored(ctx context.Context, api cloudreveapi.ClientInterface, folder string, c Change) Change {
	if !trashNamed(c) {
		return c
	}
	id := c.FileID
	f, err := upstream.Op[cloudreveapi.FileResponse]("getFileInfo").Need(api.GetFileInfo(ctx, &cloudreveapi.GetFileInfoParams{Id: &id}))
	if err != nil || f.Path == nil {
		return c
	}
	at, err := CanonicalFolder(*f.Path)
	if err != nil {
		return c
	}
	rel, ok := strings.CutPrefix(at, folder+"/")
	if !ok {
		return c
	}
	var elems []string
	for _, e := range strings.Split(rel, "/") {
		if d, err := pathUnescape(e); err == nil {
			elems = append(elems, d)
		}
	}
	c.From = "/" + strings.Join(elems, "/")
	return c
}
