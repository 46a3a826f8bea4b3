package equiv

import "errors"

// Interpretation failures. They never leave the package: Prepare records them
// in the Answer, and Compare turns them into the reasons "unparsable" and
// "budget".
var (
	// errUnparsable: the answer parsed but is not something the engine reads
	// (an unknown environment, infinity inside arithmetic, text in a formula).
	errUnparsable = errors.New("not a mathematical answer")
	// errOverBudget: a size or evaluation budget was exceeded (section 5).
	errOverBudget = errors.New("over the evaluation budget")
)
