package pipeline

import (
	"errors"
	"fmt"
)

// ErrTooManyRejects is wrapped by a *RejectShareError.
var ErrTooManyRejects = errors.New("too many rejected records")

// RejectShareError is returned by Run when rejects / (samples + rejects)
// exceeds max_reject_share. Every table and run.json were written: the run is
// complete but must not be trusted; the CLI exits with status 2.
type RejectShareError struct {
	Rejects, Records int64
	Share, Max       float64
}

func (e *RejectShareError) Error() string {
	return fmt.Sprintf("%d of %d records rejected (%.2f%%), above max_reject_share %.2f%%: see rejects.parquet",
		e.Rejects, e.Records, 100*e.Share, 100*e.Max)
}

func (e *RejectShareError) Unwrap() error { return ErrTooManyRejects }

// ConfigError (validate.go) is returned by LoadConfig and Config.Validate with
// every problem of a config; ingest.DetectError by Run when a file's format
// cannot be recognised.
