package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// runEvalset runs `rlvr-eval evalset args...` in-process and returns its output.
func runEvalset(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"evalset"}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEvalsetList(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RLVR_EVAL_EVALSETS_DIR", dir)
	out, err := runEvalset(t, "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"evalsets directory: " + dir,
		"\naime2024\n", "\naime2025\n", "\namc2023\n", "\nmath500\n",
		"answers:     integers; 30 problems",
		"answers:     LaTeX expressions; 500 problems",
		"fields:      unique_id, problem, solution, answer, subject, level",
		"fields:      id|ID|unique_id, problem|question|Problem|Question, answer|Answer",
		"source:      user-supplied (HuggingFaceH4/aime_2024",
		"source:      https://huggingface.co/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl",
		"sha256:      35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132",
		"sha256:      none published",
		"local copy:  absent (" + filepath.Join(dir, "math500.jsonl") + "; run: rlvr-eval evalset fetch math500)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "aime2024") > strings.Index(out, "math500") {
		t.Error("definitions not sorted by name")
	}

	// Local copies: a user-supplied file, and a math500 file with another hash.
	other := t.TempDir()
	copyFile(t, "../../evalsets/testdata/aime2024.jsonl", filepath.Join(other, "aime2024.jsonl"))
	os.WriteFile(filepath.Join(other, "math500.jsonl"), []byte("not it\n"), 0o644)
	os.Mkdir(filepath.Join(other, "amc2023.jsonl"), 0o755)
	out, err = runEvalset(t, "list", "--dir", other)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("not it\n"))
	for _, want := range []string{
		"local copy:  present at " + filepath.Join(other, "aime2024.jsonl") + " (sha256 ",
		"local copy:  present at " + filepath.Join(other, "math500.jsonl") + ", but its sha256 " + hex.EncodeToString(sum[:]) + " is not the published one",
		"local copy:  unusable: " + filepath.Join(other, "amc2023.jsonl") + " is a directory",
		"local copy:  absent (" + filepath.Join(other, "aime2025.jsonl") + "; user-supplied",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalsetShow(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RLVR_EVAL_EVALSETS_DIR", dir)
	copyFile(t, "../../evalsets/testdata/aime2024.jsonl", filepath.Join(dir, "aime2024.jsonl"))
	renamed := filepath.Join(t.TempDir(), "export.jsonl")
	copyFile(t, "../../evalsets/testdata/amc2023.jsonl", renamed)
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
		err     string
	}{
		{"name from the evalsets dir", []string{"show", "aime2024"},
			[]string{"evalset:  aime2024\n", "file:     " + filepath.Join(dir, "aime2024.jsonl"), "(no published file to compare with)",
				"problems: 3 (the published split has 30)", "answers:  integers", "ids:      3 of 3", "subjects: none", "levels:   none",
				"[0] 60\n", "[2] 62\n", "  answer:   38\n"}, nil, ""},
		{"-n limits the problems", []string{"show", "aime2024", "-n", "1"}, []string{"[0] 60"}, []string{"[1] 61"}, ""},
		{"-n 0 prints only the summary", []string{"show", "aime2024", "-n", "0"}, []string{"problems: 3"}, []string{"[0]"}, ""},
		{"problem by id", []string{"show", "aime2024", "--problem", "61"},
			[]string{"problem 61 (by id)", "[1] 61", "  solution: $a$ runs from $1$ to $9$", "  answer:   9"}, []string{"[0] 60"}, ""},
		{"problem by position", []string{"show", "--as", "aime2025", "../../evalsets/testdata/aime2025.jsonl", "--problem", "1"},
			[]string{"problem 1 (by position)", "[1] (no id)", "answer:   200"}, nil, ""},
		{"path with --as", []string{"show", renamed, "--as", "amc2023"},
			[]string{"evalset:  amc2023", "problems: 2 (the published split has 40)", "answer:   27", "answer:   28"}, nil, ""},
		{"path named like a definition", []string{"show", "../../evalsets/testdata/amc2023.jsonl"}, []string{"evalset:  amc2023", "answer:   27"}, nil, ""},
		{"MATH-500 layout", []string{"show", "../../evalsets/testdata/math_tiny.jsonl"},
			[]string{"evalset:  math_tiny", "(not a known evalset)", "subjects: Algebra: 2, Geometry: 1", "levels:   level 1: 1, level 2: 1, level 5: 1", "[0] t/1  Algebra, level 1"}, nil, ""},
		{"unknown problem", []string{"show", "aime2024", "--problem", "99"}, nil, nil, `no problem with id "99" (and it is not a position 0..2)`},
		{"non-integer answer", []string{"show", "--as", "aime2024", "../../evalsets/testdata/aime_bad_answer.jsonl"}, nil, nil,
			"aime_bad_answer.jsonl line 1: field answer: expected an integer"},
		{"integer file read as MATH-500", []string{"show", renamed}, nil, nil, "add --as aime2024"},
		{"absent user-supplied copy", []string{"show", "amc2023"}, nil, nil, "evalset amc2023: no local copy at " + filepath.Join(dir, "amc2023.jsonl") + " (it is user-supplied: math-ai/amc23"},
		{"absent published copy", []string{"show", "math500"}, nil, nil, "(run: rlvr-eval evalset fetch math500)"},
		{"neither name nor file", []string{"show", "nope.jsonl"}, nil, nil, "nope.jsonl: expected a known evalset (aime2024, aime2025, amc2023, math500) or an existing file"},
		{"unknown --as", []string{"show", renamed, "--as", "gsm8k"}, nil, nil, `--as: expected one of aime2024, aime2025, amc2023, math500, found "gsm8k"`},
		{"conflicting --as", []string{"show", "aime2024", "--as", "amc2023"}, nil, nil, "--as amc2023 conflicts with the evalset name aime2024"},
		{"negative -n", []string{"show", "aime2024", "-n", "-1"}, nil, nil, "-n: expected a number of problems >= 0, found -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runEvalset(t, tc.args...)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestEvalsetShowPublishedMATH500(t *testing.T) {
	path := realdata.Path(t, "math500/test.jsonl")
	out, err := runEvalset(t, "show", path, "-n", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"evalset:  math500", "(matches the published math500 file)", "problems: 500\n", "Precalculus: 56", "level 5: 134"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestEvalsetFetch(t *testing.T) {
	var body atomic.Pointer[[]byte] // the published file, once the test has read it
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wrong/test.jsonl":
			fmt.Fprint(w, "a different file\n")
		case "/real/test.jsonl":
			b := body.Load()
			if b == nil {
				http.NotFound(w, r)
				return
			}
			w.Write(*b)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	sum := sha256.Sum256([]byte("a different file\n"))

	t.Run("wrong hash", func(t *testing.T) {
		dir := t.TempDir()
		_, err := runEvalset(t, "fetch", "math500", "--dir", dir, "--url", srv.URL+"/wrong/test.jsonl")
		want := "sha256 mismatch: expected " + evalsets.MATH500.SHA256 + ", found " + hex.EncodeToString(sum[:])
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v, want it to contain %q", err, want)
		}
		if es, _ := os.ReadDir(dir); len(es) != 0 {
			t.Fatalf("the wrong file was kept: %v", es)
		}
	})
	t.Run("404", func(t *testing.T) {
		_, err := runEvalset(t, "fetch", "math500", "--dir", t.TempDir(), "--url", srv.URL+"/missing.jsonl")
		if err == nil || !strings.Contains(err.Error(), "expected 200 OK, found 404 Not Found") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("user-supplied", func(t *testing.T) {
		dir := t.TempDir()
		_, err := runEvalset(t, "fetch", "aime2024", "--dir", dir)
		for _, w := range []string{"aime2024 is user-supplied", "HuggingFaceH4/aime_2024", filepath.Join(dir, "aime2024.jsonl"), "evalset: {name: aime2024, path: FILE}"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("err = %v, want it to contain %q", err, w)
			}
		}
	})
	t.Run("unknown", func(t *testing.T) {
		_, err := runEvalset(t, "fetch", "gsm8k")
		if err == nil || !strings.Contains(err.Error(), "fetch gsm8k: expected one of aime2024, aime2025, amc2023, math500") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("no name", func(t *testing.T) {
		if _, err := runEvalset(t, "fetch"); err == nil {
			t.Fatal("fetch without a name succeeded")
		}
	})
	t.Run("published file from a mirror", func(t *testing.T) {
		data, err := os.ReadFile(realdata.Path(t, "math500/test.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		body.Store(&data)
		dir := filepath.Join(t.TempDir(), "cache", "evalsets")
		t.Setenv("RLVR_EVAL_EVALSETS_DIR", dir)
		out, err := runEvalset(t, "fetch", "math500", "--url", srv.URL+"/real/test.jsonl", "--timeout", "30s")
		if err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(dir, "math500.jsonl")
		for _, w := range []string{
			fmt.Sprintf("math500: downloaded %d bytes from %s/real/test.jsonl", len(data), srv.URL),
			"math500: " + dest + " (sha256 " + evalsets.MATH500.SHA256 + " verified)",
			"config:  evalset: {name: math500, path: " + dest + "}",
		} {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %q:\n%s", w, out)
			}
		}
		out, err = runEvalset(t, "fetch", "math500", "--url", srv.URL+"/missing.jsonl")
		if err != nil || !strings.Contains(out, "math500: already present, nothing downloaded") {
			t.Fatalf("second fetch: %v\n%s", err, out)
		}
		out, err = runEvalset(t, "list")
		if err != nil || !strings.Contains(out, "local copy:  present at "+dest+" (sha256 matches the published file)") {
			t.Fatalf("list after fetch: %v\n%s", err, out)
		}
		out, err = runEvalset(t, "show", "math500", "-n", "0")
		if err != nil || !strings.Contains(out, "(matches the published math500 file)") {
			t.Fatalf("show after fetch: %v\n%s", err, out)
		}
	})
}

// hubAIMERow is the shape of HuggingFaceH4/aime_2024's Parquet file.
type hubAIMERow struct {
	ID       int64  `parquet:"id"`
	Problem  string `parquet:"problem"`
	Solution string `parquet:"solution"`
	Answer   string `parquet:"answer"`
	URL      string `parquet:"url"`
	Year     string `parquet:"year"`
}

func TestEvalsetShowParquet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "train-00000-of-00001.parquet")
	rows := []hubAIMERow{
		{ID: 7, Problem: "Find $n$ if $n + 5 = 12$.", Solution: "$n = \\boxed{7}$.", Answer: "007", URL: "u", Year: "2024"},
		{ID: 8, Problem: "Find $m$ if $2m = 18$.", Answer: "9", URL: "u", Year: "2024"},
	}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	out, err := runEvalset(t, "show", path, "--as", "aime2024", "--problem", "7")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"evalset:  aime2024", "problems: 2 (the published split has 30)", "problem 7 (by id)", "answer:   7\n", `solution: $n = \boxed{7}$.`} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	rows[1].Answer = "4.5"
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := runEvalset(t, "show", path, "--as", "aime2024"); err == nil || !strings.Contains(err.Error(), "train-00000-of-00001.parquet row 1: field answer: expected an integer") {
		t.Fatalf("err = %v", err)
	}
}
