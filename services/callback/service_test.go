package callback

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	callbackv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1/callbackv1connect"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// An upload straight to S3, reported complete through the facade; the
// callbacks' failures (answered by the upstream with HTTP 400/401 and an
// envelope) keep the Cloudreve code.
func TestCompleteS3Upload(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{StoragePolicy: "s3", ChunkSize: 4})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			owner := up.NewAccount(t, "olga-"+p.Name)
			server := connect.NewServer()
			callbackv1connect.RegisterCallbackServiceHandler(server, New(owner.Client))
			c := servicetest.Client(servicetest.Serve(t, server), p, callbackv1connect.NewCallbackServiceClient)
			ctx := context.Background()

			sess, err := upstream.Op[cloudreveapi.UploadSessionResponse]("createUploadSession").Need(owner.Client.CreateUploadSession(ctx,
				cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/s3.bin", Size: values.Ptr(int64(6))}))
			if err != nil {
				t.Fatal(err)
			}
			complete := &callbackv1.CompleteS3UploadRequest{SessionId: sess.SessionId, Key: sess.CallbackSecret}

			_, err = c.CompleteS3Upload(ctx, complete)
			servicetest.WantUpstreamCode(t, err, connect.CodeFailedPrecondition, "completeS3Upload", upstream.CodeUploadFailed)
			_, err = c.CompleteS3Upload(ctx, &callbackv1.CompleteS3UploadRequest{SessionId: sess.SessionId, Key: "wrong"})
			f := servicetest.WantUpstreamCode(t, err, connect.CodeUnauthenticated, "completeS3Upload", upstream.CodeCredentialInvalid)
			if f.Upstream.GetHttpStatus() != http.StatusUnauthorized {
				t.Errorf("HTTP status %d", f.Upstream.GetHttpStatus())
			}
			_, err = c.CompleteCosUpload(ctx, &callbackv1.CompleteCosUploadRequest{SessionId: sess.SessionId, Key: sess.CallbackSecret})
			servicetest.WantUpstreamCode(t, err, connect.CodeFailedPrecondition, "completeCosUpload", upstream.CodePolicyNotAllowed)

			putParts(t, *sess.UploadUrls, *sess.CompleteURL, "0123", "45")
			if _, err := c.CompleteS3Upload(ctx, complete); err != nil {
				t.Fatal(err)
			}
			if got, err := up.ReadFile(owner.ID, "cloudreve://my/s3.bin"); err != nil || string(got) != "012345" {
				t.Errorf("stored %q %v", got, err)
			}
			_, err = c.CompleteS3Upload(ctx, complete)
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "completeS3Upload", upstream.CodeUploadSessionExpired)
		})
	}
}

// The providers the sandbox has no policy of still route their callbacks:
// an unknown session is the upstream's to refuse.
func TestOtherProvidersCallbacks(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	server := connect.NewServer()
	callbackv1connect.RegisterCallbackServiceHandler(server, New(up.NewAccount(t, "pat").Client))
	srv := servicetest.Serve(t, server)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			c := servicetest.Client(srv, p, callbackv1connect.NewCallbackServiceClient)
			ctx := context.Background()
			_, err := c.CompleteObsUpload(ctx, &callbackv1.CompleteObsUploadRequest{SessionId: "gone", Key: "k"})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "completeObsUpload", upstream.CodeUploadSessionExpired)
			_, err = c.CompleteOneDriveUpload(ctx, &callbackv1.CompleteOneDriveUploadRequest{SessionId: "gone", Key: "k"})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "completeOneDriveUpload", upstream.CodeUploadSessionExpired)
		})
	}
}

// putParts uploads the parts to their presigned URLs and completes the
// multipart upload, as a client does against S3 itself.
func putParts(t *testing.T, urls []string, completeURL string, parts ...string) {
	t.Helper()
	var manifest strings.Builder
	for i, data := range parts {
		req, err := http.NewRequest(http.MethodPut, urls[i], strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("part %d: %v %v", i+1, err, resp)
		}
		resp.Body.Close()
		fmt.Fprintf(&manifest, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", i+1, resp.Header.Get("ETag"))
	}
	resp, err := http.Post(completeURL, "application/xml", strings.NewReader("<CompleteMultipartUpload>"+manifest.String()+"</CompleteMultipartUpload>"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("complete: %v %v", err, resp)
	}
	resp.Body.Close()
}
