package leaderboard

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// synthCheckpoint is one checkpoint of a synthetic run.
type synthCheckpoint struct {
	family, model, reward string
	step                  int64
	seed                  *int64
	acc, code             float64 // fractions
}

func (c synthCheckpoint) identity() schemas.Identity {
	return schemas.Identity{Family: c.family, Model: c.model, Reward: c.reward, Step: c.step, Seed: c.seed, Evalset: "math500"}.WithCheckpoint()
}

// synthCheckpoints builds a Spurious-Rewards-shaped grid: Qwen-Math gains from
// every reward, Llama only from ground truth. maxStep limits the steps present.
func synthCheckpoints(maxStep int64) []synthCheckpoint {
	type fam struct {
		family, model string
		base, code    float64
		gains         map[string]float64 // gain at step 150
		codeGain      map[string]float64
	}
	fams := []fam{
		{"qwen2.5-math", "Qwen2.5-Math-7B", 0.49, 0.65,
			map[string]float64{"ground_truth": 0.29, "random": 0.21, "incorrect": 0.24},
			map[string]float64{"ground_truth": 0.05, "random": 0.26, "incorrect": 0.2}},
		{"llama3", "Llama-3.1-8B-Instruct", 0.36, 0.02,
			map[string]float64{"ground_truth": 0.06, "random": -0.03},
			map[string]float64{"ground_truth": 0.0, "random": 0.0}},
	}
	var out []synthCheckpoint
	for _, f := range fams {
		out = append(out, synthCheckpoint{family: f.family, model: f.model, reward: "none", acc: f.base, code: f.code})
		for _, reward := range []string{"ground_truth", "random", "incorrect"} {
			g, ok := f.gains[reward]
			if !ok {
				continue
			}
			for step := int64(50); step <= maxStep; step += 50 {
				frac := float64(step) / 150
				out = append(out, synthCheckpoint{family: f.family, model: f.model, reward: reward, step: step,
					acc: f.base + g*math.Sqrt(frac), code: f.code + f.codeGain[reward]*frac})
			}
		}
	}
	return out
}

func fp(v float64) *float64 { return &v }
func ip(v int64) *int64     { return &v }

// synthTables makes the metrics and comparisons rows of a run. adjust, when
// set, may change a checkpoint's accuracy before rows are made.
func synthTables(cps []synthCheckpoint) ([]schemas.Metric, []schemas.Comparison) {
	var ms []schemas.Metric
	var cs []schemas.Comparison
	base := map[string]synthCheckpoint{}
	for _, c := range cps {
		if c.reward == "none" {
			base[c.model] = c
		}
	}
	est := func(id schemas.Identity, profile, subset, metric string, k *int64, v float64) schemas.Metric {
		v = math.Min(1, math.Max(0, v))
		return schemas.Metric{Identity: id, Profile: profile, Subset: subset, Metric: metric, K: k, N: 16,
			Value: fp(v), Stderr: fp(0.02), CILow: fp(math.Max(0, v-0.04)), CIHigh: fp(math.Min(1, v+0.04)),
			CIMethod: "bootstrap", NProblems: 500}
	}
	for _, c := range cps {
		id := c.identity()
		for _, profile := range []string{"strict", "lenient"} {
			bonus := 0.0
			if profile == "lenient" {
				bonus = 0.02
			}
			ms = append(ms, est(id, profile, "all", schemas.MetricAccuracy, nil, c.acc+bonus))
			ms = append(ms, est(id, profile, "level=5", schemas.MetricAccuracy, nil, c.acc*0.6+bonus))
		}
		for _, k := range []int64{1, 2, 4, 8, 16} {
			ms = append(ms, est(id, "strict", "all", schemas.MetricPassAtK, ip(k), 1-math.Pow(1-c.acc, math.Pow(float64(k), 0.7))))
		}
		for _, k := range []int64{1, 16} {
			ms = append(ms, est(id, "strict", "all", schemas.MetricMajAtK, ip(k), c.acc+0.03*math.Log2(float64(k))))
		}
		ms = append(ms, est(id, "strict", "all", schemas.MetricCodeReasoningRate, nil, c.code))
		ms = append(ms, est(id, "strict", "all", schemas.MetricNoAnswerRate, nil, 0.05+0.1*(1-c.acc)))
		b := base[c.model]
		d := c.acc - b.acc
		p := 0.41
		if math.Abs(d) > 0.03 {
			p = 0.0004
		}
		cs = append(cs, schemas.Comparison{Identity: id, Subset: "all", Metric: schemas.MetricAccuracy,
			BaselineCheckpoint: b.identity().Checkpoint, BaselineValue: fp(b.acc), Value: fp(c.acc),
			Delta: fp(d), DeltaCILow: fp(d - 0.03), DeltaCIHigh: fp(d + 0.03), PValue: fp(p), QValue: fp(math.Min(1, 2*p)),
			NProblems: 500, Method: schemas.MethodSignFlip, NSeeds: 1, CIScope: "problems"})
	}
	return ms, cs
}

