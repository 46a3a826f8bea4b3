package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// heapAfterGC returns the live heap after a collection.
func heapAfterGC() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// checkStreams reads path and samples the live heap while records arrive: it
// must stay far below the file size (the reader keeps one element or row
// group at a time, not the file).
func checkStreams(t *testing.T, format, path string, limit uint64) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Lookup(format)
	base := heapAfterGC()
	var peak uint64
	n := 0
	err = f.New(nil).Read(context.Background(), path, func(it Item) error {
		if it.Record == nil {
			return fmt.Errorf("unexpected reject %+v", it.Reject)
		}
		n++
		if n%2000 == 0 {
			if h := heapAfterGC(); h > base && h-base > peak {
				peak = h - base
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak > limit {
		t.Errorf("%s: live heap grew by %d KiB while reading a %d KiB file (limit %d KiB): not streaming", format, peak>>10, st.Size()>>10, limit>>10)
	}
	t.Logf("%s: %d records, file %d KiB, live heap growth %d KiB", format, n, st.Size()>>10, peak>>10)
}

func TestSpuriousRewardsConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 40 MB document")
	}
	p := filepath.Join(t.TempDir(), "big_MATH-500.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("{\n    \"model\": \"m\",\n    \"rollouts\": 8,\n    \"metadata\": [\n")
	out, _ := json.Marshal(strings.Repeat("step by step ", 400))
	for i := 0; i < 1000; i++ {
		if i > 0 {
			w.WriteString(",\n")
		}
		fmt.Fprintf(w, `{"prompt": "<|im_start|>user\nProblem %d<|im_end|>", "label": "1", "index": %d, "outputs": [`, i, i)
		for j := 0; j < 8; j++ {
			if j > 0 {
				w.WriteString(", ")
			}
			w.Write(out)
		}
		w.WriteString("]}")
	}
	w.WriteString("\n    ]\n}")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	checkStreams(t, "spurious-rewards", p, 8<<20)
}

func TestLightevalConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large Parquet file")
	}
	p := filepath.Join(t.TempDir(), "details_big.parquet")
	rows := make([]ltRow, 4000)
	resp := strings.Repeat("step by step ", 400)
	for i := range rows {
		rows[i] = ltRow{Doc: ltDoc{Query: fmt.Sprintf("Problem %d", i), Choices: []string{"1"}, ID: fmt.Sprint(i)},
			ModelResponse: ltResponse{Text: []string{resp + fmt.Sprint(i), resp, resp, resp}}}
	}
	writeParquet(t, p, rows, parquetMaxRows(200))
	rows = nil
	checkStreams(t, "lighteval", p, 16<<20)
}
