package filewatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/jetsetup"
)

// WatchBucket holds the durable folder watches, keyed <user_id>.<watch_id>.
const WatchBucket = "CLOUDREVE_FILE_WATCHES"

// Record is what survives a restart about one folder watch.
type Record struct {
	UserID  string `json:"user_id"`
	WatchID string `json:"watch_id"`
	// URI is the watched folder, canonical (fileevents.CanonicalFolder).
	URI string `json:"uri"`
	// Account: the service account's session reads the folder; otherwise
	// the user's lent tokens do.
	Account bool `json:"account"`
	// Configured: declared by --watch-folders, not by an RPC.
	Configured bool      `json:"configured,omitempty"`
	Created    time.Time `json:"created"`
	// Connection counts the watch's connections to the upstream; the
	// replica that connects takes the next one (a revision-checked update),
	// so that event ids of two connections never collide.
	Connection uint64 `json:"connection"`
}

func recordKey(userID, watchID string) string { return userID + "." + watchID }

type store struct {
	kv jetstream.KeyValue
}

func openStore(ctx context.Context, js jetstream.JetStream, replicas int) (*store, error) {
	kv, err := jetsetup.KeyValue(ctx, js, jetstream.KeyValueConfig{
		Bucket: WatchBucket, Description: "folders the facade watches for file events", Storage: jetstream.FileStorage,
		Replicas: max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("filewatch: bucket %s: %w", WatchBucket, err)
	}
	return &store{kv: kv}, nil
}

func decodeRecord(entry jetstream.KeyValueEntry) (Record, error) {
	var r Record
	if err := json.Unmarshal(entry.Value(), &r); err != nil {
		return Record{}, fmt.Errorf("filewatch: record %s: %w", entry.Key(), err)
	}
	return r, nil
}

// get returns a watch's record and revision; ok false when there is none.
func (s *store) get(ctx context.Context, userID, watchID string) (Record, uint64, bool, error) {
	entry, err := s.kv.Get(ctx, recordKey(userID, watchID))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Record{}, 0, false, nil
	}
	if err != nil {
		return Record{}, 0, false, err
	}
	r, err := decodeRecord(entry)
	return r, entry.Revision(), err == nil, err
}

// create stores a new record; an existing one is kept and returned.
func (s *store) create(ctx context.Context, r Record) (Record, error) {
	raw, err := json.Marshal(r)
	if err != nil {
		return Record{}, err
	}
	if _, err := s.kv.Create(ctx, recordKey(r.UserID, r.WatchID), raw); err != nil {
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return Record{}, err
		}
		old, _, ok, gerr := s.get(ctx, r.UserID, r.WatchID)
		if gerr != nil || !ok {
			return Record{}, errors.Join(err, gerr)
		}
		return old, nil
	}
	return r, nil
}

// nextConnection takes the watch's next connection number; ok false when
// the watch is gone.
func (s *store) nextConnection(ctx context.Context, userID, watchID string) (uint64, bool, error) {
	for range 5 {
		r, rev, ok, err := s.get(ctx, userID, watchID)
		if err != nil || !ok {
			return 0, false, err
		}
		r.Connection++
		raw, err := json.Marshal(r)
		if err != nil {
			return 0, false, err
		}
		if _, err := s.kv.Update(ctx, recordKey(userID, watchID), raw, rev); err == nil {
			return r.Connection, true, nil
		} else if !errors.Is(err, jetstream.ErrKeyExists) {
			return 0, false, err
		}
	}
	return 0, false, errors.New("filewatch: the watch record keeps changing")
}

func (s *store) delete(ctx context.Context, userID, watchID string) error {
	err := s.kv.Delete(ctx, recordKey(userID, watchID))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	return err
}

// list returns the records under a key filter (">" for all), by key.
func (s *store) list(ctx context.Context, filter string) ([]Record, error) {
	lister, err := s.kv.ListKeysFiltered(ctx, filter)
	if err != nil {
		return nil, err
	}
	var keys []string
	for key := range lister.Keys() {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var out []Record
	for _, key := range keys {
		entry, err := s.kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		r, err := decodeRecord(entry)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ofUser lists a user's records, by watch id.
func (s *store) ofUser(ctx context.Context, userID string) ([]Record, error) {
	return s.list(ctx, recordKey(userID, "*"))
}

// userHasWatches reports whether any record of the user is stored.
func (s *store) userHasWatches(ctx context.Context, userID string) (bool, error) {
	lister, err := s.kv.ListKeysFiltered(ctx, recordKey(userID, "*"))
	if err != nil {
		return false, err
	}
	found := false
	for range lister.Keys() {
		found = true // drain the lister
	}
	return found, nil
}

// watchOfKey splits a key into user and watch id.
func watchOfKey(key string) (userID, watchID string, ok bool) {
	return strings.Cut(key, ".")
}
