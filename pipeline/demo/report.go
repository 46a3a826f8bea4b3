package demo

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// headlineRow is one reward condition of one model in the headline table.
type headlineRow struct {
	model, reward string
	step          int64
	seed          *int64
	cmp           *schemas.Comparison
	codeBefore    *float64
	codeAfter     *float64
	bound         *schemas.Boundary
}

// WriteHeadline prints the Spurious Rewards paper's headline table from a
// run's metrics, comparisons and boundary rows: for each family, the untrained
// baseline and, for each reward condition at its latest training step (each
// seed, then the condition pooled over its seeds when it has several), the
// accuracy, its paired delta against the baseline with its 95% interval,
// p- and q-value, the crossover k and the coverage delta of the capability
// boundary, and the code-reasoning rate before and after training.
//
// It reads the comparisons of metric "accuracy" on subset "all" (k null), the
// boundary rows on subset "all" and the metrics rows of "code_reasoning_rate"
// on subset "all" (each under "strict" when the run has it, else the first
// profile seen). A delta is marked with * only when its q-value is below
// 0.05 (aggregate.Significant), and the table says so; intervals print as
// [lo, hi] and the footnote names the methods behind them. Families appear
// in the order of their first comparison row; reward conditions in
// schemas.RewardRank order, unknown ones after them by name. Missing values
// print as "n/a". The output is plain aligned text labelled as the synthetic
// demo corpus; it depends only on its inputs. The only error returned is w's.
func WriteHeadline(w io.Writer, metrics []schemas.Metric, comps []schemas.Comparison, bounds []schemas.Boundary) error {
	codeRate := codeRates(metrics)
	bound := boundaries(bounds)

	// Latest step of every (family, model, reward), accuracy comparisons only.
	type key struct{ family, model, reward string }
	latest := map[key]int64{}
	var families []string
	seen := map[string]bool{}
	var rows []*schemas.Comparison
	for i := range comps {
		c := &comps[i]
		if c.Metric != schemas.MetricAccuracy || c.Subset != schemas.SubsetAll || c.K != nil {
			continue
		}
		rows = append(rows, c)
		if !seen[c.Family] {
			seen[c.Family] = true
			families = append(families, c.Family)
		}
		k := key{c.Family, c.Model, c.Reward}
		if s, ok := latest[k]; !ok || c.Step > s {
			latest[k] = c.Step
		}
	}

	var b strings.Builder
	b.WriteString("Spurious Rewards headline table — SYNTHETIC DEMO CORPUS (made-up responses, not real model output)\n")
	evalset := ""
	if len(rows) > 0 {
		evalset = rows[0].Evalset
	}
	fmt.Fprintf(&b, "Accuracy (avg@n, %%) on %s at each reward condition's latest training step, against the untrained\n", cmp.Or(evalset, "the evalset"))
	b.WriteString("model (reward none, step 0), paired by problem. Code = share of responses that mention \"python\".\n\n")

	cols := []column{
		{"family", left}, {"model", left}, {"reward", left}, {"step", right}, {"acc %", right},
		{"delta pts", right}, {"95% CI (pts)", left}, {"p", left}, {"q", left}, {"problems", right},
		{"cross k", right}, {"coverage delta", left}, {"code before", right}, {"code after", right},
	}
	methods := map[string]bool{}
	var table [][]string
	for _, fam := range families {
		var fr []headlineRow
		baselines := map[string]*schemas.Comparison{} // by model
		for _, c := range rows {
			if c.Family != fam {
				continue
			}
			if _, ok := baselines[c.Model]; !ok {
				baselines[c.Model] = c
			}
			if schemas.IsBaseline(c.Reward, c.Step) {
				continue // the baseline against itself, if the run wrote it
			}
			if c.Step != latest[key{c.Family, c.Model, c.Reward}] {
				continue
			}
			fr = append(fr, headlineRow{
				model: c.Model, reward: c.Reward, step: c.Step, seed: c.Seed, cmp: c,
				codeBefore: codeRate[c.BaselineCheckpoint], codeAfter: codeRate[c.Checkpoint], bound: bound[c.Checkpoint],
			})
		}
		slices.SortStableFunc(fr, func(a, b headlineRow) int {
			return cmp.Or(
				strings.Compare(a.model, b.model),
				cmp.Compare(schemas.RewardRank(a.reward), schemas.RewardRank(b.reward)),
				strings.Compare(a.reward, b.reward),
				cmp.Compare(seedOf(a.seed, a.cmp.Pooled), seedOf(b.seed, b.cmp.Pooled)),
			)
		})
		if len(fr) > 0 && len(table) > 0 {
			table = append(table, make([]string, len(cols))) // a blank line between families
		}
		model := ""
		for _, r := range fr {
			if r.model != model {
				model = r.model
				base := baselines[model]
				table = append(table, []string{fam, model, "none (base)", "0", pct(base.BaselineValue), "", "", "", "", "", "", "", rate(codeRate[base.BaselineCheckpoint]), ""})
			}
			c := r.cmp
			step := fmt.Sprint(r.step)
			switch {
			case c.Pooled:
				step += fmt.Sprintf("/pooled %d seeds", c.NSeeds)
				if c.SeedSD != nil {
					step += fmt.Sprintf(" sd %.1f", 100**c.SeedSD)
				}
			case r.seed != nil:
				step += fmt.Sprintf("/s%d", *r.seed)
			}
			if c.Method != "" {
				methods[c.Method] = true
			}
			cross, cover := "", ""
			if b := r.bound; b != nil {
				cross, cover = crossText(b), coverText(b)
			}
			table = append(table, []string{"", "", r.reward, step, pct(c.Value), marked(c.Delta, schemas.Significant(c.QValue)), ci(c.DeltaCILow, c.DeltaCIHigh),
				pval(c.PValue), pval(c.QValue), fmt.Sprint(c.NProblems), cross, cover, rate(r.codeBefore), rate(r.codeAfter)})
		}
	}
	if len(table) == 0 {
		b.WriteString("(no accuracy comparisons on subset \"all\" in this run)\n")
	} else {
		writeAligned(&b, cols, table)
	}
	b.WriteString("\ndelta: accuracy minus the baseline's, in percentage points, marked * only when its q-value is below\n")
	b.WriteString("0.05 (q: Benjamini-Hochberg over the run's accuracy comparisons; a small p alone marks nothing).\n")
	b.WriteString("95% CI [lo, hi], from the same procedure as p:")
	for _, m := range slices.Sorted(maps.Keys(methods)) {
		fmt.Fprintf(&b, "\n  %s: %s", m, methodText(m))
	}
	b.WriteString("\ncross k: the smallest k at which the baseline's pass@k reaches the checkpoint's (>n: the checkpoint\n")
	b.WriteString("stays ahead through n samples; behind: not ahead at k=1). coverage delta: problems solved at least once\n")
	b.WriteString("among the first n samples, checkpoint minus baseline, in points (problems gained/lost), * when q < 0.05.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// codeRates maps checkpoint id to its code_reasoning_rate on subset "all",
// under the "strict" profile when the run has it, else the first profile seen.
func codeRates(metrics []schemas.Metric) map[string]*float64 {
	profile := ""
	for i := range metrics {
		m := &metrics[i]
		if m.Metric != schemas.MetricCodeReasoningRate || m.Subset != schemas.SubsetAll {
			continue
		}
		if m.Profile == "strict" {
			profile = "strict"
			break
		}
		if profile == "" {
			profile = m.Profile
		}
	}
	out := map[string]*float64{}
	for i := range metrics {
		m := &metrics[i]
		if m.Metric == schemas.MetricCodeReasoningRate && m.Subset == schemas.SubsetAll && m.Profile == profile {
			if _, dup := out[m.Checkpoint]; !dup {
				out[m.Checkpoint] = m.Value
			}
		}
	}
	return out
}

// seedOf orders a condition's rows: seedless, then by seed, then pooled.
func seedOf(s *int64, pooled bool) int64 {
	switch {
	case pooled:
		return math.MaxInt64
	case s == nil:
		return math.MinInt64
	}
	return *s
}

// boundaries maps checkpoint id to its boundary row on subset "all", under
// "strict" when the run has it, else the first profile seen.
func boundaries(bounds []schemas.Boundary) map[string]*schemas.Boundary {
	profile := ""
	for i := range bounds {
		if b := &bounds[i]; b.Subset == schemas.SubsetAll && (profile == "" || b.Profile == "strict") {
			profile = b.Profile
		}
	}
	out := map[string]*schemas.Boundary{}
	for i := range bounds {
		b := &bounds[i]
		if b.Subset == schemas.SubsetAll && b.Profile == profile {
			if _, dup := out[b.Checkpoint]; !dup {
				out[b.Checkpoint] = b
			}
		}
	}
	return out
}

func crossText(b *schemas.Boundary) string {
	switch {
	case b.CrossoverK != nil:
		return fmt.Sprint(*b.CrossoverK)
	case b.Crossover == schemas.CrossoverNever:
		return fmt.Sprintf(">%d", b.N)
	case b.Crossover == schemas.CrossoverNotAhead:
		return "behind"
	}
	return na
}

func coverText(b *schemas.Boundary) string {
	d := b.CoverageDelta
	return fmt.Sprintf("%s (+%d/-%d)", marked(&d, schemas.Significant(b.CoverageQValue)), b.Gained, b.Lost)
}

// marked is a delta in points, with * when it is significant.
func marked(v *float64, significant bool) string {
	s := pts(v)
	if significant && s != na {
		s += "*"
	}
	return s
}

// methodText says in words what an interval method is.
func methodText(m string) string {
	switch m {
	case schemas.MethodSignFlip:
		return "the shifts a two-sided paired sign-flip test (mid-p) does not reject at 5%, over problems"
	case schemas.MethodPooledT:
		return "t interval over seeds and problems of the mean delta over training seeds"
	}
	return m
}

const na = "n/a"

func pct(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return na
	}
	return fmt.Sprintf("%.1f", 100**v)
}

func pts(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return na
	}
	return fmt.Sprintf("%+.1f", 100**v)
}

