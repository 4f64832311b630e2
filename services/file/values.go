package file

import (
	"bytes"
	"io"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"
)

func ptr[T any](v T) *T { return &v }

// opt is nil for an empty string: the upstream treats a missing field and
// an empty one differently in places.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// flagOf sends a bool only when it is set.
func flagOf(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}

func flagValue(b *bool) bool { return b != nil && *b }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
