package tests

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/sandbox"
)

// The sandbox command serves the fake Cloudreve on its own: built, started
// with an address and accounts, it logs its URL and answers Ping and a
// sign-in of the accounts it was given.
func TestCloudreveSandboxCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "cloudreve-sandbox")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/cloudreve-sandbox").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freePort(t)
	cmd := exec.Command(bin, "--listen", addr, "--version", sandbox.Version40, "--tick", "100ms",
		"--admin", "root@example.com:root-password", "--user", "ann@example.com:ann-password")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	// The first line names the URL; the accounts follow.
	lines := bufio.NewScanner(stderr)
	var logged []string
	for len(logged) < 3 && lines.Scan() {
		logged = append(logged, lines.Text())
	}
	url := "http://" + addr
	if len(logged) < 3 || !strings.Contains(logged[0], "url="+url) || !strings.Contains(logged[2], "ann@example.com") {
		t.Fatalf("log:\n%s", strings.Join(logged, "\n"))
	}
	go func() {
		for lines.Scan() {
		}
	}()

	c, err := cloudreveapi.NewClientWithResponses(url + sandbox.APIPrefix)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ping, err := c.PingWithResponse(ctx)
	if err != nil || ping.JSON200 == nil || ping.JSON200.Data == nil || *ping.JSON200.Data != sandbox.Version40 {
		t.Fatalf("ping: %v %+v", err, ping)
	}
	login, err := c.PasswordSignInWithResponse(ctx, cloudreveapi.PasswordSignInJSONRequestBody{Email: "ann@example.com", Password: "ann-password"})
	if err != nil || login.JSON200 == nil || login.JSON200.Code != 0 || login.JSON200.Data.User.Group == nil || login.JSON200.Data.User.Group.Name != "User" {
		t.Fatalf("sign-in: %v %s", err, login.Body)
	}
}
