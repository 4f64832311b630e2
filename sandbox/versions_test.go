package sandbox

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// What a 4.0.0 sandbox does differently, next to the default 4.18.0: the
// same requests, the answers the two real releases gave.
func TestReleasesDiffer(t *testing.T) {
	for _, release := range []string{Version40, Version} {
		t.Run(release, func(t *testing.T) {
			e := newEnv(t, Options{Version: release})
			old := release == Version40
			uid, c := e.user("vic@example.com")

			ping := must(c.PingWithResponse(bg))
			if ping.JSON200 == nil || values.Deref(ping.JSON200.Data) != release {
				t.Errorf("ping %s", ping.Body)
			}

			// Routes 4.0.0 lacks: the plain 404 of an unknown route.
			for _, path := range []string{"/file/archive?uri=cloudreve%3A%2F%2Fmy%2Fa.zip", "/file/source/abcd"} {
				method := http.MethodGet
				if strings.HasPrefix(path, "/file/source") {
					method = http.MethodDelete
				}
				req, _ := http.NewRequest(method, e.srv.URL+APIPrefix+path, nil)
				resp := must(http.DefaultClient.Do(req))
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				missing := resp.StatusCode == http.StatusNotFound && string(body) == "404 page not found"
				if missing != old {
					t.Errorf("%s %s: %d %q", method, path, resp.StatusCode, body)
				}
			}

			// An upload session with a stale previous: 40076 only on 4.18.0.
			uri := "cloudreve://my/f.txt"
			if err := e.s.WriteFile(uid, uri, []byte("a")); err != nil {
				t.Fatal(err)
			}
			stale := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: &uri})).JSON200.Data.PrimaryEntity
			if err := e.s.WriteFile(uid, uri, []byte("b")); err != nil {
				t.Fatal(err)
			}
			// Without a policy id: 40001 on 4.0.0, the folder's policy on 4.18.0.
			noPolicy := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/g.txt", Size: values.Ptr[int64](1)}))
			if got := noPolicy.JSON200.Code; (got == 40001) != old || (got == 0) == old {
				t.Errorf("upload session without a policy id: %s", noPolicy.Body)
			}
			version := cloudreveapi.CreateUploadSessionServiceEntityTypeVersion
			sess := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionService{
				Uri: uri, Size: values.Ptr[int64](1), EntityType: &version, Previous: stale, PolicyId: values.Ptr(e.s.c.ids.encode(kindPolicy, 1)),
			}))
			if got := sess.JSON200.Code; (got == 40076) == old || (got == 0) != old {
				t.Errorf("upload session with a stale previous: %s", sess.Body)
			}

			// A WebDAV account asked to hide system files.
			dav := must(c.CreateDavAccountWithResponse(bg, cloudreveapi.CreateDavAccountJSONRequestBody{
				Uri: "cloudreve://my", Name: "d", DisableSysFiles: values.Ptr(true),
			}))
			if opts := values.Deref(dav.JSON200.Data.Options); (opts == "BA==") == old {
				t.Errorf("dav options %q", opts)
			}

			// A private share seen by a guest.
			link := must(c.CreateShareLinkWithResponse(bg, cloudreveapi.ShareCreateService{Uri: uri, IsPrivate: values.Ptr(true), Password: values.Ptr("pw1234")}))
			id := link.JSON200.Data
			parts := strings.Split(values.Deref(id), "/s/")
			hid, _, _ := strings.Cut(parts[len(parts)-1], "/")
			info := must(e.client("").GetShareLinkInfoWithResponse(bg, hid, &cloudreveapi.GetShareLinkInfoParams{}))
			sh := info.JSON200.Data
			if strings.HasSuffix(sh.Url, "/pw1234") != old || (sh.PasswordProtected == nil) != old || sh.Unlocked {
				t.Errorf("locked share: url %q, password_protected %v", sh.Url, sh.PasswordProtected)
			}
		})
	}
}
