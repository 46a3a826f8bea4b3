package extract_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

func ExampleExtract() {
	response := `Adding the roots gives $\boxed{2}$ and $\boxed{3}$.`
	r := extract.Extract(response, extract.Strict)
	fmt.Printf("%s by %s\n", r.Answer, r.Method)

	truncated := "Multiplying, 6 times 7 is 42, and then we still need to"
	fmt.Println(extract.Extract(truncated, extract.Strict).Method)
	r = extract.Extract(truncated, extract.Lenient)
	fmt.Printf("%s by %s\n", r.Answer, r.Method)
	// Output:
	// 2, 3 by boxed
	// none
	// 42 by last_number
}
