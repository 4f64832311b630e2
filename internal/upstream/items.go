package upstream

import (
	"net/url"
	"strings"
)

// NameItems keys the failed items of a batch (code 40081) by the items as
// the request named them, and records the items that were applied.
//
// Cloudreve keys a failed cloudreve:// URI by its own re-encoding: it parses
// the URI (Go's net/url), drops a trailing "/" from the path and prints it
// again, so "cloudreve://my/a b é.txt" comes back as
// "cloudreve://my/a%20b%20%C3%A9.txt". Other items (download sources) come
// back verbatim. A key that matches no requested item is kept as the server
// gave it; Applied is then left unknown (nil), since which requested item it
// stands for cannot be told.
//
// The server applies a batch's other items before it answers 40081 (it
// drops only the items it could not resolve), so every requested item that
// did not fail was applied.
//
// Passwords in URIs (share links) are dropped from the names: errors reach
// logs.
func (e *Error) NameItems(requested []string) {
	if e == nil || e.Code != CodeBatchPartialFailure || len(e.Items) == 0 || len(requested) == 0 {
		return
	}
	byKey := make(map[string]string, len(requested))
	for _, r := range requested {
		// A verbatim key wins over a re-encoded one: a source that is
		// reported verbatim must not be taken for another one.
		byKey[r] = r
	}
	for _, r := range requested {
		if k := ServerItemKey(r); k != r {
			if _, taken := byKey[k]; !taken {
				byKey[k] = r
			}
		}
	}
	named := make(map[string]*Error, len(e.Items))
	failed := make(map[string]bool, len(e.Items))
	matchedAll := true
	for key, item := range e.Items {
		name, ok := byKey[key]
		if !ok {
			matchedAll = false
			name = key
		}
		failed[name] = true
		named[withoutPassword(name)] = item
	}
	e.Items = named
	if !matchedAll {
		return
	}
	e.Applied = []string{}
	seen := map[string]bool{}
	for _, r := range requested {
		if !failed[r] && !seen[r] {
			seen[r] = true
			e.Applied = append(e.Applied, withoutPassword(r))
		}
	}
}

// ServerItemKey is the key Cloudreve gives a cloudreve:// URI in a batch's
// aggregated errors; other strings are their own key.
func ServerItemKey(item string) string {
	u, err := url.Parse(item)
	if err != nil || u.Scheme != "cloudreve" {
		return item
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String()
}

// withoutPassword drops the password of a URI's user info (a share link's
// password), keeping the rest as it was written.
func withoutPassword(item string) string {
	u, err := url.Parse(item)
	if err != nil || u.User == nil {
		return item
	}
	if _, has := u.User.Password(); !has {
		return item
	}
	scheme, rest, ok := strings.Cut(item, "://")
	if !ok {
		return item
	}
	authority, _, _ := strings.Cut(rest, "/")
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return item
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + rest[at:]
}
