package leaderboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden pins the site of the synthetic history: leaderboard.json in
// full (it is the documented contract) and the sha256 of every site file, so a
// change in output bytes, across processes or dependency upgrades, is seen.
// Refresh with: go test ./stages/leaderboard -run TestGolden -update
//
// The synthetic values come from math.Pow and math.Log2, whose last bits may
// differ where the compiler fuses multiply-adds (arm64, ppc64, s390x), so the
// golden bytes are checked on amd64 only.
func TestGolden(t *testing.T) {
	if runtime.GOARCH != "amd64" && !*update {
		t.Skipf("golden site bytes are pinned on amd64; this is %s", runtime.GOARCH)
	}
	_, site := buildSynthSite(t)
	var sums strings.Builder
	for _, name := range []string{IndexFile, JSONFile, ParquetFile} {
		b, err := os.ReadFile(filepath.Join(site, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	js, err := os.ReadFile(filepath.Join(site, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	golden := map[string][]byte{
		"testdata/golden/leaderboard.json": js,
		"testdata/golden/site.sha256":      []byte(sums.String()),
	}
	for path, got := range golden {
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the site just built; if the change is intended, run with -update.\ngot:\n%.2000s", path, got)
		}
	}
}
