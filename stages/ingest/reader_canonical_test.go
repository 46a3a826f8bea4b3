package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// readAll reads content as the named format from a temp file.
func readFormatForTest(t testing.TB, format, content string) (recs []Record, rejs []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	f, ok := Lookup(format)
	if !ok {
		t.Fatalf("format %s not registered", format)
	}
	err := f.New(nil).Read(context.Background(), path, func(it Item) error {
		if it.Record != nil {
			recs = append(recs, *it.Record)
		} else {
			rejs = append(rejs, strings.TrimPrefix(it.Reject.SourceFile, filepath.Dir(path)+"/")+":"+strconv.FormatInt(it.Reject.SourceLine, 10)+": "+it.Reject.Error)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return recs, rejs
}

func TestCanonicalReader(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		records  int
		rejects  []string // substrings, in order
		check    func(t *testing.T, recs []Record)
		detected bool
	}{
		{
			name:    "one sample per line",
			in:      `{"problem_id": "p1", "response": "x = \\boxed{2}", "sample_idx": 3, "finish_reason": "length", "response_tokens": 12, "gold": 2, "model": "M", "step": 5}` + "\n",
			records: 1, detected: true,
			check: func(t *testing.T, recs []Record) {
				r := recs[0]
				if r.ProblemID != "p1" || r.SampleIdx != 3 || *r.FinishReason != "length" || *r.ResponseTokens != 12 || *r.Gold != "2" || *r.Model != "M" || *r.Step != 5 || r.SourceLine != 1 {
					t.Fatalf("record = %+v", r)
				}
				if r.Family != nil || r.Seed != nil || r.Position != -1 {
					t.Fatalf("open fields set: %+v", r)
				}
			},
		},
		{
			name:    "responses list",
			in:      `{"problem_id": 7, "responses": ["a", {"response": "b", "finish_reason": "stop"}, 3, {"x": 1}]}` + "\n",
			records: 2, rejects: []string{"1: responses[2]: expected a string or an object", "1: responses[3]: expected a response string"}, detected: true,
			check: func(t *testing.T, recs []Record) {
				if recs[0].ProblemID != "7" || recs[0].SampleIdx != 0 || recs[1].SampleIdx != 1 || *recs[1].FinishReason != "stop" {
					t.Fatalf("records = %+v", recs)
				}
			},
		},
		{name: "no response", in: `{"problem_id": "p"}` + "\n", rejects: []string{"1: expected a response (string) or responses (list), found neither"}},
		{name: "no problem", in: `{"response": "r"}` + "\n", rejects: []string{"1: expected problem_id (or problem), found neither"}},
		{name: "both shapes", in: `{"problem_id": "p", "response": "r", "responses": ["s"]}` + "\n", rejects: []string{"found both"}, detected: true},
		{name: "bad json", in: "{\"problem_id\": \"p\", \"response\": \"r\"}\n{oops}\n", records: 1, rejects: []string{"2: expected a canonical record"}, detected: true},
		{name: "wrong type", in: `{"problem_id": "p", "response": 5}` + "\n", rejects: []string{"field response: expected string"}, detected: true},
		{name: "truncated last line", in: "{\"problem_id\": \"p\", \"response\": \"r\"}\n{\"problem_id\": \"p\", \"resp", records: 1, rejects: []string{"2: ", "truncated"}, detected: true},
		{name: "empty responses", in: `{"problem_id": "p", "responses": []}` + "\n", rejects: []string{"empty list"}, detected: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, rejs := readFormatForTest(t, "canonical", tc.in)
			if len(recs) != tc.records {
				t.Fatalf("records = %d, want %d (rejects %v)", len(recs), tc.records, rejs)
			}
			if len(tc.rejects) > 0 {
				all := strings.Join(rejs, "\n")
				for _, want := range tc.rejects {
					if !strings.Contains(all, want) {
						t.Fatalf("rejects %q lack %q", all, want)
					}
				}
			} else if len(rejs) > 0 {
				t.Fatalf("unexpected rejects %v", rejs)
			}
			if tc.check != nil {
				tc.check(t, recs)
			}
			f, err := Detect("x.jsonl", []byte(tc.in))
			if tc.detected && (err != nil || f.Name != "canonical") {
				t.Fatalf("Detect = %v, %v", f.Name, err)
			}
		})
	}
}

func TestDetectUnknown(t *testing.T) {
	_, err := Detect("/d/x.jsonl", []byte(`{"foo": 1, "bar": [2], "baz": {}}`+"\n"))
	var de *DetectError
	if !errors.As(err, &de) || !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"/d/x.jsonl", "first keys foo, bar, baz", "canonical", "qwen-eval", "format:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	_, err = Detect("y.txt", []byte("hello world"))
	if err == nil || !strings.Contains(err.Error(), `"hello world"`) {
		t.Fatalf("err = %v", err)
	}
	_, err = Detect("z", nil)
	if err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Fatalf("err = %v", err)
	}
}

