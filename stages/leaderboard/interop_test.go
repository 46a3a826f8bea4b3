package leaderboard

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// writeRunWithWriterStage writes a run folder the way `rlvr-eval run` does,
// through stages/write, so the loader is tested against the real file layout.
func writeRunWithWriterStage(t *testing.T, dir string, cps []synthCheckpoint) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ms, cs := synthTables(cps)
	ctx := context.Background()
	o := write.Options{Dir: dir, Format: write.Parquet}
	for _, err := range []error{
		write.WriteTable(ctx, o, ms),
		write.WriteTable(ctx, o, cs),
		write.WriteTable(ctx, o, []schemas.Problem{}),
		write.WriteTable(ctx, o, []schemas.Sample{}),
		write.WriteTable(ctx, o, []schemas.Transition{}),
		write.WriteTable(ctx, o, []schemas.Reject{}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, ManifestFile), `{"tool_version":"dev","outcome":"ok","config":{"profiles":["strict","lenient"]}}`)
}

func TestLoadReadsTheWriterStageTables(t *testing.T) {
	root := t.TempDir()
	writeRunWithWriterStage(t, filepath.Join(root, "2026-11-25"), synthCheckpoints(100))
	writeRunWithWriterStage(t, filepath.Join(root, "2026-11-26"), synthCheckpoints(150))
	h, err := Load(context.Background(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Skipped) != 0 {
		t.Fatalf("skipped: %v", h.Skipped)
	}
	wantM, wantC := synthTables(synthCheckpoints(150))
	if len(h.Latest.Metrics) != len(wantM) || len(h.Latest.Comparisons) != len(wantC) {
		t.Fatalf("read %d metrics, %d comparisons; want %d, %d", len(h.Latest.Metrics), len(h.Latest.Comparisons), len(wantM), len(wantC))
	}
	for i, m := range h.Latest.Metrics {
		w := wantM[i]
		if m.Checkpoint != w.Checkpoint || m.Seed != nil || m.Metric != w.Metric || *m.Value != *w.Value || (m.K == nil) != (w.K == nil) {
			t.Fatalf("metric %d = %+v, want %+v", i, m, w)
		}
	}
	lb, err := Build(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Profile != "strict" || len(lb.Rows) != 17 || len(lb.Changes.NewCheckpoints) != 5 || len(lb.Changes.Moved) != 0 {
		t.Errorf("profile %s rows %d new %d moved %d", lb.Profile, len(lb.Rows), len(lb.Changes.NewCheckpoints), len(lb.Changes.Moved))
	}
}
