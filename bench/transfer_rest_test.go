package main

import (
	"context"
	"testing"

	"github.com/cloudreve-connect/facade/sandbox"
)

// TestRESTUploadOnEveryVersion: B's upload works on servers before 4.18,
// which refuse an upload session that names no storage policy, as on
// 4.18, which takes the folder's.
func TestRESTUploadOnEveryVersion(t *testing.T) {
	for _, version := range []string{"4.0.0", "4.18.0"} {
		t.Run(version, func(t *testing.T) {
			const size = 100<<10 + 1
			up, token := signedInSandbox(t, sandbox.Options{Version: version, ChunkSize: 64 << 10})
			ctx := context.Background()
			c := newRESTClient(up.url, token)
			defer c.close()
			for _, uri := range []string{"cloudreve://my/a.bin", "cloudreve://my/b.bin"} { // the second from the cached policy
				if err := c.upload(ctx, uri, size, newPattern(size)); err != nil {
					t.Fatalf("upload %s: %v", uri, err)
				}
				if n, err := c.download(ctx, uri); err != nil || n != size {
					t.Fatalf("download %s: %d bytes, %v; want %d", uri, n, err, size)
				}
			}
		})
	}
}

// signedInSandbox starts a sandbox for the test's length and signs in to it.
func signedInSandbox(t *testing.T, opts sandbox.Options) (*upstream, string) {
	t.Helper()
	up, err := startSandbox(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(up.close)
	token, err := up.signIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return up, token
}
