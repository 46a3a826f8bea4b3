package aggregate

import "errors"

// Errors returned by Result. Anything about the samples themselves is a
// warning in Tables.Warnings, never an error.
var (
	// ErrProfiles is returned (wrapped, with the offending list) when
	// Options.Profiles has more than MaxProfiles names, an empty name or a
	// repeated one.
	ErrProfiles = errors.New("aggregate: invalid profile list")
	// ErrResultTwice is returned by a second call to Result: the first one
	// releases the per-sample state.
	ErrResultTwice = errors.New("aggregate: Result called twice (it releases the per-sample state; call it once after the last Add)")
	// ErrInternal is returned (wrapped, naming the checkpoint) when a panic
	// occurs while computing a checkpoint's tables, e.g. in the grader's
	// answer equivalence.
	ErrInternal = errors.New("aggregate: internal error")
	// ErrSealed is returned (wrapped, naming the checkpoint) when samples of
	// a checkpoint were added after Seal promised there would be none: a bug
	// of the caller, whose tables would miss those samples.
	ErrSealed = errors.New("aggregate: samples added to a sealed checkpoint")
)
