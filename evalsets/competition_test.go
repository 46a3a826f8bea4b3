package evalsets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestCompetitionLoaders(t *testing.T) {
	tests := []struct {
		name, file string
		ids        []string
		answers    []string
		solutions  bool
		firstText  string
	}{
		{"aime2024", "testdata/aime2024.jsonl", []string{"60", "61", "62"}, []string{"38", "9", "24"}, true,
			"Let $n$ be the least positive integer"},
		{"aime2025", "testdata/aime2025.jsonl", []string{"", "", ""}, []string{"9", "200", "0"}, false,
			"Find the sum of the digits of $2025$."},
		{"amc2023", "testdata/amc2023.jsonl", []string{"0", "1"}, []string{"27", "28"}, false,
			"What is the value of $3 + 4 \\cdot 6$?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Load(tc.name, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if e.Name != tc.name || e.Path != tc.file || len(e.FileSHA256) != 64 || e.Len() != len(tc.answers) {
				t.Fatalf("evalset %q %q %q len %d", e.Name, e.Path, e.FileSHA256, e.Len())
			}
			for i, p := range e.Problems {
				if p.UniqueID != tc.ids[i] || p.Answer != tc.answers[i] || p.Position != i {
					t.Errorf("problem %d: id %q answer %q position %d, want id %q answer %q", i, p.UniqueID, p.Answer, p.Position, tc.ids[i], tc.answers[i])
				}
				if p.Subject != "" || p.Level != 0 {
					t.Errorf("problem %d: subject %q level %d, want none", i, p.Subject, p.Level)
				}
				if (p.Solution != "") != tc.solutions {
					t.Errorf("problem %d: solution %q", i, p.Solution)
				}
				if q, ok := e.ByText(p.Problem); !ok || q.Position != i {
					t.Errorf("problem %d not found by its own text", i)
				}
			}
			if !strings.HasPrefix(e.Problems[0].Problem, tc.firstText) {
				t.Errorf("first problem %q", e.Problems[0].Problem)
			}
			if tc.ids[0] != "" {
				if p, ok := e.ByID(tc.ids[0]); !ok || p.Position != 0 {
					t.Errorf("ByID(%q) = %v, %v", tc.ids[0], p, ok)
				}
			}
		})
	}
}

func TestCompetitionErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"fraction answer", `{"problem": "p", "answer": "\\frac{3}{4}"}`,
			[]string{`aime line 1: field answer: expected an integer (AIME and AMC answers are integers), found "\\frac{3}{4}"`}},
		{"decimal answer", `{"problem": "p", "answer": 2.5}`, []string{"line 1: field answer", "found 2.5"}},
		{"every bad line is named", "{\"problem\": \"a\", \"answer\": \"x\"}\n{\"problem\": \"b\", \"answer\": 1}\n{\"problem\": \"c\", \"answer\": \"1/2\"}",
			[]string{"line 1: field answer", "line 3: field answer"}},
		{"capitalised answer", `{"Problem": "p", "Answer": "seven"}`, []string{"line 1: field Answer"}},
		{"no answer", `{"problem": "p"}`, []string{"line 1: field answer: expected an integer answer, found nothing"}},
		{"null answer", `{"problem": "p", "answer": null}`, []string{"line 1: field answer: expected an integer answer, found nothing"}},
		{"object answer", `{"problem": "p", "answer": {"v": 1}}`, []string{"line 1: field answer: expected an integer"}},
		{"no problem", `{"answer": "3"}`, []string{"line 1: field problem: expected the problem text (problem or question), found nothing"}},
		{"blank problem", `{"question": "  ", "answer": "3"}`, []string{"line 1: field question: expected the problem text"}},
		{"number problem", `{"problem": 3, "answer": "3"}`, []string{"line 1: field problem: expected the problem text, found 3"}},
		{"bad id", `{"id": [1], "problem": "p", "answer": "3"}`, []string{"line 1: field id: expected a string or number id"}},
		{"not json", "{\"problem\": \"p\", \"answer\": 1}\n\nnot json", []string{"aime line 3: expected a JSON object with problem and answer"}},
		{"json null line", "null", []string{"line 1: expected a JSON object"}},
		{"json array", `[{"problem": "p", "answer": 1}]`, []string{"expected JSONL (one JSON object per line), found a JSON array"}},
		{"empty", "\n \n", []string{"aime: expected at least one problem, found none"}},
		{"duplicate id", "{\"id\": 7, \"problem\": \"a\", \"answer\": 1}\n{\"id\": \"7\", \"problem\": \"b\", \"answer\": 2}", []string{`same unique_id "7"`}},
		{"many bad lines", strings.Repeat("{\"problem\": \"p\", \"answer\": \"x\"}\n", 13), []string{"line 10: field answer", "and 3 more bad lines"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSONLLayout("aime", strings.NewReader(tc.in), LayoutCompetition)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to contain %s", err, w)
				}
			}
		})
	}
}

