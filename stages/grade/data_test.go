package grade

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// devCase is one line of shared/data/grader/dev_cases.jsonl.
type devCase struct {
	ID       string  `json:"id"`
	Gold     string  `json:"gold"`
	Response *string `json:"response"`
	Answer   *string `json:"answer"`
	Profile  string  `json:"profile"`
	Expected *bool   `json:"expected"`
	Policy   bool    `json:"policy"`
	Source   string  `json:"source"`
}

// realProblem is one line of shared/data/gens/qwen25-math-cot-8x50.jsonl (the
// Qwen2.5-Math evaluation toolkit format): the gold, 8 responses and the toolkit's
// verdicts.
type realProblem struct {
	Idx   int      `json:"idx"`
	Gt    string   `json:"gt"`
	Code  []string `json:"code"`
	Score []bool   `json:"score"`
	Pred  []string `json:"pred"`
}

// readJSONL decodes every line of a shared data file into a T.
func readJSONL[T any](tb testing.TB, rel string) []T {
	tb.Helper()
	path := realdata.Path(tb, rel)
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			tb.Fatalf("%s line %d: %v", path, n, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("reading %s: %v", path, err)
	}
	return out
}

// gradeCase grades a dev case in its mode (response or answer) and profile.
func gradeCase(c devCase) Verdict {
	g := PrepareGold(c.Gold)
	if c.Answer != nil {
		return GradeAnswer(g, *c.Answer)
	}
	p, err := ParseProfile(c.Profile)
	if err != nil {
		p = Strict
	}
	return GradeResponse(g, *c.Response, p)
}
