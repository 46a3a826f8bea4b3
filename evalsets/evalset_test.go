package evalsets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

const small = `{"problem": "Find $x$ if $2x = 4$.", "solution": "So $x=\\boxed{2}$.", "answer": "2", "subject": "Algebra", "level": 1, "unique_id": "test/algebra/1.json"}

{"problem": "Compute \\[1+1.\\]", "solution": "", "answer": "2", "subject": "Prealgebra", "level": "Level 3", "unique_id": "test/prealgebra/2.json"}
`

func TestLookups(t *testing.T) {
	e, err := ReadJSONL("tiny", strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != 2 {
		t.Fatalf("Len = %d", e.Len())
	}
	tests := []struct {
		name string
		get  func() (*Problem, bool)
		want string
	}{
		{"by id", func() (*Problem, bool) { return e.ByID("test/prealgebra/2.json") }, "test/prealgebra/2.json"},
		{"missing id", func() (*Problem, bool) { return e.ByID("nope") }, ""},
		{"by position", func() (*Problem, bool) { return e.ByPosition(0) }, "test/algebra/1.json"},
		{"position out of range", func() (*Problem, bool) { return e.ByPosition(2) }, ""},
		{"negative position", func() (*Problem, bool) { return e.ByPosition(-1) }, ""},
		{"text with other delimiters", func() (*Problem, bool) { return e.ByText(`Find \(x\) if \(2x=4\).`) }, "test/algebra/1.json"},
		{"display math as dollars", func() (*Problem, bool) { return e.ByText("Compute $$1 + 1.$$") }, "test/prealgebra/2.json"},
		{"different text", func() (*Problem, bool) { return e.ByText("Find y if 2y = 4.") }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := tc.get()
			got := ""
			if ok {
				got = p.UniqueID
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	p, _ := e.ByID("test/prealgebra/2.json")
	if p.Level != 3 || p.Subject != "Prealgebra" || p.Position != 1 {
		t.Fatalf("problem = %+v", p)
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a b\tc\n", "abc"},
		{`$x$`, "x"},
		{`\(x\)`, "x"},
		{`\[x\]`, "x"},
		{`a\\b`, `a\\b`},
		{`a\\[2pt]b`, `a\\[2pt]b`},
		{`\frac{1}{2}`, `\frac{1}{2}`},
		{"x\u00a0y", "xy"},
		{`trailing\`, `trailing\`},
	}
	for _, tc := range tests {
		if got := NormalizeText(tc.in); got != tc.want {
			t.Errorf("NormalizeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", "{\"problem\": \"a\"}\nnot json\n", "line 2"},
		{"bad level", `{"problem": "a", "level": "hard"}`, `field level: expected a level like 3 or "Level 3", found "hard"`},
		{"no problem", `{"answer": "2"}`, "field problem"},
		{"empty", "\n\n", "found none"},
		{"duplicate id", `{"problem":"a","unique_id":"x"}` + "\n" + `{"problem":"b","unique_id":"x"}`, `same unique_id "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSONL("e", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParquetMatchesJSONL(t *testing.T) {
	j, err := ReadJSONL("tiny", strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	var rows []parquetProblem
	for _, p := range j.Problems {
		rows = append(rows, parquetProblem{Problem: p.Problem, Solution: p.Solution, Answer: p.Answer, Subject: p.Subject, Level: p.Level, UniqueID: p.UniqueID})
	}
	path := filepath.Join(t.TempDir(), "tiny.parquet")
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	p, err := Load("tiny", path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Hash() != j.Hash() {
		t.Fatalf("Parquet hash %s != JSONL hash %s", p.Hash(), j.Hash())
	}
	bad := filepath.Join(t.TempDir(), "bad.parquet")
	os.WriteFile(bad, []byte("PAR1 not really"), 0o644)
	if _, err := Load("bad", bad); err == nil || !strings.Contains(err.Error(), "bad.parquet") {
		t.Fatalf("err = %v", err)
	}
}

func TestHashChangesWithGold(t *testing.T) {
	a, _ := ReadJSONL("a", strings.NewReader(small))
	b, _ := ReadJSONL("a", strings.NewReader(strings.Replace(small, `"answer": "2", "subject": "Algebra"`, `"answer": "3", "subject": "Algebra"`, 1)))
	if a.Hash() == b.Hash() {
		t.Fatal("hash did not change with a gold answer")
	}
}

func TestMATH500(t *testing.T) {
	path := realdata.Path(t, "math500/test.jsonl")
	e, err := Load(MATH500.Name, path)
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != MATH500.Problems || e.FileSHA256 != MATH500.SHA256 {
		t.Fatalf("len %d sha %s", e.Len(), e.FileSHA256)
	}
	data, _ := os.ReadFile(path)
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != e.FileSHA256 {
		t.Fatal("FileSHA256 is not the file's sha256")
	}
	for _, p := range e.Problems {
		if q, ok := e.ByText(p.Problem); !ok || q.UniqueID != p.UniqueID {
			t.Fatalf("problem %s not found by its own text", p.UniqueID)
		}
		if p.Level < 1 || p.Level > 5 || p.Answer == "" {
			t.Fatalf("problem %+v", p)
		}
	}
}

func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{"Find $x$.", `\(a\)\[b\]`, `a\\b`, "x\u00a0y", "\\", "\xff$", "\xe2\x80 \x800"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeText(s)
		if NormalizeText(n) != n && !bytes.Contains([]byte(n), []byte(`\`)) {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, NormalizeText(n))
		}
		if !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 key %q", n)
		}
		if utf8.ValidString(s) && len(n) > len(s) {
			t.Fatalf("grew: %q -> %q", s, n)
		}
	})
}

func ExampleNormalizeText() {
	fmt.Println(NormalizeText(`Find \(x\) if $2x = 4$.`))
	// Output: Findxif2x=4.
}

func ExampleEvalset_ByText() {
	ev, err := ReadJSONL("tiny", strings.NewReader(small))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, ok := ev.ByText(`Find \(x\) if \(2x=4\).`)
	fmt.Println(ok, p.UniqueID, p.Answer, p.Subject, p.Level)
	p, _ = ev.ByPosition(1)
	fmt.Println(p.UniqueID)
	// Output:
	// true test/algebra/1.json 2 Algebra 1
	// test/prealgebra/2.json
}

// A MATH-500 layout file saved with a byte-order mark (as some Windows tools
// write JSONL) reads like the same file without one.
func TestJSONLByteOrderMark(t *testing.T) {
	plain, err := ReadJSONL("plain", strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	bom, err := ReadJSONL("bom", strings.NewReader("\ufeff"+small))
	if err != nil {
		t.Fatalf("with a byte-order mark: %v", err)
	}
	if bom.Hash() != plain.Hash() {
		t.Fatalf("hash with a byte-order mark %s != without %s", bom.Hash(), plain.Hash())
	}
}

// FuzzMATH500Layout feeds arbitrary bytes to the MATH-500 loaders (JSONL and
// Parquet): each returns problems or an error naming the source, never panics,
// and every problem it returns has its text.
func FuzzMATH500Layout(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte("\ufeff" + small))
	f.Add([]byte(`{"problem": "a", "level": "Level 9"}`))
	f.Add([]byte("PAR1 not really PAR1"))
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []parquetProblem{{Problem: "Find x.", Answer: "2", Level: 2, UniqueID: "t/1"}}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, parse := range map[string]func(string, []byte) ([]Problem, error){"jsonl": parseJSONL, "parquet": parseParquet} {
			probs, err := parse("fuzz."+name, data)
			if err != nil {
				if !strings.Contains(err.Error(), "fuzz."+name) {
					t.Errorf("%s error does not name the source: %v", name, err)
				}
				continue
			}
			for i, p := range probs {
				if p.Problem == "" {
					t.Errorf("%s problem %d has no text", name, i)
				}
			}
		}
	})
}
