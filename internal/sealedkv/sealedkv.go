// Package sealedkv keeps secrets (tokens) in a NATS KV bucket, sealed with
// internal/secretbox: each value is JSON, encrypted with the key as
// associated data, so that nothing secret is stored in the clear and a
// sealed value cannot be moved to another key.
package sealedkv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/jetsetup"
	"github.com/cloudreve-connect/facade/internal/secretbox"
)

// ErrNotFound is returned for a key with no value, or with a value this box
// cannot open (sealed with another key, or tampered with).
var ErrNotFound = errors.New("sealedkv: no usable value stored")

// ErrSealedWithAnotherKey is an ErrNotFound whose value exists but does not
// open with this key: typically replicas started with different secret keys.
var ErrSealedWithAnotherKey = fmt.Errorf("%w: sealed with another key", ErrNotFound)

// Store is one bucket of sealed values.
type Store struct {
	kv  jetstream.KeyValue
	box *secretbox.Box
}

// Open creates the bucket (file storage, with this many replicas in a
// cluster; 0 means 1) if needed.
func Open(ctx context.Context, js jetstream.JetStream, bucket, description string, box *secretbox.Box, replicas int) (*Store, error) {
	kv, err := jetsetup.KeyValue(ctx, js, jetstream.KeyValueConfig{
		Bucket: bucket, Description: description, Storage: jetstream.FileStorage, Replicas: max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("sealedkv: bucket %s: %w", bucket, err)
	}
	return &Store{kv: kv, box: box}, nil
}

// Put seals v (as JSON) under key.
func (s *Store) Put(ctx context.Context, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	sealed, err := s.box.Seal(raw, []byte(key))
	if err != nil {
		return err
	}
	_, err = s.kv.Put(ctx, key, sealed)
	return err
}

// Get opens the value of key into v; ErrNotFound when there is none usable.
func (s *Store) Get(ctx context.Context, key string, v any) error {
	entry, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	raw, err := s.box.Open(entry.Value(), []byte(key))
	if err != nil {
		return ErrSealedWithAnotherKey
	}
	if json.Unmarshal(raw, v) != nil {
		return ErrNotFound
	}
	return nil
}

// Delete removes key; a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.kv.Delete(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	return err
}

// Revision of key's current value; 0 when there is none.
func (s *Store) Revision(ctx context.Context, key string) (uint64, error) {
	entry, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return entry.Revision(), nil
}

// DeleteAt removes key only if its value is still at revision rev: a value
// written meanwhile (by another process) is kept, and that is no error.
func (s *Store) DeleteAt(ctx context.Context, key string, rev uint64) error {
	err := s.kv.Delete(ctx, key, jetstream.LastRevision(rev))
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyExists) {
		return nil
	}
	return err
}
