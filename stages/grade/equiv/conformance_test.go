package equiv

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

type realAnswer struct {
	ID          string `json:"id"`
	Model       string `json:"model"`
	Gold        string `json:"gold"`
	Answer      string `json:"answer"`
	MathVerify  bool   `json:"math_verify"`
	QwenHarness bool   `json:"qwen_harness"`
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		var r T
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s line %d: %v", path, line, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return out
}

// peerWrong lists every real answer where our verdict differs from a peer's,
// with the verdict spec/grading.md requires and the rule that requires it.
var peerWrong = map[string]struct {
	want bool
	why  string
}{
	// The gold is a label equation (k is a name); its value m-1 is not -1
	// (section 4 "Equations"). The Qwen harness accepts it.
	"mv-qwen2.5_math_7b_incorrect-3920": {false, "label gold k=m-1: value m-1 vs -1"},
	// Intervals compare endpoints and brackets (section 4 "Structures"); the Qwen
	// harness accepts wrong brackets (data README).
	"mv-qwen2.5_math_7b_incorrect-6419": {false, "intervals (-1,0] vs [-1,0): brackets differ"},
	// 10m/(m-10) is not 10m/(-10): expressions compared by identity testing.
	"mv-qwen2.5_math_7b_incorrect-2524": {false, "symbolic: different expressions"},
	// A prediction that lost its leading variable is not the gold (bad LaTeX is
	// never silently repaired or truncated, section 6).
	"mv-qwen2.5_math_7b_incorrect-6812": {false, "^2+b^2 is not a^2+b^2 (unparsable)"},
	"mv-qwen2.5_7b_incorrect-451":       {false, "\\frac{2ab}{^2+b^2} is not the gold (unparsable)"},
	// Percent (section 4): 15\% matches 15 and 0.15. Math-Verify rejects the bare
	// number (data README).
	"mv-qwen2.5_1.5b-3904": {true, "percent gold 15\\% matches 15"},
}

func TestConformanceRealAnswers(t *testing.T) {
	rows := readJSONL[realAnswer](t, realdata.Path(t, "grader/real_answers_8_models.jsonl"))
	agreeMV, agreeQwen := 0, 0
	for _, r := range rows {
		got, reason, rule := Compare(Prepare(r.Gold), Prepare(r.Answer))
		if got == r.MathVerify {
			agreeMV++
		}
		if got == r.QwenHarness {
			agreeQwen++
		}
		if got != r.MathVerify || got != r.QwenHarness {
			exp, listed := peerWrong[r.ID]
			t.Logf("%s gold=%q answer=%q ours=%v (%s: %s) math_verify=%v qwen=%v", r.ID, r.Gold, r.Answer, got, reason, rule, r.MathVerify, r.QwenHarness)
			if !listed {
				t.Errorf("%s: disagreement with a peer not in the expected table", r.ID)
			} else if exp.want != got {
				t.Errorf("%s: got %v, policy says %v (%s)", r.ID, got, exp.want, exp.why)
			}
		}
	}
	t.Logf("agreement on %d real answers: math_verify %d (%.1f%%), qwen_harness %d (%.1f%%)",
		len(rows), agreeMV, 100*float64(agreeMV)/float64(len(rows)), agreeQwen, 100*float64(agreeQwen)/float64(len(rows)))
}

type devCase struct {
	ID       string  `json:"id"`
	Gold     string  `json:"gold"`
	Answer   *string `json:"answer"`
	Response *string `json:"response"`
	Expected *bool   `json:"expected"`
	Policy   bool    `json:"policy"`
}

func TestConformanceDevCases(t *testing.T) {
	rows := readJSONL[devCase](t, realdata.Path(t, "grader/dev_cases.jsonl"))
	for _, r := range rows {
		if r.Answer == nil {
			continue
		}
		got, reason, rule := Compare(Prepare(r.Gold), Prepare(*r.Answer))
		if r.Expected == nil || r.Policy {
			t.Logf("%s (policy case) gold=%q answer=%q ours=%v (%s: %s)", r.ID, r.Gold, *r.Answer, got, reason, rule)
			continue
		}
		if got != *r.Expected {
			t.Errorf("%s gold=%q answer=%q: got %v (%s: %s), want %v", r.ID, r.Gold, *r.Answer, got, reason, rule, *r.Expected)
		}
	}
}

// TestConformanceQwenGens compares the Qwen2.5-Math toolkit's own extracted
// answers (pred) with the gold (answer mode) and its verdicts (score).
func TestConformanceQwenGens(t *testing.T) {
	type row struct {
		Idx   int      `json:"idx"`
		GT    string   `json:"gt"`
		Pred  []string `json:"pred"`
		Score []bool   `json:"score"`
	}
	// Where the toolkit is wrong by spec/grading.md.
	qwenWrong := map[string]bool{
		// 10{,}000 is 10000: thousands separators are normalization (section 3).
		"72/10000": true,
	}
	rows := readJSONL[row](t, realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl"))
	agree, n := 0, 0
	for _, r := range rows {
		g := Prepare(r.GT)
		for i, p := range r.Pred {
			ok, reason, rule := Compare(g, Prepare(p))
			n++
			if ok == r.Score[i] {
				agree++
				continue
			}
			key := fmt.Sprintf("%d/%s", r.Idx, p)
			t.Logf("idx %d gt=%q pred=%q ours=%v (%s: %s) qwen=%v", r.Idx, r.GT, p, ok, reason, rule, r.Score[i])
			if want, listed := qwenWrong[key]; !listed || want != ok {
				t.Errorf("idx %d pred %q: disagreement with the toolkit not in the expected table", r.Idx, p)
			}
		}
	}
	t.Logf("agreement with the Qwen2.5-Math toolkit: %d/%d", agree, n)
}

// TestMath500GoldsInterpreted checks that every MATH-500 gold answer is read as
// mathematics (or as a text answer), never left to the text fallback, and that
// each equals itself through the full comparison.
func TestMath500GoldsInterpreted(t *testing.T) {
	type row struct {
		Answer   string `json:"answer"`
		UniqueID string `json:"unique_id"`
	}
	rows := readJSONL[row](t, realdata.Path(t, "math500/test.jsonl"))
	kinds := map[string]int{}
	for _, r := range rows {
		a := Prepare(r.Answer)
		if a.val == nil {
			t.Errorf("%s: gold %q not interpreted: %s", r.UniqueID, r.Answer, a.Describe())
			continue
		}
		kinds[kindNames[a.val.kind]]++
		if ok, reason, rule := decide(a, Prepare(r.Answer)); !ok {
			t.Errorf("%s: gold %q does not equal itself: %s (%s)", r.UniqueID, r.Answer, reason, rule)
		}
	}
	t.Logf("MATH-500 gold kinds: %v", kinds)
}
