package equiv

import (
	"strings"
	"testing"
)

// typical answers, in the proportions seen in real MATH-500 final answers:
// mostly integers, then fractions, radicals, π multiples, tuples.
var typical = []string{
	"24", "38", "0", "-1", "1124", "\\frac{5}{9}", "-\\frac{5}{8}", "2\\sqrt{3} - 2", "96\\pi",
	"\\frac{\\sqrt{3}}{2}", "13968", "(6,4)", "10", "x^2+1", "7", "15\\%",
}

func BenchmarkPrepare(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Prepare(typical[i%len(typical)])
	}
}

func BenchmarkPrepareInteger(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Prepare("1124")
	}
}

func BenchmarkPrepareFraction(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Prepare("-\\frac{5}{8}")
	}
}

func BenchmarkPrepareRadical(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Prepare("2\\sqrt{3} - 2")
	}
}

// BenchmarkCompare compares prepared golds with different but equivalent or
// wrong predictions (the text fast path does not decide).
func BenchmarkCompare(b *testing.B) {
	pairs := [][2]string{
		{"24", "25"}, {"\\frac{5}{9}", "\\frac{10}{18}"}, {"-\\frac {5}{8}", "-0.625"},
		{"2\\sqrt{3} - 2", "2\\sqrt{3}-2"}, {"96 \\pi", "96\\pi"}, {"1124", "1125"},
		{"(6,4)", "(6, 4)"}, {"x^2+1", "1+x^2"},
	}
	gs := make([]*Answer, len(pairs))
	ps := make([]*Answer, len(pairs))
	for i, p := range pairs {
		gs[i], ps[i] = Prepare(p[0]), Prepare(p[1])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(pairs)
		Compare(gs[k], ps[k])
	}
}

func BenchmarkCompareIntegers(b *testing.B) {
	g, p := Prepare("1124"), Prepare("1125")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Compare(g, p)
	}
}

func BenchmarkCompareRadicals(b *testing.B) {
	g, p := Prepare("\\frac{\\sqrt{3}}{2}"), Prepare("\\frac{1}{2}\\sqrt3")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Compare(g, p)
	}
}

// BenchmarkPrepareHostile measures the worst cases the work budget allows:
// each input is stopped with reason budget after about maxWork units.
func BenchmarkPrepareHostile(b *testing.B) {
	for name, s := range map[string]string{
		"logs":       strings.Repeat(`\ln 2+`, 280) + "1",
		"sines":      strings.Repeat(`\sin(x)`, 200),
		"factorials": strings.Repeat(`3000!+`, 300) + "1",
		"roots":      strings.Repeat(`x^{1/3}+`, 220) + "1",
		"tower":      "2^{2^{2^{100}}}",
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Prepare(s)
			}
		})
	}
}
