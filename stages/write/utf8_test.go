package write

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Invalid UTF-8 (a response cut inside a multi-byte character, a raw record cut
// at 512 bytes) must not make a file that DuckDB refuses: the writer repairs
// the strings of its own copy of the row and counts them.
func TestInvalidUTF8IsRepaired(t *testing.T) {
	rows := testSamples(6, 40)
	cut := "x = \u2212" // U+2212 minus, 3 bytes
	rows[1].Response = cut[:len(cut)-1]
	rows[4].Extracted = ptr("\xff4")
	orig1, orig4 := rows[1].Response, *rows[4].Extracted
	origPtr := rows[4].Extracted

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	w, err := newWriter[schemas.Sample](Options{Dir: dir, Format: Both}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Write(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Result(), (Result{Table: schemas.TableSamples, Rows: int64(len(rows)), Repaired: 2}); got != want {
		t.Errorf("Result() = %+v, want %+v", got, want)
	}
	if rows[1].Response != orig1 || rows[4].Extracted != origPtr || *rows[4].Extracted != orig4 {
		t.Errorf("the caller's rows were modified")
	}

	db := openDuckDB(t)
	got := queryAll(t, db, "SELECT response, extracted FROM read_parquet("+sqlQuote(filepath.Join(dir, "samples.parquet"))+", file_row_number=true) ORDER BY file_row_number")
	if r := got[1][0].(string); r != "x = \uFFFD" {
		t.Errorf("repaired response = %q, want %q", r, "x = \uFFFD")
	}
	if e := got[4][1].(string); e != "\uFFFD4" {
		t.Errorf("repaired extracted = %q, want %q", e, "\uFFFD4")
	}
	if r := got[2][0].(string); r != rows[2].Response {
		t.Errorf("a valid row changed: %q", r)
	}
	names, cols, _ := readArrow(t, filepath.Join(dir, "samples.arrow"), mem)
	for ci, n := range names {
		if n == "response" && cols[ci][1] != "x = \uFFFD" {
			t.Errorf("Arrow response = %q", cols[ci][1])
		}
	}

	// A reject's raw cut inside a character, through WriteTable.
	raw := strings.Repeat("é", 300)[:schemas.RawLimit-1]
	if err := WriteTable(context.Background(), Options{Dir: dir}, []schemas.Reject{{SourceFile: "a.jsonl", SourceLine: 1, Error: "bad", Raw: raw}}); err != nil {
		t.Fatal(err)
	}
	got = queryAll(t, db, "SELECT raw FROM read_parquet("+sqlQuote(filepath.Join(dir, "rejects.parquet"))+")")
	if r := got[0][0].(string); !strings.HasSuffix(r, "é\uFFFD") {
		t.Errorf("repaired raw ends %q", r[len(r)-6:])
	}
}
