package ingest

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// toolFormats are the formats whose readers live in this helper's files; their
// fixtures are testdata/<format>/...
var toolFormats = []string{"spurious-rewards", "per-sample-labeled", "lm-eval", "lighteval", "openai-batch", "nemo-skills"}

// readAll reads path with the named format and returns everything emitted.
func collectItems(t testing.TB, format, path string, opts map[string]string) ([]Record, []schemas.Reject) {
	t.Helper()
	f, ok := Lookup(format)
	if !ok {
		t.Fatalf("format %q is not registered", format)
	}
	var recs []Record
	var rejs []schemas.Reject
	err := f.New(opts).Read(context.Background(), path, func(it Item) error {
		switch {
		case it.Record != nil && it.Reject == nil:
			recs = append(recs, *it.Record)
		case it.Reject != nil && it.Record == nil:
			rejs = append(rejs, *it.Reject)
		default:
			t.Fatalf("%s: item with record %v and reject %v: exactly one must be set", path, it.Record, it.Reject)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: Read: %v", path, err)
	}
	return recs, rejs
}

// renderItems prints records and rejects one per line for golden files.
func dumpItems(recs []Record, rejs []schemas.Reject) string {
	var b strings.Builder
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%q", *p)
	}
	for _, r := range recs {
		fmt.Fprintf(&b, "R line=%d pos=%d id=%q text=%q sample=%d resp=%q finish=%s", r.SourceLine, r.Position, r.ProblemID, clip(r.ProblemText, 60), r.SampleIdx, clip(r.Response, 60), s(r.FinishReason))
		if r.ResponseTokens != nil {
			fmt.Fprintf(&b, " tokens=%d", *r.ResponseTokens)
		}
		fmt.Fprintf(&b, " gold=%s extracted=%s", s(r.Gold), s(r.PeerExtracted))
		if r.PeerCorrect != nil {
			fmt.Fprintf(&b, " peer=%v", *r.PeerCorrect)
		}
		if r.Subject != "" || r.Level != 0 {
			fmt.Fprintf(&b, " subject=%q level=%d", r.Subject, r.Level)
		}
		b.WriteString("\n")
	}
	for _, r := range rejs {
		fmt.Fprintf(&b, "X line=%d error=%q raw=%q\n", r.SourceLine, r.Error, clip(r.Raw, 60))
	}
	return b.String()
}

// fixtures lists the fixture files of a format (not the golden files).
func fixtureFiles(t testing.TB, format string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join("testdata", format), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(p, ".golden") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// TestGolden reads every fixture with its format's reader and compares the
// records and rejects with testdata/<format>/<file>.golden (go test -update
// rewrites them). The per-format tests check the semantics; this one pins every
// field of every item.
func TestGolden(t *testing.T) {
	for _, format := range toolFormats {
		for _, p := range fixtureFiles(t, format) {
			t.Run(p, func(t *testing.T) {
				recs, rejs := collectItems(t, format, p, nil)
				got := dumpItems(recs, rejs)
				golden := p + ".golden"
				if *updateGolden {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("items differ from %s (go test -update rewrites it)\n--- got\n%s--- want\n%s", golden, got, want)
				}
			})
		}
	}
}
