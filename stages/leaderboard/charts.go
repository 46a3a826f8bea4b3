package leaderboard

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sourcegraph/conc/panics"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Chart geometry, in points. The page scales charts to their grid cell.
const (
	chartWidth     = 400
	chartPlotH     = 250
	legendFontSize = 9.5
	minPercentSpan = 10 // a percentage axis spans at least this many points
)

// chartFont is the typeface of every chart text. Liberation Sans is embedded
// in gonum/plot (for text measurement) and metric-compatible with Arial and
// Helvetica, which the page's font stack falls back to.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Chart is one rendered chart: its title and inline SVG (no XML prolog).
// A line chart draws every series, each in its own <g class="series"
// data-series="i"> group; Lines lists them in that order for the page's
// line chooser (the legend), those not Shown drawn hidden (display="none")
// until the reader ticks them.
type Chart struct {
	Title string
	Note  string
	SVG   string
	Lines []ChartLine
}

// ChartLine is one series of a line chart as its legend shows it.
type ChartLine struct {
	Label  string
	Color  string // #rrggbb
	Dashes string // SVG stroke-dasharray, "" for solid
	Model  string
	Reward string
	Base   bool
	Shown  bool
}

// rewardColors gives each known reward condition a fixed colour, so a
// condition looks the same in every chart and on every night.
var rewardColors = map[string]color.RGBA{
	"none":          {R: 0x33, G: 0x33, B: 0x33, A: 0xff},
	"ground_truth":  {R: 0x1b, G: 0x9e, B: 0x77, A: 0xff},
	"majority_vote": {R: 0x37, G: 0x7e, B: 0xb8, A: 0xff},
	"one_shot":      {R: 0x66, G: 0xa6, B: 0x1e, A: 0xff},
	"format":        {R: 0xe6, G: 0xab, B: 0x02, A: 0xff},
	"random":        {R: 0x75, G: 0x70, B: 0xb3, A: 0xff},
	"incorrect":     {R: 0xd9, G: 0x5f, B: 0x02, A: 0xff},
	"python":        {R: 0xa6, G: 0x56, B: 0x28, A: 0xff},
}

// otherColors colour reward conditions outside the known list, by the order
// they appear in a chart.
var otherColors = []color.RGBA{
	{R: 0xe7, G: 0x29, B: 0x8a, A: 0xff},
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
	{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff},
}

// modelDashes tell apart the models of one family (same reward, same colour).
var modelDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}

// styler assigns colours and dashes to series deterministically.
type styler struct {
	models []string
	others []string
}

func (s *styler) style(se Series) (color.RGBA, []vg.Length) {
	c, ok := rewardColors[se.Reward]
	if !ok {
		i := slices.Index(s.others, se.Reward)
		if i < 0 {
			s.others = append(s.others, se.Reward)
			i = len(s.others) - 1
		}
		c = otherColors[i%len(otherColors)]
	}
	m := slices.Index(s.models, se.Model)
	if m < 0 {
		s.models = append(s.models, se.Model)
		m = len(s.models) - 1
	}
	return c, modelDashes[m%len(modelDashes)]
}

// axisSpec describes one chart's axes.
type axisSpec struct {
	title  string
	xLabel string
	yLabel string
	logX   bool // log-scale x with ticks at the data's x values (k)
	clampY bool // y is a percentage: keep the range inside [0, 100]
	// sparseTicks thins the log-k ticks to powers of two (dense curves).
	sparseTicks bool
}

