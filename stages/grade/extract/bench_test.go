package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// realResponses reads the 400 real Qwen2.5-Math responses of the shared data.
func realResponses(b *testing.B) []string {
	path := realdata.Path(b, "gens/qwen25-math-cot-8x50.jsonl")
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var p struct{ Code []string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			b.Fatal(err)
		}
		out = append(out, p.Code...)
	}
	return out
}

// BenchmarkExtractRealResponses extracts the answers of the 400 real responses.
func BenchmarkExtractRealResponses(b *testing.B) {
	rs := realResponses(b)
	bytes := 0
	for _, r := range rs {
		bytes += len(r)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, r := range rs {
			Extract(r, Strict)
		}
		n += len(rs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
}

// BenchmarkExtractHostile measures 100 kB responses that defeat every strategy: the
// cost of the fallbacks on the worst inputs.
func BenchmarkExtractHostile(b *testing.B) {
	for _, tc := range []struct{ name, s string }{
		{"prose_100kB_lenient", strings.Repeat("we try the case n = 12 and see what answer we get; ", 2000)},
		{"unclosed_boxes_100kB", strings.Repeat(`\boxed{`, 14000)},
		{"box_list_100kB", strings.Repeat(`\boxed{1}, `, 9000)},
		{"answer_markers_100kB", strings.Repeat("the answer is ", 7000)},
		{"dollars_100kB", strings.Repeat("$1 ", 33000)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.s)))
			for b.Loop() {
				Extract(tc.s, Lenient)
			}
		})
	}
}