// writeRun writes a complete run folder (all nine tables and run.json).
func writeRun(t testing.TB, dir string, cps []synthCheckpoint) {
	t.Helper()
	ms, cs := synthTables(cps)
	writeRunTables(t, dir, ms, cs)
	writeBoundary(t, dir, cps)
}

// boundaryExponent shapes a synthetic pass@k curve, 1 − (1 − acc)^(k^e):
// random and incorrect "sharpen" (a flatter curve that the baseline
// overtakes at large k), the rest keep the baseline's shape.
func boundaryExponent(reward string) float64 {
	switch {
	case reward == "random", reward == "incorrect", strings.HasPrefix(reward, "sharpen_"):
		return 0.4
	}
	return 0.7
}

// sweepCheckpoints is a sweep-scale grid: family "sweep", one model, its
// baseline and rewards conditions (alternately "expand_NN" and "sharpen_NN")
// × steps 10, 20, ..., 10·steps.
func sweepCheckpoints(rewards, steps int) []synthCheckpoint {
	out := []synthCheckpoint{{family: "sweep", model: "Sweep-7B", reward: "none", acc: 0.40, code: 0.2}}
	for i := range rewards {
		name := fmt.Sprintf("expand_%02d", i)
		if i%2 == 1 {
			name = fmt.Sprintf("sharpen_%02d", i)
		}
		for s := 1; s <= steps; s++ {
			frac := float64(s) / float64(steps)
			out = append(out, synthCheckpoint{family: "sweep", model: "Sweep-7B", reward: name, step: int64(10 * s),
				acc: 0.40 + (0.05+0.25*float64(i)/float64(rewards))*math.Sqrt(frac), code: 0.2 + 0.3*frac*float64(i%3)/2})
		}
	}
	return out
}

const synthN = 16 // samples per problem of the synthetic runs

// synthBoundary makes the boundary and boundary_curves rows of a run: each
// trained checkpoint against its model's baseline at k = 1..16, with the
// crossover found by the rule of stages/aggregate/doc.go.
func synthBoundary(cps []synthCheckpoint) ([]schemas.Boundary, []schemas.BoundaryCurve) {
	base := map[string]synthCheckpoint{}
	for _, c := range cps {
		if c.reward == "none" {
			base[c.model] = c
		}
	}
	pass := func(acc, e float64, k int) float64 { return 1 - math.Pow(1-acc, math.Pow(float64(k), e)) }
	var bs []schemas.Boundary
	var curves []schemas.BoundaryCurve
	for _, c := range cps {
		b, ok := base[c.model]
		if !ok || c.reward == "none" {
			continue
		}
		id := c.identity()
		e := boundaryExponent(c.reward)
		row := schemas.Boundary{Identity: id, BaselineCheckpoint: b.identity().Checkpoint, Profile: "strict", Subset: "all",
			N: synthN, NCheckpoint: synthN, NBaseline: synthN, NProblems: 500, Method: schemas.MethodSignFlip, Crossover: schemas.CrossoverNotAhead}
		ahead := pass(c.acc, e, 1) > pass(b.acc, 0.7, 1)+1e-12
		if ahead {
			row.Crossover = schemas.CrossoverNever
		}
		for k := 1; k <= synthN; k++ {
			pc, pb := pass(c.acc, e, k), pass(b.acc, 0.7, k)
			curves = append(curves, schemas.BoundaryCurve{Identity: id, BaselineCheckpoint: row.BaselineCheckpoint, Profile: "strict", Subset: "all",
				K: int64(k), N: synthN, PassAtK: pc, BaselinePassAtK: pb, Delta: pc - pb})
			if ahead && row.CrossoverK == nil && pb >= pc-1e-12 {
				kk := int64(k)
				row.CrossoverK, row.Crossover = &kk, schemas.CrossoverFound
			}
		}
		row.PassAt1, row.BaselinePassAt1 = fp(pass(c.acc, e, 1)), fp(pass(b.acc, 0.7, 1))
		row.PassAtN, row.BaselinePassAtN = fp(pass(c.acc, e, synthN)), fp(pass(b.acc, 0.7, synthN))
		row.Coverage, row.BaselineCoverage = *row.PassAtN, *row.BaselinePassAtN
		d := int64(math.Round(500 * (row.Coverage - row.BaselineCoverage)))
		row.Gained, row.Lost = 6+max(d, 0), 6+max(-d, 0)
		row.CoverageDelta = float64(row.Gained-row.Lost) / 500
		row.CoverageCILow, row.CoverageCIHigh = fp(row.CoverageDelta-0.02), fp(row.CoverageDelta+0.02)
		q := 0.3
		if math.Abs(row.CoverageDelta) > 0.02 {
			q = 0.001
		}
		row.CoveragePValue, row.CoverageQValue = fp(q/2), fp(q)
		bs = append(bs, row)
	}
	return bs, curves
}

