package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNemoSkillsSeed(t *testing.T) {
	for _, tc := range []struct {
		path string
		seed int64
		ok   bool
	}{
		{"runs/math500/output-rs0.jsonl", 0, true},
		{"output-rs17.jsonl", 17, true},
		{"/x/output.jsonl", 0, true},
		{"output-rs.jsonl", 0, false},
		{"output-rs3.jsonl.done", 0, false},
		{"my-output.jsonl", 0, false},
	} {
		seed, ok := nemoSkillsSeed(tc.path)
		if seed != tc.seed || ok != tc.ok {
			t.Errorf("nemoSkillsSeed(%q) = %d, %v; want %d, %v", tc.path, seed, ok, tc.seed, tc.ok)
		}
	}
}

func TestReadNemoSkills(t *testing.T) {
	line := func(s string) string { return s + "\n" }
	runReaderCases(t, "nemo-skills", []readerCase{
		{
			name: "seed from the file name, position from the line",
			file: "output-rs5.jsonl",
			in: line(`{"problem": "P0", "expected_answer": "1", "id": "test/algebra/1.json", "generation": "g0", "num_generated_tokens": 7, "finish_reason": "length", "predicted_answer": "1", "symbolic_correct": true}`) +
				"\n" + line(`{"problem": "P1", "expected_answer": 2, "generation": "g1", "predicted_answer": null, "symbolic_correct": false}`),
			records: 2,
			check: func(t *testing.T, r []Record) {
				a, b := r[0], r[1]
				if a.SampleIdx != 5 || a.Position != 0 || a.ProblemID != "test/algebra/1.json" || *a.ResponseTokens != 7 || *a.FinishReason != "length" || !*a.PeerCorrect || *a.Gold != "1" {
					t.Errorf("record 0 %+v", a)
				}
				if b.SampleIdx != 5 || b.Position != 1 || b.SourceLine != 3 || b.ProblemText != "P1" || b.PeerExtracted != nil || *b.PeerCorrect || *b.Gold != "2" {
					t.Errorf("record 1 %+v", b)
				}
			},
		},
		{
			name:    "output.jsonl is seed 0; older is_correct; numeric id is not a problem id",
			file:    "output.jsonl",
			in:      line(`{"question": "Q", "expected_answer": "3", "id": 12, "generation": "g", "is_correct": true}`),
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].SampleIdx != 0 || r[0].ProblemID != "" || r[0].Position != 0 || !*r[0].PeerCorrect || r[0].ProblemText != "Q" {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			name:    "a bad line keeps its slot: the next problem stays at its position",
			file:    "output-rs1.jsonl",
			in:      line(`{"generation": 5}`) + line(`{broken`) + line(`{"generation": "g", "expected_answer": "1"}`),
			records: 1,
			rejects: []string{`field "generation": expected a string, found a JSON number`, "invalid JSON"},
			check: func(t *testing.T, r []Record) {
				if r[0].Position != 2 {
					t.Errorf("position %d, want 2", r[0].Position)
				}
			},
		},
		{name: "verdict of the wrong type", file: "output.jsonl", in: line(`{"generation": "g", "symbolic_correct": {"a": 1}}`), rejects: []string{`field "symbolic_correct": expected a boolean verdict`}},
	})
}

func FuzzReadNemoSkills(f *testing.F) {
	for _, p := range fixtureFiles(f, "nemo-skills") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"generation": "", "num_generated_tokens": 1e3, "is_correct": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzReaderContract(t, "nemo-skills", "output-rs3.jsonl", data, true) })
}

// TestNemoSkillsLayouts reads one line of each layout NeMo-Skills has written
// (spec/formats.md; 2024-06 is also a real file in ../shared/data/formats),
// detected by name, with the verdict field named and the extraction kept.
func TestNemoSkillsLayouts(t *testing.T) {
	for _, tc := range []struct {
		layout, line, metric, text string
		extracted                  *string
		compared                   string
	}{
		{"2024-06", `{"generated_solution": "<llm-code>print(2)</llm-code>\n\\boxed{2}", "predicted_answer": "2", "error_message": "", "expected_answer": "2", "is_correct": true, "question": "Q"}`, "is_correct", "Q", ptr("2"), PeerComparedExtraction},
		{"2024-06, nothing extracted", `{"generated_solution": "g", "predicted_answer": null, "error_message": "timeout", "expected_answer": "2", "is_correct": false, "question": "Q"}`, "is_correct", "Q", nil, PeerComparedExtraction},
		{"2024-08", `{"question": "Q", "expected_answer": "2", "generation": "\\boxed{2}", "predicted_answer": "2", "is_correct": true}`, "is_correct", "Q", ptr("2"), PeerComparedExtraction},
		{"2024-09", `{"problem": "P", "expected_answer": "2", "generation": "\\boxed{2}", "is_correct": true}`, "is_correct", "P", nil, ""},
		{"current", `{"problem": "P", "expected_answer": "2", "id": "test/algebra/1.json", "generation": "\\boxed{2}", "predicted_answer": "2", "symbolic_correct": true}`, "symbolic_correct", "P", ptr("2"), PeerComparedExtraction},
	} {
		t.Run(tc.layout, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run", "eval-results", "math")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "output-rs2.jsonl")
			if err := os.WriteFile(p, []byte(tc.line+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			recs, rejs, res := readSourceFile(t, "", p, nil)
			if res.Format != "nemo-skills" || len(recs) != 1 || len(rejs) != 0 {
				t.Fatalf("format %q, %d records, %d rejects", res.Format, len(recs), len(rejs))
			}
			r := recs[0]
			if r.PeerCorrect == nil || r.PeerMetric != tc.metric || r.ProblemText != tc.text || r.SampleIdx != 2 || r.Position != 0 ||
				r.PeerCompared != tc.compared || (r.PeerExtracted == nil) != (tc.extracted == nil) || (r.PeerExtracted != nil && *r.PeerExtracted != *tc.extracted) || *r.Gold != "2" {
				t.Errorf("record %+v", r)
			}
			if res.Evalset.Name != "math" {
				t.Errorf("evalset %+v, want the benchmark folder math", res.Evalset)
			}
		})
	}
}
