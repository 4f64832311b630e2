// Package uploadcodec reads UploadFile's content messages without a fresh
// allocation per message. The stock binary codec buffers a message and
// protobuf copies its bytes field into new memory: an upload in 1 MiB
// messages makes 1 MiB of garbage per message, and the garbage collector
// lets the heap grow to twice what is live before it reclaims it. This codec
// reads the chunk straight from the wire into a pooled buffer that the
// service hands back (Release) once it has copied the bytes on; every other
// message goes to the stock codec.
package uploadcodec

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
)

// Field numbers of UploadFileRequest.
const (
	fieldHeader = 1
	fieldChunk  = 2
)

// Codec is the binary protobuf codec with UploadFileRequest read into
// pooled memory.
type Codec struct {
	*connectproto.BinaryCodec
	maxBytes int
}

// New returns the codec for messages of up to maxBytes (the handler's read
// limit): a length inside a message beyond it is refused before anything
// is allocated for it.
func New(maxBytes int) *Codec {
	return &Codec{BinaryCodec: connectproto.NewBinaryCodec(), maxBytes: maxBytes}
}

// UnmarshalRead decodes one message; an UploadFileRequest's chunk lands in
// a buffer from Get, to be given back with Release.
func (c *Codec) UnmarshalRead(ctx context.Context, src io.Reader, msg any) error {
	req, ok := msg.(*filev1.UploadFileRequest)
	if !ok {
		return c.BinaryCodec.UnmarshalRead(ctx, src, msg)
	}
	w := &wire{max: c.maxBytes}
	if r, ok := src.(byteReader); ok {
		w.byteReader = r // connect hands over the buffered message
	} else {
		w.byteReader = bufio.NewReaderSize(src, 512)
	}
	if l, ok := src.(interface{ Len() int }); ok {
		w.max = min(w.max, l.Len()) // no field is longer than what is left
	}
	return readUploadRequest(w, req)
}

type byteReader interface {
	io.Reader
	io.ByteReader
}

// wire is a message's bytes, with the largest length a field may claim.
type wire struct {
	byteReader
	max int
}

var errMalformed = errors.New("uploadcodec: malformed UploadFileRequest")

// readUploadRequest parses the wire format field by field. Unknown fields
// are skipped, as protobuf does; of a oneof the last field wins.
func readUploadRequest(r *wire, req *filev1.UploadFileRequest) error {
	proto.Reset(req)
	for {
		tag, err := readVarint(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		num, typ := protowire.DecodeTag(tag)
		if num <= 0 {
			return errMalformed
		}
		switch {
		case num == fieldChunk && typ == protowire.BytesType:
			n, err := readLength(r)
			if err != nil {
				return err
			}
			buf := Get(n)
			if _, err := io.ReadFull(r, buf); err != nil {
				Release(buf)
				return fmt.Errorf("%w: %w", errMalformed, err)
			}
			if old := req.GetChunk(); old != nil {
				Release(old)
			}
			req.Payload = &filev1.UploadFileRequest_Chunk{Chunk: buf}
		case num == fieldHeader && typ == protowire.BytesType:
			n, err := readLength(r)
			if err != nil {
				return err
			}
			raw := make([]byte, n)
			if _, err := io.ReadFull(r, raw); err != nil {
				return fmt.Errorf("%w: %w", errMalformed, err)
			}
			h := &filev1.UploadFileHeader{}
			if err := proto.Unmarshal(raw, h); err != nil {
				return err
			}
			if old := req.GetChunk(); old != nil {
				Release(old)
			}
			req.Payload = &filev1.UploadFileRequest_Header{Header: h}
		default:
			if err := skip(r, typ); err != nil {
				return err
			}
		}
	}
}

// readVarint reads one varint; io.EOF only before its first byte.
func readVarint(r *wire) (uint64, error) {
	var v uint64
	for i := 0; i < 10; i++ {
		b, err := r.ReadByte()
		if err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				return 0, errMalformed
			}
			return 0, err
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			return v, nil
		}
	}
	return 0, errMalformed
}

func readLength(r *wire) (int, error) {
	n, err := readVarint(r)
	if err != nil {
		return 0, eofIsMalformed(err)
	}
	if n > uint64(r.max) {
		return 0, errMalformed
	}
	return int(n), nil
}

// skip passes over one field of an unknown number.
func skip(r *wire, typ protowire.Type) error {
	switch typ {
	case protowire.VarintType:
		_, err := readVarint(r)
		return eofIsMalformed(err)
	case protowire.Fixed32Type:
		_, err := io.CopyN(io.Discard, r, 4)
		return eofIsMalformed(err)
	case protowire.Fixed64Type:
		_, err := io.CopyN(io.Discard, r, 8)
		return eofIsMalformed(err)
	case protowire.BytesType:
		n, err := readLength(r)
		if err != nil {
			return err
		}
		_, err = io.CopyN(io.Discard, r, int64(n))
		return eofIsMalformed(err)
	}
	return errMalformed // groups are not used by proto3
}

func eofIsMalformed(err error) error {
	if errors.Is(err, io.EOF) {
		return errMalformed
	}
	return err
}

var _ connect.Codec = (*Codec)(nil)
