package demo

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func f64(v float64) *float64 { return &v }

func ident(family, model, reward string, step int64) schemas.Identity {
	return schemas.Identity{Family: family, Model: model, Reward: reward, Step: step, Evalset: "demo-math"}.WithCheckpoint()
}

// headlineFixture is a fixed set of rows: two families, several rewards and
// steps, a comparison on another subset and metric that must be ignored, a
// missing CI, and an unknown reward condition.
func headlineFixture() ([]schemas.Metric, []schemas.Comparison, []schemas.Boundary) {
	code := func(id schemas.Identity, profile string, v float64) schemas.Metric {
		return schemas.Metric{Identity: id, Profile: profile, Subset: "all", Metric: "code_reasoning_rate", N: 8, Value: f64(v), NProblems: 44}
	}
	comp := func(id schemas.Identity, subset, metric string, base, val, lo, hi, p float64) schemas.Comparison {
		b := ident(id.Family, id.Model, "none", 0)
		return schemas.Comparison{Identity: id, Subset: subset, Metric: metric, BaselineCheckpoint: b.Checkpoint,
			BaselineValue: f64(base), Value: f64(val), Delta: f64(val - base), DeltaCILow: f64(lo), DeltaCIHigh: f64(hi),
			PValue: f64(p), QValue: f64(min(1, 2*p)), NProblems: 44, Wins: 20, Losses: 5, Ties: 19, Method: schemas.MethodSignFlip}
	}
	bound := func(id schemas.Identity, cross int64, status string, covDelta float64, q float64, gained, lost int64) schemas.Boundary {
		b := schemas.Boundary{Identity: id, BaselineCheckpoint: ident(id.Family, id.Model, "none", 0).Checkpoint, Profile: "strict",
			Subset: "all", N: 8, Crossover: status, CoverageDelta: covDelta, CoverageQValue: f64(q), Gained: gained, Lost: lost}
		if cross > 0 {
			b.CrossoverK = &cross
		}
		return b
	}
	q0 := ident("qwen2.5-math", "Qwen2.5-Math-7B", "none", 0)
	qgt50 := ident("qwen2.5-math", "Qwen2.5-Math-7B", "ground_truth", 50)
	qgt := ident("qwen2.5-math", "Qwen2.5-Math-7B", "ground_truth", 150)
	qr := ident("qwen2.5-math", "Qwen2.5-Math-7B", "random", 150)
	qx := ident("qwen2.5-math", "Qwen2.5-Math-7B", "self_certainty", 150)
	l0 := ident("llama3.1", "Llama-3.1-8B", "none", 0)
	lr := ident("llama3.1", "Llama-3.1-8B", "random", 150)
	lgt := ident("llama3.1", "Llama-3.1-8B", "ground_truth", 150)

	metrics := []schemas.Metric{
		code(q0, "lenient", 0.99), // another profile: ignored because strict exists
		code(q0, "strict", 0.653), code(qgt, "strict", 0.727), code(qr, "strict", 0.935), code(qgt50, "strict", 0.8),
		code(l0, "strict", 0.062), code(lr, "strict", 0.06), code(lgt, "strict", 0.058),
		{Identity: qr, Profile: "strict", Subset: "all", Metric: "accuracy", N: 8, Value: f64(0.5)},
	}
	missingCI := comp(lr, "all", "accuracy", 0.347, 0.327, 0, 0, 0.21)
	missingCI.DeltaCILow, missingCI.DeltaCIHigh = nil, nil
	comps := []schemas.Comparison{
		comp(qgt50, "all", "accuracy", 0.54, 0.685, 0.11, 0.18, 0.0001),
		comp(qgt, "all", "accuracy", 0.54, 0.767, 0.18, 0.27, 0.00002),
		comp(qr, "all", "accuracy", 0.54, 0.676, 0.09, 0.18, 0.0004),
		comp(qr, "level=5", "accuracy", 0.3, 0.5, 0.1, 0.3, 0.01), // other subset: ignored
		comp(qr, "all", "boxed_rate", 0.8, 0.9, 0.05, 0.15, 0.01), // other metric: ignored
		comp(qx, "all", "accuracy", 0.54, 0.601, 0.01, 0.11, 0.032),
		comp(lgt, "all", "accuracy", 0.347, 0.452, 0.06, 0.15, 0.0002),
		missingCI,
	}
	// A condition with two seeds and its pooled row (q above 0.05: unmarked).
	for _, seed := range []int64{1, 2} {
		id := ident("llama3.1", "Llama-3.1-8B", "majority_vote", 150)
		id.Seed = &seed
		comps = append(comps, comp(id.WithCheckpoint(), "all", "accuracy", 0.347, 0.36+0.02*float64(seed), -0.03, 0.09, 0.3))
	}
	pooled := comp(ident("llama3.1", "Llama-3.1-8B", "majority_vote", 150), "all", "accuracy", 0.347, 0.39, 0.01, 0.075, 0.04)
	pooled.Checkpoint += "/pooled"
	pooled.Pooled, pooled.NSeeds, pooled.SeedSD, pooled.Method, pooled.CIScope = true, 2, f64(0.014), schemas.MethodPooledT, "seeds+problems"
	pooled.QValue = f64(0.08)
	comps = append(comps, pooled)
	bounds := []schemas.Boundary{
		bound(qgt, 0, schemas.CrossoverNever, 0.091, 0.01, 5, 1),
		bound(qr, 3, schemas.CrossoverFound, -0.068, 0.2, 1, 4),
		bound(lr, 0, schemas.CrossoverNotAhead, 0, 1, 0, 0),
		{Identity: qr, Profile: "lenient", Subset: "all", N: 8, Crossover: schemas.CrossoverNever}, // another profile: ignored
	}
	return metrics, comps, bounds
}

