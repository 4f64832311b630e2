package tests

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// The shared rules of proto/cloudreve/common/v1/validate.proto hold on every
// protocol and in every service that uses them: an oversized or malformed
// URI or hashid is InvalidArgument, saying which rule it broke, before the upstream is
// called.
func TestSharedRulesRefuseBeforeTheUpstream(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	long := "cloudreve://my/" + strings.Repeat("a", 5000)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			opts := append(p.opts, withToken(e.alice.Token))
			files, shares, flows := fileClient(e.f, opts...), shareClient(e.f, opts...), workflowClient(e.f, opts...)
			before := e.up.requests.Load()
			for name, c := range map[string]struct {
				call func() error
				says string
			}{
				"5,000-character uri": {func() error {
					_, err := files.ListFiles(ctx, &filev1.ListFilesRequest{Uri: long})
					return err
				}, "a cloudreve:// URI is at most 4096 bytes"},
				"5,000-character uri in a batch": {func() error {
					_, err := files.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://my/a", long}, Dst: "cloudreve://my"})
					return err
				}, "a cloudreve:// URI is at most 4096 bytes"},
				"5,000-character archive source": {func() error {
					_, err := flows.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{long}, Dst: "cloudreve://my/a.zip"})
					return err
				}, "a cloudreve:// URI is at most 4096 bytes"},
				"unknown file system": {func() error {
					_, err := files.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://mine/x"})
					return err
				}, "must be a cloudreve:// URI"},
				"hashid": {func() error {
					_, err := shares.DeleteShareLink(ctx, &sharev1.DeleteShareLinkRequest{Id: "a/b"})
					return err
				}, "must be a hashid"},
			} {
				err := c.call()
				wantCode(t, name, err, connect.CodeInvalidArgument)
				if err != nil && !strings.Contains(err.Error(), c.says) {
					t.Errorf("%s: %q does not say %q", name, err, c.says)
				}
			}
			if n := e.up.requests.Load() - before; n != 0 {
				t.Errorf("%d requests reached the upstream", n)
			}
		})
	}
}
