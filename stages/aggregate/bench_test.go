package aggregate

import (
	"math/rand/v2"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// BenchmarkAggregate measures Add + Result on 20 checkpoints × 500 problems ×
// 8 samples (one baseline per model, 19 comparisons), with the production
// defaults (2000 bootstrap resamples, 10000 sign flips).
func BenchmarkAggregate(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const problems, n = 500, 8
	p := make([]float64, problems)
	code := make([]float64, problems)
	for i := range p {
		p[i], code[i] = r.Float64(), r.Float64()
	}
	var batches [][]schemas.Sample
	for c := 0; c < 20; c++ {
		id := ident("Qwen2.5-Math-7B", "random", int64(c*10), nil)
		if c == 0 {
			id = ident("Qwen2.5-Math-7B", "none", 0, nil)
		}
		ss := simCheckpoint(r, id, p, code, n, true)
		for len(ss) > 0 {
			k := min(500, len(ss))
			batches = append(batches, ss[:k])
			ss = ss[k:]
		}
	}
	total := 20 * problems * n
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := New(Options{})
		for _, batch := range batches {
			a.Add(batch)
		}
		if _, err := a.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkAdd measures Add alone.
func BenchmarkAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	p := make([]float64, 500)
	for i := range p {
		p[i] = r.Float64()
	}
	ss := simCheckpoint(r, ident("M", "random", 1, nil), p, p, 8, true)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := New(Options{})
		a.Add(ss)
	}
	b.ReportMetric(float64(len(ss))*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkBootstrapMeans: one checkpoint × subset of 500 problems, 17 score
// columns (multiples of 1/8), 2000 resamples; summed as floats, and packed as
// integers.
func BenchmarkBootstrapMeans(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const P, C = 500, 17
	x := make([]float64, P*C)
	for i := range x {
		x[i] = float64(r.IntN(9)) / 8
	}
	eighths := make([]int, C)
	for c := range eighths {
		eighths[c] = 8
	}
	for _, bc := range []struct {
		name  string
		scale []int
	}{{"float", nil}, {"integer", eighths}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bootstrapMeans(x, P, C, DefaultBootstrap, stream(1, "bench"), bc.scale)
			}
		})
	}
}

// BenchmarkSignFlip: 500 paired problems, 15 columns (multiples of 1/8),
// 10000 sign vectors, p-value and inverted interval; floats, and scaled to integers.
func BenchmarkSignFlip(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const P, C = 500, 15
	d := make([]float64, P*C)
	for i := range d {
		d[i] = float64(r.IntN(17)-8) / 8
	}
	eighths := make([]int, C)
	for c := range eighths {
		eighths[c] = 8
	}
	for _, bc := range []struct {
		name  string
		scale []int
	}{{"float", nil}, {"integer", eighths}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				signFlipInvert(d, P, C, DefaultPermutations, stream(1, "bench"), bc.scale)
			}
		})
	}
}

// BenchmarkSmallCheckpoints is the nightly shape: many checkpoints of 50
// problems × 8 samples (400 samples each, no subjects or levels), each sealed
// when its samples are in, three models with a baseline each; Add, Seal and
// Result. Per checkpoint, Result's resampling and sign-flip test dominate.
func BenchmarkSmallCheckpoints(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const ckpts, problems, n = 120, 50, 8
	p := make([]float64, problems)
	code := make([]float64, problems)
	for i := range p {
		p[i], code[i] = r.Float64(), r.Float64()
	}
	models := []string{"Qwen2.5-Math-7B", "Llama-3.1-8B", "OLMo-2-1124-7B"}
	var batches [][]schemas.Sample
	var ids []string
	for c := 0; c < ckpts; c++ {
		id := ident(models[c%3], "random", int64(10*(c/3)), nil)
		if c < 3 {
			id = ident(models[c], "none", 0, nil)
		}
		batches = append(batches, simCheckpoint(r, id, p, code, n, false))
		ids = append(ids, id.Checkpoint)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := New(Options{})
		for c, batch := range batches {
			a.Add(batch)
			a.Seal(ids[c])
		}
		if _, err := a.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ckpts*problems*n)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
