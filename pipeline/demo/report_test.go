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
func headlineFixture() ([]schemas.Metric, []schemas.Comparison) {
	code := func(id schemas.Identity, profile string, v float64) schemas.Metric {
		return schemas.Metric{Identity: id, Profile: profile, Subset: "all", Metric: "code_reasoning_rate", N: 8, Value: f64(v), NProblems: 44}
	}
	comp := func(id schemas.Identity, subset, metric string, base, val, lo, hi, p float64) schemas.Comparison {
		b := ident(id.Family, id.Model, "none", 0)
		return schemas.Comparison{Identity: id, Subset: subset, Metric: metric, BaselineCheckpoint: b.Checkpoint,
			BaselineValue: f64(base), Value: f64(val), Delta: f64(val - base), DeltaCILow: f64(lo), DeltaCIHigh: f64(hi),
			PValue: f64(p), NProblems: 44, Wins: 20, Losses: 5, Ties: 19}
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
	return metrics, comps
}

func TestWriteHeadlineGolden(t *testing.T) {
	metrics, comps := headlineFixture()
	var buf bytes.Buffer
	if err := WriteHeadline(&buf, metrics, comps); err != nil {
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
	metrics, comps := headlineFixture()
	var buf bytes.Buffer
	if err := WriteHeadline(&buf, metrics, comps); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	flat := strings.Join(strings.Fields(out), " ") // layout-independent
	tests := []struct {
		name, want string
		present    bool
	}{
		{"labelled synthetic", "SYNTHETIC DEMO CORPUS", true},
		{"latest step only", "ground_truth 150 76.7 +22.7 [+18.0, +27.0] <0.001 * 44 65% 73%", true},
		{"earlier step dropped", "ground_truth 50", false},
		{"code rate before and after", "random 150 67.6 +13.6 [+9.0, +18.0] <0.001 * 44 65% 94%", true},
		{"lenient profile ignored", "99%", false},
		{"missing CI", "random 150 32.7 -2.0 n/a 0.210 44", true},
		{"significant marked", "<0.001 *", true},
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
	if err := WriteHeadline(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "no accuracy comparisons") {
		t.Errorf("empty input: %q", buf.String())
	}
}
