package pipeline

import "github.com/sourcegraph/conc/panics"

// catch runs f and turns a panic into an error (with the panic's value and
// stack): the package's one idiom for a boundary where a bug below must fail
// the run, not crash the process. Where a panic is instead data (a grader or
// reader failing on hostile input), the stage says so and uses panics.Try.
func catch(f func() error) error {
	var err error
	if r := panics.Try(func() { err = f() }); r != nil {
		return r.AsError()
	}
	return err
}
