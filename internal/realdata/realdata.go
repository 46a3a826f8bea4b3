// Package realdata locates the real test data in ../shared/data beside the repository
// (MATH-500, real generations, peer test cases) for tests and benchmarks. The data is
// read in place and never copied into the repository.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/data relative to the module root, or ""
// when it is absent. RLVR_EVAL_SHARED overrides the location.
func Dir() string {
	if d := os.Getenv("RLVR_EVAL_SHARED"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			p := filepath.Join(filepath.Dir(d), "shared", "data")
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				return p
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Path returns the path of rel inside the shared data folder, skipping tb with a
// message when the folder or the file is absent (a user's fresh clone).
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skip("../shared/data is absent: skipping a test on real data (it runs in CI)")
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s is absent: %v", rel, err)
	}
	return p
}
