package conformance

import (
	"context"
	"errors"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
)

// must fails the scenario on err and returns v: must(t, "what")(c.Call(…)).
func must[T any](t *testing.T, what string) func(T, error) T {
	t.Helper()
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func wantCode(t *testing.T, what string, err error, code connect.Code) {
	t.Helper()
	if connect.CodeOf(err) != code {
		t.Errorf("%s: got %v, want %v", what, err, code)
	}
}

// eventually polls cond until it holds or ctx ends; the pause grows so a
// real server is not hammered while a sandbox answers at once.
func eventually(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	pause := 10 * time.Millisecond
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(pause):
		}
		pause = min(2*pause, 500*time.Millisecond)
	}
}

// upstreamError is the UpstreamError detail of a facade error (nil if none).
func upstreamError(err error) (*commonv1.UpstreamError, *errdetails.ErrorInfo) {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return nil, nil
	}
	var up *commonv1.UpstreamError
	var info *errdetails.ErrorInfo
	for _, d := range ce.Details() {
		v, err := connectproto.UnmarshalErrorDetail(d)
		if err != nil {
			continue
		}
		switch m := v.(type) {
		case *commonv1.UpstreamError:
			up = m
		case *errdetails.ErrorInfo:
			info = m
		}
	}
	return up, info
}

// failedItems are a batch error's failed items by the name the caller gave.
func failedItems(err error) map[string]int32 {
	up, _ := upstreamError(err)
	out := map[string]int32{}
	for _, it := range up.GetItems() {
		out[it.GetItem()] = it.GetCode()
	}
	return out
}
