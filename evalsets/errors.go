package evalsets

import (
	"errors"
	"fmt"
)

// ErrUserSupplied is returned by Fetch for a definition without a published URL
// (AIME, AMC): its file is exported by the user, not downloaded.
var ErrUserSupplied = errors.New("the file is user-supplied, not downloadable")

// ErrOffline is returned (wrapped) by Fetch when the server cannot be reached at
// all: the name does not resolve or the connection is refused or times out.
var ErrOffline = errors.New("cannot reach the server (offline?)")

// LineError is a record of an evalset file that cannot be used: which file and
// line (JSONL) or row (Parquet), which field, and what was expected and found
// (in Err).
type LineError struct {
	File  string
	Line  int    // 1-based line of a JSONL file; 0 for a Parquet row
	Row   int    // 0-based row of a Parquet file (when Line is 0)
	Field string // "" when the line is not a JSON object at all
	Err   error
}

func (e *LineError) Error() string {
	where := fmt.Sprintf("%s line %d", e.File, e.Line)
	if e.Line == 0 {
		where = fmt.Sprintf("%s row %d", e.File, e.Row)
	}
	if e.Field == "" {
		return fmt.Sprintf("%s: %v", where, e.Err)
	}
	return fmt.Sprintf("%s: field %s: %v", where, e.Field, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// HashMismatchError is returned by Fetch and VerifyFile when a file's sha256 is
// not the published one. Fetch does not keep such a file.
type HashMismatchError struct {
	Name     string // the definition
	Source   string // the URL or path the bytes came from
	Expected string // the published sha256
	Found    string // the sha256 of the bytes read
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("evalset %s: %s: sha256 mismatch: expected %s, found %s", e.Name, e.Source, e.Expected, e.Found)
}
