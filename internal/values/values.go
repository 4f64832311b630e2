// Package values converts between the two ways the facade spells "maybe a
// value": the generated REST client (gen/cloudreveapi) uses pointers for
// optional fields, while the proto messages use plain zero values. These
// helpers used to be copied into every converter; they live here once.
package values

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"
)

// Deref returns *p, or the zero value of T when p is nil.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// DerefSlice returns *p, or a nil slice when p is nil.
func DerefSlice[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// NonZero returns a pointer to a copy of v, or nil when v is the zero value,
// so that an unset proto field is left out of the upstream request.
func NonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// Timestamp converts t, or returns nil for the zero time so that an unset
// time stays unset in the proto message.
func Timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}