func TestCompetitionLineErrorType(t *testing.T) {
	_, err := Load("aime2024", "testdata/aime_bad_answer.jsonl")
	if err == nil {
		t.Fatal("a non-integer answer loaded")
	}
	var le *LineError
	if !errors.As(err, &le) || le.File != "testdata/aime_bad_answer.jsonl" || le.Line != 1 || le.Field != "answer" {
		t.Fatalf("err = %v (LineError %+v)", err, le)
	}
	if !strings.Contains(err.Error(), "aime_bad_answer.jsonl line 3: field answer") {
		t.Fatalf("line 3 not reported: %v", err)
	}
	if strings.Contains(err.Error(), "line 2") {
		t.Fatalf("good line 2 reported: %v", err)
	}
}

func TestIntegerAnswer(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{`"204"`, "204", ""},
		{`"033"`, "33", ""},
		{`"000"`, "0", ""},
		{`" 7 "`, "7", ""},
		{`27`, "27", ""},
		{`27.0`, "27", ""},
		{`"27.00"`, "27", ""},
		{`-5`, "-5", ""},
		{`"+12"`, "12", ""},
		{`"-0"`, "0", ""},
		{`2.5`, "", "found 2.5"},
		{`1e3`, "", "found 1e3"},
		{`{"v": [1,
 2]}`, "", `found {"v": [1, 2]}`},
		{`"3/4"`, "", "expected an integer"},
		{`"$5$"`, "", "expected an integer"},
		{`""`, "", "expected an integer"},
		{`true`, "", "expected an integer"},
		{`"` + strings.Repeat("9", 80) + `x"`, "", `"...`},
	}
	for _, tc := range tests {
		got, err := IntegerAnswer(json.RawMessage(tc.in))
		if tc.err == "" && (err != nil || got != tc.want) {
			t.Errorf("IntegerAnswer(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("IntegerAnswer(%s) err = %v; want it to contain %q", tc.in, err, tc.err)
		}
	}
}

func TestLoadLayoutByName(t *testing.T) {
	// An unknown name reads the MATH-500 layout: no integer check, no ids.
	frac := filepath.Join(t.TempDir(), "frac.jsonl")
	os.WriteFile(frac, []byte(`{"id": "a", "problem": "Find $x$ if $4x = 3$.", "answer": "\\frac{3}{4}"}`+"\n"), 0o644)
	e, err := Load("my-aime", frac)
	if err != nil {
		t.Fatal(err)
	}
	if e.Problems[0].Answer != `\frac{3}{4}` || e.Problems[0].UniqueID != "" {
		t.Fatalf("problem %+v", e.Problems[0])
	}
	// LoadLayout reads a file in a known layout under another name.
	if _, err := LoadLayout("my-aime", frac, LayoutCompetition); err == nil || !strings.Contains(err.Error(), "evalset my-aime: "+frac+" line 1") {
		t.Fatalf("err = %v", err)
	}
	pq := filepath.Join(t.TempDir(), "aime.parquet")
	os.WriteFile(pq, []byte("PAR1"), 0o644)
	if _, err := Load("aime2025", pq); err == nil || !strings.Contains(err.Error(), "aime.parquet: reading Parquet") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Load("aime2024", filepath.Join(t.TempDir(), "missing.jsonl")); err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Fatalf("err = %v", err)
	}
}

