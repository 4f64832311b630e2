package contracts

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1"
	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1"
	_ "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
)

// services are every service of the contracts.
func services(t *testing.T) []protoreflect.ServiceDescriptor {
	var out []protoreflect.ServiceDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(string(f.Package()), "cloudreve.") {
			for i := range f.Services().Len() {
				out = append(out, f.Services().Get(i))
			}
		}
		return true
	})
	if len(out) < 10 {
		t.Fatalf("only %d services registered: is a gen package missing from the imports?", len(out))
	}
	return out
}

// requestMessages are the messages a caller sends: every RPC input and the
// messages of the contracts it holds, however deep.
func requestMessages(t *testing.T) map[protoreflect.FullName]protoreflect.MessageDescriptor {
	seen := map[protoreflect.FullName]protoreflect.MessageDescriptor{}
	var walk func(m protoreflect.MessageDescriptor)
	walk = func(m protoreflect.MessageDescriptor) {
		if !strings.HasPrefix(string(m.FullName()), "cloudreve.") || seen[m.FullName()] != nil {
			return
		}
		seen[m.FullName()] = m
		for i := range m.Fields().Len() {
			f := m.Fields().Get(i)
			if f.IsMap() {
				f = f.MapValue()
			}
			if f.Message() != nil {
				walk(f.Message())
			}
		}
	}
	for _, s := range services(t) {
		for i := range s.Methods().Len() {
			walk(s.Methods().Get(i).Input())
		}
	}
	return seen
}

func rules(f protoreflect.FieldDescriptor) *validate.FieldRules {
	r, _ := proto.GetExtension(f.Options(), validate.E_Field).(*validate.FieldRules)
	return r
}

// stringBounded tells whether string rules limit the length: directly, by a
// fixed set of values, or through a shared rule that carries a bound.
func stringBounded(r *validate.StringRules) bool {
	if r == nil {
		return false
	}
	if r.HasMaxLen() || r.HasMaxBytes() || r.HasLen() || r.HasLenBytes() || r.HasConst() || len(r.GetIn()) > 0 {
		return true
	}
	for _, ext := range []protoreflect.ExtensionType{commonv1.E_CloudreveUri, commonv1.E_Hashid, commonv1.E_UploadSessionId} {
		if v, _ := proto.GetExtension(r, ext).(bool); v {
			return true
		}
	}
	return false
}

// unbounded names what is not bounded in field f of a request message.
func unbounded(f protoreflect.FieldDescriptor) []string {
	r := rules(f)
	var out []string
	switch {
	case f.IsMap():
		if !r.GetMap().HasMaxPairs() {
			out = append(out, "max_pairs")
		}
		if f.MapKey().Kind() == protoreflect.StringKind && !stringBounded(r.GetMap().GetKeys().GetString()) {
			out = append(out, "keys.string.max_len")
		}
		if f.MapValue().Kind() == protoreflect.StringKind && !stringBounded(r.GetMap().GetValues().GetString()) {
			out = append(out, "values.string.max_len")
		}
	case f.IsList():
		if !r.GetRepeated().HasMaxItems() {
			out = append(out, "max_items")
		}
		if f.Kind() == protoreflect.StringKind && !stringBounded(r.GetRepeated().GetItems().GetString()) {
			out = append(out, "items.string.max_len")
		}
	case f.Kind() == protoreflect.StringKind:
		if !stringBounded(r.GetString()) {
			out = append(out, "string.max_len")
		}
	}
	return out
}

// TestRequestFieldsAreBounded: a caller cannot send a string, list or map
// of any size; the facade refuses it with InvalidArgument before calling
// the upstream.
func TestRequestFieldsAreBounded(t *testing.T) {
	var problems []string
	for name, m := range requestMessages(t) {
		for i := range m.Fields().Len() {
			f := m.Fields().Get(i)
			if missing := unbounded(f); len(missing) > 0 {
				problems = append(problems, fmt.Sprintf("%s.%s: no %s", name, f.Name(), strings.Join(missing, ", ")))
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// TestOnePaginationDialect follows AIP-158: a request names the page it
// wants page_token, never next_page_token, and a paged List RPC takes both
// page_size and page_token and answers next_page_token.
func TestOnePaginationDialect(t *testing.T) {
	for name, m := range requestMessages(t) {
		if m.Fields().ByName("next_page_token") != nil {
			t.Errorf("%s has next_page_token: requests take page_token", name)
		}
	}
	for _, s := range services(t) {
		for i := range s.Methods().Len() {
			md := s.Methods().Get(i)
			in, out := md.Input().Fields(), md.Output().Fields()
			if in.ByName("page_token") == nil && out.ByName("next_page_token") == nil {
				continue // not paged
			}
			for _, need := range []struct {
				fields protoreflect.FieldDescriptors
				name   protoreflect.Name
			}{{in, "page_size"}, {in, "page_token"}, {out, "next_page_token"}} {
				if f := need.fields.ByName(need.name); f == nil {
					t.Errorf("%s is paged but has no %s", md.FullName(), need.name)
				}
			}
		}
	}
}
