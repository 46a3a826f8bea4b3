package aggregate

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

func i64(v int64) *int64 { return &v }

func TestPassAtKNullWhenKAboveN(t *testing.T) {
	base := ident("M", "none", 0, nil)
	ck := ident("M", "ground_truth", 100, nil)
	r := rand.New(rand.NewPCG(1, 1))
	a := New(Options{Ks: []int{1, 2, 4, 8}})
	a.Add(simCheckpoint(r, base, []float64{0.5, 0.5, 0.5}, nil, 8, false))
	ckSamples := simCheckpoint(r, ck, []float64{0.9, 0.9, 0.9}, nil, 4, false)
	a.Add(ckSamples)
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, metric := range []string{MetricPassAtK, MetricMajAtK} {
		m := findMetric(res, ck.Checkpoint, "strict", "all", metric, 8)
		if m == nil || m.Value != nil || m.CILow != nil || m.Stderr != nil || m.CIMethod != CINone || m.N != 4 {
			t.Fatalf("%s k=8 with n=4: got %+v, want a row with null value, n=4", metric, m)
		}
		if m := findMetric(res, ck.Checkpoint, "strict", "all", metric, 4); m == nil || m.Value == nil {
			t.Fatalf("%s k=4 with n=4: got %+v, want a value", metric, m)
		}
		c := findComparison(res, ck.Checkpoint, "all", metric, 8)
		if c == nil || c.Delta != nil || c.Value != nil || c.BaselineValue == nil || c.PValue != nil {
			t.Fatalf("%s k=8 comparison: got %+v, want null value and delta, baseline value kept", metric, c)
		}
	}
}

func TestVaryingNWarnsAndNullsPassAtK(t *testing.T) {
	ck := ident("M", "none", 0, nil)
	var ss []schemas.Sample
	for p, n := range map[string]int{"a": 4, "b": 2, "c": 4} {
		for j := 0; j < n; j++ {
			ss = append(ss, schemas.Sample{Identity: ck, ProblemID: p, SampleIdx: int64(j), Correct: j == 0, Extracted: sptr("1")})
		}
	}
	a := New(Options{})
	a.Add(ss)
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	var ks []int64
	for _, m := range res.Metrics {
		if m.Subset == "all" && m.Metric == MetricPassAtK {
			ks = append(ks, *m.K)
			if (*m.K <= 2) != (m.Value != nil) {
				t.Errorf("pass@%d: value %v, want a value only for k ≤ 2 (smallest n)", *m.K, m.Value)
			}
			if m.N != 4 {
				t.Errorf("pass@%d: n = %d, want the largest n 4", *m.K, m.N)
			}
		}
	}
	if !reflect.DeepEqual(ks, []int64{1, 2, 4}) {
		t.Errorf("default k list = %v, want powers of two up to the largest n: [1 2 4]", ks)
	}
	if !containsWarning(res, "vary from 2 to 4") {
		t.Errorf("warnings %q: want one about varying samples per problem", res.Warnings)
	}
}