func TestDetectRealQwenEval(t *testing.T) {
	path := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	f, err := DetectFile(path)
	if err != nil || f.Name != "qwen-eval" {
		t.Fatalf("DetectFile = %q, %v", f.Name, err)
	}
}

func FuzzCanonicalLine(f *testing.F) {
	f.Add([]byte(`{"problem_id": "p1", "response": "x", "sample_idx": 0, "gold": "2"}`))
	f.Add([]byte(`{"problem_id": 3, "responses": ["a", {"response": "b"}, null], "model": "m", "step": 1}`))
	f.Add([]byte(`{"problem": "What?", "response": ""}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, it := range canonicalItems("f", 1, data) {
			if (it.Record == nil) == (it.Reject == nil) {
				t.Fatalf("item with both or neither: %+v", it)
			}
			if it.Reject != nil && len(it.Reject.Raw) > 512 {
				t.Fatalf("raw too long")
			}
		}
	})
}

// FuzzCanonicalFastPath checks the fast decoder against encoding/json: where
// the fast path accepts a line, both give the same canonicalLine.
func FuzzCanonicalFastPath(f *testing.F) {
	f.Add([]byte(`{"problem_id": "p1", "response": "x \u00e9 \ud83d\ude00 \n", "sample_idx": 0, "gold": 2, "correct": true}`))
	f.Add([]byte(`{"problem_id": 12, "response": "a\"b\\c\/d\b\f\r\t", "finish_reason": null, "step": -3, "seed": 0, "model": "M", "family": "F", "reward": "r", "problem": "P", "response_tokens": 7}`))
	f.Add([]byte(`{"problem_id": "p", "problem_id": null, "gold": null, "response": "\ud800"}`))
	f.Add([]byte(`{"problem_id": "p", "response": "x", "sample_idx": 01}`))
	f.Add([]byte(`{"problem_id": "p", "response": "x", "sample_idx": 1.5}`))
	f.Add([]byte(`{"problem_id":"p","response":"\xff"}`))
	f.Add([]byte(` {} `))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast canonicalLine
		if !decodeCanonicalFast(data, &fast) {
			return
		}
		var slow canonicalLine
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json rejects (%v): %q", err, data)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("fast %+v\nslow %+v\nfor %q", fast, slow, data)
		}
	})
}

func BenchmarkCanonicalLine(b *testing.B) {
	line := []byte(`{"problem_id": "idx/12", "response": "To find the value of \\(10.0000198 \\cdot 5.9999985401\\), we approximate:\n\n- \\(10.0000198 \\approx 10\\)\n\nSo the answer is \\(\\boxed{420}\\).", "sample_idx": 3, "finish_reason": "stop", "gold": "420"}`)
	b.SetBytes(int64(len(line)))
	for i := 0; i < b.N; i++ {
		if items := canonicalItems("f", 1, line); len(items) != 1 || items[0].Record == nil {
			b.Fatal(items)
		}
	}
}

func ExampleDetect() {
	f, err := Detect("gens.jsonl", []byte(`{"idx": 0, "question": "What is 1+1?", "gt": "2", "code": ["\\boxed{2}"]}`+"\n"))
	fmt.Println(f.Name, err)
	_, err = Detect("odd.jsonl", []byte(`{"prompt": "x", "completion": "y"}`+"\n"))
	fmt.Println(err != nil, strings.Contains(err.Error(), "first keys prompt, completion"))
	// Output:
	// qwen-eval <nil>
	// true true
}
