package leaderboard

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// An interval prints as "± h" only when symmetric at the page's precision,
// else as [lo, hi]; either way its tooltip names the method (issue 14).
func TestEstimateCellInterval(t *testing.T) {
	sym := estimateCell(Estimate{Value: fp(0.5), CILow: fp(0.46), CIHigh: fp(0.54), Method: "bootstrap95"}, "")
	if sym.Mark != "± 4.0" || !strings.Contains(sym.MarkTip, "[46.0, 54.0] (bootstrap95)") {
		t.Errorf("symmetric interval: mark %q tip %q", sym.Mark, sym.MarkTip)
	}
	asym := estimateCell(Estimate{Value: fp(1), CILow: fp(0.92), CIHigh: fp(1), Method: "wilson95:<50 problems"}, "")
	if asym.Mark != "[92.0, 100.0]" || strings.Contains(asym.Mark, "±") || !strings.Contains(asym.Tip, "wilson95:<50 problems") {
		t.Errorf("asymmetric interval (issue 14's 100.0%% ± 4.0): mark %q tip %q", asym.Mark, asym.Tip)
	}
}

// A delta is marked by its q-value, never by its p-value alone.
func TestDeltaMarkedByQValue(t *testing.T) {
	for _, tc := range []struct {
		p, q   float64
		marked bool
	}{{0.01, 0.08, false}, {0.01, 0.049, true}, {0.2, 0.3, false}} {
		c := schemas.Comparison{Identity: schemas.Identity{Family: "f", Model: "M", Reward: "random", Step: 10, Evalset: "e"}.WithCheckpoint(),
			Subset: "all", Metric: schemas.MetricAccuracy, BaselineCheckpoint: "M/none/step0", Delta: fp(0.05),
			DeltaCILow: fp(0.01), DeltaCIHigh: fp(0.09), PValue: fp(tc.p), QValue: fp(tc.q), Method: schemas.MethodSignFlip}
		run := &Run{Metrics: []schemas.Metric{{Identity: c.Identity, Profile: "strict", Subset: "all", Metric: schemas.MetricAccuracy, Value: fp(0.5)}},
			Comparisons: []schemas.Comparison{c}}
		rows := buildRows(run, "strict")
		cell := deltaCell(rows[0])
		if (cell.Mark == "*") != tc.marked || rows[0].Delta.Significant != tc.marked {
			t.Errorf("p %v q %v: mark %q significant %v, want marked=%v", tc.p, tc.q, cell.Mark, rows[0].Delta.Significant, tc.marked)
		}
		if !strings.Contains(cell.Tip, "signflip-midp95") || !strings.Contains(cell.Tip, "q = ") || cell.Sub != "[+1.0, +9.0]" {
			t.Errorf("delta cell tip %q sub %q: want the method, the q-value and [lo, hi]", cell.Tip, cell.Sub)
		}
	}
}

