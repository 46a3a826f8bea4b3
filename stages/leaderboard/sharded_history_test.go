package leaderboard

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A merged sharded run keeps its samples Hive-partitioned instead of one
// samples.parquet: the leaderboard takes it as a usable run, checking every
// part's columns, and still skips a run that has neither.
func TestLoadShardedRunSamples(t *testing.T) {
	root := t.TempDir()
	writeRun(t, filepath.Join(root, "2026-11-25"), synthCheckpoints(100))
	run := filepath.Join(root, "2026-11-26")
	writeRun(t, run, synthCheckpoints(150))
	part := filepath.Join(run, "samples", "family=f", "reward=none", "part-0-of-2.parquet")
	if err := os.MkdirAll(filepath.Dir(part), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(run, "samples.parquet"), part); err != nil {
		t.Fatal(err)
	}
	h, err := Load(context.Background(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Skipped) != 0 || h.Latest == nil || h.Latest.Name != "2026-11-26" {
		t.Fatalf("sharded run not taken: skipped %v, latest %+v", h.Skipped, h.Latest)
	}

	// A broken part makes the run broken; no samples at all too.
	if err := os.WriteFile(filepath.Join(filepath.Dir(part), "part-1-of-2.parquet"), []byte("PAR1 not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err = Load(context.Background(), root, nil); err != nil || len(h.Skipped) != 1 {
		t.Fatalf("broken part: err %v, skipped %v", err, h.Skipped)
	}
	if err := os.RemoveAll(filepath.Join(run, "samples")); err != nil {
		t.Fatal(err)
	}
	if h, err = Load(context.Background(), root, nil); err != nil || len(h.Skipped) != 1 {
		t.Fatalf("no samples: err %v, skipped %v", err, h.Skipped)
	}
}
