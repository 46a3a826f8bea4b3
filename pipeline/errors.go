package pipeline

import (
	"errors"
	"fmt"
	"strings"
)

// ErrIncomplete is wrapped by every failed gate of a finished run
// (*RejectShareError, *CoverageError, *BaselineError): the tables and
// run.json were written, and must not be trusted as complete; the CLI exits
// with status 2.
var ErrIncomplete = errors.New("run incomplete")

// ErrTooManyRejects is wrapped by a *RejectShareError.
var ErrTooManyRejects = errors.New("too many rejected samples")

// RejectShareError is returned by Run when the share of samples rejected,
// SamplesRejected / (SamplesGraded + SamplesRejected), exceeds
// max_reject_share. Estimated of the rejected samples were estimated (lines
// rejected whole; run.json says how, per file).
type RejectShareError struct {
	// Rejects and Records count rows of rejects and records read.
	Rejects, Records int64
	SamplesRejected  int64
	SamplesGraded    int64
	Estimated        int64
	Share, Max       float64
}

func (e *RejectShareError) Error() string {
	est := ""
	if e.Estimated > 0 {
		est = fmt.Sprintf(", %d of them estimated from lines rejected whole", e.Estimated)
	}
	return fmt.Sprintf("%d of %d samples rejected (%.2f%%%s; %d rejects), above max_reject_share %.2f%%: see rejects.parquet",
		e.SamplesRejected, e.SamplesRejected+e.SamplesGraded, 100*e.Share, est, e.Rejects, 100*e.Max)
}

func (e *RejectShareError) Unwrap() []error { return []error{ErrTooManyRejects, ErrIncomplete} }

// CoverageError is returned by Run when a checkpoint graded fewer of its
// problems than min_coverage asks.
type CoverageError struct {
	Below []CheckpointCoverage
	Min   float64
}

func (e *CoverageError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d checkpoint", len(e.Below))
	if len(e.Below) != 1 {
		b.WriteString("s")
	}
	fmt.Fprintf(&b, " below min_coverage %.2f%%:", 100*e.Min)
	for i, c := range e.Below {
		if i == 5 {
			fmt.Fprintf(&b, " and %d more (run.json coverage)", len(e.Below)-5)
			break
		}
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s %d of %d problems (%.1f%%)", c.Checkpoint, c.Problems, c.Of, 100*c.Coverage)
	}
	return b.String()
}

func (e *CoverageError) Unwrap() error { return ErrIncomplete }

// BaselineError is returned by Run when the config names a baseline that is
// not a checkpoint of the run.
type BaselineError struct {
	Problems []string
}

func (e *BaselineError) Error() string {
	return "configured baseline not in the run: " + strings.Join(e.Problems, "; ")
}

func (e *BaselineError) Unwrap() error { return ErrIncomplete }

// ConfigError (validate.go) is returned by LoadConfig and Config.Validate with
// every problem of a config; ingest.DetectError by Run when a file's format
// cannot be recognised.
