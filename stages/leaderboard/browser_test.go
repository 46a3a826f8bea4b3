package leaderboard

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// browserFlags are the flags every headless Chromium run uses: no sandbox (CI
// containers run as root), no network chatter, a throwaway profile.
func browserFlags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
		"--enable-logging=stderr", "--v=0",
	}
}

// findChromium returns the Chromium binary, or "" when none is installed.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// runChromium runs Chromium on target with extra flags and returns stdout and
// stderr; it fails the test on a non-zero exit or after a minute.
func runChromium(t *testing.T, bin string, extra []string, target string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(browserFlags(t.TempDir()), extra...)
	args = append(args, target)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\nstderr:\n%s", strings.Join(extra, " "), err, tail(errb.String(), 3000))
	}
	return out.Bytes(), errb.Bytes()
}

// consoleLine matches a page console message in Chromium's stderr log.
var consoleLine = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

// TestBrowserRendersSite opens index.html in headless Chromium: the sort
// script must run without console errors (the page is loaded sorted by
// accuracy, descending, through its #sort= address), the table and every chart
// must be in the rendered DOM, and a screenshot is saved for a person to look
// at (RLVR_EVAL_SCREENSHOT_DIR, default $TMPDIR/rlvr-eval-leaderboard-test).
// CI needs the Debian package chromium (it pulls in fonts-liberation).
func TestBrowserRendersSite(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := findChromium()
	if bin == "" {
		t.Skip("chromium not found on PATH: install the Debian package `chromium` to run the browser test")
	}
	lb, site := buildSynthSite(t)
	headers, _ := tableView(lb)
	accCol := -1
	for i, h := range headers {
		if h.Label == "Accuracy" {
			accCol = i
		}
	}
	page := (&url.URL{Scheme: "file", Path: filepath.Join(site, IndexFile)}).String()

	dom, logs := runChromium(t, bin, []string{"--dump-dom", "--virtual-time-budget=5000"}, page+"#sort="+strconv.Itoa(accCol)+"-desc")
	if msgs := consoleLine.FindAll(logs, -1); len(msgs) > 0 {
		t.Errorf("console messages while loading the page:\n%s", bytes.Join(msgs, []byte("\n")))
	}
	if !bytes.Contains(dom, []byte(`data-sortable="ready"`)) {
		t.Errorf("the sort script did not run (no data-sortable=\"ready\" in the rendered DOM)")
	}
	doc := parseHTML(t, dom)
	if doc.svgs != 10 {
		t.Errorf("rendered DOM has %d <svg>, want 10", doc.svgs)
	}
	if got := doc.tableRows["leaderboard-table"]; got != len(lb.Rows) {
		t.Errorf("rendered table has %d rows, want %d", got, len(lb.Rows))
	}
	// Sorted by accuracy, descending: Qwen ground truth at step 150 first.
	firstRow := regexp.MustCompile(`(?s)<tbody>\s*<tr data-family[^>]*>(.*?)</tr>`).FindSubmatch(dom)
	if firstRow == nil || !bytes.Contains(firstRow[1], []byte("Qwen2.5-Math-7B/ground_truth/step150")) {
		t.Errorf("first row after #sort=%d-desc is not the most accurate checkpoint: %.300s", accCol, firstRow)
	}
	if !bytes.Contains(dom, []byte(`aria-sort="descending"`)) {
		t.Errorf("sorted column not marked aria-sort=descending")
	}

	dir := os.Getenv("RLVR_EVAL_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "rlvr-eval-leaderboard-test")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "leaderboard.png")
	os.Remove(shot)
	_, logs = runChromium(t, bin, []string{"--screenshot=" + shot, "--window-size=1400,3000"}, page)
	if msgs := consoleLine.FindAll(logs, -1); len(msgs) > 0 {
		t.Errorf("console messages while taking the screenshot:\n%s", bytes.Join(msgs, []byte("\n")))
	}
	st, err := os.Stat(shot)
	if err != nil || st.Size() < 50_000 {
		t.Fatalf("screenshot %s missing or suspiciously small (%v, %v)", shot, st, err)
	}
	png, _ := os.ReadFile(shot)
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot %s is not a PNG", shot)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, st.Size())
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
