package batch_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/batch"
)

func Example() {
	golds := batch.NewGolds() // shared by every goroutine
	m := golds.Memo()         // one per goroutine
	for _, r := range []string{`so $\boxed{0.5}$`, `the answer is 1/3`, `\boxed{\frac12}`} {
		v, failure := m.Response(`\frac{1}{2}`, r, grade.Strict)
		if failure != nil {
			fmt.Println("grader failed:", failure.Value)
			continue
		}
		fmt.Println(v.Correct, v.ExtractMethod, v.Reason)
	}
	fmt.Println("golds prepared:", golds.Prepared())
	// Output:
	// true boxed numeric
	// false answer_is mismatch
	// true boxed exact
	// golds prepared: 1
}