func containsWarning(t *Tables, s string) bool {
	for _, w := range t.Warnings {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

func TestProblemsRowAndMajorityByEquivalence(t *testing.T) {
	ck := ident("M", "none", 0, nil)
	mk := func(idx int64, ext *string, ok bool) schemas.Sample {
		return schemas.Sample{Identity: ck, ProblemID: "p", Subject: "Algebra", Level: 3, SampleIdx: idx,
			Extracted: ext, Correct: ok, ResponseChars: 10 * (idx + 1), CodeReasoning: idx%2 == 0}
	}
	// Arrives out of order. By sample_idx: 0:"7"✗ 1:"3"✓ 2:" 3"✓ 3:none 4:"7"✗ 5:"7 "✗
	a := New(Options{Ks: []int{1, 2, 3, 4, 6}})
	a.Add([]schemas.Sample{mk(4, sptr("7"), false), mk(1, sptr("3"), true), mk(3, nil, false)})
	a.Add([]schemas.Sample{mk(0, sptr("7"), false), mk(5, sptr("7 "), false), mk(2, sptr(" 3"), true)})
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 {
		t.Fatalf("got %d problem rows, want 1", len(res.Problems))
	}
	p := res.Problems[0]
	if p.N != 6 || p.NCorrect != 2 || p.NNoAnswer != 1 || p.FirstCorrect || p.MajAnswer == nil || *p.MajAnswer != "7" ||
		p.MajCorrect != 0 || math.Abs(p.Accuracy-2.0/6) > 1e-12 || p.CodeReasoningRate != 0.5 || p.MeanResponseChars != 35 {
		t.Errorf("problem row = %+v (maj_answer %v)", p, deref(p.MajAnswer))
	}
	// maj@1: "7"✗ → 0; maj@2: tie 7 vs 3 → 0.5; maj@3: 3 (two, " 3" ≡ "3") → 1;
	// maj@4: same, no-answer ignored → 1; maj@6: 7 has three ("7 " ≡ "7") → 0.
	for k, want := range map[int64]float64{1: 0, 2: 0.5, 3: 1, 4: 1, 6: 0} {
		m := findMetric(res, ck.Checkpoint, "strict", "all", MetricMajAtK, k)
		if m == nil || m.Value == nil || math.Abs(*m.Value-want) > 1e-12 {
			t.Errorf("maj@%d = %v, want %v", k, m.Value, want)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestProfilesUseTheirOwnVerdicts(t *testing.T) {
	ck := ident("M", "none", 0, nil)
	var ss []schemas.Sample
	for j := 0; j < 4; j++ {
		s := schemas.Sample{Identity: ck, ProblemID: "p", SampleIdx: int64(j), Correct: j == 0, Extracted: sptr("1"),
			HasBoxed: true, ResponseTokens: i64(int64(100 * (j + 1))), PeerCorrect: func() *bool { b := j < 3; return &b }()}
		if j < 3 { // the fourth sample lacks the lenient verdict
			s.Alt = []schemas.AltVerdict{{Profile: "lenient", Correct: j < 3, Extracted: sptr("1")}}
		}
		ss = append(ss, s)
	}
	a := New(Options{Profiles: []string{"strict", "lenient"}, Ks: []int{1}})
	a.Add(ss)
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		profile, metric string
		want            float64
	}{
		{"strict", MetricAccuracy, 0.25},
		{"lenient", MetricAccuracy, 0.75},
		{"strict", MetricNoAnswerRate, 0},
		{"lenient", MetricNoAnswerRate, 0.25},
		{"lenient", MetricBoxedRate, 1},
		{"strict", MetricMeanResponseTokens, 250},
	}
	for _, c := range checks {
		m := findMetric(res, ck.Checkpoint, c.profile, "all", c.metric, 0)
		if m == nil || m.Value == nil || math.Abs(*m.Value-c.want) > 1e-12 {
			t.Errorf("%s %s = %+v, want %v", c.profile, c.metric, m, c.want)
		}
	}
	if m := findMetric(res, ck.Checkpoint, "strict", "all", MetricAccuracy, 0); m.PeerAccuracy == nil || *m.PeerAccuracy != 0.75 {
		t.Errorf("peer_accuracy = %v, want 0.75", m.PeerAccuracy)
	}
	if m := findMetric(res, ck.Checkpoint, "strict", "all", MetricAccuracyWithCode, 0); m.Value != nil || m.NProblems != 0 {
		t.Errorf("accuracy_with_code without code samples = %+v, want null", m)
	}
	if !containsWarning(res, `profile "lenient": 1 samples carry no verdict`) {
		t.Errorf("warnings %q: want one about the missing lenient verdict", res.Warnings)
	}
}

func TestBaselineResolution(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	p := []float64{0.5, 0.5}
	a := New(Options{Ks: []int{1}, Bootstrap: 20, Permutations: 20,
		Baselines: map[string]string{"M/format/step5": "M/none/step0/seed1"}})
	for _, id := range []schemas.Identity{
		ident("M", "none", 0, nil), ident("M", "none", 0, i64(1)), ident("M", "none", 0, i64(2)),
		ident("M", "random", 10, i64(2)), ident("M", "random", 10, i64(3)), ident("M", "random", 10, nil),
		ident("M", "format", 5, nil), ident("Other", "random", 10, nil),
	} {
		a.Add(simCheckpoint(r, id, p, nil, 2, false))
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range res.Comparisons {
		got[c.Checkpoint] = c.BaselineCheckpoint
	}
	want := map[string]string{
		"M/random/step10/seed2": "M/none/step0/seed2", // same seed
		"M/random/step10/seed3": "M/none/step0",       // no seed 3: seedless
		"M/random/step10":       "M/none/step0",
		"M/format/step5":        "M/none/step0/seed1", // configured
		// Seeds 2 and 3 of one condition: pooled, naming both baselines.
		"M/random/step10" + PooledSuffix: "M/none/step0,M/none/step0/seed2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("baselines = %v, want %v", got, want)
	}
	if !containsWarning(res, "checkpoint Other/random/step10 (evalset math500): no baseline found") {
		t.Errorf("warnings %q: want one for the checkpoint without baseline", res.Warnings)
	}
}

// TestBaselineCaseSensitive: models that differ only by case are two models:
// a baseline configured for one, or naming one, never applies to the other.
func TestBaselineCaseSensitive(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	p := []float64{0.5, 0.5}
	a := New(Options{Ks: []int{1}, Bootstrap: 20, Permutations: 20,
		Baselines: map[string]string{"m/random/step10": "m/none/step0", "M/format/step5": "m/NONE/step0"}})
	for _, id := range []schemas.Identity{
		ident("M", "none", 0, nil), ident("M", "random", 10, nil), ident("M", "format", 5, nil),
		ident("m", "none", 0, nil), ident("m", "random", 10, nil),
	} {
		a.Add(simCheckpoint(r, id, p, nil, 2, false))
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range res.Comparisons {
		got[c.Checkpoint] = c.BaselineCheckpoint
	}
	want := map[string]string{
		"M/random/step10": "M/none/step0", // the default rule: m's configured baseline is not M's
		"m/random/step10": "m/none/step0", // configured
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("baselines = %v, want %v", got, want)
	}
	if !containsWarning(res, `checkpoint M/format/step5 (evalset math500): configured baseline "m/NONE/step0" has no samples`) {
		t.Errorf("warnings %q: want one for the baseline that matches only case-insensitively", res.Warnings)
	}
}

func TestSubsetsAndOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	p := make([]float64, 15)
	for i := range p {
		p[i] = r.Float64()
	}
	a := New(Options{Ks: []int{1, 2}, Bootstrap: 50, Permutations: 50})
	a.Add(simCheckpoint(r, ident("M", "random", 10, nil), p, p, 2, true))
	a.Add(simCheckpoint(r, ident("M", "none", 0, nil), p, nil, 2, true))
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	var subsets []string
	for _, m := range res.Metrics {
		if m.Checkpoint == "M/none/step0" && m.Metric == MetricAccuracy {
			subsets = append(subsets, m.Subset)
		}
		if m.Value != nil && m.Metric != MetricMeanResponseChars && m.Metric != MetricMeanResponseTokens &&
			(*m.Value < 0 || *m.Value > 1 || *m.CILow > *m.Value+1e-12 || *m.CIHigh < *m.Value-1e-12) {
			t.Errorf("%s %s %s: value %v CI [%v, %v] not a fraction inside its interval", m.Checkpoint, m.Subset, m.Metric, *m.Value, *m.CILow, *m.CIHigh)
		}
	}
	want := []string{"all", "level=1", "level=2", "level=3", "level=4", "level=5",
		"subject=Algebra", "subject=Geometry", "subject=Number Theory"}
	if !reflect.DeepEqual(subsets, want) {
		t.Errorf("subsets = %q, want %q", subsets, want)
	}
	if res.Metrics[0].Checkpoint != "M/none/step0" || res.Problems[0].Checkpoint != "M/none/step0" {
		t.Errorf("first rows belong to %s, want the none checkpoint (reward sorts before random)", res.Metrics[0].Checkpoint)
	}
	var metrics []string
	for _, m := range res.Metrics[:15] {
		metrics = append(metrics, m.Metric)
	}
	wantM := []string{"accuracy", "pass@k", "pass@k", "maj@k", "maj@k", "no_answer_rate", "boxed_rate",
		"code_reasoning_rate", "has_code_block_rate", "accuracy_with_code", "accuracy_without_code",
		"truncation_rate", "mean_response_chars", "mean_response_tokens", "accuracy"}
	if !reflect.DeepEqual(metrics, wantM) {
		t.Errorf("metric order = %q, want %q", metrics, wantM)
	}
}

// Shuffled samples, split into batches differently, give identical tables.
func TestDeterministicUnderShuffleAndBatching(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var all []schemas.Sample
	p := make([]float64, 60)
	for i := range p {
		p[i] = r.Float64()
	}
	for _, id := range []schemas.Identity{ident("M", "none", 0, nil), ident("M", "random", 10, nil),
		ident("M", "incorrect", 10, i64(4)), ident("M", "incorrect", 10, i64(5)), // two seeds: pooled rows
		ident("L", "none", 0, nil), ident("L", "ground_truth", 20, nil)} {
		all = append(all, simCheckpoint(r, id, p, p, 4, true)...)
	}
	// A duplicated sample_idx with different content: resolved by content, not arrival.
	dup := all[5]
	dup.Correct, dup.Extracted = !dup.Correct, sptr("dup")
	all = append(all, dup)
	run := func(samples []schemas.Sample, batch int) *Tables {
		a := New(Options{Ks: []int{1, 2, 4}, Bootstrap: 200, Permutations: 500})
		for len(samples) > 0 {
			n := min(batch, len(samples))
			a.Add(samples[:n])
			samples = samples[n:]
		}
		res, err := a.Result()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want := run(all, len(all))
	if len(want.Boundary) == 0 || len(want.BoundaryCurves) == 0 || !slices.ContainsFunc(want.Comparisons, func(c schemas.Comparison) bool { return c.Pooled }) {
		t.Fatal("want boundary rows, curves and pooled comparisons to compare")
	}
	if !containsWarning(want, "1 duplicate samples") {
		t.Errorf("warnings %q: want one about the duplicate sample", want.Warnings)
	}
	for trial := 0; trial < 3; trial++ {
		shuffled := append([]schemas.Sample(nil), all...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := run(shuffled, 1+r.IntN(700))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: tables differ after shuffling and re-batching", trial)
		}
	}
}

func TestTooManyProfilesIsAnError(t *testing.T) {
	var ps []string
	for i := 0; i <= MaxProfiles; i++ {
		ps = append(ps, strings.Repeat("p", i+1))
	}
	a := New(Options{Profiles: ps})
	a.Add([]schemas.Sample{{Identity: ident("M", "none", 0, nil), ProblemID: "p"}})
	if _, err := a.Result(); !errors.Is(err, ErrProfiles) || !strings.Contains(err.Error(), "at most 32") {
		t.Errorf("Result with %d profiles: err = %v, want an error naming the limit", len(ps), err)
	}
	if _, err := New(Options{Profiles: []string{"strict", "strict"}}).Result(); !errors.Is(err, ErrProfiles) {
		t.Errorf("repeated profile name: want an error")
	}
}

func TestEmptyInputAndSecondResult(t *testing.T) {
	a := New(Options{})
	res, err := a.Result()
	if err != nil || len(res.Metrics)+len(res.Problems)+len(res.Comparisons)+len(res.Transitions) != 0 {
		t.Errorf("empty input: %v, %+v; want empty tables", err, res)
	}
	if _, err := a.Result(); !errors.Is(err, ErrResultTwice) {
		t.Errorf("second Result: err = %v, want ErrResultTwice", err)
	}
}

// State per sample stays compact: 1M samples must fit well under 200 MB.
func TestMemoryPerSample(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates ~200k samples")
	}
	r := rand.New(rand.NewPCG(4, 4))
	const ckpts, problems, n = 10, 500, 40
	p := make([]float64, problems)
	for i := range p {
		p[i] = r.Float64()
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := New(Options{})
	for c := 0; c < ckpts; c++ {
		ss := simCheckpoint(r, ident("M", "random", int64(c), nil), p, p, n, true)
		for i := range ss {
			ss[i].Response = strings.Repeat("x", 2000) // must not be retained
		}
		a.Add(ss)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / (ckpts * problems * n)
	runtime.KeepAlive(a)
	t.Logf("%.1f bytes of state per sample", per)
	if per > 120 {
		t.Errorf("aggregator keeps %.0f bytes per sample, want ≤ 120 (1M samples ≤ 120 MB)", per)
	}
}
