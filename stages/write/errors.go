package write

import (
	"errors"
	"fmt"

	"github.com/sourcegraph/conc/panics"
)

var (
	// ErrOptions is returned by the constructors when Options are invalid
	// (missing folder, unknown format, a bad profile name, profiles on a table
	// other than samples).
	ErrOptions = errors.New("invalid writer options")

	// ErrAltMismatch is returned by Write when a sample's Alt verdicts do not
	// match the profiles the writer was built with (count or order). It is a
	// programming error upstream, not bad input.
	ErrAltMismatch = errors.New("sample verdicts do not match the writer's profiles")

	// ErrClosed is returned by Write and Close after Close or Abort.
	ErrClosed = errors.New("table writer already closed")

	// ErrLibraryPanic wraps a panic raised inside parquet-go or arrow-go.
	ErrLibraryPanic = errors.New("panic in table library")
)

// try runs f and turns a panic inside it into an error wrapping ErrLibraryPanic
// (style point 8: parquet-go and arrow-go may panic on mismatched values).
func try(what string, f func() error) (err error) {
	if r := panics.Try(func() { err = f() }); r != nil {
		return fmt.Errorf("%s: %w: %v", what, ErrLibraryPanic, r.Value)
	}
	return err
}
