package leaderboard

import (
	"errors"
	"fmt"
)

var (
	// ErrNoHistory is returned by Load when the history folder does not exist or
	// is not a folder.
	ErrNoHistory = errors.New("history folder not found")

	// ErrNoRuns is returned by Load when the history folder holds no usable run:
	// no dated run folder at all, or only broken ones (each is then also listed in
	// History.Skipped). There is nothing to publish.
	ErrNoRuns = errors.New("no usable run in history")

	// ErrBadRunName is wrapped by ParseRunName when a folder name is not a run
	// date (YYYY-MM-DD or YYYY-MM-DDTHHMM).
	ErrBadRunName = errors.New("not a run folder name")
)

// RunError says why a run folder was skipped: which file, and what was wrong
// with it. It is data (a line of History.Skipped), never fatal to the build.
type RunError struct {
	Run  string // run folder name, e.g. "2026-11-25"
	File string // file inside the run folder, e.g. "metrics.parquet"; empty for the folder itself
	Err  error  // what was wrong
}

func (e *RunError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("run %s: %v", e.Run, e.Err)
	}
	return fmt.Sprintf("run %s: %s: %v", e.Run, e.File, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }
