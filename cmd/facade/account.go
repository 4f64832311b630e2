package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/sealedkv"
	"github.com/cloudreve-connect/facade/internal/secretbox"
)

// AccountBucket keeps the service account's session (its refresh token,
// sealed) across restarts.
const AccountBucket = "CLOUDREVE_SERVICE_ACCOUNT"

// accountStore is the auth.TokenStore of the service account: one sealed
// KV entry per upstream and account, so that a facade pointed at another
// server or account never picks up a foreign session.
type accountStore struct {
	kv  *sealedkv.Store
	key string
}

type storedSession struct {
	RefreshToken string `json:"refresh_token"`
}

func newAccountStore(ctx context.Context, nc *nats.Conn, box *secretbox.Box, apiURL string, cfg *config) (*accountStore, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	kv, err := sealedkv.Open(ctx, js, AccountBucket, "sealed session of the facade's service account", box, cfg.NATSReplicas)
	if err != nil {
		return nil, err
	}
	who := "email:" + cfg.AccountEmail
	if cfg.AccountEmail == "" {
		sum := sha256.Sum256([]byte(cfg.AccountRefreshToken))
		who = "token:" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(apiURL + "\n" + who))
	return &accountStore{kv: kv, key: "account." + hex.EncodeToString(sum[:16])}, nil
}

func (s *accountStore) Load(ctx context.Context) (string, error) {
	var v storedSession
	err := s.kv.Get(ctx, s.key, &v)
	if errors.Is(err, sealedkv.ErrNotFound) {
		return "", nil
	}
	return v.RefreshToken, err
}

func (s *accountStore) Save(ctx context.Context, refreshToken string) error {
	return s.kv.Put(ctx, s.key, storedSession{RefreshToken: refreshToken})
}

func (s *accountStore) Clear(ctx context.Context) error { return s.kv.Delete(ctx, s.key) }
