package webdav

import (
	"context"
	"errors"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	webdavv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// disable_sys_files is honoured from 4.8.0; an older upstream would drop it
// without a word, so the facade refuses it there before sending anything.
func TestDisableSysFilesNeedsARecentUpstream(t *testing.T) {
	for _, release := range sandboxtest.Releases {
		t.Run(release, func(t *testing.T) {
			up := sandboxtest.Start(t, sandbox.Options{Version: release})
			s := New(up.NewAccount(t, "dave").Client, up.Versions(t))
			ctx := context.Background()
			old := release == sandbox.Version40

			created, err := s.CreateDavAccount(ctx, &webdavv1.CreateDavAccountRequest{Uri: "cloudreve://my", Name: "hidden", DisableSysFiles: true})
			if old {
				wantFieldViolation(t, err, "disable_sys_files")
				list, err := s.ListDavAccounts(ctx, &webdavv1.ListDavAccountsRequest{PageSize: 10})
				if err != nil || len(list.GetAccounts()) != 0 {
					t.Fatalf("an account was created anyway: %v %v", list, err)
				}
			} else if err != nil || !created.GetAccount().GetDisableSysFiles() {
				t.Fatalf("create: %v %v", created, err)
			}

			plain, err := s.CreateDavAccount(ctx, &webdavv1.CreateDavAccountRequest{Uri: "cloudreve://my", Name: "plain", Readonly: true})
			if err != nil || !plain.GetAccount().GetReadonly() || plain.GetAccount().GetDisableSysFiles() {
				t.Fatalf("create without the field: %v %v", plain, err)
			}
			id := plain.GetAccount().GetId()
			on, off := true, false
			updated, err := s.UpdateDavAccount(ctx, &webdavv1.UpdateDavAccountRequest{Id: id, DisableSysFiles: &on})
			if old {
				wantFieldViolation(t, err, "disable_sys_files")
			} else if err != nil || !updated.GetAccount().GetDisableSysFiles() {
				t.Fatalf("update: %v %v", updated, err)
			}
			// Turning it off is what an older server does anyway.
			updated, err = s.UpdateDavAccount(ctx, &webdavv1.UpdateDavAccountRequest{Id: id, DisableSysFiles: &off})
			if err != nil || updated.GetAccount().GetDisableSysFiles() || !updated.GetAccount().GetReadonly() {
				t.Fatalf("update to false: %v %v", updated, err)
			}
		})
	}
}

func wantFieldViolation(t *testing.T, err error, field string) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeFailedPrecondition {
		t.Fatalf("want FailedPrecondition, got %v", err)
	}
	if msg := ce.Message(); !strings.Contains(msg, field) || !strings.Contains(msg, "4.0.0") || !strings.Contains(msg, "4.8.0") {
		t.Errorf("the message names neither the field nor the versions: %q", msg)
	}
	for _, d := range ce.Details() {
		v, _ := connectproto.UnmarshalErrorDetail(d)
		if br, ok := v.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) == 1 && br.GetFieldViolations()[0].GetField() == field {
			return
		}
	}
	t.Fatalf("no field violation for %s in %v", field, err)
}
