package values

import (
	"testing"
	"time"
)

func TestDeref(t *testing.T) {
	s := "x"
	for _, c := range []struct {
		name string
		in   *string
		want string
	}{{"nil", nil, ""}, {"set", &s, "x"}} {
		if got := Deref(c.in); got != c.want {
			t.Errorf("%s: Deref = %q, want %q", c.name, got, c.want)
		}
	}
	if Deref[bool](nil) || Deref[int64](nil) != 0 {
		t.Error("Deref(nil) must be the zero value")
	}
}

func TestDerefSlice(t *testing.T) {
	l := []string{"a", "b"}
	if got := DerefSlice[string](nil); got != nil {
		t.Errorf("DerefSlice(nil) = %v, want nil", got)
	}
	if got := DerefSlice(&l); len(got) != 2 || got[1] != "b" {
		t.Errorf("DerefSlice = %v, want %v", got, l)
	}
}

func TestPtr(t *testing.T) {
	v := 3
	p := Ptr(v)
	v = 4
	if *p != 3 {
		t.Errorf("*Ptr = %d, want a copy (3)", *p)
	}
	if p := Ptr(""); p == nil || *p != "" {
		t.Error("Ptr of the zero value must still point at it")
	}
}

func TestNonZero(t *testing.T) {
	for _, c := range []struct {
		name    string
		isNil   bool
		wantNil bool
	}{
		{"empty string", NonZero("") == nil, true},
		{"string", NonZero("a") == nil, false},
		{"false", NonZero(false) == nil, true},
		{"true", NonZero(true) == nil, false},
		{"zero int", NonZero(0) == nil, true},
		{"negative int", NonZero(-1) == nil, false},
	} {
		if c.isNil != c.wantNil {
			t.Errorf("%s: nil = %v, want %v", c.name, c.isNil, c.wantNil)
		}
	}
	if p := NonZero("a"); *p != "a" {
		t.Errorf("*NonZero(%q) = %q", "a", *p)
	}
}

func TestTimestamp(t *testing.T) {
	at := time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	for _, c := range []struct {
		name string
		in   time.Time
		want *time.Time
	}{{"zero", time.Time{}, nil}, {"set", at, &at}} {
		got := Timestamp(c.in)
		switch {
		case c.want == nil && got != nil:
			t.Errorf("%s: Timestamp = %v, want nil", c.name, got)
		case c.want != nil && !got.AsTime().Equal(*c.want):
			t.Errorf("%s: Timestamp = %v, want %v", c.name, got.AsTime(), *c.want)
		}
	}
}
