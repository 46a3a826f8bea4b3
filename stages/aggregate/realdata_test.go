package aggregate

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// On the real Qwen2.5-Math generations (50 problems × 8 responses, with the
// toolkit's own extracted answers and verdicts), the aggregate numbers must
// match a direct computation from the file.
func TestRealGenerations(t *testing.T) {
	path := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
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

	// The capability boundary on real verdicts: the baseline is the file's
	// 8 responses, the "checkpoint" its responses 4..7 renumbered 0..3 and
	// their code flags flipped on every other problem (a strategy switch). The
	// comparison runs at the common n = 4, and every number is recomputed
	// from the raw samples.
	ck := ident("Qwen2.5-Math-7B", "random", 10, nil)
	var cs []schemas.Sample
	for _, s := range samples {
		if s.SampleIdx < 4 {
			continue
		}
		s.Identity = ck
		s.SampleIdx -= 4
		if pid, _ := strconv.Atoi(s.ProblemID); pid%2 == 0 {
			s.CodeReasoning = !s.CodeReasoning
		}
		cs = append(cs, s)
	}
	b := New(Options{Permutations: 2000, Bootstrap: 100})
	b.Add(samples)
	b.Add(cs)
	bres, err := b.Result()
	if err != nil {
		t.Fatal(err)
	}
	checkBoundaryBrute(t, bres, samples, cs, map[string]int{})
	row := bres.Boundary[0]
	if row.Subset != "all" || row.N != 4 || !row.CommonN || row.NCheckpoint != 4 || row.NBaseline != 8 {
		t.Errorf("real boundary row %+v: want subset all at the common n 4 (checkpoint 4, baseline 8)", row)
	}
	t.Logf("real boundary (8 vs the last 4 samples, n 4): coverage %.3f vs %.3f, gained %d, lost %d, crossover %s, %d moves",
		row.Coverage, row.BaselineCoverage, row.Gained, row.Lost, row.Crossover, len(bres.ProblemMoves))
}
