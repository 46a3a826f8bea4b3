package ingest

import (
	"path/filepath"
	"strings"
	"testing"
)

// ltSamplingRow is the flat details schema as open-r1's lighteval writes it
// for aime24 (../shared/data/formats/lighteval): every metric of the task in
// the metrics struct, null where it does not apply to the row's sampling
// config, and Math-Verify's extraction targets in specifics.
type ltSamplingRow struct {
	Example     string   `parquet:"example"`
	FullPrompt  string   `parquet:"full_prompt"`
	Predictions []string `parquet:"predictions,list"`
	Gold        []string `parquet:"gold,list"`
	Metrics     struct {
		ExtractiveMatch *float64 `parquet:"extractive_match,optional"`
		PassAt1         *float64 `parquet:"math_pass@1:32_samples,optional"`
	} `parquet:"metrics"`
	Specifics struct {
		ExtractedGolds       []string `parquet:"extracted_golds,list"`
		ExtractedPredictions []string `parquet:"extracted_predictions,list"`
	} `parquet:"specifics"`
}

func writeSamplingFile(t *testing.T) string {
	t.Helper()
	zero, one, third := 0.0, 1.0, 1.0/3
	var rows []ltSamplingRow
	for _, d := range []struct{ q, gold string }{{"Find $x$ if $x+1=3$.", "2"}, {"What is $6 \\cdot 7$?", "42"}} {
		r := ltSamplingRow{Example: d.q, FullPrompt: "Solve: " + d.q, Predictions: []string{"\\boxed{2}", "\\boxed{3}", "no idea"}, Gold: []string{d.gold}}
		r.Metrics.PassAt1 = &third
		rows = append(rows, r)
	}
	g0 := ltSamplingRow{Example: rows[0].Example, FullPrompt: rows[0].FullPrompt, Predictions: []string{"so $x=2$, \\boxed{2}"}, Gold: []string{"2"}}
	g0.Metrics.ExtractiveMatch = &one
	g0.Specifics.ExtractedGolds = []string{"2", "2"}
	g0.Specifics.ExtractedPredictions = []string{"2", "2"}
	g1 := ltSamplingRow{Example: rows[1].Example, FullPrompt: rows[1].FullPrompt, Predictions: []string{"I do not know"}, Gold: []string{"42"}}
	g1.Metrics.ExtractiveMatch = &zero
	g1.Specifics.ExtractedGolds = []string{"42", "42"}
	rows = append(rows, g0, g1)
	p := filepath.Join(t.TempDir(), "details_lighteval|aime24|0_2025-05-02T22-18-48.675173.parquet")
	writeParquet(t, p, rows)
	return p
}

func TestLightevalSamplingConfigs(t *testing.T) {
	p := writeSamplingFile(t)
	const sampled, greedy = "math_pass@1:32_samples", "extractive_match"
	for _, tc := range []struct {
		name     string
		opt      string
		records  int
		rejects  int
		selected []string
		skipped  map[string][2]int64 // config -> rows, responses
	}{
		{"default: the first row's config", "", 6, 0, []string{sampled}, map[string][2]int64{greedy: {2, 2}}},
		{"greedy", greedy, 2, 0, []string{greedy}, map[string][2]int64{sampled: {2, 6}}},
		{"all", SamplingAll, 8, 0, []string{sampled, greedy}, nil},
		{"a config the file lacks", "maj@4", 0, 1, nil, map[string][2]int64{sampled: {2, 6}, greedy: {2, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, rejs, res := readSourceFile(t, "lighteval", p, map[string]string{OptSampling: tc.opt})
			if len(recs) != tc.records || len(rejs) != tc.rejects {
				t.Fatalf("%d records, %d rejects; want %d, %d\n%s", len(recs), len(rejs), tc.records, tc.rejects, dumpItems(recs, rejs))
			}
			if tc.rejects > 0 && !strings.Contains(rejs[0].Error, `expected rows of lighteval sampling config "maj@4" (format option sampling), found only configs "math_pass@1:32_samples" (2 rows), "extractive_match" (2 rows)`) {
				t.Errorf("reject %q", rejs[0].Error)
			}
			if strings.Join(res.Selected, "|") != strings.Join(tc.selected, "|") {
				t.Errorf("selected %q, want %q", res.Selected, tc.selected)
			}
			if len(res.Skipped) != len(tc.skipped) {
				t.Errorf("skipped %+v, want %v", res.Skipped, tc.skipped)
			}
			for _, s := range res.Skipped {
				if w, ok := tc.skipped[s.Value]; !ok || s.Rows != w[0] || s.Responses != w[1] || s.Reason != SkipSampling || !strings.Contains(s.Why, s.Value) {
					t.Errorf("skip %+v, want rows and responses %v", s, w)
				}
			}
			if res.Task != "lighteval|aime24|0" || res.Evalset.Name != "aime24" {
				t.Errorf("task %q, evalset %+v", res.Task, res.Evalset)
			}
			for _, r := range recs {
				if (r.Sampling != "") != (tc.opt == SamplingAll) || r.Task != "lighteval|aime24|0" {
					t.Errorf("record sampling %q task %q with option %q", r.Sampling, r.Task, tc.opt)
				}
				n := 3
				if r.Sampling == greedy || tc.opt == greedy {
					n = 1
				}
				if r.PeerCorrect != nil && n != 1 {
					t.Errorf("a verdict on a sample of a %d-sample row (pass@1 is an aggregate): %+v", n, r)
				}
				if n == 1 {
					want := r.Response != "I do not know"
					if r.PeerCorrect == nil || *r.PeerCorrect != want || r.PeerMetric != greedy || r.PeerCompared != PeerComparedExtraction {
						t.Errorf("greedy record %+v: want verdict %v from %s", r, want, greedy)
					}
					if want != (r.PeerExtracted != nil) || (want && *r.PeerExtracted != "2") {
						t.Errorf("greedy record extraction %v", r.PeerExtracted)
					}
				}
			}
		})
	}
}
