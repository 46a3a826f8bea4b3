package leaderboard

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

//go:embed index.html.tmpl
var pageTemplateText string

var pageTemplate = template.Must(template.New("index.html").Parse(pageTemplateText))

// cell is one table cell: Text shown, Sort the value the page's sort script
// compares (numbers as plain decimals; "" sorts last), Tip a tooltip.
type cell struct {
	Text    string
	Sub     string // secondary text (a CI), shown small after Text
	Sort    string
	Tip     string
	Class   string
	Mark    string // a short badge after the text (significance, "new")
	MarkTip string
}

type header struct {
	Label   string
	Tip     string
	Numeric bool
}

type section struct {
	Title  string
	Anchor string
	Family string
	Charts []chartView
}

// chartView is a chart as the template sees it. SVG is trusted markup: gonum
// escapes every text it draws (vgsvg uses html.EscapeString).
type chartView struct {
	ID    string
	Title string
	Note  string
	SVG   template.HTML
	Lines []lineView
}

// lineView is one entry of a chart's line chooser.
type lineView struct {
	Index  int
	Label  string
	Color  string
	Dashes string
	Reward string
	Base   bool
	Shown  bool
}

// rowView is one table row with the attributes the page's filters read.
type rowView struct {
	Family, Reward, Step, Search string
	Latest                       bool
	Cells                        []cell
}

type pageView struct {
	Title     string
	Subtitle  []string
	Headers   []header
	Rows      []rowView
	Pooled    [][]cell
	Families  []string
	Rewards   []string
	Methods   []string // interval methods of the table's cells, with what each is
	Changes   Changes
	HasPrev   bool
	NewRows   [][]cell
	MovedRows [][]cell
	MovedMore int
	Removed   [][]cell
	Sections  []section
	Runs      []RunStatus
	Skipped   int
	Profile   string
}

