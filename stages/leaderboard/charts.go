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
	"gonum.org/v1/plot/text"
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
	legendRowH     = 13
	legendPad      = 6
	minPercentSpan = 10 // a percentage axis spans at least this many points
)

// chartFont is the typeface of every chart text. Liberation Sans is embedded
// in gonum/plot (for text measurement) and metric-compatible with Arial and
// Helvetica, which the page's font stack falls back to.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Chart is one rendered chart: its title and inline SVG (no XML prolog).
type Chart struct {
	Title string
	Note  string // e.g. "4 more lines not shown"
	SVG   string
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
}

// renderCharts renders the three charts of a group (those with data). A chart
// that cannot be drawn (data gonum/plot rejects, such as k ≤ 0 on the log
// axis) comes back with an empty SVG and the reason in Note, so one bad value
// never takes the whole site down; the error is also returned, joined, for
// logging.
func renderCharts(g Group) ([]Chart, error) {
	name := g.Family
	if g.Evalset != "" {
		name += " · " + g.Evalset
	}
	specs := []struct {
		series  []Series
		omitted int
		spec    axisSpec
	}{
		{g.Accuracy, g.OmittedStep, axisSpec{
			title: name + ": accuracy vs training step", xLabel: "training step (RL updates)",
			yLabel: "accuracy, avg@n (%)", clampY: true}},
		{g.PassCurves, g.OmittedPass, axisSpec{
			title: name + ": pass@k, baseline vs latest checkpoints", xLabel: "k (samples per problem, log scale)",
			yLabel: "pass@k (%)", logX: true, clampY: true}},
		{g.CodeRate, g.OmittedStep, axisSpec{
			title: name + ": code reasoning vs training step", xLabel: "training step (RL updates)",
			yLabel: "responses with code reasoning (%)", clampY: true}},
	}
	var out []Chart
	var errs []error
	for _, s := range specs {
		if len(s.series) == 0 {
			continue
		}
		svg, err := renderChart(s.spec, s.series)
		if err != nil {
			errs = append(errs, fmt.Errorf("chart %q: %w", s.spec.title, err))
			out = append(out, Chart{Title: s.spec.title, Note: "This chart could not be drawn: " + err.Error()})
			continue
		}
		c := Chart{Title: s.spec.title, SVG: svg}
		if s.omitted > 0 {
			c.Note = fmt.Sprintf("%d more line(s) not drawn to keep the chart legible; every checkpoint is in the table and in leaderboard.parquet.", s.omitted)
		}
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}

// errXYs pairs points with their error-bar extents for plotter.NewYErrorBars.
type errXYs struct {
	plotter.XYs
	plotter.YErrors
}

// renderChart draws one chart with gonum/plot into SVG, the legend in columns
// under the plot area. gonum/plot panics on some degenerate inputs; the panic
// comes back as an error.
func renderChart(spec axisSpec, series []Series) (svg string, err error) {
	if r := panics.Try(func() { svg, err = drawChart(spec, series) }); r != nil {
		return "", fmt.Errorf("gonum/plot: %v", r.Value)
	}
	return svg, err
}

// drawChart is renderChart without the panic guard.
func drawChart(spec axisSpec, series []Series) (string, error) {
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
	var entries []legendEntry
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	var ks []float64
	for _, se := range series {
		clr, dashes := st.style(se)
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
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return "", fmt.Errorf("series %q: %w", se.Label, err)
		}
		line.Color = clr
		line.Width = vg.Points(1.6)
		line.Dashes = dashes
		points.Color = clr
		points.Shape = draw.CircleGlyph{}
		points.Radius = vg.Points(2.4)
		if se.Reward == schemas.RewardNone {
			points.Shape = draw.SquareGlyph{}
			points.Radius = vg.Points(3)
		}
		thumbs := []plot.Thumbnailer{points}
		if len(xys) > 1 {
			p.Add(line)
			thumbs = []plot.Thumbnailer{line, points}
		}
		if len(bars.XYs) > 0 {
			eb, err := plotter.NewYErrorBars(bars)
			if err != nil {
				return "", fmt.Errorf("series %q error bars: %w", se.Label, err)
			}
			eb.Color = color.NRGBA{R: clr.R, G: clr.G, B: clr.B, A: 0x80}
			eb.Width = vg.Points(0.8)
			eb.CapWidth = vg.Points(4)
			p.Add(eb)
		}
		p.Add(points)
		entries = append(entries, legendEntry{label: se.Label, thumbs: thumbs})
	}
	if math.IsInf(xmin, 0) {
		return "", fmt.Errorf("no points to draw")
	}

	// Axis ranges: a little room around the data, percentages kept in [0, 100].
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
		ticks := make(plot.ConstantTicks, len(ks))
		for i, k := range ks {
			ticks[i] = plot.Tick{Value: k, Label: strconv.FormatFloat(k, 'f', -1, 64)}
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

	legendH := legendHeight(entries)
	c := vgsvg.New(vg.Points(chartWidth), vg.Points(chartPlotH)+legendH)
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, 0, 0, legendH, 0))
	drawLegend(dc, entries, legendH)

	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	return inlineSVG(buf.String(), spec.title), nil
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

// legendEntry is one line of a chart legend.
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// legendColumns is how many columns the legend under a chart uses.
func legendColumns(entries []legendEntry) int {
	sty := legendStyle()
	widest := vg.Length(0)
	for _, e := range entries {
		widest = max(widest, sty.Width(e.label))
	}
	colW := widest + vg.Points(20+3*legendPad)
	cols := int(vg.Points(chartWidth-2*legendPad) / colW)
	return max(1, min(cols, 3, len(entries)))
}

func legendHeight(entries []legendEntry) vg.Length {
	cols := legendColumns(entries)
	rows := (len(entries) + cols - 1) / cols
	return vg.Points(float64(rows*legendRowH + 2*legendPad))
}

func legendStyle() text.Style {
	l := plot.NewLegend()
	sty := l.TextStyle
	sty.Font = font.From(chartFont, legendFontSize)
	return sty
}

// drawLegend lays the entries out in columns, filled top to bottom, in the
// band of height h at the bottom of dc.
func drawLegend(dc draw.Canvas, entries []legendEntry, h vg.Length) {
	cols := legendColumns(entries)
	perCol := (len(entries) + cols - 1) / cols
	colW := (dc.Max.X - dc.Min.X - 2*vg.Points(legendPad)) / vg.Length(cols)
	for col := 0; col < cols; col++ {
		lo, hi := col*perCol, min((col+1)*perCol, len(entries))
		if lo >= hi {
			break
		}
		leg := plot.NewLegend()
		leg.TextStyle.Font = font.From(chartFont, legendFontSize)
		leg.Top, leg.Left = true, true
		leg.ThumbnailWidth = vg.Points(20)
		leg.Padding = vg.Points(legendRowH) - legendEntryHeight(leg)
		for _, e := range entries[lo:hi] {
			leg.Add(e.label, e.thumbs...)
		}
		x0 := dc.Min.X + vg.Points(legendPad) + vg.Length(col)*colW
		leg.Draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x0, Y: dc.Min.Y + vg.Points(legendPad)},
			Max: vg.Point{X: x0 + colW, Y: dc.Min.Y + h - vg.Points(legendPad)},
		}})
	}
}

// legendEntryHeight is the height gonum gives one legend line of this style.
func legendEntryHeight(l plot.Legend) vg.Length {
	return l.TextStyle.Rectangle("Mg").Max.Y
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
