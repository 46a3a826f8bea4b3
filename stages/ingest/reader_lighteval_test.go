package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// Row types reproducing the two lighteval details schemas. parquet-go writes
// them with the LIST and MAP logical types pyarrow uses.

type ltDoc struct {
	Query       string            `parquet:"query"`
	Choices     []string          `parquet:"choices,list"`
	GoldIndex   int64             `parquet:"gold_index"`
	Instruction string            `parquet:"instruction"`
	ID          string            `parquet:"id"`
	TaskName    string            `parquet:"task_name"`
	Specific    map[string]string `parquet:"specific"`
}

type ltResponse struct {
	Input                string    `parquet:"input"`
	Text                 []string  `parquet:"text,list"`
	OutputTokens         [][]int64 `parquet:"output_tokens,list"`
	TruncatedTokensCount int64     `parquet:"truncated_tokens_count"`
}

type ltRow struct {
	Doc           ltDoc              `parquet:"doc"`
	ModelResponse ltResponse         `parquet:"model_response"`
	Metric        map[string]float64 `parquet:"metric"`
}

// ltOptionalRow is the same with every field optional and the metric a
// struct, as pyarrow writes a datasets.Dataset of dicts.
type ltOptionalRow struct {
	Doc *struct {
		Query     *string  `parquet:"query,optional"`
		Choices   []string `parquet:"choices,optional,list"`
		GoldIndex *int64   `parquet:"gold_index,optional"`
		ID        *string  `parquet:"id,optional"`
	} `parquet:"doc,optional"`
	ModelResponse *struct {
		Text []string `parquet:"text,optional,list"`
	} `parquet:"model_response,optional"`
	Metric *struct {
		ExtractiveMatch *float64 `parquet:"extractive_match,optional"`
	} `parquet:"metric,optional"`
}

type ltFlatRow struct {
	Example               string             `parquet:"example"`
	Instruction           string             `parquet:"instruction"`
	FullPrompt            string             `parquet:"full_prompt"`
	NumEffectiveFewShots  int64              `parquet:"num_effective_few_shots"`
	NumAskedFewShots      int64              `parquet:"num_asked_few_shots"`
	Predictions           []string           `parquet:"predictions,list"`
	ContTokens            [][]int64          `parquet:"cont_tokens,list"`
	Truncated             []int64            `parquet:"truncated,list"`
	Gold                  []string           `parquet:"gold,list"`
	Choices               []string           `parquet:"choices,list"`
	GoldIndex             []int64            `parquet:"gold_index,list"`
	Metrics               map[string]float64 `parquet:"metrics"`
	SpecificsPlaceholders string             `parquet:"specifics"`
}

// ltStrRow is the flat schema after lighteval's str(v) fallback.
type ltStrRow struct {
	Example     string `parquet:"example"`
	FullPrompt  string `parquet:"full_prompt"`
	Predictions string `parquet:"predictions"`
	Gold        string `parquet:"gold"`
	Metrics     string `parquet:"metrics"`
}