func TestDefinitions(t *testing.T) {
	hexSum := regexp.MustCompile(`^[0-9a-f]{64}$`)
	defs := Definitions()
	if len(defs) != len(known) || !slices.IsSortedFunc(defs, func(a, b Definition) int { return strings.Compare(a.Name, b.Name) }) {
		t.Fatalf("Definitions() = %v", defs)
	}
	for _, name := range []string{"math500", "aime2024", "aime2025", "amc2023"} {
		d, ok := LookupDefinition(name)
		if !ok {
			t.Fatalf("%s is not defined", name)
		}
		if d.Name != name || d.Description == "" || d.Source == "" || len(d.Fields) == 0 || d.Problems <= 0 {
			t.Errorf("%s: incomplete definition %+v", name, d)
		}
		if d.FileName() != name+".jsonl" || LocalPath("dir", d) != filepath.Join("dir", name+".jsonl") {
			t.Errorf("%s: file name %q", name, d.FileName())
		}
		switch d.Answers {
		case IntegerAnswers:
			if d.Layout != LayoutCompetition || !d.UserSupplied() || d.SHA256 != "" || !strings.HasPrefix(d.Origin(), "user-supplied (") {
				t.Errorf("%s: integer evalset %+v", name, d)
			}
		case LaTeXAnswers:
			if d.UserSupplied() || !hexSum.MatchString(d.SHA256) || d.Origin() != d.URL {
				t.Errorf("%s: published evalset %+v", name, d)
			}
		default:
			t.Errorf("%s: answers %q", name, d.Answers)
		}
	}
	if _, ok := LookupDefinition("gsm8k"); ok {
		t.Error("gsm8k is defined")
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("RLVR_EVAL_EVALSETS_DIR", "/somewhere/evalsets")
	if d, err := DefaultDir(); err != nil || d != "/somewhere/evalsets" {
		t.Fatalf("DefaultDir() = %q, %v", d, err)
	}
	t.Setenv("RLVR_EVAL_EVALSETS_DIR", "")
	c, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no user cache dir:", err)
	}
	if d, err := DefaultDir(); err != nil || d != filepath.Join(c, "rlvr-eval", "evalsets") {
		t.Fatalf("DefaultDir() = %q, %v", d, err)
	}
}

var canonicalInteger = regexp.MustCompile(`^(0|-?[1-9][0-9]*)$`)

func FuzzCompetitionJSONL(f *testing.F) {
	for _, p := range []string{"testdata/aime2024.jsonl", "testdata/aime2025.jsonl", "testdata/amc2023.jsonl", "testdata/aime_bad_answer.jsonl"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "[]", "null", `{"problem":"p","answer":"-00"}`, `{"question":"\xff","answer":1.000,"id":1e400}`, "\ufeff{\"problem\":\"p\",\"answer\":1}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		probs, err := parseCompetitionJSONL("f", data)
		if err != nil {
			if probs != nil {
				t.Fatal("problems with an error")
			}
			if !strings.HasPrefix(err.Error(), "f") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for i, p := range probs {
			if !canonicalInteger.MatchString(p.Answer) {
				t.Fatalf("problem %d: answer %q is not a canonical integer", i, p.Answer)
			}
			if strings.TrimSpace(p.Problem) == "" {
				t.Fatalf("problem %d: empty text", i)
			}
		}
		if _, err := New("f", probs); err != nil && !strings.Contains(err.Error(), "same unique_id") {
			t.Fatal(err)
		}
	})
}

func TestPublishedBySHA256(t *testing.T) {
	if d, ok := PublishedBySHA256(MATH500.SHA256); !ok || d.Name != "math500" {
		t.Fatalf("PublishedBySHA256(math500) = %v, %v", d.Name, ok)
	}
	if _, ok := PublishedBySHA256(""); ok {
		t.Fatal(`"" matched a user-supplied definition`)
	}
	if _, ok := PublishedBySHA256(strings.Repeat("0", 64)); ok {
		t.Fatal("zero hash matched")
	}
}

// hubRow is the shape of the Hub's AIME/AMC Parquet files: an int64 id, a float
// answer column (AMC) or a string one (AIME), and a list column to ignore.
type hubRow struct {
	ID       int64    `parquet:"id"`
	Question string   `parquet:"question"`
	Answer   float64  `parquet:"answer"`
	Solution *string  `parquet:"solution,optional"`
	Tags     []string `parquet:"tags,list"`
}