// renderCharts renders the charts of a group (those with data): accuracy,
// pass@k, the capability boundary (pass@k at every k with the crossover
// marked), coverage gained/lost, and code reasoning. A chart that cannot be
// drawn (data gonum/plot rejects, such as k ≤ 0 on the log axis) comes back
// with an empty SVG and the reason in Note, so one bad value never takes the
// whole site down; the error is also returned, joined, for logging.
func renderCharts(g Group) ([]Chart, error) {
	name := g.Family
	if g.Evalset != "" {
		name += " · " + g.Evalset
	}
	specs := []struct {
		series []Series
		spec   axisSpec
	}{
		{g.Accuracy, axisSpec{
			title: name + ": accuracy vs training step", xLabel: "training step (RL updates)",
			yLabel: "accuracy, avg@n (%)", clampY: true}},
		{g.PassCurves, axisSpec{
			title: name + ": pass@k, baseline vs latest checkpoints", xLabel: "k (samples per problem, log scale)",
			yLabel: "pass@k (%)", logX: true, clampY: true}},
		{g.BoundaryCurves, axisSpec{
			title: name + ": capability boundary, pass@k at every k", xLabel: "k (log scale); ring = crossover k",
			yLabel: "pass@k (%)", logX: true, clampY: true, sparseTicks: true}},
		{g.CodeRate, axisSpec{
			title: name + ": code reasoning vs training step", xLabel: "training step (RL updates)",
			yLabel: "responses with code reasoning (%)", clampY: true}},
	}
	shown := g.Shown
	if shown <= 0 {
		shown = DefaultMaxLines
	}
	var out []Chart
	var errs []error
	for i, s := range specs {
		if i == 3 && len(g.Coverage) > 0 {
			out, errs = appendCoverage(out, errs, name, g.Coverage)
		}
		if len(s.series) == 0 {
			continue
		}
		svg, lines, err := renderChart(s.spec, s.series, shown)
		if err != nil {
			errs = append(errs, fmt.Errorf("chart %q: %w", s.spec.title, err))
			out = append(out, Chart{Title: s.spec.title, Note: "This chart could not be drawn: " + err.Error()})
			continue
		}
		c := Chart{Title: s.spec.title, SVG: svg, Lines: lines}
		if hidden := len(lines) - countShown(lines); hidden > 0 {
			c.Note = fmt.Sprintf("%d of %d lines shown; tick a line below to draw it (none is left out).", len(lines)-hidden, len(lines))
		}
		out = append(out, c)
	}
	if len(specs[3].series) == 0 && len(g.Coverage) > 0 {
		out, errs = appendCoverage(out, errs, name, g.Coverage)
	}
	return out, errors.Join(errs...)
}

func appendCoverage(out []Chart, errs []error, name string, bars []CoverageBar) ([]Chart, []error) {
	title := name + ": coverage gained and lost vs baseline"
	svg, err := renderCoverage(title, bars)
	if err != nil {
		return append(out, Chart{Title: title, Note: "This chart could not be drawn: " + err.Error()}), append(errs, fmt.Errorf("chart %q: %w", title, err))
	}
	note := "Problems solved at least once among the first n samples by one side only, at each reward's latest step; * marks a coverage delta with q < 0.05 (single-seed conditions; a mean over seeds is not tested)."
	return append(out, Chart{Title: title, SVG: svg, Note: note}), errs
}

func countShown(ls []ChartLine) int {
	n := 0
	for _, l := range ls {
		if l.Shown {
			n++
		}
	}
	return n
}

// seriesTag is the x offset (in points, far below what a page can show)
// of the translate group that wraps each series while it is drawn; the SVG
// is then post-processed into <g class="series" data-series="i">.
const seriesTag = 1e-9

var seriesTagText = fmt.Sprintf(`<g transform="translate(%.*g, 0)"`, 5, seriesTag)

// seriesGroup draws a series' plotters (line, error bars, points, marks)
// inside one tagged SVG group. It forwards data ranges and glyph boxes, so
// the plot's geometry is what the plotters alone would give.
type seriesGroup struct{ parts []plot.Plotter }

func (sg seriesGroup) Plot(c draw.Canvas, p *plot.Plot) {
	c.Push()
	c.Translate(vg.Point{X: seriesTag})
	for _, part := range sg.parts {
		part.Plot(c, p)
	}
	c.Pop()
}

func (sg seriesGroup) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, part := range sg.parts {
		if dr, ok := part.(plot.DataRanger); ok {
			a, b, c, d := dr.DataRange()
			xmin, xmax, ymin, ymax = math.Min(xmin, a), math.Max(xmax, b), math.Min(ymin, c), math.Max(ymax, d)
		}
	}
	return xmin, xmax, ymin, ymax
}

