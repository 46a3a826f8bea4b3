package write

import (
	"fmt"
	"os"
	"path/filepath"
)

// atomicFile is an output file written under a hidden temp name in its final
// folder (".<name>.tmp-*") and renamed into place by commit. A process killed
// midway leaves only the temp file, never a partial file under the final name.
type atomicFile struct {
	*os.File
	final string
	done  bool
}

func createAtomic(dir, name string) (*atomicFile, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Join(dir, name), err)
	}
	return &atomicFile{File: f, final: filepath.Join(dir, name)}, nil
}

// commit syncs and closes the temp file, then renames it to its final name.
// On failure the temp file is removed.
func (a *atomicFile) commit() error {
	if a.done {
		return nil
	}
	a.done = true
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(a.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.Name(), a.final)
	}
	if err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("writing %s: %w", a.final, err)
	}
	return nil
}

// abort closes and removes the temp file. It is idempotent and safe after commit.
func (a *atomicFile) abort() {
	if a == nil || a.done {
		return
	}
	a.done = true
	a.Close()
	// A failed removal leaves a hidden temp file; the run has failed anyway and
	// the final name was never written.
	os.Remove(a.Name())
}
