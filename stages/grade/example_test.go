package grade_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

func ExampleGradeResponse() {
	gold := grade.PrepareGold(`\frac{1}{2}`) // once per problem
	for _, response := range []string{
		`Half of the pie is left, so the answer is $\boxed{0.5}$.`,
		`We have 3 of 6 slices, so`,
	} {
		v := grade.GradeResponse(gold, response, grade.Strict)
		fmt.Printf("correct=%v extracted=%q by %s, reason %s\n", v.Correct, v.Extracted, v.ExtractMethod, v.Reason)
	}
	// Output:
	// correct=true extracted="0.5" by boxed, reason numeric
	// correct=false extracted="" by none, reason no_answer
}

func ExampleGradeAnswer() {
	gold := grade.PrepareGold(`\boxed{2, 3}`)
	v := grade.GradeAnswer(gold, `$\{3, 2\}$`)
	fmt.Println(v.Correct, v.ExtractMethod, v.Reason)
	// Output:
	// true answer set
}

func ExampleEquivalent() {
	// Grouping sampled answers for a majority vote: equivalent answers form one group.
	answers := []string{`\frac{1}{2}`, "0.5", `\boxed{\dfrac12}`, "2", "1/2"}
	prepared := make([]*grade.Answer, len(answers))
	for i, a := range answers {
		prepared[i] = grade.PrepareAnswer(a)
	}
	for i := 1; i < len(answers); i++ {
		fmt.Printf("%s ~ %s: %v\n", answers[0], answers[i], grade.Equivalent(prepared[0], prepared[i]))
	}
	// Output:
	// \frac{1}{2} ~ 0.5: true
	// \frac{1}{2} ~ \boxed{\dfrac12}: true
	// \frac{1}{2} ~ 2: false
	// \frac{1}{2} ~ 1/2: true
}

func ExampleParseProfile() {
	p, err := grade.ParseProfile("lenient")
	fmt.Println(p, err)
	_, err = grade.ParseProfile("loose")
	fmt.Println(err)
	// Output:
	// lenient <nil>
	// expected profile "strict" or "lenient", found "loose"
}