// renderHTML renders index.html: self-contained (inline CSS, inline SVG
// charts, a short inline sort script, no external resources).
func renderHTML(lb *Leaderboard) ([]byte, error) {
	logger := lb.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	v := pageView{
		Title:   lb.Title,
		Changes: lb.Changes,
		HasPrev: lb.Changes.Previous != "",
		Runs:    lb.Runs,
		Skipped: len(lb.Skipped),
		Profile: lb.Profile,
	}
	v.Subtitle = append(v.Subtitle, "latest run "+lb.Latest)
	if v.HasPrev {
		v.Subtitle = append(v.Subtitle, "previous "+lb.Changes.Previous)
	}
	v.Subtitle = append(v.Subtitle,
		fmt.Sprintf("%d checkpoint(s)", len(lb.Rows)),
		"profile "+lb.Profile, "subset "+lb.Subset)
	if len(lb.Evalsets) > 0 {
		v.Subtitle = append(v.Subtitle, "evalset "+strings.Join(lb.Evalsets, ", "))
	}
	if m := lb.Manifest; m.ToolVersion != "" || m.GraderVersion != "" {
		if m.ToolVersion != "" {
			v.Subtitle = append(v.Subtitle, "rlvr-eval "+m.ToolVersion)
		}
		if m.GraderVersion != "" {
			v.Subtitle = append(v.Subtitle, "grader "+m.GraderVersion)
		}
	}
	if o := lb.Manifest.Outcome; o != "" && o != "ok" {
		v.Subtitle = append(v.Subtitle, "run outcome: "+o)
	}
	v.Headers, v.Rows = tableView(lb)
	v.Families, v.Rewards, v.Methods = filterValues(lb)
	for _, p := range lb.Pooled {
		d := cell{Text: signedPP(p.Delta), Class: "num"}
		if p.CILow != nil && p.CIHigh != nil {
			d.Sub = "[" + signedNum(p.CILow) + ", " + signedNum(p.CIHigh) + "]"
		}
		if schemas.Significant(p.QValue) {
			d.Mark, d.MarkTip = "*", "significant: q < 0.05 (Benjamini–Hochberg)"
			if p.Delta != nil && *p.Delta > 0 {
				d.Class += " up"
			} else {
				d.Class += " down"
			}
		}
		q := cell{Text: "–", Class: "num"}
		if p.QValue != nil {
			q.Text = strconv.FormatFloat(*p.QValue, 'g', 3, 64)
		}
		v.Pooled = append(v.Pooled, []cell{{Text: p.Family}, {Text: p.Model}, {Text: p.Reward}, {Text: strconv.FormatInt(p.Step, 10), Class: "num"},
			{Text: strconv.FormatInt(p.NSeeds, 10), Class: "num"}, d, {Text: unsignedPP(p.SeedSD), Class: "num"}, q,
			{Text: p.Method + " (" + p.Scope + ")", Class: "mono"}})
	}
	for _, id := range lb.Changes.NewCheckpoints {
		v.NewRows = append(v.NewRows, []cell{{Text: id.Family}, {Text: id.Model}, {Text: id.Reward}, {Text: strconv.FormatInt(id.Step, 10)}, {Text: id.Checkpoint, Class: "mono"}})
	}
	for _, id := range lb.Changes.RemovedCheckpoints {
		v.Removed = append(v.Removed, []cell{{Text: id.Checkpoint, Class: "mono"}, {Text: id.Evalset}})
	}
	for i, m := range lb.Changes.Moved {
		if i == lb.MaxMoves {
			v.MovedMore = len(lb.Changes.Moved) - i
			break
		}
		arrow, cls := "▼", "down"
		if m.Increase {
			arrow, cls = "▲", "up"
		}
		v.MovedRows = append(v.MovedRows, []cell{
			{Text: m.Checkpoint, Class: "mono"}, {Text: m.Profile}, {Text: m.Subset},
			{Text: metricName(m.Metric, m.K)},
			{Text: pct(m.Before.Value) + " " + ciText(m.Before), Class: "num"},
			{Text: pct(m.After.Value) + " " + ciText(m.After), Class: "num"},
			{Text: arrow + " " + signedPP(diff(m.After.Value, m.Before.Value)), Class: "num " + cls},
		})
	}
	for _, g := range lb.Groups {
		charts, err := renderCharts(g)
		if err != nil {
			logger.Warn("leaderboard: chart not drawn", "family", g.Family, "evalset", g.Evalset, "error", err)
		}
		title := g.Family
		if len(lb.Evalsets) > 1 {
			title += " · " + g.Evalset
		}
		sec := section{Title: title, Anchor: anchor(g.Family + "-" + g.Evalset), Family: g.Family}
		for i, c := range charts {
			cv := chartView{ID: fmt.Sprintf("%s-chart-%d", sec.Anchor, i), Title: c.Title, Note: c.Note, SVG: template.HTML(c.SVG)}
			for j, l := range c.Lines {
				cv.Lines = append(cv.Lines, lineView{Index: j, Label: l.Label, Color: l.Color, Dashes: l.Dashes, Reward: l.Reward, Base: l.Base, Shown: l.Shown})
			}
			sec.Charts = append(sec.Charts, cv)
		}
		v.Sections = append(v.Sections, sec)
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("rendering index.html: %w", err)
	}
	return buf.Bytes(), nil
}