func writeBoundary(t testing.TB, dir string, cps []synthCheckpoint) {
	t.Helper()
	bs, curves := synthBoundary(cps)
	if err := parquet.WriteFile(filepath.Join(dir, "boundary.parquet"), bs); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(filepath.Join(dir, "boundary_curves.parquet"), curves); err != nil {
		t.Fatal(err)
	}
}

func writeRunTables(t testing.TB, dir string, ms []schemas.Metric, cs []schemas.Comparison) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(parquet.WriteFile(filepath.Join(dir, "metrics.parquet"), ms))
	must(parquet.WriteFile(filepath.Join(dir, "comparisons.parquet"), cs))
	must(parquet.WriteFile(filepath.Join(dir, "problems.parquet"), []schemas.Problem{}))
	must(parquet.WriteFile(filepath.Join(dir, "samples.parquet"), []schemas.Sample{}))
	must(parquet.WriteFile(filepath.Join(dir, "transitions.parquet"), []schemas.Transition{}))
	must(parquet.WriteFile(filepath.Join(dir, "rejects.parquet"), []schemas.Reject{}))
	manifest, _ := json.Marshal(map[string]any{
		"tool_version": "test", "grader_version": "g1", "schema_version": schemas.Version,
		"config": map[string]any{"profiles": []string{"strict", "lenient"}},
	})
	must(os.WriteFile(filepath.Join(dir, "run.json"), manifest, 0o644))
}

// movedCheckpoint is the checkpoint whose accuracy jumps in the second night.
const movedCheckpoint = "Llama-3.1-8B-Instruct/ground_truth/step100"

// newCheckpoint is the checkpoint that first appears in the second night.
const newCheckpoint = "Qwen2.5-Math-7B/random/step150"

// writeSynthHistory writes the test history: two good nights and a broken
// third. Night two adds newCheckpoint (and the other step-150 checkpoints),
// and moves movedCheckpoint's strict/all accuracy beyond its CI.
func writeSynthHistory(t testing.TB, root string) {
	t.Helper()
	writeRun(t, filepath.Join(root, "2026-11-25"), synthCheckpoints(100))
	night2 := synthCheckpoints(150)
	ms, cs := synthTables(night2)
	for i := range ms {
		m := &ms[i]
		if m.Checkpoint == movedCheckpoint && m.Profile == "strict" && m.Subset == "all" && m.Metric == schemas.MetricAccuracy {
			v := *m.Value + 0.09
			m.Value, m.CILow, m.CIHigh = fp(v), fp(v-0.04), fp(v+0.04)
		}
	}
	writeRunTables(t, filepath.Join(root, "2026-11-26"), ms, cs)
	writeBoundary(t, filepath.Join(root, "2026-11-26"), night2)
	broken := filepath.Join(root, "2026-11-27")
	writeRun(t, broken, synthCheckpoints(200))
	if err := os.WriteFile(filepath.Join(broken, "metrics.parquet"), []byte("PAR1 this is not a parquet file"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Not a run folder: ignored.
	if err := os.MkdirAll(filepath.Join(root, "scratch"), 0o755); err != nil {
		t.Fatal(err)
	}
}