func ci(lo, hi *float64) string {
	if lo == nil || hi == nil || math.IsNaN(*lo) || math.IsNaN(*hi) {
		return na
	}
	return fmt.Sprintf("[%+.1f, %+.1f]", 100**lo, 100**hi)
}

func pval(p *float64) string {
	switch {
	case p == nil || math.IsNaN(*p):
		return na
	case *p < 0.001:
		return "<0.001"
	default:
		return fmt.Sprintf("%.3f", *p)
	}
}

func rate(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return na
	}
	return fmt.Sprintf("%.0f%%", 100**v)
}

type align int

const (
	left align = iota
	right
)

type column struct {
	title string
	align align
}

// writeAligned writes a header, a rule and the rows, each column as wide as
// its widest cell (cells are ASCII), two spaces apart, no trailing spaces.
func writeAligned(b *strings.Builder, cols []column, rows [][]string) {
	width := make([]int, len(cols))
	for i, c := range cols {
		width[i] = len(c.title)
	}
	for _, r := range rows {
		for i, cell := range r {
			width[i] = max(width[i], len(cell))
		}
	}
	line := func(cells []string) {
		var l strings.Builder
		for i, cell := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-len(cell))
			if cols[i].align == right {
				l.WriteString(pad + cell)
			} else {
				l.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	titles := make([]string, len(cols))
	rules := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
		rules[i] = strings.Repeat("-", width[i])
	}
	line(titles)
	line(rules)
	for _, r := range rows {
		line(r)
	}
}
