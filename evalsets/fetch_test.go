package evalsets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

const tinyBody = `{"problem": "Find $x$ if $2x = 4$.", "answer": "2", "subject": "Algebra", "level": 1, "unique_id": "test/algebra/1.json"}` + "\n"

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// tinyDef is a published definition whose file the test server serves.
func tinyDef(url string) Definition {
	return Definition{Name: "tiny", Description: "test", Answers: LaTeXAnswers, URL: url + "/tiny.jsonl", SHA256: sha(tinyBody), Problems: 1}
}

// dirFiles lists the names in dir (temporary files included).
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestFetch(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string // error substring; "" for success
	}{
		{"ok", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/tiny.jsonl" {
				http.NotFound(w, r)
				return
			}
			fmt.Fprint(w, tinyBody)
		}, ""},
		{"wrong hash", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, strings.Replace(tinyBody, `"2"`, `"3"`, 1))
		}, "sha256 mismatch: expected " + sha(tinyBody) + ", found " + sha(strings.Replace(tinyBody, `"2"`, `"3"`, 1))},
		{"404", http.NotFound, "expected 200 OK, found 404 Not Found"},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(tinyBody)+100))
			fmt.Fprint(w, tinyBody)
		}, fmt.Sprintf("download cut short after %d of %d bytes", len(tinyBody), len(tinyBody)+100)},
		{"truncated body without length", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, tinyBody[:20])
		}, "sha256 mismatch"},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(maxFetchBytes+1))
		}, "expected at most"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			dir := filepath.Join(t.TempDir(), "evalsets")
			d := tinyDef(srv.URL)
			res, err := Fetch(context.Background(), d, dir, FetchOptions{})
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "tiny") {
					t.Fatalf("err = %v, want it to contain %q", err, tc.want)
				}
				if files := dirFiles(t, dir); len(files) != 0 {
					t.Fatalf("a failed fetch left %v", files)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := FetchResult{Path: filepath.Join(dir, "tiny.jsonl"), SHA256: sha(tinyBody), Bytes: int64(len(tinyBody)), Downloaded: true}
			if res != want {
				t.Fatalf("res = %+v, want %+v", res, want)
			}
			if files := dirFiles(t, dir); len(files) != 1 || files[0] != "tiny.jsonl" {
				t.Fatalf("dir holds %v", files)
			}
			e, err := Load("tiny", res.Path)
			if err != nil || e.Len() != 1 || e.FileSHA256 != d.SHA256 {
				t.Fatalf("loaded %v, %v", e, err)
			}
		})
	}
}

func TestFetchHashMismatchError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "other") }))
	defer srv.Close()
	_, err := Fetch(context.Background(), tinyDef(srv.URL), t.TempDir(), FetchOptions{})
	var mm *HashMismatchError
	if !errors.As(err, &mm) || mm.Expected != sha(tinyBody) || mm.Found != sha("other") || mm.Source != srv.URL+"/tiny.jsonl" {
		t.Fatalf("err = %#v", err)
	}
}

func TestFetchKeepsAndReplacesCopies(t *testing.T) {
	var hits int
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.WriteHeader(status)
		if status == http.StatusOK {
			fmt.Fprint(w, tinyBody)
		}
	}))
	defer srv.Close()
	d := tinyDef(srv.URL)
	dir := t.TempDir()
	dest := LocalPath(dir, d)

	// A wrong copy is left untouched by a failed download...
	os.WriteFile(dest, []byte("stale"), 0o644)
	status = http.StatusInternalServerError
	if _, err := Fetch(context.Background(), d, dir, FetchOptions{}); err == nil {
		t.Fatal("a 500 succeeded")
	}
	if b, _ := os.ReadFile(dest); string(b) != "stale" {
		t.Fatalf("failed fetch changed the copy to %q", b)
	}
	// ...and replaced by a verified one.
	status = http.StatusOK
	if res, err := Fetch(context.Background(), d, dir, FetchOptions{}); err != nil || !res.Downloaded {
		t.Fatalf("res %+v err %v", res, err)
	}
	if b, _ := os.ReadFile(dest); string(b) != tinyBody {
		t.Fatalf("copy is %q", b)
	}
	// A verified copy is kept without a request.
	hits = 0
	res, err := Fetch(context.Background(), d, dir, FetchOptions{})
	if err != nil || res.Downloaded || hits != 0 || res.SHA256 != d.SHA256 || res.Bytes != int64(len(tinyBody)) {
		t.Fatalf("res %+v err %v hits %d", res, err, hits)
	}
}

