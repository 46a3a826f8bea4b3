// Package s3test gives tests an S3-compatible server on the loopback
// interface: the one named by RLVR_EVAL_TEST_S3_ENDPOINT (CI starts
// moto_server with scripts/s3/moto.sh and exports it), else a moto_server the
// test starts itself on a free 127.0.0.1 port and stops at its end. Where
// neither is available the test is skipped with a message saying so.
//
// Bucket also points the AWS SDK at dummy credentials and away from every
// address off this machine (AWS_EC2_METADATA_DISABLED, empty shared config
// files), so a test can never reach a real cloud.
package s3test

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// EnvEndpoint names an already running S3-compatible server to use.
const EnvEndpoint = "RLVR_EVAL_TEST_S3_ENDPOINT"

// Endpoint returns the base URL (http://127.0.0.1:PORT) of an S3-compatible
// server for t: the one EnvEndpoint names, else a moto_server started on
// first use and shared by the package's tests until Run's m.Run returns (a
// package that uses Endpoint or Bucket has TestMain call Run). It skips t
// when there is no server. It also sets t's AWS environment (see Bucket).
func Endpoint(t testing.TB) string {
	t.Helper()
	isolateAWS(t)
	if ep := os.Getenv(EnvEndpoint); ep != "" {
		u, err := url.Parse(ep)
		if err != nil || !loopback(u.Hostname()) {
			t.Fatalf("%s=%q: expected an http URL on the loopback interface", EnvEndpoint, ep)
		}
		if err := wait(ep, 10*time.Second); err != nil {
			t.Fatalf("%s=%s: %v", EnvEndpoint, ep, err)
		}
		return ep
	}
	shared.once.Do(startMoto)
	if shared.skip != "" {
		t.Skip(shared.skip)
	}
	return shared.endpoint
}

var shared struct {
	once     sync.Once
	endpoint string
	skip     string
	cmd      *exec.Cmd
	log      string
}

// Run runs the tests and stops the moto_server Endpoint may have started.
// Use it as: func TestMain(m *testing.M) { os.Exit(s3test.Run(m)) }.
func Run(m *testing.M) int {
	code := m.Run()
	if c := shared.cmd; c != nil {
		c.Process.Kill()
		c.Wait()
		os.Remove(shared.log)
	}
	return code
}

func startMoto() {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		shared.skip = fmt.Sprintf("no S3-compatible server: set %s, or install moto (pip install 'moto[server]') for moto_server", EnvEndpoint)
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		shared.skip = fmt.Sprintf("no loopback port for moto_server: %v", err)
		return
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	// moto reads the AWS variables as boto does: give it dummy ones only.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_EC2_METADATA_DISABLED=true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive a killed test binary
	f, err := os.CreateTemp("", "rlvr-moto-*.log")
	if err != nil {
		shared.skip = err.Error()
		return
	}
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		shared.skip = fmt.Sprintf("moto_server does not start: %v", err)
		return
	}
	shared.cmd, shared.log = cmd, f.Name()
	ep := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := wait(ep, 60*time.Second); err != nil {
		b, _ := os.ReadFile(f.Name())
		shared.skip = fmt.Sprintf("moto_server did not answer on %s: %v\n%s", ep, err, b)
		return
	}
	shared.endpoint = ep
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// wait polls ep until it answers HTTP, for at most limit (a bounded loop of
// requests to the loopback server only).
func wait(ep string, limit time.Duration) error {
	c := &http.Client{Timeout: time.Second}
	var err error
	for start := time.Now(); time.Since(start) < limit; time.Sleep(100 * time.Millisecond) {
		var resp *http.Response
		if resp, err = c.Get(ep); err == nil {
			resp.Body.Close()
			return nil
		}
	}
	return err
}

func isolateAWS(t testing.TB) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "test",
		"AWS_SECRET_ACCESS_KEY":       "test",
		"AWS_REGION":                  "us-east-1",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty,
	} {
		t.Setenv(k, v)
	}
	// Unset, not empty: an empty AWS_PROFILE names a profile that does not exist.
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

var seq atomic.Int64

// Bucket creates a new, empty bucket on the server and returns its URL for
// gocloud's s3blob, with the query that points the driver at the server:
//
//	s3://NAME?endpoint=http://127.0.0.1:PORT&use_path_style=true&region=us-east-1
func Bucket(t testing.TB) string {
	t.Helper()
	ep := Endpoint(t)
	name := fmt.Sprintf("rlvr-test-%d-%d", os.Getpid(), seq.Add(1))
	req, err := http.NewRequest(http.MethodPut, ep+"/"+name, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("creating bucket %s on %s: %v", name, ep, err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("creating bucket %s on %s: %s", name, ep, resp.Status)
	}
	return fmt.Sprintf("s3://%s?endpoint=%s&use_path_style=true&region=us-east-1", name, ep)
}
