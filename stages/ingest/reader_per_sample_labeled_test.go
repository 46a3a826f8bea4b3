package ingest

import (
	"os"
	"testing"
)

func TestReadPerSampleLabeled(t *testing.T) {
	runReaderCases(t, "per-sample-labeled", []readerCase{
		{
			name:    "eval.py line",
			in:      `{"prompt": "<|im_start|>user\nWhat is 1+1?<|im_end|>", "vanilla_response": "2", "question": "What is 1+1?", "answer": "So \\boxed{2}.", "question_id": 41, "generation_id": 3, "response": "It is \\boxed{2}.", "label": true, "gold_answer": "2", "pred_answer": "2"}` + "\n",
			records: 1,
			check: func(t *testing.T, r []Record) {
				g := r[0]
				if g.Position != 41 || g.ProblemID != "" || g.SampleIdx != 3 || g.ProblemText != "What is 1+1?" ||
					g.Response != `It is \boxed{2}.` || *g.Gold != "2" || *g.PeerExtracted != "2" || !*g.PeerCorrect || g.SourceLine != 1 {
					t.Errorf("record %+v", g)
				}
			},
		},
		{
			name:    "empty gold_answer falls back to the solution; numeric pred; string id",
			in:      `{"question": "Q", "answer": "x=\\boxed{3}", "question_id": "test/algebra/9.json", "generation_id": 0, "response": "3", "label": false, "gold_answer": null, "pred_answer": 3}` + "\n",
			records: 1,
			check: func(t *testing.T, r []Record) {
				if *r[0].Gold != `x=\boxed{3}` || *r[0].PeerExtracted != "3" || *r[0].PeerCorrect || r[0].ProblemID != "test/algebra/9.json" || r[0].Position != -1 {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			name:    "only vanilla_response",
			in:      `{"question": "Q", "question_id": 1, "generation_id": 0, "vanilla_response": "v"}` + "\n",
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].Response != "v" || r[0].Gold != nil || r[0].PeerCorrect != nil {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{name: "no problem key", in: `{"generation_id": 0, "response": "r"}` + "\n", rejects: []string{"expected a problem key"}},
		{name: "label of the wrong type", in: `{"question_id": 0, "response": "r", "label": [true]}` + "\n", rejects: []string{`field "label": expected a boolean verdict, found a JSON array`}},
		{name: "response is a list", in: `{"question_id": 0, "response": ["a"]}` + "\n", rejects: []string{`field "response": expected a string, found a JSON array`}},
		{name: "not an object", in: "[1, 2]\n", rejects: []string{"expected a JSON object, found a JSON array"}},
		{name: "null line", in: "null\n", rejects: []string{"expected a JSON object, found null"}},
		{name: "truncated last line", in: `{"question_id": 0, "response": "r"}` + "\n" + `{"question_id": 1, "resp`, records: 1, rejects: []string{"truncated last line"}},
	})
}

func FuzzReadPerSampleLabeled(f *testing.F) {
	for _, p := range fixtureFiles(f, "per-sample-labeled") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"question_id": "7", "generation_id": 1.0, "response": "", "label": "True"}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzReaderContract(t, "per-sample-labeled", "x.jsonl", data, true) })
}
