package write

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGoldenBytes pins the bytes of small tables across processes and
// library upgrades: a change here means files of the same rows changed (a new
// parquet-go or arrow-go version, or a writer change). Refresh with -update
// after checking that the change is intended.
func TestGoldenBytes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	o := Options{Dir: dir, Format: Both, Metadata: map[string]string{"run_id": "golden"}}
	so := o
	so.Profiles = []string{"lenient"}
	if err := WriteTable(ctx, so, testSamples(40, 120, "lenient")); err != nil {
		t.Fatal(err)
	}
	if err := WriteTable(ctx, o, testMetrics()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"samples.parquet", "samples.arrow", "metrics.parquet", "metrics.arrow"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run GoldenBytes -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from golden %s (%d bytes)", name, len(got), golden, len(want))
		}
	}
}
