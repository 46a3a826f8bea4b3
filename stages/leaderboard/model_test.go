package leaderboard

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// memRun builds an in-memory run from synthetic checkpoints.
func memRun(name string, cps []synthCheckpoint, profiles ...string) *Run {
	ms, cs := synthTables(cps)
	t, _ := ParseRunName(name)
	return &Run{Name: name, Time: t, Metrics: ms, Comparisons: cs, Manifest: Manifest{Profiles: profiles}}
}

func TestBuildFirstRun(t *testing.T) {
	h := &History{Latest: memRun("2026-11-25", synthCheckpoints(100)), Runs: []RunStatus{{Name: "2026-11-25", OK: true}}}
	lb, err := Build(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Changes.Previous != "" || len(lb.Changes.NewCheckpoints) != 0 || len(lb.Changes.Moved) != 0 {
		t.Errorf("first run has changes: %+v", lb.Changes)
	}
	for _, r := range lb.Rows {
		if r.New {
			t.Errorf("row %s marked new on the first run", r.Checkpoint)
		}
	}
	page, err := renderHTML(lb)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "is the first usable run") {
		t.Error("page does not say there is nothing to compare with")
	}
}

func TestChooseProfile(t *testing.T) {
	tests := []struct {
		name     string
		manifest []string
		want     string
	}{
		{"manifest order wins", []string{"lenient", "strict"}, "lenient"},
		{"manifest profile without metrics is passed over", []string{"math_verify", "lenient"}, "lenient"},
		{"strict by default", nil, "strict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := memRun("2026-11-25", synthCheckpoints(50), tt.manifest...)
			if got := chooseProfile(r); got != tt.want {
				t.Errorf("chooseProfile = %q, want %q", got, tt.want)
			}
		})
	}
	r := memRun("2026-11-25", synthCheckpoints(50))
	for i := range r.Metrics {
		r.Metrics[i].Profile = strings.Replace(r.Metrics[i].Profile, "strict", "zeta", 1)
	}
	if got := chooseProfile(r); got != "lenient" {
		t.Errorf("no strict: chooseProfile = %q, want the first by name (lenient)", got)
	}
}

func TestTableKs(t *testing.T) {
	mk := func(ks ...int64) []Row {
		var es []KEstimate
		for _, k := range ks {
			es = append(es, KEstimate{K: k})
		}
		return []Row{{PassAtK: es, MajAtK: es}}
	}
	tests := []struct {
		ks   []int64
		want []int64
	}{
		{nil, nil},
		{[]int64{1}, []int64{1}},
		{[]int64{1, 2}, []int64{2}},
		{[]int64{1, 2, 4, 8}, []int64{2, 4, 8}},
		{[]int64{1, 2, 4, 8, 16, 32, 64, 128, 256}, []int64{8, 64, 256}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.ks), func(t *testing.T) {
			got, maj := tableKs(mk(tt.ks...))
			if !equalInts(got, tt.want) {
				t.Errorf("pass ks = %v, want %v", got, tt.want)
			}
			if len(tt.ks) > 0 && maj != tt.ks[len(tt.ks)-1] {
				t.Errorf("maj k = %d, want the largest", maj)
			}
		})
	}
}

func TestBuildSeedsAreAveragedInCharts(t *testing.T) {
	var cps []synthCheckpoint
	for _, c := range synthCheckpoints(100) {
		if c.family != "qwen2.5-math" {
			continue
		}
		if c.reward == "none" {
			cps = append(cps, c)
			continue
		}
		for seed, shift := range []float64{-0.02, 0.02} {
			s := c
			s.seed = ip(int64(seed + 1))
			s.acc += shift
			cps = append(cps, s)
		}
	}
	lb, err := Build(&History{Latest: memRun("2026-11-25", cps)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Rows) != 1+3*2*2 {
		t.Fatalf("rows = %d, want one per seed (13)", len(lb.Rows))
	}
	if lb.Rows[1].Seed == nil || *lb.Rows[1].Seed != 1 || lb.Rows[0].Seed != nil {
		t.Errorf("seeds not kept: baseline %v, first trained %v", lb.Rows[0].Seed, lb.Rows[1].Seed)
	}
	g := lb.Groups[0]
	line := g.Accuracy[0] // ground_truth
	if len(line.Points) != 3 {
		t.Fatalf("ground_truth line has %d points, want 3 (baseline, 50, 100)", len(line.Points))
	}
	// cps[1] is ground_truth step 50, seed 1 (shifted by -0.02); seed 2 is +0.02.
	want := 100 * (cps[1].acc + 0.02)
	if got := line.Points[1].Y; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("seed-averaged accuracy = %v, want %v", got, want)
	}
	headers, _ := tableView(lb)
	if headers[4].Label != "Seed" {
		t.Errorf("table has no Seed column when seeds are set: %+v", headers[:5])
	}
}