// tableView lays out the leaderboard table.
func tableView(lb *Leaderboard) ([]header, []rowView) {
	hasSeed, multiEval := false, len(lb.Evalsets) > 1
	for _, r := range lb.Rows {
		hasSeed = hasSeed || r.Seed != nil
	}
	hs := []header{{Label: "Family"}, {Label: "Model"}, {Label: "Reward", Tip: "training signal; none = untrained baseline"}, {Label: "Step", Numeric: true, Tip: "RL training step"}}
	if hasSeed {
		hs = append(hs, header{Label: "Seed", Numeric: true})
	}
	if multiEval {
		hs = append(hs, header{Label: "Evalset"})
	}
	hasBoundary := false
	for _, r := range lb.Rows {
		hasBoundary = hasBoundary || r.Boundary != nil
	}
	hs = append(hs, header{Label: "Accuracy", Numeric: true, Tip: "avg@n (unbiased pass@1) with its 95% interval over problems; the cell's tooltip names the interval's method"})
	for _, k := range lb.PassKs {
		hs = append(hs, header{Label: "pass@" + strconv.FormatInt(k, 10), Numeric: true, Tip: "unbiased pass@k estimator"})
	}
	if lb.MajK > 0 {
		hs = append(hs, header{Label: "maj@" + strconv.FormatInt(lb.MajK, 10), Numeric: true, Tip: "majority vote over the first k samples"})
	}
	hs = append(hs,
		header{Label: "Δ vs baseline", Numeric: true, Tip: "accuracy minus the baseline's, paired by problem, with its 95% interval [lo, hi] (method in the tooltip); * = q < 0.05 (Benjamini–Hochberg over the run's comparisons)"},
	)
	if hasBoundary {
		hs = append(hs,
			header{Label: "Crossover k", Numeric: true, Tip: "smallest k at which the baseline's pass@k reaches the checkpoint's; > n: the checkpoint stays ahead through n; – : not ahead at k = 1"},
			header{Label: "Coverage Δ", Numeric: true, Tip: "problems solved at least once among the first n samples, checkpoint minus baseline (gained/lost); * = q < 0.05"},
		)
	}
	hs = append(hs,
		header{Label: "Code reasoning", Numeric: true, Tip: "share of responses mentioning python"},
		header{Label: "No answer", Numeric: true, Tip: "share of responses with no extractable answer"},
	)
	latest := latestSteps(lb.Rows)
	rows := make([]rowView, 0, len(lb.Rows))
	for _, r := range lb.Rows {
		reward := cell{Text: r.Reward, Sort: r.Reward, Class: "reward"}
		if r.New {
			reward.Mark, reward.MarkTip = "new", "not in the previous run"
		}
		row := []cell{
			{Text: r.Family, Sort: r.Family},
			{Text: r.Model, Sort: r.Model, Tip: r.Checkpoint},
			reward,
			{Text: strconv.FormatInt(r.Step, 10), Sort: strconv.FormatInt(r.Step, 10), Class: "num"},
		}
		if hasSeed {
			s := cell{Text: "–", Class: "num"}
			if r.Seed != nil {
				s.Text = strconv.FormatInt(*r.Seed, 10)
				s.Sort = s.Text
			}
			row = append(row, s)
		}
		if multiEval {
			row = append(row, cell{Text: r.Evalset, Sort: r.Evalset})
		}
		row = append(row, estimateCell(r.Accuracy, fmt.Sprintf("%d problems × %d samples", r.NProblems, r.N)))
		for _, k := range lb.PassKs {
			row = append(row, kCell(r.PassAtK, k))
		}
		if lb.MajK > 0 {
			row = append(row, kCell(r.MajAtK, lb.MajK))
		}
		row = append(row, deltaCell(r))
		if hasBoundary {
			row = append(row, crossoverCell(r), coverageCell(r))
		}
		row = append(row, rateCell(r.CodeReasoningRate), rateCell(r.NoAnswerRate))
		rows = append(rows, rowView{
			Family: r.Family, Reward: r.Reward, Step: strconv.FormatInt(r.Step, 10),
			Search: strings.ToLower(r.Checkpoint + " " + r.Family + " " + r.Evalset),
			Latest: latest[lkey{r.Family, r.Model, r.Evalset, r.Reward}] == r.Step, Cells: row,
		})
	}
	return hs, rows
}

type lkey struct{ family, model, evalset, reward string }

// latestSteps gives every (family, model, evalset, reward) its latest step:
// what "latest checkpoints only" keeps.
func latestSteps(rows []Row) map[lkey]int64 {
	out := map[lkey]int64{}
	for _, r := range rows {
		k := lkey{r.Family, r.Model, r.Evalset, r.Reward}
		if s, ok := out[k]; !ok || r.Step > s {
			out[k] = r.Step
		}
	}
	return out
}