func (sg seriesGroup) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var out []plot.GlyphBox
	for _, part := range sg.parts {
		if gb, ok := part.(plot.GlyphBoxer); ok {
			out = append(out, gb.GlyphBoxes(p)...)
		}
	}
	return out
}

// tagSeries turns the i-th tagged group into <g class="series"
// data-series="i">, hidden unless shown[i].
func tagSeries(svg string, shown []bool) string {
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(svg, seriesTagText)
		if j < 0 {
			b.WriteString(svg)
			return b.String()
		}
		b.WriteString(svg[:j])
		fmt.Fprintf(&b, `<g class="series" data-series="%d"`, i)
		if i < len(shown) && !shown[i] {
			b.WriteString(` display="none"`)
		}
		svg = svg[j+len(seriesTagText):]
		i++
	}
}

// shownLines ticks every baseline and then the other series in order until
// max lines are ticked.
func shownLines(series []Series, max int) []bool {
	out := make([]bool, len(series))
	n := 0
	for i, se := range series {
		if se.Base || se.Reward == schemas.RewardNone {
			out[i] = true
			n++
		}
	}
	for i := range series {
		if !out[i] && n < max {
			out[i] = true
			n++
		}
	}
	return out
}

func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func dashText(d []vg.Length) string {
	parts := make([]string, len(d))
	for i, l := range d {
		parts[i] = strconv.FormatFloat(l.Points(), 'f', -1, 64)
	}
	return strings.Join(parts, " ")
}

// errXYs pairs points with their error-bar extents for plotter.NewYErrorBars.
type errXYs struct {
	plotter.XYs
	plotter.YErrors
}

// renderChart draws one chart with gonum/plot into SVG, the legend in columns
// under the plot area. gonum/plot panics on some degenerate inputs; the panic
// comes back as an error.
func renderChart(spec axisSpec, series []Series, shown int) (svg string, lines []ChartLine, err error) {
	if r := panics.Try(func() { svg, lines, err = drawChart(spec, series, shown) }); r != nil {
		return "", nil, fmt.Errorf("gonum/plot: %v", r.Value)
	}
	return svg, lines, err
}

