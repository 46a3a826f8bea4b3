package latex_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/latex"
)

func ExampleParse() {
	for _, s := range []string{`\frac12`, `x^23`, `3\frac12`, `2\pi r`, `\left[0, 1\right)`, `\frac{1}`} {
		x, err := latex.Parse(s)
		if err != nil {
			fmt.Printf("%-18s error: %v\n", s, err)
			continue
		}
		fmt.Printf("%-18s %T %s\n", s, x, latex.Print(x))
	}
	// Output:
	// \frac12            *latex.Frac \frac{1}{2}
	// x^23               *latex.Binary x^{2} 3
	// 3\frac12           *latex.Mixed 3\frac{1}{2}
	// 2\pi r             *latex.Binary 2 \pi r
	// \left[0, 1\right)  *latex.Group [0, 1)
	// \frac{1}           error: offset 8: expected an argument, found end of input
}