func TestWriteHeadlineGolden(t *testing.T) {
	metrics, comps, bounds := headlineFixture()
	var buf bytes.Buffer
	if err := WriteHeadline(&buf, metrics, comps, bounds); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "headline.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestWriteHeadlineGolden -update to create it)", err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("headline differs from %s (go test -update to accept):\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}

func TestWriteHeadline(t *testing.T) {
	metrics, comps, bounds := headlineFixture()
	var buf bytes.Buffer
	if err := WriteHeadline(&buf, metrics, comps, bounds); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	flat := strings.Join(strings.Fields(out), " ") // layout-independent
	tests := []struct {
		name, want string
		present    bool
	}{
		{"labelled synthetic", "SYNTHETIC DEMO CORPUS", true},
		{"latest step only", "ground_truth 150 76.7 +22.7* [+18.0, +27.0] <0.001 <0.001 44 >8 +9.1* (+5/-1) 65% 73%", true},
		{"earlier step dropped", "ground_truth 50", false},
		{"code rate before and after", "random 150 67.6 +13.6* [+9.0, +18.0] <0.001 <0.001 44 3 -6.8 (+1/-4) 65% 94%", true},
		{"lenient profile ignored", "99%", false},
		{"missing CI", "random 150 32.7 -2.0 n/a 0.210 0.420 44 behind +0.0 (+0/-0)", true},
		{"p below 0.05 but q above: unmarked", "self_certainty 150 60.1 +6.1 [+1.0, +11.0] 0.032 0.064", true},
		{"seeds then pooled", "majority_vote 150/s1 38.0 +3.3 [-3.0, +9.0] 0.300 0.600 44 6% n/a majority_vote 150/s2", true},
		{"pooled row", "majority_vote 150/pooled 2 seeds sd 1.4 39.0 +4.3 [+1.0, +7.5] 0.040 0.080 44", true},
		{"marking rule in words", "marked * only when its q-value is below 0.05", true},
		{"signflip method named", "signflip-midp95: the shifts a two-sided paired sign-flip test", true},
		{"pooled method named", "pooled-t95:seeds+problems: t interval over seeds and problems", true},
		{"no bootstrap claim", "bootstrap", false},
		{"other subsets ignored", "+20.0", false},
		{"unknown reward kept", "self_certainty", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(flat, tt.want) != tt.present {
				t.Errorf("output contains %q = %v, want %v:\n%s", tt.want, !tt.present, tt.present, out)
			}
		})
	}
	// Qwen (first in the comparisons) before Llama; known rewards before unknown ones.
	if q, l := strings.Index(out, "qwen2.5-math"), strings.Index(out, "llama3.1"); q < 0 || l < q {
		t.Errorf("family order: qwen at %d, llama at %d", q, l)
	}
	if r, x := strings.Index(out, "random"), strings.Index(out, "self_certainty"); r < 0 || x < r {
		t.Errorf("reward order: random at %d, self_certainty at %d", r, x)
	}
	// Every table line is as wide as the header or narrower (trailing spaces trimmed).
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d has trailing spaces: %q", i+1, l)
		}
	}
}

func TestWriteHeadlineEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHeadline(&buf, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "no accuracy comparisons") {
		t.Errorf("empty input: %q", buf.String())
	}
}