// filterValues lists the families and rewards of the table (for the
// filters, in table order) and the interval methods its cells use.
func filterValues(lb *Leaderboard) (families, rewards, methods []string) {
	seenM := map[string]bool{}
	for _, r := range lb.Rows {
		if !slices.Contains(families, r.Family) {
			families = append(families, r.Family)
		}
		if !slices.Contains(rewards, r.Reward) {
			rewards = append(rewards, r.Reward)
		}
		for _, m := range []string{r.Accuracy.Method, deltaMethod(r)} {
			if m != "" && m != "none" {
				seenM[m] = true
			}
		}
		for _, e := range append(slices.Clone(r.PassAtK), r.MajAtK...) {
			if slices.Contains(lb.PassKs, e.K) || e.K == lb.MajK {
				if e.Method != "" && e.Method != "none" {
					seenM[e.Method] = true
				}
			}
		}
	}
	slices.SortStableFunc(rewards, func(a, b string) int {
		return cmp.Or(cmp.Compare(schemas.RewardRank(a), schemas.RewardRank(b)), cmp.Compare(a, b))
	})
	for _, m := range slices.Sorted(maps.Keys(seenM)) {
		methods = append(methods, m+": "+methodText(m))
	}
	return families, rewards, methods
}

func deltaMethod(r Row) string {
	if r.Delta == nil {
		return ""
	}
	return r.Delta.Method
}

// methodText says what an interval method is, for the page's footnote.
func methodText(m string) string {
	switch {
	case m == schemas.MethodSignFlip:
		return "the shifts a paired two-sided sign-flip test (mid-p) does not reject at 5%; the same test gives p"
	case m == schemas.MethodPooledT:
		return "t interval over training seeds and problems"
	case strings.HasPrefix(m, "wilson95"):
		return "Wilson score interval, used below 50 problems (asymmetric near 0% and 100%)"
	case strings.HasPrefix(m, "bootstrap95"):
		return "percentile bootstrap over problems"
	}
	return "as named in the metrics table"
}

func crossoverCell(r Row) cell {
	b := r.Boundary
	if b == nil {
		return cell{Text: "–", Class: "num"}
	}
	switch {
	case b.CrossoverK != nil:
		k := strconv.FormatInt(*b.CrossoverK, 10)
		return cell{Text: k, Sort: k, Class: "num", Tip: "the baseline's pass@k reaches this checkpoint's at k = " + k + " (n = " + strconv.FormatInt(b.N, 10) + ")"}
	case b.Crossover == schemas.CrossoverNever:
		return cell{Text: "> " + strconv.FormatInt(b.N, 10), Sort: strconv.FormatInt(b.N+1, 10), Class: "num", Tip: "ahead of the baseline at every k up to n"}
	}
	return cell{Text: "–", Class: "num muted", Tip: "not ahead of the baseline at k = 1"}
}

func coverageCell(r Row) cell {
	b := r.Boundary
	if b == nil {
		return cell{Text: "–", Class: "num"}
	}
	d := b.CoverageDelta
	c := cell{Text: signedPP(&d), Sort: sortVal(&d), Class: "num",
		Sub: "+" + strconv.FormatInt(b.Gained, 10) + "/−" + strconv.FormatInt(b.Lost, 10)}
	tip := []string{fmt.Sprintf("coverage %s vs %s among the first %d samples; %d problems gained, %d lost", pct(&b.Coverage), pct(&b.BaselineCov), b.N, b.Gained, b.Lost)}
	if b.CoverageCILow != nil && b.CoverageCIHigh != nil {
		tip = append(tip, "95% interval "+intervalText(*b.CoverageCILow, *b.CoverageCIHigh)+" pp ("+b.Method+")")
	}
	if b.CoverageQValue != nil {
		tip = append(tip, "q = "+strconv.FormatFloat(*b.CoverageQValue, 'g', 3, 64))
	}
	if schemas.Significant(b.CoverageQValue) {
		c.Mark, c.MarkTip = "*", "q < 0.05"
	}
	c.Tip = strings.Join(tip, "; ")
	return c
}

// intervalText prints an interval of fractions in points as [lo, hi].
func intervalText(lo, hi float64) string {
	return "[" + signedNum(&lo) + ", " + signedNum(&hi) + "]"
}

