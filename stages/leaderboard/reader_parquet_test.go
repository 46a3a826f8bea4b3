package leaderboard

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// FuzzReadMetrics feeds mutated metrics.parquet files to the table reader:
// whatever the bytes, it returns rows or an error, never panics.
func FuzzReadMetrics(f *testing.F) {
	ms, _ := synthTables(synthCheckpoints(50)[:2])
	var buf bytes.Buffer
	if err := parquet.Write(&buf, ms); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[len(good)/2:])
	f.Add([]byte("PAR1PAR1"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		path := filepath.Join(dir, "metrics.parquet")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := readTable[schemas.Metric](path, metricsTable.required)
		if err == nil && bytes.Equal(data, good) && len(rows) != len(ms) {
			t.Fatalf("read %d rows from the intact file, want %d", len(rows), len(ms))
		}
	})
}

func TestReadTableRoundTrip(t *testing.T) {
	ms, cs := synthTables(synthCheckpoints(50))
	dir := t.TempDir()
	if err := parquet.WriteFile(filepath.Join(dir, "m.parquet"), ms); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(filepath.Join(dir, "c.parquet"), cs); err != nil {
		t.Fatal(err)
	}
	mr, err := readTable[schemas.Metric](filepath.Join(dir, "m.parquet"), metricsTable.required)
	if err != nil || len(mr) != len(ms) {
		t.Fatalf("metrics: %d rows, %v; want %d", len(mr), err, len(ms))
	}
	cr, err := readTable[schemas.Comparison](filepath.Join(dir, "c.parquet"), comparisonsTable.required)
	if err != nil || len(cr) != len(cs) {
		t.Fatalf("comparisons: %d rows, %v; want %d", len(cr), err, len(cs))
	}
	for i := range mr {
		got, want := mr[i], ms[i]
		if got.Checkpoint != want.Checkpoint || got.Seed != nil || *got.Value != *want.Value || (got.K == nil) != (want.K == nil) {
			t.Fatalf("metric row %d = %+v, want %+v", i, got, want)
		}
	}
	if got := cr[3]; got.Checkpoint != cs[3].Checkpoint || *got.PValue != *cs[3].PValue || got.BaselineCheckpoint != cs[3].BaselineCheckpoint {
		t.Fatalf("comparison row = %+v, want %+v", got, cs[3])
	}
}

// A history table whose footer claims huge sizes is refused by the shared
// opener (safeparquet) with the claim in the error, before anything is allocated.
func TestReadTableHostileFooter(t *testing.T) {
	ms, _ := synthTables(synthCheckpoints(50)[:2])
	var buf bytes.Buffer
	if err := parquet.Write(&buf, ms); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	dir := t.TempDir()
	for name, c := range map[string]struct {
		patch func(b []byte)
		want  string
	}{
		"footer length 3 GiB": {func(b []byte) { binary.LittleEndian.PutUint32(b[len(b)-8:], 0xc0000000) }, "corrupt Parquet file: expected a footer of at most"},
		"no trailing magic":   {func(b []byte) { b[len(b)-1] = 'X' }, "corrupt Parquet file: expected PAR1 magic bytes"},
	} {
		b := append([]byte(nil), good...)
		c.patch(b)
		path := filepath.Join(dir, "metrics.parquet")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readTable[schemas.Metric](path, metricsTable.required); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, expected it to contain %q", name, err, c.want)
		}
	}
}
