package storage

import (
	"errors"
	"fmt"
	"io/fs"

	"gocloud.dev/gcerrors"
)

// ErrLocation is wrapped by the errors of Parse and Resolve: a URL that is
// malformed or of a scheme this package does not know.
var ErrLocation = errors.New("invalid location")

// ErrNoDriver is wrapped when a URL's scheme is known but its driver was not
// built into this binary; the message names the build tag.
var ErrNoDriver = errors.New("storage driver not built in")

// Error is the error of an operation on a Location: it names the operation
// and the location, with its query. errors.Is(err, fs.ErrNotExist) holds
// when the file or key does not exist, whichever the backend.
type Error struct {
	Op  string // "reading", "listing", "writing", ...
	Loc string // the Location's String
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.Loc, e.Err) }

// Unwrap gives the underlying error and, for a missing object in a bucket,
// fs.ErrNotExist too.
func (e *Error) Unwrap() []error {
	if !errors.Is(e.Err, fs.ErrNotExist) && gcerrors.Code(e.Err) == gcerrors.NotFound {
		return []error{e.Err, fs.ErrNotExist}
	}
	return []error{e.Err}
}

func wrap(op string, l Location, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Op: op, Loc: l.String(), Err: err}
}

// IsNotExist reports whether err says a file or key does not exist.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