// drawChart is renderChart without the panic guard.
func drawChart(spec axisSpec, series []Series, shown int) (string, []ChartLine, error) {
	p := plot.New()
	p.Title.Text = spec.title
	p.Title.TextStyle.Font = font.From(chartFont, 11.5)
	p.Title.Padding = vg.Points(8)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(chartFont, 10)
		ax.Tick.Label.Font = font.From(chartFont, 9.5)
		ax.Tick.Marker = cleanTicks{}
		ax.Color = color.Gray{Y: 0x66}
		ax.Tick.Color = color.Gray{Y: 0x66}
	}
	p.X.Label.Text = spec.xLabel
	p.Y.Label.Text = spec.yLabel
	p.Add(plotter.NewGrid())

	var st styler
	var lines []ChartLine
	show := shownLines(series, shown)
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	var ks []float64
	for si, se := range series {
		clr, dashes := st.style(se)
		if se.Base {
			clr, dashes = rewardColors[schemas.RewardNone], []vg.Length{vg.Points(5), vg.Points(3)}
		}
		xys := make(plotter.XYs, len(se.Points))
		var bars errXYs
		for i, pt := range se.Points {
			xys[i] = plotter.XY{X: pt.X, Y: pt.Y}
			xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
			ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
			if pt.HasCI {
				bars.XYs = append(bars.XYs, xys[i])
				bars.YErrors = append(bars.YErrors, struct{ Low, High float64 }{math.Max(0, pt.Y-pt.Low), math.Max(0, pt.High-pt.Y)})
				ymin, ymax = math.Min(ymin, pt.Low), math.Max(ymax, pt.High)
			}
			if spec.logX && !slices.Contains(ks, pt.X) {
				ks = append(ks, pt.X)
			}
		}
		for _, m := range se.Marks {
			ymin, ymax = math.Min(ymin, m.Y), math.Max(ymax, m.Y)
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return "", nil, fmt.Errorf("series %q: %w", se.Label, err)
		}
		line.Color = clr
		line.Width = vg.Points(1.6)
		line.Dashes = dashes
		points.Color = clr
		points.Shape = draw.CircleGlyph{}
		points.Radius = vg.Points(2.4)
		if se.Reward == schemas.RewardNone || se.Base {
			points.Shape = draw.SquareGlyph{}
			points.Radius = vg.Points(3)
		}
		if len(xys) > 12 { // a dense curve (k = 1..n): the line alone reads better
			points.Radius = vg.Points(1.2)
		}
		var group seriesGroup
		if len(xys) > 1 {
			group.parts = append(group.parts, line)
		}
		if len(bars.XYs) > 0 {
			eb, err := plotter.NewYErrorBars(bars)
			if err != nil {
				return "", nil, fmt.Errorf("series %q error bars: %w", se.Label, err)
			}
			eb.Color = color.NRGBA{R: clr.R, G: clr.G, B: clr.B, A: 0x80}
			eb.Width = vg.Points(0.8)
			eb.CapWidth = vg.Points(4)
			group.parts = append(group.parts, eb)
		}
		group.parts = append(group.parts, points)
		if len(se.Marks) > 0 {
			mxys := make(plotter.XYs, len(se.Marks))
			for i, m := range se.Marks {
				mxys[i] = plotter.XY{X: m.X, Y: m.Y}
			}
			// A filled dot inside a wide ring: visible over the dense curves.
			for _, g := range []struct {
				shape draw.GlyphDrawer
				r     float64
			}{{draw.RingGlyph{}, 6.5}, {draw.RingGlyph{}, 5.8}, {draw.CircleGlyph{}, 3.2}} {
				sc, err := plotter.NewScatter(mxys)
				if err != nil {
					return "", nil, fmt.Errorf("series %q marks: %w", se.Label, err)
				}
				sc.Shape, sc.Radius, sc.Color = g.shape, vg.Points(g.r), clr
				group.parts = append(group.parts, sc)
			}
		}
		p.Add(group)
		lines = append(lines, ChartLine{Label: se.Label, Color: hexColor(clr), Dashes: dashText(dashes),
			Model: se.Model, Reward: se.Reward, Base: se.Base || se.Reward == schemas.RewardNone, Shown: show[si]})
	}
	if math.IsInf(xmin, 0) {
		return "", nil, fmt.Errorf("no points to draw")
	}

	setRanges(p, spec, xmin, xmax, ymin, ymax, ks)

	c := vgsvg.New(vg.Points(chartWidth), vg.Points(chartPlotH))
	p.Draw(draw.New(c))

	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", nil, err
	}
	return tagSeries(inlineSVG(buf.String(), spec.title), show), lines, nil
}

// renderCoverage draws the coverage bars: per reward, problems gained above
// zero (green) and lost below (red), with its legend drawn in the SVG.
func renderCoverage(title string, bars []CoverageBar) (svg string, err error) {
	if r := panics.Try(func() { svg, err = drawCoverage(title, bars) }); r != nil {
		return "", fmt.Errorf("gonum/plot: %v", r.Value)
	}
	return svg, err
}

