package equiv_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/equiv"
)

func ExamplePrepare() {
	for _, s := range []string{`$\boxed{\dfrac{1}{2}}$`, `x \in [-2, 7]`, `1,000`, `5\text{ cm}`, `^2+b^2`} {
		a := equiv.Prepare(s)
		fmt.Printf("%s => %s => %s\n", s, a.Text(), a.Describe())
	}
	// Output:
	// $\boxed{\dfrac{1}{2}}$ => \frac{1}{2} => scalar: \frac{1}{2}
	// x \in [-2, 7] => x \in [-2, 7] => interval: x \in [-2, 7]
	// 1,000 => 1000 => scalar: 1000
	// 5\text{ cm} => 5\text{ cm} => scalar: 5 \text{ cm}
	// ^2+b^2 => ^2+b^2 => unparsable: offset 0: expected an operand, found '^'
}

func ExampleCompare() {
	pairs := [][2]string{
		{`\frac{1}{2}`, `0.5`},
		{`\frac13`, `0.33`},
		{`(x+1)^2`, `x^2+2x+1`},
		{`1,-2`, `1,-3`},
		{`(-1,0]`, `[-1,0)`},
		{`k=1`, `1`},
		{`x+2y=3`, `2x+4y=6`},
		{`25\%`, `0.25`},
		{`\frac{1}{2004!}`, `\frac{1}{2006!}`},
	}
	for _, p := range pairs {
		ok, reason, _ := equiv.Compare(equiv.Prepare(p[0]), equiv.Prepare(p[1]))
		fmt.Printf("%-16s %-10s %-5v %s\n", p[0], p[1], ok, reason)
	}
	// Output:
	// \frac{1}{2}      0.5        true  numeric
	// \frac13          0.33       false mismatch
	// (x+1)^2          x^2+2x+1   true  symbolic
	// 1,-2             1,-3       false mismatch
	// (-1,0]           [-1,0)     false mismatch
	// k=1              1          true  numeric
	// x+2y=3           2x+4y=6    true  symbolic
	// 25\%             0.25       true  numeric
	// \frac{1}{2004!}  \frac{1}{2006!} false mismatch
}

func ExampleEquivalent() {
	a, b := equiv.Prepare(`3 \pm 2\sqrt{2}`), equiv.Prepare(`3-2\sqrt2, 3+\sqrt8`)
	fmt.Println(equiv.Equivalent(a, b))
	// Output: true
}