// The boundary charts: random and incorrect sharpen (the baseline overtakes
// them; a ring at the crossover k, which is the table's), ground_truth stays
// ahead; one coverage bar per reward with the table's gained and lost.
func TestBoundaryGroup(t *testing.T) {
	cps := synthCheckpoints(150)
	run := memRun("2026-11-26", cps)
	run.Boundary, run.BoundaryCurves = synthBoundary(cps)
	lb, err := Build(&History{Latest: run}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var g *Group
	for i := range lb.Groups {
		if lb.Groups[i].Family == "qwen2.5-math" {
			g = &lb.Groups[i]
		}
	}
	want := map[string]*schemas.Boundary{}
	for i, b := range run.Boundary {
		if b.Family == "qwen2.5-math" && b.Step == 150 {
			want[b.Reward] = &run.Boundary[i]
		}
	}
	if len(g.BoundaryCurves) != 4 || !g.BoundaryCurves[0].Base || len(g.Coverage) != 3 {
		t.Fatalf("boundary curves %d (first base %v), coverage bars %d; want 4 (baseline first) and 3", len(g.BoundaryCurves), g.BoundaryCurves[0].Base, len(g.Coverage))
	}
	for _, s := range g.BoundaryCurves[1:] {
		b := want[s.Reward]
		if len(s.Points) != synthN {
			t.Errorf("%s: %d curve points, want %d", s.Reward, len(s.Points), synthN)
		}
		switch {
		case b.CrossoverK != nil:
			if len(s.Marks) != 1 || s.Marks[0].X != float64(*b.CrossoverK) || !strings.Contains(s.Label, "crossover k="+itoa(*b.CrossoverK)) {
				t.Errorf("%s: marks %v label %q, want a ring at k=%d", s.Reward, s.Marks, s.Label, *b.CrossoverK)
			}
		default:
			if len(s.Marks) != 0 || !strings.Contains(s.Label, "ahead through k=16") {
				t.Errorf("%s: marks %v label %q, want none and ahead through n", s.Reward, s.Marks, s.Label)
			}
		}
	}
	if want["random"].CrossoverK == nil || want["ground_truth"].CrossoverK != nil {
		t.Fatalf("synthetic boundary: random crossover %v, ground_truth %v; the fixture lost its shape", want["random"].CrossoverK, want["ground_truth"].CrossoverK)
	}
	for _, bar := range g.Coverage {
		b := want[bar.Reward]
		if bar.Gained != float64(b.Gained) || bar.Lost != float64(b.Lost) || bar.Significant != schemas.Significant(b.CoverageQValue) {
			t.Errorf("%s: bar %+v, table gained %d lost %d q %v", bar.Reward, bar, b.Gained, b.Lost, *b.CoverageQValue)
		}
	}
	charts, err := renderCharts(*g)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 5 || !strings.Contains(charts[2].Title, "capability boundary") || !strings.Contains(charts[3].Title, "coverage") ||
		strings.Count(charts[2].SVG, `class="series"`) != 4 {
		t.Errorf("charts: %d, titles %q / %q", len(charts), charts[2].Title, charts[3].Title)
	}
}

// The footnote says what the marks and intervals are; the old claim that ±
// is a bootstrap CI's half-width is gone.
func TestSiteFootnote(t *testing.T) {
	_, site := buildSynthSite(t)
	page, err := os.ReadFile(filepath.Join(site, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"q-value (Benjamini–Hochberg", "a p-value below 0.05 alone marks nothing", "[lo, hi] when it is not",
		"Interval methods in this table:", "signflip-midp95: the shifts a paired two-sided sign-flip test"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	if bytes.Contains(page, []byte("half-width of the 95% bootstrap CI")) {
		t.Error("the footnote still says ± is a bootstrap CI's half-width")
	}
}

// Seed-pooled rows are listed on their own, with their seed spread, method
// and scope, marked by q; they never replace a seed's own row.
func TestSeedPooledDeltas(t *testing.T) {
	cps := synthCheckpoints(50)
	run := memRun("2026-11-26", cps)
	id := schemas.Identity{Family: "qwen2.5-math", Model: "Qwen2.5-Math-7B", Reward: "random", Step: 50, Evalset: "math500",
		Checkpoint: "Qwen2.5-Math-7B/random/step50/pooled"}
	run.Comparisons = append(run.Comparisons, schemas.Comparison{Identity: id, Subset: "all", Metric: schemas.MetricAccuracy,
		BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Delta: fp(0.061), DeltaCILow: fp(0.01), DeltaCIHigh: fp(0.112),
		PValue: fp(0.02), QValue: fp(0.03), Pooled: true, NSeeds: 3, SeedSD: fp(0.021), Method: schemas.MethodPooledT, CIScope: "seeds+problems"})
	lb, err := Build(&History{Latest: run}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Pooled) != 1 || lb.Pooled[0].NSeeds != 3 {
		t.Fatalf("pooled = %+v, want the one pooled row", lb.Pooled)
	}
	for _, r := range lb.Rows {
		if r.Checkpoint == "Qwen2.5-Math-7B/random/step50" && (r.Delta == nil || *r.Delta.Delta == 0.061) {
			t.Errorf("the seed's own row took the pooled delta: %+v", r.Delta)
		}
	}
	page, err := renderHTML(lb)
	if err != nil {
		t.Fatal(err)
	}
	flat := html.UnescapeString(strings.Join(strings.Fields(string(page)), " "))
	for _, want := range []string{`<table id="pooled-deltas">`, ">3<", "+6.1 pp", "[+1.0, +11.2]", ">2.1 pp<", "pooled-t95:seeds+problems (seeds+problems)", `title="significant: q < 0.05`} {
		if !strings.Contains(flat, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
