// Package pagetoken is the one codec of the page tokens the facade hands
// out. A token says where the next page starts in the upstream's terms (its
// cursor, or a page number and size when the server pages by offset);
// callers see an opaque string and give it back unchanged.
package pagetoken

import (
	"encoding/base64"
	"encoding/json"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Token is the position of a page.
type Token struct {
	Cursor string `json:"c,omitempty"`
	Page   int    `json:"p,omitempty"`
	Size   int    `json:"s,omitempty"`
}

// String encodes t; the zero Token (the first page, or no next page) is "".
func (t Token) String() string {
	if t == (Token{}) {
		return ""
	}
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Parse decodes a token a caller gave back; "" is the first page. A token
// the facade did not hand out is InvalidArgument, naming field.
func Parse(field, s string) (Token, error) {
	var t Token
	if s == "" {
		return t, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &t) != nil || t.Page < 0 || t.Size < 0 {
		return Token{}, connect.NewError(connect.CodeInvalidArgument, field+" is not one this facade handed out")
	}
	return t, nil
}

// CursorParam is the upstream's cursor parameter for t: nil on the first page.
func (t Token) CursorParam() *string { return values.NonZero(t.Cursor) }

// Next reads where the page after an answer starts: the upstream's cursor,
// or (offset pagination) the next page number when there is one. "" when
// the answer was the last page.
func Next(p *cloudreveapi.PaginationResults) string {
	if p == nil {
		return ""
	}
	if c := values.Deref(p.NextToken); c != "" {
		return Token{Cursor: c}.String()
	}
	if !values.Deref(p.IsCursor) && p.TotalItems != nil && p.PageSize > 0 && (p.Page+1)*p.PageSize < *p.TotalItems {
		return Token{Page: p.Page + 1, Size: p.PageSize}.String()
	}
	return ""
}