type hubStringRow struct {
	ID      string `parquet:"id"`
	Problem string `parquet:"problem"`
	Answer  string `parquet:"answer,optional"`
}

func TestCompetitionParquet(t *testing.T) {
	sol := "worked"
	dir := t.TempDir()
	write := func(name string, rows any) string {
		p := filepath.Join(dir, name)
		var err error
		switch r := rows.(type) {
		case []hubRow:
			err = parquet.WriteFile(p, r)
		case []hubStringRow:
			err = parquet.WriteFile(p, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("amc.parquet", []hubRow{
		{ID: 0, Question: "What is the value of $3 + 4 \\cdot 6$?", Answer: 27, Tags: []string{"x", "y"}},
		{ID: 1, Question: "A square has area $49$. What is its perimeter?", Answer: 28, Solution: &sol},
	})
	e, err := Load("amc2023", good)
	if err != nil {
		t.Fatal(err)
	}
	j, err := Load("amc2023", "testdata/amc2023.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != 2 || e.Problems[1].Solution != "worked" {
		t.Fatalf("problems %+v", e.Problems)
	}
	e.Problems[1].Solution = ""
	for i := range e.Problems {
		if e.Problems[i] != j.Problems[i] {
			t.Errorf("row %d: %+v, JSONL line: %+v", i, e.Problems[i], j.Problems[i])
		}
	}
	if e.Hash() != j.Hash() {
		t.Error("Parquet and JSONL content hashes differ")
	}

	bad := write("bad.parquet", []hubRow{{ID: 0, Question: "p", Answer: 2.5}, {ID: 1, Question: "q", Answer: 3}, {ID: 2, Question: "", Answer: 1}})
	_, err = Load("aime2024", bad)
	var le *LineError
	if err == nil || !errors.As(err, &le) || le.Row != 0 || le.Line != 0 ||
		!strings.Contains(err.Error(), "bad.parquet row 0: field answer: expected an integer (AIME and AMC answers are integers), found 2.5") ||
		!strings.Contains(err.Error(), "bad.parquet row 2: field question") {
		t.Fatalf("err = %v", err)
	}
	missing := write("missing.parquet", []hubStringRow{{ID: "a", Problem: "p", Answer: "033"}, {ID: "b", Problem: "q"}})
	if _, err := Load("aime2025", missing); err == nil || !strings.Contains(err.Error(), "missing.parquet row 1: field answer: expected an integer answer, found nothing") {
		t.Fatalf("err = %v", err)
	}
	strs := write("strs.parquet", []hubStringRow{{ID: "a", Problem: "p", Answer: "033"}})
	if e, err := Load("aime2025", strs); err != nil || e.Problems[0].Answer != "33" || e.Problems[0].UniqueID != "a" {
		t.Fatalf("%v %v", e, err)
	}
	empty := write("empty.parquet", []hubStringRow{})
	if _, err := Load("aime2025", empty); err == nil || !strings.Contains(err.Error(), "found none") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzCompetitionParquet(f *testing.F) {
	sol := "s"
	for _, rows := range [][]hubRow{
		{{ID: 1, Question: "p", Answer: 27, Tags: []string{"a"}}},
		{{ID: 1, Question: "p", Answer: 2.5, Solution: &sol}, {ID: 2, Question: "", Answer: 3}},
	} {
		var buf bytes.Buffer
		if err := parquet.Write(&buf, rows); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		probs, err := parseCompetitionParquet("f", data)
		if err != nil {
			if probs != nil || !strings.HasPrefix(err.Error(), "f") {
				t.Fatalf("problems %v with error %v", probs, err)
			}
			return
		}
		for i, p := range probs {
			if !canonicalInteger.MatchString(p.Answer) || strings.TrimSpace(p.Problem) == "" {
				t.Fatalf("row %d: %+v", i, p)
			}
		}
	})
}

func BenchmarkCompetitionJSONL(b *testing.B) {
	var buf bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&buf, `{"id": %d, "problem": "Find the remainder when $%d^{10}$ is divided by $1000$.", "solution": "Compute it.", "answer": "%03d", "url": "u", "year": "2024"}`+"\n", i, i, i%1000)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseCompetitionJSONL("bench", data); err != nil {
			b.Fatal(err)
		}
	}
}
