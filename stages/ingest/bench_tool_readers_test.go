package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchResponse is a response of realistic length (about 2 KB).
var benchResponse = strings.Repeat("We compute the value step by step, $x^2 + 2x + 1 = (x+1)^2$. ", 32) + "So the answer is $\\boxed{42}$."

func benchFile(b *testing.B, name string, write func(f *os.File)) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	write(f)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

func benchRead(b *testing.B, format, path string) {
	b.Helper()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := Lookup(format)
	r := f.New(nil)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		n = 0
		if err := r.Read(context.Background(), path, func(it Item) error {
			if it.Record != nil {
				n++
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "records/op")
}

func BenchmarkReadLMEval(b *testing.B) {
	p := benchFile(b, "samples_math_x.jsonl", func(f *os.File) {
		for d := 0; d < 500; d++ {
			resps := make([]string, 8)
			for i := range resps {
				resps[i] = benchResponse
			}
			line, _ := json.Marshal(map[string]any{"doc_id": d, "doc": map[string]any{"problem": "P", "answer": "42", "unique_id": fmt.Sprintf("test/algebra/%d.json", d)},
				"target": "42", "resps": [][]string{resps}, "filtered_resps": []string{"42"}, "filter": "none", "exact_match": 1.0})
			f.Write(append(line, '\n'))
		}
	})
	benchRead(b, "lm-eval", p)
}

func BenchmarkReadSpuriousRewards(b *testing.B) {
	p := benchFile(b, "m_MATH-500.json", func(f *os.File) {
		var meta []any
		for d := 0; d < 500; d++ {
			outs := make([]string, 8)
			for i := range outs {
				outs[i] = benchResponse
			}
			meta = append(meta, map[string]any{"prompt": "<|im_start|>user\nP<|im_end|>", "label": "42", "index": d, "outputs": outs})
		}
		doc, _ := json.MarshalIndent(map[string]any{"model": "m", "rollouts": 8, "metadata": meta}, "", "    ")
		f.Write(doc)
	})
	benchRead(b, "spurious-rewards", p)
}

func BenchmarkReadOpenAIBatch(b *testing.B) {
	p := benchFile(b, "batch_output.jsonl", func(f *os.File) {
		for i := 0; i < 4000; i++ {
			line, _ := json.Marshal(map[string]any{"id": "batch_req", "custom_id": fmt.Sprintf("test/algebra/%d.json#%d", i/8, i%8),
				"response": map[string]any{"status_code": 200, "body": map[string]any{"choices": []any{map[string]any{"index": 0, "message": map[string]any{"content": benchResponse}, "finish_reason": "stop"}},
					"usage": map[string]any{"completion_tokens": 600}}}, "error": nil})
			f.Write(append(line, '\n'))
		}
	})
	benchRead(b, "openai-batch", p)
}

func BenchmarkReadLighteval(b *testing.B) {
	p := filepath.Join(b.TempDir(), "details_math_500.parquet")
	rows := make([]ltRow, 500)
	for d := range rows {
		texts := make([]string, 8)
		for i := range texts {
			texts[i] = benchResponse
		}
		rows[d] = ltRow{Doc: ltDoc{Query: "P", Choices: []string{"ANSWER: 42"}, ID: fmt.Sprint(d)}, ModelResponse: ltResponse{Text: texts}, Metric: map[string]float64{"pass@k": 1}}
	}
	writeParquet(b, p, rows)
	benchRead(b, "lighteval", p)
}
