package ingest

import (
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

func TestQwenEvalReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		records int
		rejects []string
		check   func(t *testing.T, recs []Record)
	}{
		{
			name:    "full line",
			in:      `{"idx": 4, "question": "Q?", "gt": "420", "answer": "421", "level": "Level 3", "type": "Algebra", "code": ["a", "b"], "pred": ["420", null], "score": [true, false], "finish_reason": ["stop", "length"]}` + "\n",
			records: 2,
			check: func(t *testing.T, recs []Record) {
				a, b := recs[0], recs[1]
				if a.ProblemText != "Q?" || a.Position != 4 || *a.Gold != "420" || a.Level != 3 || a.Subject != "Algebra" || a.SampleIdx != 0 || b.SampleIdx != 1 {
					t.Fatalf("records = %+v", recs)
				}
				if !*a.PeerCorrect || *b.PeerCorrect || *a.PeerExtracted != "420" || b.PeerExtracted != nil || *b.FinishReason != "length" {
					t.Fatalf("peer fields = %+v / %+v", a, b)
				}
			},
		},
		{
			name: "answer as gold, numeric level, short verdict lists", records: 2,
			in: `{"idx": 0, "question": "Q", "answer": 7, "level": 5, "code": ["a", "b"], "score": [true]}` + "\n",
			check: func(t *testing.T, recs []Record) {
				if *recs[0].Gold != "7" || recs[0].Level != 5 || recs[1].PeerCorrect != nil || recs[0].FinishReason != nil {
					t.Fatalf("records = %+v", recs)
				}
			},
		},
		{name: "no code", in: `{"idx": 0, "question": "Q", "gt": "1"}` + "\n", rejects: []string{"1: expected code"}},
		{name: "empty code", in: `{"idx": 0, "question": "Q", "gt": "1", "code": []}` + "\n", rejects: []string{"empty list"}},
		{name: "non-string response", in: `{"idx": 0, "question": "Q", "code": ["a", 5]}` + "\n", records: 1, rejects: []string{"code[1]: expected a response string, found \"5\""}},
		{name: "bad level", in: `{"idx": 0, "question": "Q", "code": ["a"], "level": "hard"}` + "\n", rejects: []string{"field level"}},
		{name: "no question nor idx", in: `{"code": ["a"], "gt": "1"}` + "\n", rejects: []string{"expected question (or idx)"}},
		{name: "truncated", in: `{"idx": 0, "question": "Q", "code": ["a"]}` + "\n" + `{"idx": 1, "question": "Q2", "code": ["a`, records: 1, rejects: []string{"2: ", "truncated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, rejs := readFormatForTest(t, "qwen-eval", tc.in)
			if len(recs) != tc.records {
				t.Fatalf("records = %d, want %d (rejects %v)", len(recs), tc.records, rejs)
			}
			all := strings.Join(rejs, "\n")
			for _, want := range tc.rejects {
				if !strings.Contains(all, want) {
					t.Fatalf("rejects %q lack %q", all, want)
				}
			}
			if len(tc.rejects) == 0 && len(rejs) > 0 {
				t.Fatalf("unexpected rejects %v", rejs)
			}
			if tc.check != nil {
				tc.check(t, recs)
			}
		})
	}
}

func TestQwenEvalRealFile(t *testing.T) {
	path := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	f, _ := Lookup("qwen-eval")
	var n, peers int
	err := f.New(nil).Read(t.Context(), path, func(it Item) error {
		if it.Reject != nil {
			t.Errorf("reject: %+v", it.Reject)
			return nil
		}
		n++
		r := it.Record
		if r.Gold == nil || r.ProblemText == "" || r.Level < 1 || r.Level > 5 || r.Response == "" {
			t.Errorf("record %s:%d #%d incomplete", r.SourceFile, r.SourceLine, r.SampleIdx)
		}
		if r.PeerCorrect != nil {
			peers++
		}
		return nil
	})
	if err != nil || n != 400 || peers != 400 {
		t.Fatalf("Read: %v; %d records, %d with peer verdicts; want 400", err, n, peers)
	}
}

func FuzzQwenEvalLine(f *testing.F) {
	f.Add([]byte(`{"idx": 4, "question": "Q?", "gt": "420", "level": "Level 3", "code": ["a", "b"], "pred": ["420", ["1"]], "score": [true, null]}`))
	f.Add([]byte(`{"idx": 0, "code": [1, "x"], "level": 2, "finish_reason": [null, "stop"]}`))
	f.Add([]byte(`{"code": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, it := range qwenEvalItems("f", 1, data) {
			if (it.Record == nil) == (it.Reject == nil) {
				t.Fatalf("item with both or neither: %+v", it)
			}
		}
	})
}
