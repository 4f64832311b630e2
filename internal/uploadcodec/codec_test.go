package uploadcodec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
)

// decode reads raw as connect hands it over (a buffer that knows its
// length), and again through a plain reader.
func decode(t *testing.T, raw []byte) (*filev1.UploadFileRequest, error) {
	t.Helper()
	plain := &filev1.UploadFileRequest{}
	errPlain := New(2<<20).UnmarshalRead(context.Background(), struct{ io.Reader }{bytes.NewReader(raw)}, plain)
	got := &filev1.UploadFileRequest{}
	err := New(2<<20).UnmarshalRead(context.Background(), bytes.NewBuffer(raw), got)
	if (err == nil) != (errPlain == nil) || !proto.Equal(got, plain) {
		t.Errorf("a buffer read %v (%v), a plain reader %v (%v)", got, err, plain, errPlain)
	}
	Release(plain.GetChunk())
	return got, err
}

// What protobuf encodes, the codec reads back the same: a header, chunks of
// several sizes (pooled or not), an empty chunk, an empty message.
func TestReadsWhatProtobufWrites(t *testing.T) {
	for name, msg := range map[string]*filev1.UploadFileRequest{
		"header": {Payload: &filev1.UploadFileRequest_Header{Header: &filev1.UploadFileHeader{
			Uri: "cloudreve://my/a b.txt", Size: 123, Overwrite: true, LastModified: timestamppb.Now(), Metadata: map[string]string{"k": "v"}}}},
		"small chunk": {Payload: &filev1.UploadFileRequest_Chunk{Chunk: []byte("hello")}},
		"1 MiB chunk": {Payload: &filev1.UploadFileRequest_Chunk{Chunk: bytes.Repeat([]byte{7}, 1<<20)}},
		"empty chunk": {Payload: &filev1.UploadFileRequest_Chunk{Chunk: []byte{}}},
		"nothing":     {},
	} {
		raw, err := proto.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decode(t, raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !proto.Equal(got, msg) {
			t.Errorf("%s: got %v", name, got)
		}
		Release(got.GetChunk())
	}
}

// Unknown fields of every wire type are skipped (and dropped); of the oneof, the last
// field wins.
func TestSkipsUnknownFieldsAndKeepsTheLastOneofField(t *testing.T) {
	var raw []byte
	raw = protowire.AppendTag(raw, 1, protowire.BytesType)
	raw = protowire.AppendBytes(raw, mustMarshal(t, &filev1.UploadFileHeader{Uri: "cloudreve://my/x"}))
	raw = protowire.AppendTag(raw, 9, protowire.VarintType)
	raw = protowire.AppendVarint(raw, 1<<40)
	raw = protowire.AppendTag(raw, 10, protowire.Fixed32Type)
	raw = protowire.AppendFixed32(raw, 1)
	raw = protowire.AppendTag(raw, 11, protowire.Fixed64Type)
	raw = protowire.AppendFixed64(raw, 1)
	raw = protowire.AppendTag(raw, 12, protowire.BytesType)
	raw = protowire.AppendBytes(raw, []byte("unknown"))
	raw = protowire.AppendTag(raw, 2, protowire.BytesType)
	raw = protowire.AppendBytes(raw, []byte("last"))
	got, err := decode(t, raw)
	if err != nil {
		t.Fatal(err)
	}
	want := &filev1.UploadFileRequest{}
	if err := proto.Unmarshal(raw, want); err != nil {
		t.Fatal(err)
	}
	want.ProtoReflect().SetUnknown(nil) // dropped: the service never reads them
	if string(got.GetChunk()) != "last" || !proto.Equal(got, want) {
		t.Fatalf("got %v, protobuf reads %v", got, want)
	}
}

// Truncated or lying input is an error, never a panic or a huge allocation.
func TestRefusesMalformedInput(t *testing.T) {
	chunk := protowire.AppendTag(nil, 2, protowire.BytesType)
	for name, raw := range map[string][]byte{
		"truncated chunk":           append(protowire.AppendVarint(chunk, 10), "short"...),
		"length beyond the limit":   protowire.AppendVarint(chunk, 1<<40),
		"length beyond the message": append(protowire.AppendVarint(chunk, 1<<20), "short"...),
		"tag without its value":     chunk,
		"unterminated varint":       {0x80, 0x80},
		"field number zero":         {0x02, 0x00},
		"group":                     protowire.AppendTag(nil, 5, protowire.StartGroupType),
	} {
		if _, err := decode(t, raw); !errors.Is(err, errMalformed) {
			t.Errorf("%s: %v, want malformed", name, err)
		}
	}
}

// Buffers come in power-of-two capacities, which is how Release knows
// its own; sizes beyond the largest class are plain allocations.
func TestPoolSizeClasses(t *testing.T) {
	for n, want := range map[int]int{0: 4 << 10, 1: 4 << 10, 4 << 10: 4 << 10, 4<<10 + 1: 8 << 10, 100 << 10: 128 << 10, 16 << 20: 16 << 20, 20 << 20: 20 << 20} {
		b := Get(n)
		if len(b) != n || cap(b) != want {
			t.Errorf("Get(%d): len %d cap %d, want cap %d", n, len(b), cap(b), want)
		}
		Release(b)
	}
	Release(make([]byte, 100)) // not from Get: ignored
	Release(nil)
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	raw, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