func drawCoverage(title string, bars []CoverageBar) (string, error) {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(chartFont, 11.5)
	p.Title.Padding = vg.Points(8)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(chartFont, 10)
		ax.Tick.Label.Font = font.From(chartFont, 9.5)
		ax.Color = color.Gray{Y: 0x66}
		ax.Tick.Color = color.Gray{Y: 0x66}
	}
	p.Y.Tick.Marker = cleanTicks{}
	p.Y.Label.Text = "problems gained (up) / lost (down)"
	p.Add(plotter.NewGrid())
	gained, lost := make(plotter.Values, len(bars)), make(plotter.Values, len(bars))
	names := make([]string, len(bars))
	top := 1.0
	for i, b := range bars {
		gained[i], lost[i] = b.Gained, -b.Lost
		top = math.Max(top, math.Max(b.Gained, b.Lost))
		names[i] = b.Reward
		if b.Significant {
			names[i] += "*"
		}
	}
	width := vg.Points(math.Max(6, math.Min(22, 260/float64(len(bars)))))
	for _, set := range []struct {
		vals plotter.Values
		clr  color.RGBA
		name string
	}{{gained, color.RGBA{R: 0x13, G: 0x7a, B: 0x4b, A: 0xff}, "gained"}, {lost, color.RGBA{R: 0xb4, G: 0x23, B: 0x18, A: 0xff}, "lost"}} {
		bc, err := plotter.NewBarChart(set.vals, width)
		if err != nil {
			return "", err
		}
		bc.Color = set.clr
		bc.LineStyle.Width = 0
		p.Add(bc)
		p.Legend.Add(set.name, bc)
	}
	p.Legend.Top, p.Legend.Left = true, false
	p.Legend.TextStyle.Font = font.From(chartFont, legendFontSize)
	p.NominalX(names...)
	if len(bars) > 4 {
		p.X.Tick.Label.Rotation = math.Pi / 2.3
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.Y.Min, p.Y.Max = -top*1.15, top*1.45 // room for the legend above the bars
	c := vgsvg.New(vg.Points(chartWidth), vg.Points(chartPlotH))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	return inlineSVG(buf.String(), title), nil
}

// cleanTicks are gonum's default ticks with labels printed without trailing
// zeros ("75", not "75.00").
type cleanTicks struct{}

func (cleanTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label == "" {
			continue
		}
		l := strconv.FormatFloat(ts[i].Value, 'f', 2, 64)
		l = strings.TrimRight(strings.TrimRight(l, "0"), ".")
		if l == "-0" {
			l = "0"
		}
		ts[i].Label = l
	}
	return ts
}

// inlineSVG prepares gonum's SVG document for inlining in HTML: the XML prolog
// and generator comment are dropped, and an accessible <title> is added.
func inlineSVG(doc, title string) string {
	i := strings.Index(doc, "<svg")
	if i < 0 {
		return doc
	}
	doc = doc[i:]
	end := strings.Index(doc, ">")
	if end < 0 {
		return doc
	}
	return doc[:end] + ` role="img" aria-label="` + html.EscapeString(title) + `">` +
		"\n<title>" + html.EscapeString(title) + "</title>" + doc[end+1:]
}

// setRanges sets the axis ranges of p: a little room around the data,
// percentages kept in [0, 100]; on a log x axis, a tick at each k drawn
// (only powers of two and the last k when spec.sparseTicks).
func setRanges(p *plot.Plot, spec axisSpec, xmin, xmax, ymin, ymax float64, ks []float64) {
	pad := (ymax - ymin) * 0.08
	if pad < 1 {
		pad = 1
	}
	p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
	if spec.clampY {
		if span := p.Y.Max - p.Y.Min; span < minPercentSpan {
			mid := (p.Y.Max + p.Y.Min) / 2
			p.Y.Min, p.Y.Max = mid-minPercentSpan/2, mid+minPercentSpan/2
		}
		switch {
		case p.Y.Min < 0:
			p.Y.Max = math.Min(100, p.Y.Max-p.Y.Min)
			p.Y.Min = 0
		case p.Y.Max > 100:
			p.Y.Min = math.Max(0, p.Y.Min-(p.Y.Max-100))
			p.Y.Max = 100
		}
	}
	if spec.logX {
		p.X.Scale = plot.LogScale{}
		slices.Sort(ks)
		var ticks plot.ConstantTicks
		for _, k := range ks {
			if spec.sparseTicks && k != ks[len(ks)-1] && k != math.Exp2(math.Round(math.Log2(k))) {
				continue
			}
			ticks = append(ticks, plot.Tick{Value: k, Label: strconv.FormatFloat(k, 'f', -1, 64)})
		}
		p.X.Tick.Marker = ticks
		p.X.Min, p.X.Max = xmin/1.25, xmax*1.25
	} else {
		xpad := (xmax - xmin) * 0.04
		if xpad == 0 {
			xpad = 1
		}
		p.X.Min, p.X.Max = xmin-xpad, xmax+xpad
	}
}
