package leaderboard

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// addBoundaries attaches each checkpoint's boundary row (headline profile,
// subset all) and its curves to the table rows.
func addBoundaries(r *Run, profile string, byKey map[ckey]*Row) {
	for _, b := range r.Boundary {
		if b.Profile != profile || b.Subset != schemas.SubsetAll {
			continue
		}
		row, ok := byKey[keyOf(b.Identity)]
		if !ok || row.Boundary != nil {
			continue
		}
		row.Boundary = &Boundary{
			N: b.N, CrossoverK: b.CrossoverK, Crossover: b.Crossover, Coverage: b.Coverage, BaselineCov: b.BaselineCoverage,
			CoverageDelta: b.CoverageDelta, CoverageCILow: b.CoverageCILow, CoverageCIHigh: b.CoverageCIHigh,
			CoverageQValue: b.CoverageQValue, Gained: b.Gained, Lost: b.Lost, NProblems: b.NProblems, Method: b.Method,
			Curve: []BoundaryPoint{},
		}
	}
	for _, c := range r.BoundaryCurves {
		if c.Profile != profile || c.Subset != schemas.SubsetAll {
			continue
		}
		if row, ok := byKey[keyOf(c.Identity)]; ok && row.Boundary != nil && c.N == row.Boundary.N {
			row.Boundary.Curve = append(row.Boundary.Curve, BoundaryPoint{K: c.K, PassAtK: c.PassAtK, Baseline: c.BaselinePassAtK})
		}
	}
	for _, row := range byKey {
		if b := row.Boundary; b != nil {
			slices.SortFunc(b.Curve, func(x, y BoundaryPoint) int { return cmp.Compare(x.K, y.K) })
			b.Curve = slices.CompactFunc(b.Curve, func(x, y BoundaryPoint) bool { return x.K == y.K })
		}
	}
}

// buildBoundary fills the group's boundary curves and coverage bars from the
// rows' boundaries: per model, its baseline curve (from the first latest
// checkpoint that has one) and, per reward, the latest step's curve averaged
// over its seeds, with a ring at each seed's crossover k on the averaged
// curve; one coverage bar per reward.
func buildBoundary(g *Group, rows []Row, label func(model, reward string) string, multi bool) {
	type lkey struct{ model, reward string }
	latest := map[lkey]int64{}
	var keys []lkey
	for _, r := range rows {
		if r.Boundary == nil || len(r.Boundary.Curve) == 0 || schemas.IsBaseline(r.Reward, r.Step) {
			continue
		}
		k := lkey{r.Model, r.Reward}
		if s, ok := latest[k]; !ok || r.Step > s {
			if !ok {
				keys = append(keys, k)
			}
			latest[k] = r.Step
		}
	}
	slices.SortStableFunc(keys, func(a, b lkey) int { return cmp.Compare(a.model, b.model) })
	var baseDone = map[string]bool{}
	for _, k := range keys {
		step := latest[k]
		var seeds []*Boundary
		for i := range rows {
			r := &rows[i]
			if r.Model == k.model && r.Reward == k.reward && r.Step == step && r.Boundary != nil && len(r.Boundary.Curve) > 0 {
				seeds = append(seeds, r.Boundary)
			}
		}
		n := seeds[0].N
		same := seeds[:0:0]
		for _, b := range seeds {
			if b.N == n {
				same = append(same, b)
			}
		}
		if !baseDone[k.model] {
			baseDone[k.model] = true
			bl := "baseline (step 0)"
			if multi {
				bl = k.model + " · " + bl
			}
			s := Series{Label: bl, Model: k.model, Reward: schemas.RewardNone, Base: true}
			for _, p := range same[0].Curve {
				s.Points = append(s.Points, Point{X: float64(p.K), Y: 100 * p.Baseline})
			}
			g.BoundaryCurves = append(g.BoundaryCurves, s)
		}
		s := Series{Model: k.model, Reward: k.reward}
		avg := map[int64]float64{}
		for _, b := range same {
			for _, p := range b.Curve {
				avg[p.K] += 100 * p.PassAtK / float64(len(same))
			}
		}
		for _, kk := range slices.Sorted(maps.Keys(avg)) {
			s.Points = append(s.Points, Point{X: float64(kk), Y: avg[kk]})
		}
		var cross []string
		marked := map[int64]bool{}
		for _, b := range same {
			if b.CrossoverK != nil {
				cross = append(cross, itoa(*b.CrossoverK))
				if !marked[*b.CrossoverK] {
					marked[*b.CrossoverK] = true
					s.Marks = append(s.Marks, Point{X: float64(*b.CrossoverK), Y: avg[*b.CrossoverK]})
				}
			}
		}
		s.Label = label(k.model, k.reward) + " (step " + itoa(step) + ")"
		if len(same) > 1 {
			s.Label += fmt.Sprintf(", mean of %d seeds", len(same))
		}
		switch {
		case len(cross) > 0:
			s.Label += ": crossover k=" + strings.Join(cross, ",")
		case same[0].Crossover == schemas.CrossoverNever:
			s.Label += ": ahead through k=" + itoa(n)
		default:
			s.Label += ": not ahead at k=1"
		}
		g.BoundaryCurves = append(g.BoundaryCurves, s)

		bar := CoverageBar{Label: label(k.model, k.reward), Model: k.model, Reward: k.reward, Step: step, Seeds: len(same),
			Problems: same[0].NProblems, N: n}
		for _, b := range same {
			bar.Gained += float64(b.Gained) / float64(len(same))
			bar.Lost += float64(b.Lost) / float64(len(same))
		}
		bar.Significant = len(same) == 1 && schemas.Significant(same[0].CoverageQValue)
		g.Coverage = append(g.Coverage, bar)
	}
}