func writeParquet[T any](t testing.TB, path string, rows []T, opts ...parquet.WriterOption) {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

const ltMathQuery = "Solve the following math problem efficiently and clearly. Think step by step before answering.\n\n"

func TestReadLighteval(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }

	current := []ltRow{
		{Doc: ltDoc{Query: ltMathQuery + "What is $2+3$?", Choices: []string{"ANSWER: Adding, $2+3=\\boxed{5}$."}, ID: "0", TaskName: "lighteval|math_500"},
			ModelResponse: ltResponse{Text: []string{"\\boxed{5}", "\\boxed{6}"}, OutputTokens: [][]int64{{1, 2, 3}, {4, 5}}},
			Metric:        map[string]float64{"pass@k:k=1&n=2": 0.5}},
		{Doc: ltDoc{Query: "Q2", Choices: []string{"wrong", "ANSWER: 7"}, GoldIndex: 1, ID: "test/algebra/3.json"},
			ModelResponse: ltResponse{Text: []string{"7"}, OutputTokens: [][]int64{{9}}},
			Metric:        map[string]float64{"extractive_match": 1}},
		{Doc: ltDoc{Query: "Q3", Choices: []string{"1"}, ID: "2"}, ModelResponse: ltResponse{Text: nil}},
		{Doc: ltDoc{Query: "Q4", Choices: []string{"1"}, ID: "3"}, ModelResponse: ltResponse{Text: []string{"one"}}, Metric: map[string]float64{"extractive_match": 0}},
	}
	writeParquet(t, at("details_lighteval|math_500|0_2025-05-01T12-00-00.parquet"), current, parquet.MaxRowsPerRowGroup(2))

	q, gi, id, em := "Q", int64(0), "5", 1.0
	opt := ltOptionalRow{}
	opt.Doc = &struct {
		Query     *string  `parquet:"query,optional"`
		Choices   []string `parquet:"choices,optional,list"`
		GoldIndex *int64   `parquet:"gold_index,optional"`
		ID        *string  `parquet:"id,optional"`
	}{&q, []string{"ANSWER: 4"}, &gi, &id}
	opt.ModelResponse = &struct {
		Text []string `parquet:"text,optional,list"`
	}{[]string{"4"}}
	opt.Metric = &struct {
		ExtractiveMatch *float64 `parquet:"extractive_match,optional"`
	}{&em}
	writeParquet(t, at("details_optional.parquet"), []ltOptionalRow{opt, {}})

	flat := []ltFlatRow{
		{Example: "What is $2+3$?", FullPrompt: "Problem: What is $2+3$?", Predictions: []string{"so \\boxed{5}"}, ContTokens: [][]int64{{1, 2}}, Gold: []string{"5"}, Metrics: map[string]float64{"quasi_exact_match": 1}},
		{Example: "Q2", Predictions: []string{"a", "b"}, Choices: []string{"x", "y"}, GoldIndex: []int64{1}},
	}
	writeParquet(t, at("details_harness|math_algebra|4_2024-03-01T00-00-00.parquet"), flat)

	str := []ltStrRow{
		{Example: "What is $2+3$?", Predictions: `['It is \\boxed{5}.\nDone, isn\'t it?']`, Gold: `['5']`, Metrics: `{'quasi_exact_match': 1.0}`},
		{Example: "Q", Predictions: `[['a', "b"]]`, Gold: `['1']`, Metrics: `{}`},
		{Example: "Q", Predictions: `not a list`, Gold: `['1']`},
	}
	writeParquet(t, at("details_strcast.parquet"), str)

	type other struct {
		A string `parquet:"a"`
		B int64  `parquet:"b"`
	}
	writeParquet(t, at("details_other.parquet"), []other{{"x", 1}})
	if err := os.WriteFile(at("details_garbage.parquet"), []byte("PAR1 this is not parquet at all PAR1"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		file    string
		records int
		rejects []string
		check   func(t *testing.T, r []Record)
	}{
		{
			file: "details_lighteval|math_500|0_2025-05-01T12-00-00.parquet", records: 4,
			rejects: []string{"row group 1 row 0: model_response.text: expected at least one response, found none"},
			check: func(t *testing.T, r []Record) {
				a, b, c, d := r[0], r[1], r[2], r[3]
				if a.SourceLine != 0 || a.SampleIdx != 0 || b.SampleIdx != 1 || a.Position != 0 || a.ProblemText != "What is $2+3$?" ||
					*a.Gold != "ANSWER: Adding, $2+3=\\boxed{5}$." || *a.ResponseTokens != 3 || *b.ResponseTokens != 2 || a.PeerCorrect != nil {
					t.Errorf("row 0: %s", dumpItems(r[:2], nil))
				}
				if c.SourceLine != 1 || c.ProblemID != "test/algebra/3.json" || *c.Gold != "ANSWER: 7" || !*c.PeerCorrect || *c.ResponseTokens != 1 {
					t.Errorf("row 1: %+v", c)
				}
				if d.SourceLine != 3 || d.Position != 3 || *d.PeerCorrect {
					t.Errorf("row 3 (second row group): %+v", d)
				}
			},
		},
		{
			file: "details_optional.parquet", records: 1,
			rejects: []string{"row group 0 row 1: column doc: expected a struct, found null"},
			check: func(t *testing.T, r []Record) {
				if r[0].Response != "4" || *r[0].Gold != "ANSWER: 4" || !*r[0].PeerCorrect || r[0].Position != 5 {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{
			file: "details_harness|math_algebra|4_2024-03-01T00-00-00.parquet", records: 3,
			check: func(t *testing.T, r []Record) {
				if r[0].ProblemText != "What is $2+3$?" || r[0].Gold == nil || *r[0].Gold != "5" || r[0].ResponseTokens == nil || *r[0].ResponseTokens != 2 || r[0].PeerCorrect == nil || !*r[0].PeerCorrect {
					t.Errorf("flat row 0: %+v", r[0])
				}
				if *r[1].Gold != "y" || r[2].Response != "b" || r[2].SampleIdx != 1 || r[1].PeerCorrect != nil {
					t.Errorf("flat row 1: %s", dumpItems(r[1:], nil))
				}
			},
		},
		{
			file: "details_strcast.parquet", records: 3,
			rejects: []string{"row group 0 row 2: column predictions: expected a list of strings, found a string"},
			check: func(t *testing.T, r []Record) {
				if r[0].Response != "It is \\boxed{5}.\nDone, isn't it?" || *r[0].Gold != "5" || !*r[0].PeerCorrect {
					t.Errorf("str row 0: %+v", r[0])
				}
				if r[1].Response != "a" || r[2].Response != "b" {
					t.Errorf("str row 1: %s", dumpItems(r[1:], nil))
				}
			},
		},
		{file: "details_other.parquet", rejects: []string{"expected lighteval details columns (doc + model_response, or predictions + gold/example), found columns a, b"}},
		{file: "details_garbage.parquet", rejects: []string{"expected a Parquet file, found one that cannot be opened"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			recs, rejs := collectItems(t, "lighteval", at(tc.file), nil)
			if len(recs) != tc.records || len(rejs) != len(tc.rejects) {
				t.Fatalf("%d records, %d rejects; want %d, %d\n%s", len(recs), len(rejs), tc.records, len(tc.rejects), dumpItems(recs, rejs))
			}
			for i, r := range rejs {
				if !strings.Contains(r.Error, tc.rejects[i]) {
					t.Errorf("reject %q, want %q", r.Error, tc.rejects[i])
				}
			}
			if tc.check != nil {
				tc.check(t, recs)
			}
		})
	}
}

func TestPythonLiteralToJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`['a', "b"]`, `["a","b"]`},
		{`{'x': 1.0, 'y': None, 'z': [True, False]}`, `{"x":1,"y":null,"z":[true,false]}`},
		{`('t', 2,)`, `["t",2]`},
		{`['it\'s\n\\boxed{1}', '\u00e9']`, `["it's\n\\boxed{1}","é"]`},
		{`[]`, `[]`},
	} {
		got, err := pythonLiteralToJSON(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("pythonLiteralToJSON(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`['a'`, `{'a' 1}`, `[x]`, `'open`, strings.Repeat("[", 100) + strings.Repeat("]", 100)} {
		if got, err := pythonLiteralToJSON(bad); err == nil {
			t.Errorf("pythonLiteralToJSON(%q) = %q, want an error", bad, got)
		}
	}
}

func FuzzReadLighteval(f *testing.F) {
	dir := f.TempDir()
	writeParquet(f, filepath.Join(dir, "a.parquet"), []ltRow{{Doc: ltDoc{Query: "q", Choices: []string{"1"}}, ModelResponse: ltResponse{Text: []string{"r"}}}})
	writeParquet(f, filepath.Join(dir, "b.parquet"), []ltStrRow{{Predictions: "['a']", Gold: "['1']"}})
	for _, n := range []string{"a.parquet", "b.parquet"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReaderContract(t, "lighteval", "details_x.parquet", data, false)
		fuzzSourceContract(t, "lighteval", "details_x.parquet", data, map[string]string{OptSampling: SamplingAll})
	})
}

func TestPqStringList(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
		bad  string
	}{
		{[]any{"a", "b"}, "a|b", ""},
		{[]any{[]any{"a"}, []any{"b", []byte("c")}}, "a|b|c", ""},
		{[]any{"a", nil}, "", "a list whose element 1 is null"},
		{[]any{[]any{"a", 3.0}}, "", "a list whose element 0.1 is a number"},
		{"['x', 'y']", "x|y", ""},
		{nil, "", "null"},
		{map[string]any{}, "", "a struct"},
	} {
		got, bad := pqStringList(tc.in)
		if strings.Join(got, "|") != tc.want || bad != tc.bad {
			t.Errorf("pqStringList(%v) = %q, %q; want %q, %q", tc.in, got, bad, tc.want, tc.bad)
		}
	}
}

// parquetMaxRows bounds the rows of a row group, to write several groups.
func parquetMaxRows(n int64) parquet.WriterOption { return parquet.MaxRowsPerRowGroup(n) }
