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
			up, err := startSandbox(sandbox.Options{Version: version, ChunkSize: 64 << 10})
			if err != nil {
				t.Fatal(err)
			}
			defer up.close()
			ctx := context.Background()
			token, err := up.signIn(ctx)
			if err != nil {
				t.Fatal(err)
			}
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
