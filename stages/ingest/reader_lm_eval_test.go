package ingest

import (
	"os"
	"strings"
	"testing"
)

func TestReadLMEval(t *testing.T) {
	row := func(docID, filter, resps, filtered, extra string) string {
		f := ""
		if filter != "" {
			f = `, "filter": "` + filter + `", "metrics": ["exact_match"]`
		}
		return `{"doc_id": ` + docID + `, "doc": {"problem": "P` + docID + `", "solution": "\\boxed{4}", "answer": "4"}, "target": "4", "arguments": [], "resps": ` + resps + `, "filtered_resps": ` + filtered + f + extra + "}\n"
	}
	runReaderCases(t, "lm-eval", []readerCase{
		{
			name:    "one sample: filtered response and exact_match are per sample",
			in:      row("0", "", `[["so \\boxed{4}"]]`, `["4"]`, `, "exact_match": 1.0`),
			records: 1,
			check: func(t *testing.T, r []Record) {
				g := r[0]
				if g.Position != 0 || g.SampleIdx != 0 || g.ProblemText != "P0" || *g.Gold != "4" || *g.PeerExtracted != "4" || !*g.PeerCorrect {
					t.Errorf("record %+v", g)
				}
			},
		},
		{
			name:    "repeats: a majority-vote filter value and the metric are not per sample",
			in:      row("3", "maj@2", `[["a", "b"]]`, `["4"]`, `, "exact_match": 1.0`),
			records: 2,
			check: func(t *testing.T, r []Record) {
				for i, g := range r {
					if g.SampleIdx != int64(i) || g.PeerExtracted != nil || g.PeerCorrect != nil || g.Position != 3 {
						t.Errorf("record %d %+v", i, g)
					}
				}
			},
		},
		{
			name: "rows per filter: the file's first filter is read, the others counted (Read: one note)",
			in: row("0", "strict", `[["a"]]`, `["x"]`, `, "exact_match": 0`) +
				row("0", "flexible", `[["a"]]`, `["4"]`, `, "exact_match": 1`) +
				row("1", "flexible", `[["b"]]`, `["4"]`, `, "exact_match": 1`) +
				row("1", "strict", `[["b"]]`, `["y"]`, `, "exact_match": 0`),
			records: 2,
			rejects: []string{`skipped 2 rows of lm-eval filter "flexible" (first at line 2)`},
			check: func(t *testing.T, r []Record) {
				if *r[0].PeerExtracted != "x" || *r[0].PeerCorrect || *r[1].PeerExtracted != "y" || *r[1].PeerCorrect ||
					r[0].Filter != "strict" || r[1].Filter != "strict" || r[1].SourceLine != 4 || r[0].PeerMetric != "exact_match" {
					t.Errorf("kept the wrong rows: %s", dumpItems(r, nil))
				}
			},
		},
		{
			name: "format option filter selects another filter",
			opts: map[string]string{OptFilter: "flexible"},
			in: row("0", "strict", `[["a"]]`, `["x"]`, `, "exact_match": 0`) +
				row("0", "flexible", `[["a"]]`, `["4"]`, `, "exact_match": 1`),
			records: 1,
			rejects: []string{`skipped 1 row of lm-eval filter "strict" (first at line 1)`},
			check: func(t *testing.T, r []Record) {
				if *r[0].PeerExtracted != "4" || !*r[0].PeerCorrect || r[0].Filter != "flexible" {
					t.Errorf("kept the wrong rows: %s", dumpItems(r, nil))
				}
			},
		},
		{
			name:    "format option filter naming a filter the file lacks",
			opts:    map[string]string{OptFilter: "maj@8"},
			in:      row("0", "strict", `[["a"]]`, `["x"]`, "") + row("0", "flexible", `[["a"]]`, `["4"]`, ""),
			rejects: []string{`expected rows of lm-eval filter "maj@8" (format option filter), found only filters "strict" (1 rows), "flexible" (1 rows)`, `skipped 1 row of lm-eval filter "strict"`, `skipped 1 row of lm-eval filter "flexible"`},
		},
		{
			name:    "filter none hands the whole response to the metric: no peer extraction, compared the response",
			in:      row("0", "none", `[["so \\boxed{4}"]]`, `["so \\boxed{4}"]`, `, "exact_match": 0`),
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].PeerExtracted != nil || r[0].PeerCompared != PeerComparedResponse || r[0].PeerCorrect == nil || *r[0].PeerCorrect {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			name:    "same doc with different responses is a reject, not a skip",
			in:      row("0", "strict", `[["a"]]`, `["x"]`, "") + row("0", "flexible", `[["changed"]]`, `["x"]`, ""),
			records: 1,
			rejects: []string{"expected the responses of doc_id 0 read at line 1, found different ones"},
		},
		{
			name:    "same doc and named filter twice",
			in:      row("0", "strict", `[["a"]]`, `["x"]`, "") + row("0", "strict", `[["a"]]`, `["x"]`, ""),
			records: 1,
			rejects: []string{`expected one row per doc_id and filter, found doc_id 0 filter "strict" again (first at line 1)`},
		},
		{
			name: "older files: one unnamed row per filter, filters looped outside the documents",
			in: row("0", "", `[["a"]]`, `["x"]`, `, "exact_match": 0`) + row("1", "", `[["b"]]`, `["y"]`, `, "exact_match": 0`) +
				row("0", "", `[["a"]]`, `["4"]`, `, "exact_match": 1`) + row("1", "", `[["b"]]`, `["4"]`, `, "exact_match": 1`),
			records: 2,
			rejects: []string{`skipped 2 rows repeating documents already read, with the same responses (older lm-eval writes one unnamed row per document and filter; first repeat at line 3)`},
			check: func(t *testing.T, r []Record) {
				if *r[0].PeerExtracted != "x" || *r[1].PeerExtracted != "y" {
					t.Errorf("kept the wrong rows: %s", dumpItems(r, nil))
				}
			},
		},
		{
			name:    "unique_id in the doc; gold from doc.answer when target is empty",
			in:      `{"doc_id": 5, "doc": {"problem": "P", "answer": "7", "unique_id": "test/prealgebra/3.json"}, "target": "", "resps": [["r"]], "filtered_resps": ["r"]}` + "\n",
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].ProblemID != "test/prealgebra/3.json" || r[0].Position != 5 || *r[0].Gold != "7" {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			name:    "older nested filtered_resps: one list per request",
			in:      row("0", "", `[["a \\boxed{4}", "b"]]`, `[["4", "[invalid]"]]`, ""),
			records: 2,
			check: func(t *testing.T, r []Record) {
				if *r[0].PeerExtracted != "4" || *r[1].PeerExtracted != "[invalid]" || r[0].PeerCompared != PeerComparedExtraction || r[0].PeerCorrect != nil {
					t.Errorf("records %s", dumpItems(r, nil))
				}
			},
		},
		{
			name:    "task from the record wins over the file name; subject from a MATH subtask",
			file:    "samples_gens_2025-01-01T00-00-00.jsonl",
			in:      `{"doc_id": 3, "task": "minerva_math_num_theory", "doc": {"problem": "P"}, "target": "1", "resps": [["r"]], "filtered_resps": ["1"]}` + "\n",
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].Task != "minerva_math_num_theory" || r[0].Subject != "Number Theory" || r[0].Position != 3 {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			name: "the same doc_id in two tasks of one file is two problems",
			in: `{"doc_id": 0, "task": "hendrycks_math_algebra", "doc": {"problem": "A"}, "target": "1", "resps": [["r"]], "filtered_resps": ["1"], "filter": "none"}` + "\n" +
				`{"doc_id": 0, "task": "hendrycks_math_geometry", "doc": {"problem": "G"}, "target": "2", "resps": [["s"]], "filtered_resps": ["2"], "filter": "none"}` + "\n",
			records: 2,
		},
		{name: "loglikelihood rows are not generations", in: row("0", "", `[[[-1.2, false]]]`, `[[-1.2, false]]`, ""), rejects: []string{`"resps[0][0]": expected a generated response (string), found a JSON array`}},
		{name: "no resps", in: `{"doc_id": 0, "doc": {}, "target": "1"}` + "\n", rejects: []string{`field "resps": expected a list of lists of responses, found nothing`}},
		{name: "no doc_id", in: `{"doc": {}, "resps": [["a"]]}` + "\n", rejects: []string{`field "doc_id": expected an integer, found nothing`}},
		{name: "empty resps", in: row("0", "", `[[]]`, `[]`, ""), rejects: []string{"expected at least one response, found none"}},
	})
}

func TestLMEvalNoteNamesFilters(t *testing.T) {
	recs, rejs := collectItems(t, "lm-eval", "testdata/lm-eval/samples_minerva_math500_2025-06-01T10-00-00.123456.jsonl", nil)
	if len(recs) != 12 || len(rejs) != 1 {
		t.Fatalf("%d records, %d rejects; want 12 and 1", len(recs), len(rejs))
	}
	if n := rejs[0]; n.SourceLine != 0 || !strings.Contains(n.Error, `skipped 3 rows of lm-eval filter "maj@4" (first at line 2)`) || !strings.Contains(n.Error, `filter "none" is read`) {
		t.Errorf("note %+v", n)
	}
}

func FuzzReadLMEval(f *testing.F) {
	for _, p := range fixtureFiles(f, "lm-eval") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"doc_id": "a", "resps": [["x"], ["y", "z"]], "filtered_resps": [["1"], ["2", "3"]], "filter": "f"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReaderContract(t, "lm-eval", "samples_x.jsonl", data, true)
		fuzzSourceContract(t, "lm-eval", "samples_x_2025-01-01T00-00-00.jsonl", data, map[string]string{OptFilter: "f"})
	})
}
