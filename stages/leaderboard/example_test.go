package leaderboard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func ExampleParseRunName() {
	for _, name := range []string{"2026-11-25", "2026-11-25T0230", "latest"} {
		t, err := ParseRunName(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t.Format("2006-01-02 15:04 MST"))
	}
	// Output:
	// 2026-11-25 00:00 UTC
	// 2026-11-25 02:30 UTC
	// not a run folder name: "latest", expected YYYY-MM-DD or YYYY-MM-DDTHHMM
}

// ExampleGenerate builds the site from a history of two good nights and a
// broken third one (its metrics.parquet is corrupt): the broken night is
// skipped and reported, and the site shows the second night.
func ExampleGenerate() {
	tmp, err := os.MkdirTemp("", "leaderboard-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)
	runs := filepath.Join(tmp, "runs")
	writeSynthHistory(exampleTB{}, runs) // writes 2026-11-25, 2026-11-26 and a broken 2026-11-27

	lb, err := Generate(context.Background(), runs, filepath.Join(tmp, "site"), Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println("latest:", lb.Latest, "previous:", lb.Changes.Previous)
	fmt.Println("checkpoints:", len(lb.Rows), "new:", len(lb.Changes.NewCheckpoints))
	for _, m := range lb.Changes.Moved {
		fmt.Printf("moved: %s %s %s/%s %s -> %s\n", m.Checkpoint, m.Metric, m.Profile, m.Subset, pct(m.Before.Value), pct(m.After.Value))
	}
	for _, s := range lb.Skipped {
		fmt.Println("skipped:", s)
	}
	files, _ := os.ReadDir(filepath.Join(tmp, "site"))
	for _, f := range files {
		fmt.Println(f.Name())
	}
	// Output:
	// latest: 2026-11-26 previous: 2026-11-25
	// checkpoints: 17 new: 5
	// moved: Llama-3.1-8B-Instruct/ground_truth/step100 accuracy strict/all 40.9% -> 49.9%
	// skipped: run 2026-11-27: metrics.parquet: corrupt Parquet file: expected PAR1 magic bytes at both ends of the file, found "PAR1" and "file"
	// index.html
	// leaderboard.json
	// leaderboard.parquet
}

// exampleTB lets the test helpers run inside an Example: any failure panics.
type exampleTB struct{ testing.TB }

func (exampleTB) Helper()                   {}
func (exampleTB) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (exampleTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }
