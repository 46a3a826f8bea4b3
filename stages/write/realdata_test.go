package write

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestRealResponsesRoundTrip writes the 400 real Qwen2.5-Math responses of the
// shared data (LaTeX, code blocks, Unicode) as samples in both formats and
// checks that DuckDB, ReadParquet and the Arrow reader give back every byte.
func TestRealResponsesRoundTrip(t *testing.T) {
	real := realResponses(t)
	if real == nil {
		t.Skip("shared data absent: skipping the real-text round trip")
	}
	rows := testSamples(len(real), 0, "lenient")
	for i := range rows {
		rows[i].Response = real[i]
		rows[i].ResponseChars = int64(len(real[i]))
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	c := caseOf(rows, []string{"lenient"}, false)
	c.write(t, Options{Dir: dir, Format: Both, RowGroupRows: 150}, mem, 500)

	back, err := ReadParquet[samplesRow](filepath.Join(dir, "samples.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		if back[i].Response != real[i] {
			t.Fatalf("ReadParquet row %d: response differs (%d vs %d bytes)", i, len(back[i].Response), len(real[i]))
		}
	}
	names, cols, _ := readArrow(t, filepath.Join(dir, "samples.arrow"), mem)
	ri := slices.Index(names, "response")
	if ri < 0 || len(cols[ri]) != len(real) {
		t.Fatalf("Arrow file has no response column or %d rows", len(cols[max(ri, 0)]))
	}
	for i, v := range cols[ri] {
		if v != real[i] {
			t.Fatalf("Arrow row %d: response differs", i)
		}
	}
	db := openDuckDB(t)
	got := queryAll(t, db, "SELECT response FROM read_parquet("+sqlQuote(filepath.Join(dir, "samples.parquet"))+", file_row_number=true) ORDER BY file_row_number")
	for i, r := range got {
		if r[0] != real[i] {
			t.Fatalf("DuckDB row %d: response differs", i)
		}
	}
	if len(got) != len(real) {
		t.Fatalf("DuckDB read %d rows, want %d", len(got), len(real))
	}
}

// samplesRow reads just the response column.
type samplesRow struct {
	Response string `parquet:"response"`
}
