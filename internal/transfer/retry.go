package transfer

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Retry says how often a failed chunk (or a broken download) is tried again.
type Retry struct {
	// Attempts is the total number of tries, the first included. Default 4.
	Attempts int
	// Backoff is the wait before the second try, doubled before each further
	// one. Default 200ms.
	Backoff time.Duration
	// MaxBackoff caps the wait. Default 5s.
	MaxBackoff time.Duration
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 4
	}
	if r.Backoff <= 0 {
		r.Backoff = 200 * time.Millisecond
	}
	if r.MaxBackoff <= 0 {
		r.MaxBackoff = 5 * time.Second
	}
	return r
}

// do runs fn until it succeeds, fails for good, or the attempts run out.
// fn gets the attempt number (0 for the first).
func (r Retry) do(ctx context.Context, fn func(attempt int) error) error {
	r = r.withDefaults()
	wait := r.Backoff
	for attempt := 0; ; attempt++ {
		err := fn(attempt)
		if err == nil || attempt+1 >= r.Attempts || !Retryable(err) || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, r.MaxBackoff)
	}
}

// Retryable reports whether an error may go away when the same request is
// sent again: no answer at all (but not the caller giving up), a server error
// or overload, or the upstream's I/O failure code.
func Retryable(err error) bool {
	var te *upstream.TransportError
	var he *upstream.HTTPError
	var ue *upstream.Error
	var se *StoreError
	switch {
	case errors.As(err, &te):
		return !te.Canceled
	case errors.As(err, &he):
		return retryableStatus(he.StatusCode)
	case errors.As(err, &se):
		return se.StatusCode == 0 || retryableStatus(se.StatusCode)
	case errors.As(err, &ue):
		return ue.Code == upstream.CodeIOFailed
	}
	return false
}

func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500
}
