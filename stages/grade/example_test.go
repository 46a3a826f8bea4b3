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
