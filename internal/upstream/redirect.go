package upstream

import (
	"context"
	"errors"
	"net/http"
)

type noRedirectKey struct{}

// WithoutRedirects marks a call whose redirect is the answer itself (a
// profile picture served by Gravatar): the HTTP client hands the 3xx back
// instead of following it, provided it uses CheckRedirect.
func WithoutRedirects(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRedirectKey{}, true)
}

// CheckRedirect is the facade's http.Client redirect policy: the standard
// one (at most 10 hops), except for calls marked WithoutRedirects.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if marked, _ := req.Context().Value(noRedirectKey{}).(bool); marked {
		return http.ErrUseLastResponse
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}
