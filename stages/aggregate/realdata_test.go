package aggregate

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/shared"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// On the real Qwen2.5-Math generations (50 problems × 8 responses, with the
// toolkit's own extracted answers and verdicts), the aggregate numbers must
// match a direct computation from the file.
func TestRealGenerations(t *testing.T) {
	path := shared.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id := ident("Qwen2.5-Math-7B", "none", 0, nil)
	var samples []schemas.Sample
	var accSum, anySum, codeSum float64
	problems := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		var rec struct {
			Idx   int      `json:"idx"`
			Level string   `json:"level"`
			Code  []string `json:"code"`
			Pred  []string `json:"pred"`
			Score []bool   `json:"score"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s line %d: %v", path, line, err)
		}
		if len(rec.Code) != len(rec.Score) || len(rec.Pred) != len(rec.Score) {
			t.Fatalf("%s line %d: expected code, pred and score of equal length, found %d, %d, %d", path, line, len(rec.Code), len(rec.Pred), len(rec.Score))
		}
		level, _ := strconv.ParseInt(strings.TrimPrefix(rec.Level, "Level "), 10, 64)
		correct, code := 0, 0
		for j, resp := range rec.Code {
			s := schemas.Sample{Identity: id, ProblemID: strconv.Itoa(rec.Idx), Level: level, SampleIdx: int64(j),
				ResponseChars: int64(len([]rune(resp))), Correct: rec.Score[j],
				CodeReasoning: strings.Contains(strings.ToLower(resp), "python"), HasBoxed: strings.Contains(resp, `\boxed`)}
			if rec.Pred[j] != "" {
				s.Extracted = sptr(rec.Pred[j])
			}
			correct += b2i(s.Correct)
			code += b2i(s.CodeReasoning)
			samples = append(samples, s)
		}
		n := float64(len(rec.Score))
		accSum += float64(correct) / n
		codeSum += float64(code) / n
		if correct > 0 {
			anySum++
		}
		problems++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	a := New(Options{})
	a.Add(samples)
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	P := float64(problems)
	checks := []struct {
		metric string
		k      int64
		want   float64
	}{
		{MetricAccuracy, 0, accSum / P},
		{MetricPassAtK, 1, accSum / P},
		{MetricPassAtK, 8, anySum / P},
		{MetricCodeReasoningRate, 0, codeSum / P},
	}
	for _, c := range checks {
		m := findMetric(res, id.Checkpoint, "strict", "all", c.metric, c.k)
		if m == nil || m.Value == nil || math.Abs(*m.Value-c.want) > 1e-12 {
			t.Errorf("%s k=%d = %+v, want %v", c.metric, c.k, m, c.want)
			continue
		}
		if m.NProblems != int64(problems) || m.N != 8 || m.CIMethod != CIBootstrap || !(*m.CILow <= *m.Value && *m.Value <= *m.CIHigh) {
			t.Errorf("%s k=%d: n_problems %d n %d ci %s [%v, %v]", c.metric, c.k, m.NProblems, m.N, m.CIMethod, *m.CILow, *m.CIHigh)
		}
	}
	maj := findMetric(res, id.Checkpoint, "strict", "all", MetricMajAtK, 8)
	pass8 := findMetric(res, id.Checkpoint, "strict", "all", MetricPassAtK, 8)
	if *maj.Value > *pass8.Value {
		t.Errorf("maj@8 %v above pass@8 %v", *maj.Value, *pass8.Value)
	}
	t.Logf("real generations: accuracy %.3f, pass@8 %.3f, maj@8 %.3f, code reasoning %.3f",
		accSum/P, anySum/P, *maj.Value, codeSum/P)
}
