package equiv

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestDescribeGolden records how each answer of testdata/describe.input (one
// per line) is normalized and read; -update rewrites testdata/describe.golden.
func TestDescribeGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "describe.input"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(in), "\n"), "\n") {
		a := Prepare(line)
		b.WriteString(line + "\n\ttext: " + a.Text() + "\n\t" + a.Describe() + "\n")
	}
	golden := filepath.Join("testdata", "describe.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("output differs from %s (check, then run go test -update):\n%s", golden, b.String())
	}
}
