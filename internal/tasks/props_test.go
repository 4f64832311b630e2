package tasks

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// The props Struct is built from the decoded fields; it must equal what
// decoding the upstream's JSON props straight into a Struct gives.
func TestPropsStructIsTheUpstreamsProps(t *testing.T) {
	for name, raw := range map[string]string{
		"every known prop and unknown ones": `{"src":"cloudreve://my/a.zip","dst":"cloudreve://my/out","dst_policy_id":"lxf3",
			"src_str":"https://example.com/x.iso","src_multiple":["cloudreve://my/a","cloudreve://my/b c"],"failed":2,"total":9,
			"download":{"name":"x.iso","state":"downloading","total":100,"downloaded":40,"download_speed":5,"uploaded":0,
				"upload_speed":0,"hash":"abc","num_pieces":3,"files":[{"index":0,"name":"x.iso","size":100,"progress":0.4,"selected":true}]},
			"failed_items":[{"uri":"cloudreve://my/q","reason":"gone"}],"new_in_a_later_version":{"n":1.5,"ok":true,"none":null}}`,
		"an extract task": `{"src":"cloudreve://my/a.zip","dst":"cloudreve://my"}`,
		"nothing":         `{}`,
	} {
		t.Run(name, func(t *testing.T) {
			var props cloudreveapi.TaskSummaryProps
			if err := json.Unmarshal([]byte(raw), &props); err != nil {
				t.Fatal(err)
			}
			var want structpb.Struct
			if err := want.UnmarshalJSON([]byte(raw)); err != nil {
				t.Fatal(err)
			}
			got := propsStruct(&props)
			if !proto.Equal(&want, got) {
				t.Errorf("props:\n got %s\nwant %s", protojson.Format(got), protojson.Format(&want))
			}
		})
	}
}
