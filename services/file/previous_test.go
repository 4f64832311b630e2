package file

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// A stale `previous` fails with FailedPrecondition on every release: 4.18.0
// checks it itself (40076), 4.0.0 ignores it and the facade checks it.
func TestStalePreviousFailsOnEveryRelease(t *testing.T) {
	for _, release := range sandboxtest.Releases {
		t.Run(release, func(t *testing.T) {
			up := sandboxtest.Start(t, sandbox.Options{Version: release, ChunkSize: 4})
			acct := up.NewAccount(t, "pia")
			svc := New(Config{Client: acct.Client, APIBase: up.APIURL, Versions: up.Versions(t)})
			mux := http.NewServeMux()
			server := connect.NewServer()
			filev1connect.RegisterFileServiceHandler(server, svc)
			connecthttp.Mount(mux, server)
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			client := filev1connect.NewFileServiceClient(connect.NewClient(connecthttp.NewTransport(srv.Client(), srv.URL)))
			ctx := context.Background()

			uri := "cloudreve://my/notes.txt"
			current := func() string {
				t.Helper()
				info, err := client.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: uri})
				if err != nil {
					t.Fatal(err)
				}
				return info.GetFile().GetPrimaryEntity()
			}
			if err := up.WriteFile(acct.ID, uri, []byte("one")); err != nil {
				t.Fatal(err)
			}
			first := current()
			if err := up.WriteFile(acct.ID, uri, []byte("two")); err != nil {
				t.Fatal(err)
			}
			second := current()
			if first == second || first == "" {
				t.Fatalf("versions %q %q", first, second)
			}

			upload := func(previous, content string) error {
				stream, err := client.UploadFile(ctx)
				if err != nil {
					return err
				}
				if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: &filev1.UploadFileHeader{
					Uri: uri, Size: int64(len(content)), Overwrite: true, Previous: previous,
				}}}); err != nil {
					_, err = stream.CloseAndReceive()
					return err
				}
				// In several messages, so that the upload has several chunks.
				for i := 0; i < len(content); i += 3 {
					end := min(i+3, len(content))
					if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: []byte(content[i:end])}}); err != nil {
						break // the server answered early; CloseAndReceive says why
					}
				}
				_, err = stream.CloseAndReceive()
				return err
			}
			if err := upload(first, "three, stale"); connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Fatalf("stale previous: %v", err)
			}
			if got, _ := up.ReadFile(acct.ID, uri); string(got) != "two" {
				t.Fatalf("the file changed to %q", got)
			}
			_, err := client.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{
				Uri: uri, Size: 5, EntityType: "version", Previous: first,
			})
			if connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Fatalf("stale previous, upload session: %v", err)
			}
			if n := up.UploadSessions(); n != 0 {
				t.Errorf("%d upload sessions left", n)
			}

			if err := upload(second, "three, current"); err != nil {
				t.Fatalf("current previous: %v", err)
			}
			if got, _ := up.ReadFile(acct.ID, uri); string(got) != "three, current" {
				t.Fatalf("the file is %q", got)
			}
			// A file that does not exist yet has no version to be stale.
			uri = "cloudreve://my/new.txt"
			if err := upload(second, "new"); err != nil {
				t.Fatalf("new file with previous: %v", err)
			}
		})
	}
}

// Operations 4.0.0 does not route fail with Unimplemented that names the
// release needed, without a call; on 4.18.0 they reach the server.
func TestOperationsMissingOnOldReleases(t *testing.T) {
	for _, release := range sandboxtest.Releases {
		t.Run(release, func(t *testing.T) {
			up := sandboxtest.Start(t, sandbox.Options{Version: release})
			svc := New(Config{Client: up.NewAccount(t, "oli").Client, APIBase: up.APIURL, Versions: up.Versions(t)})
			ctx := context.Background()
			_, archErr := svc.GetArchiveFileList(ctx, &filev1.GetArchiveFileListRequest{Uri: "cloudreve://my/none.zip"})
			_, linkErr := svc.DeleteDirectLink(ctx, &filev1.DeleteDirectLinkRequest{Id: "abcd"})
			if release == sandbox.Version40 {
				for _, err := range []error{archErr, linkErr} {
					if connect.CodeOf(err) != connect.CodeUnimplemented || !strings.Contains(err.Error(), "the upstream runs 4.0.0") {
						t.Errorf("want Unimplemented naming 4.0.0, got %v", err)
					}
				}
				return
			}
			// The server's own answers: no such archive, no such link.
			for _, err := range []error{archErr, linkErr} {
				if err == nil || connect.CodeOf(err) == connect.CodeUnimplemented {
					t.Errorf("want the server's answer, got %v", err)
				}
			}
		})
	}
}
