//go:build !linux

package pipeline

import (
	"os"
	"runtime"
)

// exchange swaps the folders at a and b. Without renameat2 it takes two
// renames: between them b does not exist (a reader sees no run folder, never
// a mix of two).
func exchange(a, b string) error { return exchangeByRenames(a, b) }

// processAlive reports whether a process with this pid may exist (always
// true where it cannot be checked: stale stages are then kept).
func processAlive(pid int) bool {
	if runtime.GOOS == "windows" {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(nil) == nil
}

// sameDevice is true where devices cannot be compared portably.
func sameDevice(a, b os.FileInfo) bool { return true }
