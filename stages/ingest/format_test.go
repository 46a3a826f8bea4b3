package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFormatsList checks the explicit list of formats against the reader files:
// every reader_<name>.go declares a Format that is listed exactly once, under a
// unique name, with a Detect and a New.
func TestFormatsList(t *testing.T) {
	names := map[string]bool{}
	for _, f := range Formats() {
		if f.Name == "" || f.Detect == nil || f.New == nil {
			t.Errorf("format %+v lacks a name, a Detect or a New", f.Name)
		}
		if names[f.Name] {
			t.Errorf("format %q listed twice", f.Name)
		}
		names[f.Name] = true
		if g, ok := Lookup(f.Name); !ok || g.Name != f.Name {
			t.Errorf("Lookup(%q) = %q, %v", f.Name, g.Name, ok)
		}
	}
	if last := formats[len(formats)-1].Name; last != "canonical" {
		t.Errorf("the last format is %q; canonical (the loosest signature) must be tried last", last)
	}
	decl := regexp.MustCompile(`(?m)^var (\w+Format) = Format\{\n\tName:\s+"([^"]+)"`)
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	for _, e := range files {
		n := e.Name()
		if !strings.HasPrefix(n, "reader_") || strings.HasSuffix(n, "_test.go") || !strings.HasSuffix(n, ".go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			declared++
			if !names[m[2]] {
				t.Errorf("%s declares %s (%q), which the formats list in format.go does not hold", n, m[1], m[2])
			}
		}
	}
	if declared != len(formats) {
		t.Errorf("%d formats declared in reader files, %d listed", declared, len(formats))
	}
}

// TestFormatFields: Fields say what Detect looks for: the first record of
// every fixture satisfies its format's Fields, and a file that lacks one group
// is reported with that format as the closest and the group as missing.
func TestFormatFields(t *testing.T) {
	for _, f := range Formats() {
		for _, p := range fixtureFiles(t, f.Name) {
			k := keySet(FirstKeys(fileHead(t, p), 128))
			for _, group := range f.Fields {
				ok := false
				for _, key := range group {
					ok = ok || k[key]
				}
				if !ok {
					t.Errorf("%s is %s, yet its first record lacks %s", p, f.Name, strings.Join(group, " or "))
				}
			}
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, closest, missing string }{
		{"samples_x_2025-01-01T00-00-00.jsonl", `{"doc": {"problem": "P"}, "target": "1", "resps": [["r"]]}`, "lm-eval", "doc_id"},
		{"run.jsonl", `{"generated_solution": "g", "predicted_answer": "1", "expected_answer": "1", "is_correct": true, "question": "Q"}`, "nemo-skills", "a file named output-rs<seed>.jsonl or output.jsonl"},
		{"x.jsonl", `{"idx": 0, "question": "Q", "responses_list": ["r"]}`, "qwen-eval", "code"},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.content+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := DetectFile(p)
		var de *DetectError
		if !errors.As(err, &de) || de.Closest != tc.closest || strings.Join(de.Missing, ", ") != tc.missing ||
			!strings.Contains(err.Error(), "closest is "+tc.closest+", which needs "+tc.missing) {
			t.Errorf("%s: %v; want closest %s lacking %s", tc.name, err, tc.closest, tc.missing)
		}
	}
}
