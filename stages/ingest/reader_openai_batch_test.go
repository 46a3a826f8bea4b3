package ingest

import (
	"os"
	"testing"
)

func TestCompileCustomIDPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, id, problem, sample string
		match                        bool
	}{
		{DefaultCustomIDPattern, "test/algebra/1.json#3", "test/algebra/1.json", "3", true},
		{DefaultCustomIDPattern, "a#b#12", "a#b", "12", true},
		{DefaultCustomIDPattern, "test/algebra/1.json", "", "", false},
		{DefaultCustomIDPattern, "p#x", "", "", false},
		{"req-{sample_idx}-{problem_id}", "req-2-test/geometry/4.json", "test/geometry/4.json", "2", true},
		{"{problem_id}", "anything", "anything", "", true},
		{"q.{problem_id}[{sample_idx}]", "q.17[0]", "17", "0", true},
	} {
		re, err := compileCustomIDPattern(tc.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tc.pattern, err)
		}
		m := re.FindStringSubmatch(tc.id)
		if (m != nil) != tc.match {
			t.Errorf("%q on %q: match %v, want %v", tc.pattern, tc.id, m != nil, tc.match)
			continue
		}
		if m == nil {
			continue
		}
		got := map[string]string{}
		for i, n := range re.SubexpNames() {
			got[n] = m[i]
		}
		if got["problem"] != tc.problem || got["sample"] != tc.sample {
			t.Errorf("%q on %q: %v", tc.pattern, tc.id, got)
		}
	}
	for _, bad := range []string{"{sample_idx}", "{problem_id}{problem_id}", "{problem_id}#{sample_idx}{sample_idx}"} {
		if _, err := compileCustomIDPattern(bad); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func TestReadOpenAIBatch(t *testing.T) {
	ok := func(id, choices, usage string) string {
		return `{"id": "batch_req_1", "custom_id": "` + id + `", "response": {"status_code": 200, "request_id": "r", "body": {"object": "chat.completion", "choices": ` + choices + `, "usage": ` + usage + `}}, "error": null}` + "\n"
	}
	choice := func(i int, content, finish string) string {
		return `{"index": ` + string(rune('0'+i)) + `, "message": {"role": "assistant", "content": ` + content + `}, "finish_reason": "` + finish + `"}`
	}
	runReaderCases(t, "openai-batch", []readerCase{
		{
			name:    "one choice: sample from the id, tokens from usage",
			in:      ok("test/algebra/1.json#2", "["+choice(0, `"r"`, "length")+"]", `{"completion_tokens": 42}`),
			records: 1,
			check: func(t *testing.T, r []Record) {
				g := r[0]
				if g.ProblemID != "test/algebra/1.json" || g.SampleIdx != 2 || g.Response != "r" || *g.FinishReason != "length" || *g.ResponseTokens != 42 || g.Gold != nil {
					t.Errorf("record %+v", g)
				}
			},
		},
		{
			name:    "id without # is the problem; choices are the samples; usage is not split",
			in:      ok("17", "["+choice(0, `"a"`, "stop")+", "+choice(1, `"b"`, "stop")+"]", `{"completion_tokens": 42}`),
			records: 2,
			check: func(t *testing.T, r []Record) {
				for i, g := range r {
					if g.Position != 17 || g.ProblemID != "" || g.SampleIdx != int64(i) || g.ResponseTokens != nil {
						t.Errorf("record %d %+v", i, g)
					}
				}
			},
		},
		{
			name:    "id with a sample and n choices: sample*n+i",
			in:      ok("p#1", "["+choice(0, `"a"`, "stop")+", "+choice(1, `"b"`, "stop")+"]", `{}`),
			records: 2,
			check: func(t *testing.T, r []Record) {
				if r[0].SampleIdx != 2 || r[1].SampleIdx != 3 {
					t.Errorf("samples %d %d, want 2 3", r[0].SampleIdx, r[1].SampleIdx)
				}
			},
		},
		{
			name:    "configured pattern",
			opts:    map[string]string{"custom_id_pattern": "math500-{problem_id}-s{sample_idx}"},
			in:      ok("math500-test/algebra/1.json-s7", "["+choice(0, `"a"`, "stop")+"]", `{}`),
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].ProblemID != "test/algebra/1.json" || r[0].SampleIdx != 7 {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			name:    "completions endpoint text",
			in:      ok("3#0", `[{"index": 0, "text": " t", "finish_reason": "stop"}]`, `{"completion_tokens": 1}`),
			records: 1,
		},
		{name: "error object", in: `{"custom_id": "a#0", "response": null, "error": {"code": "server_error", "message": "boom"}}` + "\n", rejects: []string{"request a#0 failed: server_error: boom"}},
		{name: "error string", in: `{"custom_id": "a#0", "error": "timeout"}` + "\n", rejects: []string{"request a#0 failed: timeout"}},
		{name: "status 500", in: `{"custom_id": "a#0", "response": {"status_code": 500, "body": {"error": {"message": "internal"}}}, "error": null}` + "\n", rejects: []string{"expected status_code 200, found 500: internal"}},
		{name: "no choices", in: ok("a#0", "[]", "{}"), rejects: []string{"expected at least one choice, found none"}},
		{name: "null content", in: ok("a#0", "["+choice(0, "null", "tool_calls")+"]", "{}"), rejects: []string{`choices[0].message.content": expected a string, found null`}},
		{name: "no custom_id", in: `{"id": "x", "response": {"status_code": 200, "body": {}}}` + "\n", rejects: []string{`field "custom_id": expected a string, found nothing`}},
		{name: "body not an object", in: `{"custom_id": "a#0", "response": {"status_code": 200, "body": "oops"}}` + "\n", rejects: []string{`field "response.body": expected a completion object`}},
	})
}

func TestOpenAIBatchBadPattern(t *testing.T) {
	f, _ := Lookup("openai-batch")
	err := f.New(map[string]string{"custom_id_pattern": "no placeholders"}).Read(t.Context(), "testdata/openai-batch/batch_6f1e_output.jsonl", func(Item) error { return nil })
	if err == nil {
		t.Fatal("a pattern without {problem_id} was accepted")
	}
}

func FuzzReadOpenAIBatch(f *testing.F) {
	for _, p := range fixtureFiles(f, "openai-batch") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"custom_id": 5, "response": {"status_code": "200", "body": {"choices": [{"index": 9, "message": {}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReaderContract(t, "openai-batch", "batch_output.jsonl", data, true)
	})
}
