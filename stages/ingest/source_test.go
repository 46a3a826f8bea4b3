package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// readSourceFile reads path once through OpenFile and ReadSource with the named
// format (detected when format is ""), and checks that the streamed sha256 and
// size are the file's.
func readSourceFile(t testing.TB, format, path string, opts map[string]string) ([]Record, []schemas.Reject, FileResult) {
	t.Helper()
	fl, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	var f Format
	if format == "" {
		if f, err = Detect(path, fl.Head()); err != nil {
			t.Fatal(err)
		}
	} else {
		var ok bool
		if f, ok = Lookup(format); !ok {
			t.Fatalf("format %q is not listed", format)
		}
	}
	var recs []Record
	var rejs []schemas.Reject
	res, err := f.NewSourceReader(opts).ReadSource(context.Background(), fl.Source(), func(it Item) error {
		switch {
		case it.Record != nil && it.Reject == nil:
			recs = append(recs, *it.Record)
		case it.Reject != nil && it.Record == nil:
			rejs = append(rejs, *it.Reject)
		default:
			t.Fatalf("%s: item with record %v and reject %v", path, it.Record, it.Reject)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: ReadSource: %v", path, err)
	}
	size, sum, err := fl.Digest()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(b)
	if size != int64(len(b)) || sum != hex.EncodeToString(want[:]) {
		t.Errorf("%s: streamed digest %d bytes %s, want %d bytes %x", path, size, sum, len(b), want)
	}
	if res.Format != f.Name || res.Evalset.Name == "" || res.Evalset.Why == "" {
		t.Errorf("%s: result %+v: want format %q and an evalset guess with its reason", path, res, f.Name)
	}
	return recs, rejs, res
}

// TestReadSourceAgreesWithRead reads every fixture both ways: ReadSource on a
// File (read once, hashed while read) gives the items Read gives, Read's
// extra line-0 rejects being exactly the skipped entries.
func TestReadSourceAgreesWithRead(t *testing.T) {
	for _, name := range append(toolFormats, "qwen-eval", "canonical") {
		for _, p := range fixtureFiles(t, name) {
			recs, rejs, res := readSourceFile(t, name, p, nil)
			r2, j2 := collectItems(t, name, p, nil)
			var why []string
			for _, s := range res.Skipped {
				why = append(why, s.Why)
			}
			var notes []string
			var rest []schemas.Reject
			for _, r := range j2 {
				if r.SourceLine == 0 && r.Raw == "" && len(notes) < len(why) && r.Error == why[len(notes)] {
					notes = append(notes, r.Error)
					continue
				}
				rest = append(rest, r)
			}
			if !reflect.DeepEqual(recs, r2) || !reflect.DeepEqual(rejs, rest) || len(notes) != len(why) {
				t.Errorf("%s: ReadSource gave %d records, %d rejects, skipped %v; Read gave %d records, %d rejects",
					p, len(recs), len(rejs), why, len(r2), len(j2))
			}
		}
	}
}

func TestNotSamples(t *testing.T) {
	for _, tc := range []struct{ file, tool string }{
		{"testdata/results/results_2025-06-01T10-00-00.123456.json", "an lm-eval results JSON"},
		{"testdata/results/lighteval_results_2025-05-01T12-00-00.json", "a lighteval results JSON"},
	} {
		head := fileHead(t, tc.file)
		why, ok := NotSamples(tc.file, head)
		if !ok || !strings.Contains(why, tc.tool) {
			t.Errorf("NotSamples(%s) = %q, %v; want it to name %s", tc.file, why, ok, tc.tool)
		}
		f, err := Detect(tc.file, head)
		if err != nil || f.Name != "not-samples" {
			t.Errorf("Detect(%s) = %q, %v; want not-samples", tc.file, f.Name, err)
		}
		// Named with a samples format (a glob in an lm-eval entry), the file
		// is skipped with why, not rejected.
		for _, format := range []string{"", "lm-eval", "lighteval", "canonical"} {
			recs, rejs, res := readSourceFile(t, format, tc.file, nil)
			if len(recs) != 0 || len(rejs) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Reason != SkipNotSamples || res.Skipped[0].Why != why {
				t.Errorf("%s as %q: %d records, %d rejects, skipped %+v; want the file skipped as not samples", tc.file, format, len(recs), len(rejs), res.Skipped)
			}
		}
	}
	// Samples files are never taken for results files, even with a results key.
	for _, name := range append(toolFormats, "qwen-eval", "canonical") {
		for _, p := range fixtureFiles(t, name) {
			if why, ok := NotSamples(p, fileHead(t, p)); ok {
				t.Errorf("%s (%s) taken for a results file: %s", p, name, why)
			}
		}
	}
	for _, line := range []string{
		`{"results": [1], "problem_id": "x", "response": "r"}`,
		`{"doc_id": 0, "results": {}, "versions": {}, "resps": [["a"]]}`,
		`{"results": {"a": 1}}`, // a small object: not known to be a results file
		`[{"results": 1}]`,
	} {
		if why, ok := NotSamples("x.jsonl", []byte(line)); ok {
			t.Errorf("NotSamples(%s) = %q", line, why)
		}
	}
}

// fuzzSourceContract reads data through File and ReadSource with opts: no
// panic, no error, the streamed digest the data's, every skip counted with a
// reason and a sentence, and rows either records, rejects or skipped.
func fuzzSourceContract(t *testing.T, format, name string, data []byte, opts map[string]string) {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, res := readSourceFile(t, format, p, opts)
	for _, s := range res.Skipped {
		if s.Why == "" || (s.Reason != SkipNotSamples && s.Rows <= 0) {
			t.Fatalf("skip %+v", s)
		}
	}
}

// FuzzDetect: detection never panics, and a file taken for a results JSON
// starts with none of the samples formats' fields.
func FuzzDetect(f *testing.F) {
	for _, name := range append(toolFormats, "results") {
		for _, p := range fixtureFiles(f, name) {
			f.Add(fileHead(f, p))
		}
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		fm, err := Detect("x.json", head)
		if err == nil && fm.Name == "not-samples" {
			k := keySet(FirstKeys(head, 64))
			for _, s := range sampleKeys {
				if k[s] {
					t.Fatalf("results JSON with samples field %q", s)
				}
			}
		}
		var de *DetectError
		if err != nil && errors.As(err, &de) && de.Closest != "" && len(de.Missing) == 0 {
			t.Fatalf("closest %s with nothing missing", de.Closest)
		}
	})
}
