package write

import (
	"bufio"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// realResponses returns the 400 real Qwen2.5-Math responses of the shared
// data (≈1.2 kB each), or nil when the shared data is absent.
func realResponses(tb testing.TB) []string {
	d := realdata.Dir()
	if d == "" {
		return nil
	}
	f, err := os.Open(filepath.Join(d, "gens/qwen25-math-cot-8x50.jsonl"))
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	var out []string
	for sc.Scan() {
		var rec struct{ Code []string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			tb.Fatalf("shared gens line %d: %v", len(out)/8+1, err)
		}
		out = append(out, rec.Code...)
	}
	return out
}

// randomText returns n texts of ~size bytes made of words drawn (seeded) from
// words: text with the entropy of prose but no long repeats, a pessimistic case
// for compression.
func randomText(words []string, n, size int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	var sb strings.Builder
	for i := range out {
		sb.Reset()
		for sb.Len() < size {
			sb.WriteString(words[rng.IntN(len(words))])
			sb.WriteByte(' ')
		}
		out[i] = sb.String()
	}
	return out
}

// BenchmarkSampleWriter measures the samples writer in batches of 500 rows
// with one extra profile, and reports rows/s (the pipeline needs ≥ 100,000
// samples/s on 2 cores). Text sources: "words2k" is ~2 kB per row of words
// shuffled from real responses (pessimistic for zstd); "real" cycles the 400
// distinct real responses of the shared data (≈1.2 kB each; skipped without it).
func BenchmarkSampleWriter(b *testing.B) {
	real := realResponses(b)
	vocab := strings.Fields(`Let us solve the equation step by step . We have x^2 + 3x - 4 = 0 , so
		(x+4)(x-1) = 0 and x = 1 or x = -4 . Therefore the answer is \\boxed{1} . python print(f(10))`)
	for _, r := range real {
		vocab = append(vocab, strings.Fields(r)...)
	}
	texts := map[string][]string{"words2k": randomText(vocab, 4096, 2000), "real": real}
	for _, src := range []string{"words2k", "real"} {
		if len(texts[src]) == 0 {
			continue
		}
		rows := testSamples(len(texts[src]), 0, "lenient")
		var bytes int64
		for i := range rows {
			rows[i].Response = texts[src][i]
			rows[i].ResponseChars = int64(len(rows[i].Response))
			bytes += rows[i].ResponseChars
		}
		for _, bc := range []struct {
			name string
			o    Options
		}{
			{"parquet-zstd", Options{}},
			{"parquet-zstdfastest", Options{Compression: ZstdFastest}},
			{"parquet-notext", Options{NoText: true}},
			{"arrow-zstd", Options{Format: Arrow}},
			{"both-zstd", Options{Format: Both}},
		} {
			b.Run(src+"/"+bc.name, func(b *testing.B) {
				o := bc.o
				o.Dir = b.TempDir()
				o.Profiles = []string{"lenient"}
				ctx := context.Background()
				w, err := New[schemas.Sample](o)
				if err != nil {
					b.Fatal(err)
				}
				defer w.Abort()
				b.SetBytes(bytes / int64(len(rows)))
				b.ResetTimer()
				for i := 0; i < b.N; i += 500 {
					j := i % len(rows)
					batch := rows[j:min(j+500, len(rows), j+b.N-i)]
					if err := w.Write(ctx, batch); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(ctx); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
