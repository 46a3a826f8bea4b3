package shard

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSpec is wrapped by every error about a shard specification: a malformed
// --shard value, an index out of range, or scheduler variables that do not
// give a usable index and count.
var ErrSpec = errors.New("shard specification")

// CheckError is returned by Check when the shards of a run cannot be merged.
// Problems has one line per missing, mismatched, incomplete or stale item,
// each naming the shard (as "I/N") or the file; the merge prints them all and
// writes no table.
type CheckError struct {
	Problems []string
}

func (e *CheckError) Error() string {
	if len(e.Problems) == 1 {
		return "shards not mergeable: " + e.Problems[0]
	}
	return fmt.Sprintf("shards not mergeable (%d problems):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}
