package secretbox

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key, err := LoadOrCreateKeyFile(filepath.Join(t.TempDir(), "k", "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	box, _ := New(key)
	secret := []byte(`{"access_token":"eyJ.secret.sig"}`)
	sealed, err := box.Seal(secret, []byte("user1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("secret")) {
		t.Fatal("sealed value shows the plaintext")
	}
	got, err := box.Open(sealed, []byte("user1"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := box.Open(sealed, []byte("user2")); err != ErrOpen {
		t.Errorf("opened under another key name: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{7}, KeySize))
	if _, err := other.Open(sealed, []byte("user1")); err != ErrOpen {
		t.Errorf("opened with another key: %v", err)
	}
}

func TestKeyFileIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	a, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrCreateKeyFile(path)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("second load differs: %v", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", st.Mode().Perm())
	}
	if _, err := ParseKey("too-short"); err == nil {
		t.Error("short key accepted")
	}
}
