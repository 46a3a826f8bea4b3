package leaderboard

import (
	"cmp"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// The leaderboard reads metrics by the names schemas declares
// (schemas.MetricAccuracy, ...) and shows subset schemas.SubsetAll.
const (
	// SignificanceLevel is the q-value (Benjamini–Hochberg, over the run's
	// comparisons) below which a delta is marked significant: schemas.Alpha,
	// the rule schemas.Significant applies.
	SignificanceLevel = schemas.Alpha
)

// Defaults for Options.
const (
	DefaultTitle    = "rlvr-eval leaderboard"
	DefaultMaxLines = 8
	DefaultMaxMoves = 100
)

// Options control Build. The zero value is usable.
type Options struct {
	Title    string       // page title; DefaultTitle when empty
	MaxLines int          // lines a chart shows when the page opens (the others are listed, unticked, in its line chooser); DefaultMaxLines when ≤ 0
	MaxMoves int          // most moved metrics listed on the page (all are in leaderboard.json); DefaultMaxMoves when ≤ 0
	Logger   *slog.Logger // stage-boundary logs; nil discards
}

func (o Options) withDefaults() Options {
	if o.Title == "" {
		o.Title = DefaultTitle
	}
	if o.MaxLines <= 0 {
		o.MaxLines = DefaultMaxLines
	}
	if o.MaxMoves <= 0 {
		o.MaxMoves = DefaultMaxMoves
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Estimate is a value with its 95% confidence interval; any part may be null.
// Method is the metrics row's ci_method ("" when unknown).
type Estimate struct {
	Value  *float64 `json:"value"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	Method string   `json:"ci_method,omitempty"`
}

// KEstimate is an estimate of a metric at one k (pass@k, maj@k).
type KEstimate struct {
	K int64 `json:"k"`
	Estimate
}

// Delta is a checkpoint's accuracy difference to its baseline, paired by problem.
type Delta struct {
	BaselineCheckpoint string   `json:"baseline_checkpoint"`
	Delta              *float64 `json:"delta"`
	CILow              *float64 `json:"delta_ci_low"`
	CIHigh             *float64 `json:"delta_ci_high"`
	PValue             *float64 `json:"p_value"`
	QValue             *float64 `json:"q_value"`
	Method             string   `json:"method"`      // the procedure behind the interval and p_value
	Significant        bool     `json:"significant"` // q_value < SignificanceLevel (schemas.Significant)
}

// Boundary is a checkpoint's capability boundary against its baseline (the
// boundary table's row on the headline profile, subset all).
type Boundary struct {
	N              int64    `json:"n"`
	CrossoverK     *int64   `json:"crossover_k"`
	Crossover      string   `json:"crossover"`
	Coverage       float64  `json:"coverage"`
	BaselineCov    float64  `json:"baseline_coverage"`
	CoverageDelta  float64  `json:"coverage_delta"`
	CoverageCILow  *float64 `json:"coverage_ci_low"`
	CoverageCIHigh *float64 `json:"coverage_ci_high"`
	CoverageQValue *float64 `json:"coverage_q_value"`
	Gained         int64    `json:"gained"`
	Lost           int64    `json:"lost"`
	NProblems      int64    `json:"n_problems"`
	Method         string   `json:"method"`
	// Curve is pass@k of the checkpoint and of its baseline, k = 1..N.
	Curve []BoundaryPoint `json:"curve"`
}

// BoundaryPoint is one k of a boundary's curves (fractions).
type BoundaryPoint struct {
	K        int64   `json:"k"`
	PassAtK  float64 `json:"pass_at_k"`
	Baseline float64 `json:"baseline_pass_at_k"`
}

// PooledDelta is a condition's accuracy delta pooled over its training seeds
// (a comparisons row with pooled = true, subset all).
type PooledDelta struct {
	Family     string   `json:"family"`
	Model      string   `json:"model"`
	Reward     string   `json:"reward"`
	Step       int64    `json:"step"`
	Evalset    string   `json:"evalset"`
	Checkpoint string   `json:"checkpoint"`
	NSeeds     int64    `json:"n_seeds"`
	NProblems  int64    `json:"n_problems"`
	Delta      *float64 `json:"delta"`
	CILow      *float64 `json:"delta_ci_low"`
	CIHigh     *float64 `json:"delta_ci_high"`
	SeedSD     *float64 `json:"seed_sd"`
	PValue     *float64 `json:"p_value"`
	QValue     *float64 `json:"q_value"`
	Method     string   `json:"method"`
	Scope      string   `json:"ci_scope"`
}

// Row is one checkpoint of the latest run on the headline profile and subset.
type Row struct {
	schemas.Identity
	N                 int64       `json:"n"`          // samples per problem
	NProblems         int64       `json:"n_problems"` // problems graded
	Accuracy          Estimate    `json:"accuracy"`
	PassAtK           []KEstimate `json:"pass_at_k"` // every k, ascending
	MajAtK            []KEstimate `json:"maj_at_k"`  // every k, ascending
	Delta             *Delta      `json:"delta_vs_baseline"`
	Boundary          *Boundary   `json:"boundary"`
	CodeReasoningRate *float64    `json:"code_reasoning_rate"`
	NoAnswerRate      *float64    `json:"no_answer_rate"`
	New               bool        `json:"new"` // not in the previous run
}

// Move is one metric that moved beyond its confidence interval between the
// previous and the latest run: the latest value lies outside the previous
// run's 95% CI for the same checkpoint, profile, subset, metric and k.
type Move struct {
	schemas.Identity
	Profile  string   `json:"profile"`
	Subset   string   `json:"subset"`
	Metric   string   `json:"metric"`
	K        *int64   `json:"k"`
	Before   Estimate `json:"previous"`
	After    Estimate `json:"latest"`
	Increase bool     `json:"increase"`
}

// Changes is "since last night": what differs between the previous and the
// latest usable run. With a single run, Previous is empty and the lists are empty.
type Changes struct {
	Previous           string             `json:"previous_run"`
	Latest             string             `json:"latest_run"`
	NewCheckpoints     []schemas.Identity `json:"new_checkpoints"`
	RemovedCheckpoints []schemas.Identity `json:"removed_checkpoints"`
	Moved              []Move             `json:"moved"`
}

// Point is one point of a chart series; Low and High bound its error bar.
type Point struct {
	X, Y, Low, High float64
	HasCI           bool
}

// Series is one line of a chart. Marks are extra points drawn as rings
// (the crossover of a boundary curve).
type Series struct {
	Label  string
	Model  string
	Reward string
	Points []Point
	Marks  []Point
	// Base draws the series as a baseline (grey squares, dashed on the
	// boundary chart) whatever its reward.
	Base bool
}

// CoverageBar is one reward condition's problems gained and lost against
// the baseline at its latest step (the mean over seeds when it has several).
type CoverageBar struct {
	Label       string
	Model       string
	Reward      string
	Step        int64
	Seeds       int
	Gained      float64
	Lost        float64
	Problems    int64
	N           int64
	Significant bool // one seed and its coverage q-value < 0.05
}

// Group holds the chart data of one family on one evalset, from the latest run.
type Group struct {
	Family     string
	Evalset    string
	Accuracy   []Series // accuracy (%) vs step, one line per model × reward, baseline point shared
	CodeRate   []Series // code-reasoning rate (%) vs step, same lines
	PassCurves []Series // pass@k (%) vs k: each model's baseline and each reward's latest checkpoint
	// BoundaryCurves are pass@k at every k = 1..n from the boundary table:
	// each model's baseline and each reward's latest checkpoint (seeds
	// averaged), its crossover k marked. Coverage has one bar per reward.
	BoundaryCurves []Series
	Coverage       []CoverageBar
	// Shown is how many lines of each chart are ticked when the page opens
	// (Options.MaxLines); every line is drawn and listed in its chooser.
	Shown int
}

// Leaderboard is the model the site is rendered from.
type Leaderboard struct {
	Title    string
	Latest   string   // latest usable run
	Profile  string   // headline extraction profile
	Subset   string   // always schemas.SubsetAll
	Evalsets []string // evalsets in the latest run, sorted
	Manifest Manifest // latest run's manifest
	PassKs   []int64  // pass@k columns shown in the table (up to 3)
	MajK     int64    // maj@k column shown in the table (largest k; 0 when none)
	Rows     []Row
	Pooled   []PooledDelta // seed-pooled accuracy deltas, in table order
	Changes  Changes
	Groups   []Group
	Runs     []RunStatus
	Skipped  []*RunError
	MaxMoves int

	logger *slog.Logger
}

// Build turns a loaded history into the leaderboard model. It is pure and
// deterministic: the same history gives the same model. It fails (ErrNoRuns)
// only when h has no latest run.
func Build(h *History, opts Options) (*Leaderboard, error) {
	if h == nil || h.Latest == nil {
		return nil, fmt.Errorf("%w: the history has no latest run", ErrNoRuns)
	}
	opts = opts.withDefaults()
	latest := h.Latest
	lb := &Leaderboard{
		Title:    opts.Title,
		Latest:   latest.Name,
		Subset:   schemas.SubsetAll,
		Manifest: latest.Manifest,
		Runs:     h.Runs,
		Skipped:  h.Skipped,
		MaxMoves: opts.MaxMoves,
		logger:   opts.Logger,
	}
	lb.Profile = chooseProfile(latest)
	lb.Rows = buildRows(latest, lb.Profile)
	lb.Pooled = buildPooled(latest)
	lb.Changes = buildChanges(h.Previous, latest, lb.Profile)
	newSet := make(map[ckey]bool, len(lb.Changes.NewCheckpoints))
	for _, id := range lb.Changes.NewCheckpoints {
		newSet[keyOf(id)] = true
	}
	evalsets := map[string]bool{}
	for i := range lb.Rows {
		lb.Rows[i].New = newSet[keyOf(lb.Rows[i].Identity)]
		evalsets[lb.Rows[i].Evalset] = true
	}
	lb.Evalsets = slices.Sorted(maps.Keys(evalsets))
	lb.PassKs, lb.MajK = tableKs(lb.Rows)
	lb.Groups = buildGroups(lb.Rows, opts.MaxLines)
	opts.Logger.Info("leaderboard: model built", "latest", lb.Latest, "profile", lb.Profile,
		"checkpoints", len(lb.Rows), "new", len(lb.Changes.NewCheckpoints), "moved", len(lb.Changes.Moved))
	return lb, nil
}

// chooseProfile picks the headline profile: the manifest's first profile that
// has metrics, else "strict" when present, else the alphabetically first one.
func chooseProfile(r *Run) string {
	have := map[string]bool{}
	for _, m := range r.Metrics {
		have[m.Profile] = true
	}
	for _, p := range r.Manifest.Profiles {
		if have[p] {
			return p
		}
	}
	if have["strict"] || len(have) == 0 {
		return "strict"
	}
	return slices.Sorted(maps.Keys(have))[0]
}

// ckey identifies a checkpoint on an evalset.
type ckey struct{ checkpoint, evalset string }

func keyOf(id schemas.Identity) ckey { return ckey{id.Checkpoint, id.Evalset} }

func seedVal(s *int64) int64 {
	if s == nil {
		return -1 << 62
	}
	return *s
}

// compareIdentity is the display order of checkpoints.
func compareIdentity(a, b schemas.Identity) int {
	return cmp.Or(
		cmp.Compare(a.Family, b.Family),
		cmp.Compare(a.Model, b.Model),
		cmp.Compare(a.Evalset, b.Evalset),
		cmp.Compare(schemas.RewardRank(a.Reward), schemas.RewardRank(b.Reward)),
		cmp.Compare(a.Reward, b.Reward),
		cmp.Compare(a.Step, b.Step),
		cmp.Compare(seedVal(a.Seed), seedVal(b.Seed)),
		cmp.Compare(a.Checkpoint, b.Checkpoint),
	)
}

func buildRows(r *Run, profile string) []Row {
	byKey := map[ckey]*Row{}
	var order []ckey
	get := func(id schemas.Identity) *Row {
		k := keyOf(id)
		row, ok := byKey[k]
		if !ok {
			row = &Row{Identity: id}
			byKey[k] = row
			order = append(order, k)
		}
		return row
	}
	for _, m := range r.Metrics {
		if m.Profile != profile || m.Subset != schemas.SubsetAll {
			continue
		}
		row := get(m.Identity)
		est := Estimate{Value: m.Value, CILow: m.CILow, CIHigh: m.CIHigh, Method: m.CIMethod}
		switch m.Metric {
		case schemas.MetricAccuracy:
			if row.Accuracy.Value == nil || m.K == nil {
				row.Accuracy = est
				row.N, row.NProblems = m.N, m.NProblems
			}
		case schemas.MetricPassAtK:
			if m.K != nil {
				row.PassAtK = append(row.PassAtK, KEstimate{K: *m.K, Estimate: est})
			}
		case schemas.MetricMajAtK:
			if m.K != nil {
				row.MajAtK = append(row.MajAtK, KEstimate{K: *m.K, Estimate: est})
			}
		case schemas.MetricCodeReasoningRate:
			row.CodeReasoningRate = m.Value
		case schemas.MetricNoAnswerRate:
			row.NoAnswerRate = m.Value
		}
	}
	for _, c := range r.Comparisons {
		if c.Subset != schemas.SubsetAll || c.Metric != schemas.MetricAccuracy || (c.K != nil && *c.K != 1) {
			continue
		}
		row, ok := byKey[keyOf(c.Identity)]
		if !ok || row.Delta != nil || c.Checkpoint == c.BaselineCheckpoint || c.Pooled {
			continue
		}
		row.Delta = &Delta{
			BaselineCheckpoint: c.BaselineCheckpoint,
			Delta:              c.Delta, CILow: c.DeltaCILow, CIHigh: c.DeltaCIHigh, PValue: c.PValue,
			QValue: c.QValue, Method: c.Method, Significant: schemas.Significant(c.QValue),
		}
	}
	addBoundaries(r, profile, byKey)
	rows := make([]Row, 0, len(order))
	for _, k := range order {
		row := byKey[k]
		row.PassAtK = dedupK(row.PassAtK)
		row.MajAtK = dedupK(row.MajAtK)
		rows = append(rows, *row)
	}
	slices.SortStableFunc(rows, func(a, b Row) int { return compareIdentity(a.Identity, b.Identity) })
	return rows
}

// buildPooled lists the seed-pooled accuracy rows on subset all.
func buildPooled(r *Run) []PooledDelta {
	var out []PooledDelta
	for _, c := range r.Comparisons {
		if !c.Pooled || c.Subset != schemas.SubsetAll || c.Metric != schemas.MetricAccuracy || c.K != nil {
			continue
		}
		out = append(out, PooledDelta{Family: c.Family, Model: c.Model, Reward: c.Reward, Step: c.Step, Evalset: c.Evalset,
			Checkpoint: c.Checkpoint, NSeeds: c.NSeeds, NProblems: c.NProblems, Delta: finite(c.Delta), CILow: finite(c.DeltaCILow),
			CIHigh: finite(c.DeltaCIHigh), SeedSD: finite(c.SeedSD), PValue: finite(c.PValue), QValue: finite(c.QValue),
			Method: c.Method, Scope: c.CIScope})
	}
	slices.SortStableFunc(out, func(a, b PooledDelta) int {
		return compareIdentity(schemas.Identity{Family: a.Family, Model: a.Model, Reward: a.Reward, Step: a.Step, Checkpoint: a.Checkpoint, Evalset: a.Evalset},
			schemas.Identity{Family: b.Family, Model: b.Model, Reward: b.Reward, Step: b.Step, Checkpoint: b.Checkpoint, Evalset: b.Evalset})
	})
	return out
}

// dedupK sorts by k and keeps the first estimate of each k.
func dedupK(ks []KEstimate) []KEstimate {
	slices.SortStableFunc(ks, func(a, b KEstimate) int { return cmp.Compare(a.K, b.K) })
	return slices.CompactFunc(ks, func(a, b KEstimate) bool { return a.K == b.K })
}

// tableKs picks the pass@k columns (up to three ks spread over the range, the
// largest always included, k = 1 left out when larger ks exist since it equals
// accuracy) and the maj@k column (largest k).
func tableKs(rows []Row) ([]int64, int64) {
	pass, maj := map[int64]bool{}, map[int64]bool{}
	for _, r := range rows {
		for _, e := range r.PassAtK {
			pass[e.K] = true
		}
		for _, e := range r.MajAtK {
			maj[e.K] = true
		}
	}
	ks := slices.Sorted(maps.Keys(pass))
	if len(ks) > 1 && ks[0] == 1 {
		ks = ks[1:]
	}
	if len(ks) > 3 {
		n := len(ks)
		ks = []int64{ks[n/3], ks[2*n/3], ks[n-1]}
		ks = slices.Compact(ks)
	}
	var majK int64
	if mk := slices.Sorted(maps.Keys(maj)); len(mk) > 0 {
		majK = mk[len(mk)-1]
	}
	return ks, majK
}

// mkey identifies one metric row across runs.
type mkey struct {
	ckey
	profile, subset, metric string
	k                       int64 // -1 when null
}

func metricKey(m *schemas.Metric) mkey {
	k := int64(-1)
	if m.K != nil {
		k = *m.K
	}
	return mkey{keyOf(m.Identity), m.Profile, m.Subset, m.Metric, k}
}

// buildChanges compares the previous and latest runs over every profile and
// subset. prev may be nil (first run).
func buildChanges(prev, latest *Run, headline string) Changes {
	ch := Changes{Latest: latest.Name, NewCheckpoints: []schemas.Identity{}, RemovedCheckpoints: []schemas.Identity{}, Moved: []Move{}}
	if prev == nil {
		return ch
	}
	ch.Previous = prev.Name
	ids := func(r *Run) map[ckey]schemas.Identity {
		out := map[ckey]schemas.Identity{}
		for _, m := range r.Metrics {
			out[keyOf(m.Identity)] = m.Identity
		}
		return out
	}
	before, after := ids(prev), ids(latest)
	for k, id := range after {
		if _, ok := before[k]; !ok {
			ch.NewCheckpoints = append(ch.NewCheckpoints, id)
		}
	}
	for k, id := range before {
		if _, ok := after[k]; !ok {
			ch.RemovedCheckpoints = append(ch.RemovedCheckpoints, id)
		}
	}
	slices.SortFunc(ch.NewCheckpoints, compareIdentity)
	slices.SortFunc(ch.RemovedCheckpoints, compareIdentity)

	old := make(map[mkey]*schemas.Metric, len(prev.Metrics))
	for i := range prev.Metrics {
		m := &prev.Metrics[i]
		if _, dup := old[metricKey(m)]; !dup {
			old[metricKey(m)] = m
		}
	}
	seen := map[mkey]bool{}
	for i := range latest.Metrics {
		m := &latest.Metrics[i]
		key := metricKey(m)
		if seen[key] {
			continue
		}
		seen[key] = true
		o, ok := old[key]
		if !ok || m.Value == nil || o.Value == nil || o.CILow == nil || o.CIHigh == nil {
			continue
		}
		v := *m.Value
		if v >= *o.CILow && v <= *o.CIHigh {
			continue
		}
		ch.Moved = append(ch.Moved, Move{
			Identity: m.Identity, Profile: m.Profile, Subset: m.Subset, Metric: m.Metric, K: m.K,
			Before:   Estimate{Value: o.Value, CILow: o.CILow, CIHigh: o.CIHigh, Method: o.CIMethod},
			After:    Estimate{Value: m.Value, CILow: m.CILow, CIHigh: m.CIHigh, Method: m.CIMethod},
			Increase: v > *o.Value,
		})
	}
	slices.SortFunc(ch.Moved, func(a, b Move) int {
		return cmp.Or(
			compareIdentity(a.Identity, b.Identity),
			cmp.Compare(profileRank(a.Profile, headline), profileRank(b.Profile, headline)),
			cmp.Compare(a.Profile, b.Profile),
			cmp.Compare(subsetRank(a.Subset), subsetRank(b.Subset)),
			cmp.Compare(a.Subset, b.Subset),
			cmp.Compare(a.Metric, b.Metric),
			cmp.Compare(kVal(a.K), kVal(b.K)),
		)
	})
	return ch
}

func profileRank(p, headline string) int {
	if p == headline {
		return 0
	}
	return 1
}

func subsetRank(s string) int {
	if s == schemas.SubsetAll {
		return 0
	}
	return 1
}

func kVal(k *int64) int64 {
	if k == nil {
		return -1
	}
	return *k
}

// buildGroups prepares the chart data per family × evalset.
func buildGroups(rows []Row, maxLines int) []Group {
	type gkey struct{ family, evalset string }
	byGroup := map[gkey][]Row{}
	for _, r := range rows {
		k := gkey{r.Family, r.Evalset}
		byGroup[k] = append(byGroup[k], r)
	}
	keys := make([]gkey, 0, len(byGroup))
	for k := range byGroup {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return cmp.Or(cmp.Compare(keys[i].family, keys[j].family), cmp.Compare(keys[i].evalset, keys[j].evalset)) < 0
	})
	groups := make([]Group, 0, len(keys))
	for _, k := range keys {
		groups = append(groups, buildGroup(k.family, k.evalset, byGroup[k], maxLines))
	}
	return groups
}

// seedMean averages estimates over seeds: the value and each CI bound are
// averaged over the seeds that have them.
func seedMean(es []Estimate) (Point, bool) {
	var p Point
	var n, nci float64
	for _, e := range es {
		if e.Value == nil {
			continue
		}
		p.Y += *e.Value
		n++
		if e.CILow != nil && e.CIHigh != nil {
			p.Low += *e.CILow
			p.High += *e.CIHigh
			nci++
		}
	}
	if n == 0 {
		return p, false
	}
	p.Y = 100 * p.Y / n
	if nci == n {
		p.Low, p.High, p.HasCI = 100*p.Low/nci, 100*p.High/nci, true
	} else {
		p.Low, p.High = 0, 0
	}
	return p, true
}

func buildGroup(family, evalset string, rows []Row, maxLines int) Group {
	g := Group{Family: family, Evalset: evalset}
	models := map[string]bool{}
	for _, r := range rows {
		models[r.Model] = true
	}
	modelNames := slices.Sorted(maps.Keys(models))
	multi := len(modelNames) > 1
	label := func(model, reward string) string {
		if multi {
			return model + " · " + reward
		}
		return reward
	}
	type lkey struct{ model, reward string }
	type stepEst struct {
		acc, code map[int64][]Estimate
	}
	lines := map[lkey]*stepEst{}
	var lineKeys []lkey
	for _, r := range rows { // rows are in display order: model, reward rank, step, seed
		k := lkey{r.Model, r.Reward}
		l, ok := lines[k]
		if !ok {
			l = &stepEst{acc: map[int64][]Estimate{}, code: map[int64][]Estimate{}}
			lines[k] = l
			lineKeys = append(lineKeys, k)
		}
		l.acc[r.Step] = append(l.acc[r.Step], r.Accuracy)
		l.code[r.Step] = append(l.code[r.Step], Estimate{Value: r.CodeReasoningRate})
	}
	baseline := func(model string) *stepEst {
		if l, ok := lines[lkey{model, schemas.RewardNone}]; ok {
			if _, ok := l.acc[0]; ok {
				return l
			}
		}
		return nil
	}
	series := func(k lkey, pick func(*stepEst) map[int64][]Estimate) Series {
		s := Series{Model: k.model, Reward: k.reward}
		byStep := pick(lines[k])
		isBase := k.reward == schemas.RewardNone
		if isBase {
			s.Label = label(k.model, "baseline (step 0)")
			if !multi {
				s.Label = "baseline (step 0)"
			}
		} else {
			s.Label = label(k.model, k.reward)
			if b := baseline(k.model); b != nil {
				if _, own := byStep[0]; !own {
					if p, ok := seedMean(pick(b)[0]); ok {
						p.HasCI = false // the baseline marker carries its error bar
						s.Points = append(s.Points, p)
					}
				}
			}
		}
		for _, step := range slices.Sorted(maps.Keys(byStep)) {
			if p, ok := seedMean(byStep[step]); ok {
				p.X = float64(step)
				s.Points = append(s.Points, p)
			}
		}
		return s
	}
	// Order: each model's reward lines, then (last, so it is drawn on top) its
	// baseline marker. A baseline marker is kept only when the model has no
	// trained line, or when there is room.
	var stepKeys []lkey
	for _, k := range lineKeys {
		if k.reward != schemas.RewardNone {
			stepKeys = append(stepKeys, k)
		}
	}
	for _, k := range lineKeys {
		if k.reward == schemas.RewardNone {
			stepKeys = append(stepKeys, k)
		}
	}
	g.Shown = maxLines
	for _, k := range stepKeys {
		if s := series(k, func(l *stepEst) map[int64][]Estimate { return l.acc }); len(s.Points) > 0 {
			g.Accuracy = append(g.Accuracy, s)
		}
		if s := series(k, func(l *stepEst) map[int64][]Estimate { return l.code }); len(s.Points) > 0 {
			g.CodeRate = append(g.CodeRate, s)
		}
	}

	// pass@k curves: each model's baseline, then each reward's latest step
	// (seed-averaged).
	var curves []Series
	for _, model := range modelNames {
		var latestByReward = map[string]int64{}
		var rewards []string
		for _, r := range rows {
			if r.Model != model || len(r.PassAtK) == 0 {
				continue
			}
			if s, ok := latestByReward[r.Reward]; !ok || r.Step > s {
				if !ok {
					rewards = append(rewards, r.Reward)
				}
				latestByReward[r.Reward] = r.Step
			}
		}
		for _, reward := range rewards {
			step := latestByReward[reward]
			perK := map[int64][]Estimate{}
			for _, r := range rows {
				if r.Model == model && r.Reward == reward && r.Step == step {
					for _, e := range r.PassAtK {
						perK[e.K] = append(perK[e.K], e.Estimate)
					}
				}
			}
			s := Series{Model: model, Reward: reward}
			if schemas.IsBaseline(reward, step) {
				s.Label = label(model, "baseline (step 0)")
				if !multi {
					s.Label = "baseline (step 0)"
				}
			} else {
				s.Label = label(model, reward) + " (step " + itoa(step) + ")"
			}
			for _, k := range slices.Sorted(maps.Keys(perK)) {
				if p, ok := seedMean(perK[k]); ok {
					p.X = float64(k)
					s.Points = append(s.Points, p)
				}
			}
			if len(s.Points) > 0 {
				curves = append(curves, s)
			}
		}
	}
	g.PassCurves = curves
	buildBoundary(&g, rows, label, multi)
	return g
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