func TestFetchURLOverride(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/mirror/tiny.jsonl" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, tinyBody)
	}))
	defer srv.Close()
	d := tinyDef(srv.URL) // its own URL answers 404
	res, err := Fetch(context.Background(), d, t.TempDir(), FetchOptions{URL: srv.URL + "/mirror/tiny.jsonl", Client: srv.Client()})
	if err != nil || !res.Downloaded {
		t.Fatalf("res %+v err %v", res, err)
	}
}

func TestFetchOffline(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more: connection refused
	dir := t.TempDir()
	_, err := Fetch(context.Background(), tinyDef(url), dir, FetchOptions{})
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "--url") {
		t.Fatalf("err = %v", err)
	}
	if files := dirFiles(t, dir); len(files) != 0 {
		t.Fatalf("left %v", files)
	}
}

func TestFetchCancelAndTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(tinyBody)))
		fmt.Fprint(w, tinyBody[:10])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	t.Run("timeout", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Fetch(context.Background(), tinyDef(srv.URL), dir, FetchOptions{Timeout: 100 * time.Millisecond})
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "stopped after 10 bytes") {
			t.Fatalf("err = %v", err)
		}
		if files := dirFiles(t, dir); len(files) != 0 {
			t.Fatalf("left %v", files)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := Fetch(ctx, tinyDef(srv.URL), t.TempDir(), FetchOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Fetch(ctx, tinyDef(srv.URL), t.TempDir(), FetchOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFetchUserSupplied(t *testing.T) {
	dir := t.TempDir()
	_, err := Fetch(context.Background(), AIME2024, dir, FetchOptions{})
	if !errors.Is(err, ErrUserSupplied) || !strings.Contains(err.Error(), "HuggingFaceH4/aime_2024") {
		t.Fatalf("err = %v", err)
	}
	_, err = Fetch(context.Background(), Definition{Name: "nohash", URL: "http://127.0.0.1:1/x"}, dir, FetchOptions{})
	if err == nil || !strings.Contains(err.Error(), "no published sha256") {
		t.Fatalf("err = %v", err)
	}
}

func TestVerifyFile(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.jsonl"), filepath.Join(dir, "bad.jsonl")
	os.WriteFile(good, []byte(tinyBody), 0o644)
	os.WriteFile(bad, []byte("x"), 0o644)
	d := tinyDef("http://unused")
	if sum, err := VerifyFile(d, good); err != nil || sum != d.SHA256 {
		t.Fatalf("good: %s %v", sum, err)
	}
	var mm *HashMismatchError
	if sum, err := VerifyFile(d, bad); !errors.As(err, &mm) || sum != sha("x") || mm.Source != bad {
		t.Fatalf("bad: %s %v", sum, err)
	}
	if sum, err := VerifyFile(AIME2024, bad); err != nil || sum != sha("x") {
		t.Fatalf("unpublished: %s %v", sum, err)
	}
	if _, err := VerifyFile(d, filepath.Join(dir, "none")); err == nil {
		t.Fatal("missing file verified")
	}
}

func TestFetchMATH500FromLocalServer(t *testing.T) {
	data, err := os.ReadFile(realdata.Path(t, "math500/test.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	defer srv.Close()
	res, err := Fetch(context.Background(), MATH500, t.TempDir(), FetchOptions{URL: srv.URL + "/test.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := Load(MATH500.Name, res.Path)
	if err != nil || e.Len() != MATH500.Problems {
		t.Fatalf("%v %v", e, err)
	}
}

// ExampleFetch downloads a published evalset file (here from a local server
// standing in for Hugging Face), checks its sha256, and loads it.
func ExampleFetch() {
	body := `{"problem": "What is $1+1$?", "answer": "2", "subject": "Prealgebra", "level": 1, "unique_id": "test/prealgebra/1.json"}` + "\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "evalsets")
	defer os.RemoveAll(dir)

	sum := sha256.Sum256([]byte(body))
	def := Definition{Name: "onesum", URL: srv.URL + "/test.jsonl", SHA256: hex.EncodeToString(sum[:])}
	res, err := Fetch(context.Background(), def, dir, FetchOptions{Timeout: time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(res.Path), res.Bytes, res.Downloaded)
	if _, err := VerifyFile(def, res.Path); err == nil {
		fmt.Println("sha256 matches the published hash")
	}
	ev, _ := Load(def.Name, res.Path)
	fmt.Println(ev.Len(), ev.Problems[0].Answer)

	def.SHA256 = strings.Repeat("0", 64) // a mirror serving another file
	os.Remove(res.Path)
	_, err = Fetch(context.Background(), def, dir, FetchOptions{})
	var mm *HashMismatchError
	fmt.Println(errors.As(err, &mm), mm.Found == res.SHA256)
	_, err = os.Stat(res.Path)
	fmt.Println("kept:", err == nil)
	// Output:
	// onesum.jsonl 121 true
	// sha256 matches the published hash
	// 1 2
	// true true
	// kept: false
}
