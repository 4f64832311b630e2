// Package lent keeps the tokens users lend the facade for work it does on
// their behalf after their call ended (task watches, folder watches):
// sealed in the NATS KV bucket CLOUDREVE_CREDENTIALS, renewed with the
// refresh token when the access token is refused, and deleted when the
// user's last piece of such work ends.
package lent

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/sealedkv"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Bucket of the sealed tokens.
const Bucket = "CLOUDREVE_CREDENTIALS"

// Tokens are a user's access token and, when lent, refresh token.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// ErrNone: no tokens stored, or they cannot be opened with this key.
var ErrNone = errors.New("no usable credentials stored")

// Store is the tokens of one kind of work, keyed by prefix and user id.
type Store struct {
	kv     *sealedkv.Store
	prefix string
}

// Open opens the bucket; each kind of work has its own prefix ("" for task
// watches, whose keys are the bare user ids).
func Open(ctx context.Context, js jetstream.JetStream, box *secretbox.Box, replicas int, prefix string) (*Store, error) {
	kv, err := sealedkv.Open(ctx, js, Bucket, "sealed user credentials of watches", box, replicas)
	if err != nil {
		return nil, err
	}
	return &Store{kv: kv, prefix: prefix}, nil
}

func (s *Store) key(userID string) string { return s.prefix + userID }

// Put stores a user's tokens. Tokens without a refresh token keep the one
// already stored for the user, so that a later call made without one does
// not shorten the life of the user's work.
func (s *Store) Put(ctx context.Context, userID string, t Tokens) error {
	if t.RefreshToken == "" {
		if old, err := s.Get(ctx, userID); err == nil {
			t.RefreshToken = old.RefreshToken
		}
	}
	return s.kv.Put(ctx, s.key(userID), t)
}

// Get returns a user's tokens, or ErrNone.
func (s *Store) Get(ctx context.Context, userID string) (Tokens, error) {
	var t Tokens
	err := s.kv.Get(ctx, s.key(userID), &t)
	if errors.Is(err, sealedkv.ErrSealedWithAnotherKey) {
		return Tokens{}, fmt.Errorf("%w: they are sealed with another key (replicas must share --secret-key)", ErrNone)
	}
	if errors.Is(err, sealedkv.ErrNotFound) {
		return Tokens{}, ErrNone
	}
	return t, err
}

// Renew replaces a user's access token with one the refresh token gets;
// false when there is no refresh token or the upstream refuses it.
func (s *Store) Renew(ctx context.Context, api cloudreveapi.ClientInterface, userID string) bool {
	t, err := s.Get(ctx, userID)
	if err != nil || t.RefreshToken == "" {
		return false
	}
	tok, err := upstream.Op[cloudreveapi.Token]("refreshToken").Need(api.RefreshToken(ctx, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: t.RefreshToken}))
	if err != nil {
		return false
	}
	t.AccessToken = tok.AccessToken
	if tok.RefreshToken != "" {
		t.RefreshToken = tok.RefreshToken
	}
	return s.Put(ctx, userID, t) == nil
}

// Release deletes a user's tokens once inUse reports no work of the user
// stored, in any replica. Work stores its tokens, then its record, then its
// tokens again, and the delete is revision-checked: so either inUse sees
// the record, or the tokens were stored again after their revision was read
// here (and the delete fails, or is undone).
func (s *Store) Release(ctx context.Context, userID string, inUse func(context.Context) (bool, error)) error {
	rev, err := s.kv.Revision(ctx, s.key(userID))
	if err != nil || rev == 0 {
		return err
	}
	used, err := inUse(ctx)
	if err != nil || used {
		return err
	}
	return s.kv.DeleteAt(ctx, s.key(userID), rev)
}

// Revision of a user's stored tokens (0: none), and DeleteAt, for tests of
// the release protocol.
func (s *Store) Revision(ctx context.Context, userID string) (uint64, error) {
	return s.kv.Revision(ctx, s.key(userID))
}

// DeleteAt deletes a user's tokens if still at revision rev.
func (s *Store) DeleteAt(ctx context.Context, userID string, rev uint64) error {
	return s.kv.DeleteAt(ctx, s.key(userID), rev)
}
