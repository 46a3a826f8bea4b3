package demo

import (
	"cmp"
	"fmt"
	"io"
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
}

// WriteHeadline prints the Spurious Rewards paper's headline table from a
// run's metrics and comparisons: for each family, the untrained baseline and,
// for each reward condition at its latest training step, the accuracy, its
// paired delta against the baseline with the 95% CI and p-value, and the
// code-reasoning rate before and after training.
//
// It reads the comparisons of metric "accuracy" on subset "all" (k null) and
// the metrics rows of "code_reasoning_rate" on subset "all" (under the first
// profile that has any, "strict" when present). Families appear in the order
// of their first comparison row; reward conditions in schemas.RewardRank
// order, unknown ones after them by name. Missing values print as "n/a".
// The output is plain aligned text labelled as the synthetic demo corpus; it
// depends only on its inputs. The only error returned is w's.
func WriteHeadline(w io.Writer, metrics []schemas.Metric, comps []schemas.Comparison) error {
	codeRate := codeRates(metrics)

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
		{"delta pts", right}, {"95% CI (pts)", left}, {"p", left}, {"problems", right}, {"code before", right}, {"code after", right},
	}
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
				codeBefore: codeRate[c.BaselineCheckpoint], codeAfter: codeRate[c.Checkpoint],
			})
		}
		slices.SortStableFunc(fr, func(a, b headlineRow) int {
			return cmp.Or(
				strings.Compare(a.model, b.model),
				cmp.Compare(schemas.RewardRank(a.reward), schemas.RewardRank(b.reward)),
				strings.Compare(a.reward, b.reward),
				cmp.Compare(seedOf(a.seed), seedOf(b.seed)),
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
				table = append(table, []string{fam, model, "none (base)", "0", pct(base.BaselineValue), "", "", "", "", rate(codeRate[base.BaselineCheckpoint]), ""})
			}
			c := r.cmp
			step := fmt.Sprint(r.step)
			if r.seed != nil {
				step += fmt.Sprintf("/s%d", *r.seed)
			}
			table = append(table, []string{"", "", r.reward, step, pct(c.Value), pts(c.Delta), ci(c.DeltaCILow, c.DeltaCIHigh),
				pval(c.PValue), fmt.Sprint(c.NProblems), rate(r.codeBefore), rate(r.codeAfter)})
		}
	}
	if len(table) == 0 {
		b.WriteString("(no accuracy comparisons on subset \"all\" in this run)\n")
	} else {
		writeAligned(&b, cols, table)
	}
	b.WriteString("\ndelta: accuracy minus the baseline's, in percentage points; CI: 95% paired bootstrap over problems;\n")
	b.WriteString("p: two-sided paired sign-flip permutation test; * marks p < 0.05.\n")
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

func seedOf(s *int64) int64 {
	if s == nil {
		return math.MinInt64
	}
	return *s
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
		return "<0.001 *"
	case *p < 0.05:
		return fmt.Sprintf("%.3f *", *p)
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