// At sweep scale nothing is dropped: every line is drawn in its own series
// group, Options.MaxLines only says how many are ticked when the page opens,
// and each chart lists every line for its chooser.
func TestChartsKeepEveryLine(t *testing.T) {
	var cps []synthCheckpoint
	cps = append(cps, synthCheckpoint{family: "f", model: "M", reward: "none", acc: 0.3, code: 0.1})
	for i := 0; i < 30; i++ {
		for step := int64(10); step <= 30; step += 10 {
			cps = append(cps, synthCheckpoint{family: "f", model: "M", reward: fmt.Sprintf("custom_%02d", i), step: step, acc: 0.3 + float64(i)/100, code: 0.1})
		}
	}
	lb, err := Build(&History{Latest: memRun("2026-11-25", cps)}, Options{MaxLines: 6})
	if err != nil {
		t.Fatal(err)
	}
	g := lb.Groups[0]
	if len(g.Accuracy) != 31 || len(g.PassCurves) != 31 || g.Shown != 6 {
		t.Errorf("accuracy lines %d, pass curves %d, shown %d; want 31, 31, 6", len(g.Accuracy), len(g.PassCurves), g.Shown)
	}
	charts, err := renderCharts(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 3 {
		t.Fatalf("charts = %d, want 3", len(charts))
	}
	for _, c := range charts {
		groups := strings.Count(c.SVG, `<g class="series" data-series=`)
		hidden := strings.Count(c.SVG, `<g class="series" data-series=`) - strings.Count(c.SVG, `" display="none"`)
		if len(c.Lines) != 31 || groups != 31 || countShown(c.Lines) != 6 || hidden != 6 {
			t.Errorf("%s: %d lines listed, %d series groups, %d ticked, %d drawn visible; want 31, 31, 6, 6", c.Title, len(c.Lines), groups, countShown(c.Lines), hidden)
		}
		if !c.Lines[len(c.Lines)-1].Shown && !strings.Contains(c.Title, "pass@k") {
			t.Errorf("%s: the baseline (last line) is not ticked", c.Title)
		}
		if !strings.Contains(c.Note, "6 of 31 lines shown") || strings.Contains(c.Note, "not drawn") {
			t.Errorf("%s: note %q", c.Title, c.Note)
		}
	}
	if len(lb.Rows) != 91 {
		t.Errorf("the table keeps every checkpoint: rows = %d, want 91", len(lb.Rows))
	}
}

func TestRenderChartDegenerate(t *testing.T) {
	tests := []struct {
		name   string
		spec   axisSpec
		series []Series
		ok     bool
	}{
		{"single point", axisSpec{title: "t", clampY: true}, []Series{{Label: "a", Points: []Point{{X: 0, Y: 50}}}}, true},
		{"single k on log axis", axisSpec{title: "t", logX: true}, []Series{{Label: "a", Points: []Point{{X: 8, Y: 50, Low: 40, High: 60, HasCI: true}}}}, true},
		{"flat at 0%", axisSpec{title: "t", clampY: true}, []Series{{Label: "a", Points: []Point{{X: 0, Y: 0}, {X: 10, Y: 0}}}}, true},
		{"flat at 100%", axisSpec{title: "t", clampY: true}, []Series{{Label: "a", Points: []Point{{X: 0, Y: 100}, {X: 10, Y: 100}}}}, true},
		{"no points", axisSpec{title: "t"}, []Series{{Label: "a"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg, _, err := renderChart(tt.spec, tt.series, DefaultMaxLines)
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (!strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(strings.TrimSpace(svg), "</svg>")) {
				t.Errorf("not an inline svg: %.80s", svg)
			}
		})
	}
}

func TestMovedBeyondCI(t *testing.T) {
	id := schemas.Identity{Family: "f", Model: "M", Reward: "random", Step: 10, Evalset: "e"}.WithCheckpoint()
	metric := func(v, lo, hi float64) schemas.Metric {
		return schemas.Metric{Identity: id, Profile: "strict", Subset: "all", Metric: schemas.MetricAccuracy, Value: fp(v), CILow: fp(lo), CIHigh: fp(hi)}
	}
	tests := []struct {
		name   string
		before schemas.Metric
		after  schemas.Metric
		moved  bool
		up     bool
	}{
		{"unchanged", metric(0.5, 0.45, 0.55), metric(0.5, 0.45, 0.55), false, false},
		{"inside the CI", metric(0.5, 0.45, 0.55), metric(0.55, 0.5, 0.6), false, false},
		{"above", metric(0.5, 0.45, 0.55), metric(0.56, 0.51, 0.61), true, true},
		{"below", metric(0.5, 0.45, 0.55), metric(0.4, 0.35, 0.45), true, false},
		{"no previous CI", schemas.Metric{Identity: id, Profile: "strict", Subset: "all", Metric: schemas.MetricAccuracy, Value: fp(0.5)}, metric(0.9, 0.85, 0.95), false, false},
		{"latest null", metric(0.5, 0.45, 0.55), schemas.Metric{Identity: id, Profile: "strict", Subset: "all", Metric: schemas.MetricAccuracy}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev := &Run{Name: "a", Metrics: []schemas.Metric{tt.before}}
			latest := &Run{Name: "b", Metrics: []schemas.Metric{tt.after}}
			ch := buildChanges(prev, latest, "strict")
			if got := len(ch.Moved) == 1; got != tt.moved {
				t.Fatalf("moved = %+v, want moved=%v", ch.Moved, tt.moved)
			}
			if tt.moved && ch.Moved[0].Increase != tt.up {
				t.Errorf("increase = %v, want %v", ch.Moved[0].Increase, tt.up)
			}
			if len(ch.NewCheckpoints) != 0 || len(ch.RemovedCheckpoints) != 0 {
				t.Errorf("same checkpoint reported new/removed: %+v", ch)
			}
		})
	}
}

func TestBuildWithoutRun(t *testing.T) {
	for _, h := range []*History{nil, {}} {
		if _, err := Build(h, Options{}); !errors.Is(err, ErrNoRuns) {
			t.Errorf("Build(%v) err = %v, want ErrNoRuns", h, err)
		}
	}
}

func TestSiteSurvivesAChartThatCannotBeDrawn(t *testing.T) {
	r := memRun("2026-11-25", synthCheckpoints(50))
	for i := range r.Metrics { // pass@0 cannot sit on a log axis
		if m := &r.Metrics[i]; m.Metric == schemas.MetricPassAtK && *m.K == 1 {
			m.K = ip(0)
		}
	}
	lb, err := Build(&History{Latest: r}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := lb.Files()
	if err != nil {
		t.Fatalf("one bad chart failed the whole site: %v", err)
	}
	page := string(files[IndexFile])
	if !strings.Contains(page, "This chart could not be drawn") {
		t.Error("the page does not say which chart failed")
	}
	if n := strings.Count(page, "<svg"); n != 4 {
		t.Errorf("svgs = %d, want 4 (the two pass@k charts failed)", n)
	}
}

func TestBuildFamilyWithTwoModelsAndTwoEvalsets(t *testing.T) {
	var cps []synthCheckpoint
	for _, model := range []string{"Qwen2.5-Math-1.5B", "Qwen2.5-Math-7B"} {
		for _, c := range synthCheckpoints(100) {
			if c.family == "qwen2.5-math" {
				c.model = model
				cps = append(cps, c)
			}
		}
	}
	r := memRun("2026-11-25", cps)
	extra := memRun("2026-11-25", cps[:4]) // a second evalset for a few checkpoints
	for i := range extra.Metrics {
		extra.Metrics[i].Evalset = "aime24"
	}
	r.Metrics = append(r.Metrics, extra.Metrics...)
	lb, err := Build(&History{Latest: r}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Evalsets) != 2 || len(lb.Groups) != 2 || lb.Groups[0].Evalset != "aime24" {
		t.Fatalf("evalsets %v, groups %d", lb.Evalsets, len(lb.Groups))
	}
	g := lb.Groups[1]
	if got := labels(g.Accuracy); len(got) != 8 || got[0] != "Qwen2.5-Math-1.5B · ground_truth" {
		t.Errorf("accuracy lines = %q, want model-qualified labels for 2 models × 3 rewards + 2 baselines", got)
	}
	headers, _ := tableView(lb)
	if headers[4].Label != "Evalset" {
		t.Errorf("no Evalset column with two evalsets: %+v", headers[:5])
	}
	files, err := lb.Files()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(files[IndexFile]), "<svg"); n != 6 {
		t.Errorf("svgs = %d, want 6", n)
	}
}
