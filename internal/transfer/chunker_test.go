package transfer

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// slices hands out data in pieces of random sizes, like a caller's stream.
type slices struct {
	data []byte
	rnd  *rand.Rand
	max  int
}

func newSlices(data []byte, seed uint64, max int) *slices {
	return &slices{data: data, rnd: rand.New(rand.NewPCG(seed, seed)), max: max}
}

func (s *slices) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := min(1+s.rnd.IntN(s.max), len(p), len(s.data))
	copy(p, s.data[:n])
	s.data = s.data[n:]
	return n, nil
}

func content(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestChunkerReslices(t *testing.T) {
	for _, tc := range []struct {
		size, chunk int64
		chunks      int
	}{
		{100, 7, 15}, {70, 7, 10}, {3, 7, 1}, {0, 7, 1},
	} {
		data := content(int(tc.size))
		c := NewChunker(newSlices(data, 1, 5), tc.size, tc.chunk)
		var got []byte
		for i := 0; ; i++ {
			ch, err := c.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("size %d: %v", tc.size, err)
			}
			if ch.Index != i || ch.Offset != int64(i)*tc.chunk || (!ch.Last && ch.Size != tc.chunk) {
				t.Fatalf("size %d: chunk %+v", tc.size, ch)
			}
			b, _ := io.ReadAll(ch.Body())
			again, _ := io.ReadAll(ch.Body())
			if !bytes.Equal(b, again) || !ch.Replayable() {
				t.Fatalf("chunk %d is not replayable", i)
			}
			got = append(got, b...)
		}
		sum := sha256.Sum256(data)
		if !bytes.Equal(got, data) || c.Chunks() != tc.chunks || !bytes.Equal(c.Sum(), sum[:]) {
			t.Errorf("size %d: %d chunks, content equal %v", tc.size, c.Chunks(), bytes.Equal(got, data))
		}
		if Count(tc.size, tc.chunk) != tc.chunks {
			t.Errorf("Count(%d, %d) = %d", tc.size, tc.chunk, Count(tc.size, tc.chunk))
		}
	}
}

func TestChunkerSizeMismatch(t *testing.T) {
	drain := func(c *Chunker) error {
		defer c.Close()
		for {
			if _, err := c.Next(); err != nil {
				return err
			}
		}
	}
	if err := drain(NewChunker(bytes.NewReader(content(10)), 12, 4)); !errors.Is(err, ErrSizeMismatch) {
		t.Errorf("short content: %v", err)
	}
	if err := drain(NewChunker(bytes.NewReader(content(13)), 12, 4)); !errors.Is(err, ErrSizeMismatch) {
		t.Errorf("long content: %v", err)
	}
	broken := errors.New("stream broke")
	src := io.MultiReader(bytes.NewReader(content(5)), errReader{broken})
	if err := drain(NewChunker(src, 12, 4)); !errors.Is(err, broken) {
		t.Errorf("broken source: %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