// estimateCell shows a value with its 95% interval: "± h" when the interval
// is symmetric at the precision shown, else "[lo, hi]"; the tooltip names
// the method.
func estimateCell(e Estimate, tip string) cell {
	c := cell{Text: pct(e.Value), Sort: sortVal(e.Value), Class: "num", Tip: tip}
	if e.CILow != nil && e.CIHigh != nil {
		iv := "95% interval " + ciText(e)
		if e.Method != "" {
			iv += " (" + e.Method + ")"
		}
		if symmetric(e) {
			c.Mark = "± " + trimPct(halfWidth(e))
		} else {
			c.Mark = ciText(e)
		}
		c.MarkTip = iv
		if tip != "" {
			c.Tip = tip + "; " + iv
		} else {
			c.Tip = iv
		}
	}
	return c
}

// symmetric reports whether an interval's two sides around the value agree
// at the page's precision (0.1 point).
func symmetric(e Estimate) bool {
	if e.Value == nil {
		return false
	}
	lo, hi := *e.Value-*e.CILow, *e.CIHigh-*e.Value
	return math.Abs(lo-hi) < 0.0005
}

func kCell(ks []KEstimate, k int64) cell {
	for _, e := range ks {
		if e.K == k {
			return estimateCell(e.Estimate, "")
		}
	}
	return cell{Text: "–", Class: "num"}
}

func rateCell(v *float64) cell { return cell{Text: pct(v), Sort: sortVal(v), Class: "num"} }

func deltaCell(r Row) cell {
	d := r.Delta
	if d == nil {
		if r.Reward == schemas.RewardNone {
			return cell{Text: "baseline", Class: "num muted"}
		}
		return cell{Text: "–", Class: "num"}
	}
	c := cell{Text: signedPP(d.Delta), Sort: sortVal(d.Delta), Class: "num"}
	var tip []string
	tip = append(tip, "vs "+d.BaselineCheckpoint)
	if d.CILow != nil && d.CIHigh != nil {
		c.Sub = "[" + signedNum(d.CILow) + ", " + signedNum(d.CIHigh) + "]"
	}
	if d.Method != "" {
		tip = append(tip, "95% interval by "+d.Method)
	}
	if d.PValue != nil {
		tip = append(tip, "p = "+strconv.FormatFloat(*d.PValue, 'g', 3, 64))
	}
	if d.QValue != nil {
		tip = append(tip, "q = "+strconv.FormatFloat(*d.QValue, 'g', 3, 64))
	}
	if d.Significant {
		c.Mark, c.MarkTip = "*", "significant: q < 0.05 (Benjamini–Hochberg)"
		if d.Delta != nil && *d.Delta > 0 {
			c.Class += " up"
		} else {
			c.Class += " down"
		}
	}
	c.Tip = strings.Join(tip, "; ")
	return c
}

func metricName(metric string, k *int64) string {
	if k != nil && strings.HasSuffix(metric, "@k") {
		return strings.TrimSuffix(metric, "k") + strconv.FormatInt(*k, 10)
	}
	if k != nil {
		return metric + " (k=" + strconv.FormatInt(*k, 10) + ")"
	}
	return metric
}

// pct formats a fraction as a percentage with one decimal; "–" when null.
func pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return trimPct(*v) + "%"
}

// trimPct formats a fraction as a percentage with one decimal, without "%".
func trimPct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) }

func halfWidth(e Estimate) float64 { return (*e.CIHigh - *e.CILow) / 2 }

func ciText(e Estimate) string {
	if e.CILow == nil || e.CIHigh == nil {
		return ""
	}
	return "[" + trimPct(*e.CILow) + ", " + trimPct(*e.CIHigh) + "]"
}

// unsignedPP formats a spread of fractions in percentage points.
func unsignedPP(v *float64) string {
	if v == nil {
		return "–"
	}
	return trimPct(*v) + " pp"
}

// signedPP formats a difference of fractions in percentage points.
func signedPP(v *float64) string {
	if v == nil {
		return "–"
	}
	return signedNum(v) + " pp"
}

func signedNum(v *float64) string {
	s := trimPct(*v)
	if s == "-0.0" {
		s = "0.0"
	}
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

func diff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	d := *a - *b
	return &d
}

func sortVal(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// anchor turns a name into an HTML id: letters, digits and '-' only.
func anchor(s string) string {
	var b strings.Builder
	b.WriteString("family-")
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
