package grade

import "testing"

// TestMATH500SolutionsAsGold reads every MATH-500 worked solution as a gold (answer
// mode: the solution's closing \boxed{} answers it) and checks that it is the
// dataset's own extracted answer: the answer-mode rule for full-solution golds, as
// lighteval and Hendrycks' files carry them, on all 500 problems.
func TestMATH500SolutionsAsGold(t *testing.T) {
	type problem struct {
		Solution string `json:"solution"`
		Answer   string `json:"answer"`
		ID       string `json:"unique_id"`
	}
	problems := readJSONL[problem](t, "math500/test.jsonl")
	if len(problems) != 500 {
		t.Fatalf("read %d MATH-500 problems, want 500", len(problems))
	}
	for _, p := range problems {
		v := GradeAnswer(PrepareGold(p.Answer), p.Solution)
		if !v.Correct {
			t.Errorf("%s: the solution's answer %q is not the dataset's answer %q (reason %s, rule %q)",
				p.ID, v.Extracted, p.Answer, v.Reason, v.Rule)
		}
	}
}
