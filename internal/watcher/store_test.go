package watcher

import (
	"context"
	"errors"
	"testing"
)

// A user's credentials go when the last of the user's watches, on any
// replica, ends; never while another watch is stored, nor when they were
// stored again after the ending replica read them.
func TestReleaseCredentialsKeepsThoseStillNeeded(t *testing.T) {
	w, _, _ := newTestWatcher(t)
	ctx := context.Background()
	s := w.store
	creds := Credentials{AccessToken: "a", RefreshToken: "r"}
	stored := func() bool {
		_, err := s.credentials(ctx, "u1")
		if err != nil && !errors.Is(err, errNoCredentials) {
			t.Fatal(err)
		}
		return err == nil
	}

	if err := s.putWatch(ctx, record{UserID: "u1", TaskID: "t2", Type: "create_archive"}); err != nil {
		t.Fatal(err)
	}
	if err := s.putCredentials(ctx, "u1", creds); err != nil {
		t.Fatal(err)
	}
	if err := s.releaseCredentials(ctx, "u1"); err != nil || !stored() {
		t.Fatalf("released while t2 is watched: %v", err)
	}

	if err := s.deleteWatch(ctx, "u1", "t2"); err != nil {
		t.Fatal(err)
	}
	// Stored again (a new watch elsewhere) after this revision was read.
	rev, err := s.creds.Revision(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.putCredentials(ctx, "u1", creds); err != nil {
		t.Fatal(err)
	}
	if err := s.creds.DeleteAt(ctx, "u1", rev); err != nil || !stored() {
		t.Fatalf("a stale revision deleted newer credentials: %v", err)
	}

	if err := s.releaseCredentials(ctx, "u1"); err != nil || stored() {
		t.Fatalf("credentials kept after the last watch: %v", err)
	}
	if err := s.releaseCredentials(ctx, "u1"); err != nil {
		t.Fatalf("releasing nothing: %v", err)
	}
}
