package watcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/jetsetup"
	"github.com/cloudreve-connect/facade/internal/lent"
	"github.com/cloudreve-connect/facade/internal/secretbox"
)

// KV buckets of the watcher's state.
const (
	WatchBucket      = "CLOUDREVE_TASK_WATCHES"
	CredentialBucket = lent.Bucket
	DiscoveryBucket  = "CLOUDREVE_TASK_DISCOVERY"
)

// record is what survives a restart about one watch. The last snapshot is
// not here: it is the task's newest event in the stream.
type record struct {
	UserID string `json:"user_id"`
	TaskID string `json:"task_id"`
	Type   string `json:"type"`
	// Account is true when the service account's session polls the task,
	// false when the user's own stored credentials do.
	Account bool `json:"account"`
}

// Credentials are a user's tokens, kept sealed in the credential bucket.
type Credentials = lent.Tokens

type store struct {
	watches   jetstream.KeyValue
	creds     *lent.Store        // by user id
	discovery jetstream.KeyValue // by user id: RFC 3339 time
}

func openStore(ctx context.Context, js jetstream.JetStream, box *secretbox.Box, replicas int) (*store, error) {
	watches, err := jetsetup.KeyValue(ctx, js, jetstream.KeyValueConfig{
		Bucket: WatchBucket, Description: "tasks the facade watches", Storage: jetstream.FileStorage, Replicas: replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("watcher: bucket %s: %w", WatchBucket, err)
	}
	creds, err := lent.Open(ctx, js, box, replicas, "")
	if err != nil {
		return nil, err
	}
	discovery, err := jetsetup.KeyValue(ctx, js, jetstream.KeyValueConfig{
		Bucket: DiscoveryBucket, Description: "since when the facade discovers each account's tasks", Storage: jetstream.FileStorage,
		Replicas: replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("watcher: bucket %s: %w", DiscoveryBucket, err)
	}
	return &store{watches: watches, creds: creds, discovery: discovery}, nil
}

// discoverySince returns when discovery of a user's tasks began: tasks the
// upstream created after it are new to the facade, across restarts.
func (s *store) discoverySince(ctx context.Context, userID string) (time.Time, bool, error) {
	entry, err := s.discovery.Get(ctx, userID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	var since time.Time
	if err := since.UnmarshalText(entry.Value()); err != nil {
		return time.Time{}, false, fmt.Errorf("watcher: discovery mark of %s: %w", userID, err)
	}
	return since, true, nil
}

func (s *store) putDiscoverySince(ctx context.Context, userID string, since time.Time) error {
	raw, err := since.MarshalText()
	if err != nil {
		return err
	}
	_, err = s.discovery.Put(ctx, userID, raw)
	return err
}

func watchKey(userID, taskID string) string { return userID + "." + taskID }

func (s *store) putWatch(ctx context.Context, r record) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = s.watches.Put(ctx, watchKey(r.UserID, r.TaskID), raw)
	return err
}

func (s *store) deleteWatch(ctx context.Context, userID, taskID string) error {
	err := s.watches.Delete(ctx, watchKey(userID, taskID))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	return err
}

func (s *store) listWatches(ctx context.Context) ([]record, error) {
	keys, err := s.watches.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []record
	for key := range keys.Keys() {
		entry, err := s.watches.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var r record
		if err := json.Unmarshal(entry.Value(), &r); err != nil {
			return nil, fmt.Errorf("watcher: record %s: %w", key, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// putCredentials stores a user's tokens (lent.Store.Put).
func (s *store) putCredentials(ctx context.Context, userID string, c Credentials) error {
	return s.creds.Put(ctx, userID, c)
}

// errNoCredentials: none stored, or they cannot be opened with this key.
var errNoCredentials = lent.ErrNone

func (s *store) credentials(ctx context.Context, userID string) (Credentials, error) {
	return s.creds.Get(ctx, userID)
}

// releaseCredentials deletes a user's credentials once no watch of the
// user is stored, in any replica (lent.Store.Release).
func (s *store) releaseCredentials(ctx context.Context, userID string) error {
	return s.creds.Release(ctx, userID, func(ctx context.Context) (bool, error) {
		lister, err := s.watches.ListKeysFiltered(ctx, watchKey(userID, "*"))
		if err != nil {
			return false, err
		}
		others := false
		for range lister.Keys() {
			others = true // drain the lister
		}
		return others, nil
	})
}
