package upstream

import (
	"context"
	"io"
	"net/http"
	"time"
)

// DeadlineTransport bounds every upstream call, body included: never longer
// than Max (0: no bound of its own), and ending a little before the caller's
// deadline when the request's context has one, so that the facade still has
// time to answer DeadlineExceeded with its details before the caller gives up.
type DeadlineTransport struct {
	Base http.RoundTripper
	Max  time.Duration
}

// CallTimeout is the time an upstream call made at now under ctx may take:
// limit (Max), or less when the caller's deadline is nearer, minus a tenth of the
// time left (at most a second) for the answer to travel back.
func CallTimeout(ctx context.Context, limit time.Duration, now time.Time) (time.Duration, bool) {
	d, bounded := limit, limit > 0
	if dl, ok := ctx.Deadline(); ok {
		left := dl.Sub(now)
		left -= min(left/10, time.Second)
		if !bounded || left < d {
			d, bounded = left, true
		}
	}
	return max(d, time.Millisecond), bounded
}

func (t DeadlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	timeout, bounded := CallTimeout(req.Context(), t.Max, time.Now())
	if !bounded {
		return t.Base.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	resp, err := t.Base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

// cancelOnClose keeps the call's context alive until its body is read.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
