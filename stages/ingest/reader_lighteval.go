package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/internal/safeparquet"
)

// The lighteval format is the details file of Hugging Face lighteval,
// details/<model>/<date>/details_<task>_<date>.parquet, one row per document.
// Two schemas exist:
//
// Current (lighteval 0.10 and later): three struct columns,
//
//	doc            {query, choices: [..], gold_index, instruction, id, task_name,
//	                specific, original_query?, ...}
//	model_response {input, text: [samples], output_tokens: [[ids] per sample],
//	                text_post_processed?, logprobs, ...}
//	metric         {<metric name>: value, ...} (struct or map)
//
// For math_500 the gold is the full solution in doc.choices[doc.gold_index]
// (prefixed "ANSWER: "; answer mode handles both).
//
// Older (the flat Detail dataclass): example (the query), instruction,
// full_prompt, num_effective_few_shots, num_asked_few_shots, predictions
// ([samples], or one list per request), prediction_logits, input_tokens,
// cont_tokens ([[ids] per sample]), truncated, padded, gold ([gold]),
// pred_logits, choices, gold_index, metrics ({name: value}), specifics. When a
// row did not fit a dataset schema, lighteval wrote every column as str(value):
// such Python-repr text is decoded too.
//
// The reader reads row by row within each row group (constant memory in file
// size). Rejects name the row group and the row within it; SourceLine is the
// 0-based row index in the file, and -1 for a problem with the whole file.
// parquet-go panics on some malformed files: they are recovered into rejects.
func init() {
	register(Format{
		Name:     "lighteval",
		Priority: 15,
		Detect:   detectLighteval,
		New:      func(map[string]string) Reader { return lightevalReader{} },
	})
}

var parquetMagic = []byte("PAR1")

func detectLighteval(path string, head []byte) bool {
	if !bytes.HasPrefix(head, parquetMagic) {
		return false
	}
	base := filepath.Base(path)
	if strings.HasPrefix(base, "details_") && strings.HasSuffix(base, ".parquet") {
		return true
	}
	// Any other name: look at the schema in the footer.
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	pf, err := openParquet(f)
	if err != nil {
		return false
	}
	_, err = lightevalLayoutOf(pf.Schema())
	return err == nil
}

type lightevalReader struct{}

type lightevalLayout int

const (
	lightevalCurrent lightevalLayout = iota // doc + model_response + metric
	lightevalFlat                           // predictions + gold/example + metrics
)

// lightevalLayoutOf recognises the schema of a details file.
func lightevalLayoutOf(s *parquet.Schema) (lightevalLayout, error) {
	has := map[string]bool{}
	var names []string
	for _, f := range s.Fields() {
		has[f.Name()] = true
		names = append(names, f.Name())
	}
	switch {
	case has["doc"] && has["model_response"]:
		return lightevalCurrent, nil
	case has["predictions"] && (has["gold"] || has["example"] || has["full_prompt"]):
		return lightevalFlat, nil
	}
	sort.Strings(names)
	return 0, fmt.Errorf("expected lighteval details columns (doc + model_response, or predictions + gold/example), found columns %s", strings.Join(names, ", "))
}

// openParquet opens an input Parquet file with safeparquet.Open: every size
// its footer and page headers claim is checked before parquet-go allocates it,
// and parquet-go's panics come back as errors.
func openParquet(f *os.File) (*parquet.File, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return safeparquet.Open(f, st.Size(), safeparquet.DefaultLimits())
}

// Read implements Reader.
func (lightevalReader) Read(ctx context.Context, path string, emit func(Item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fileReject := func(msg string) error {
		return emit(rejectAt(path, -1, nil, msg))
	}
	pf, err := openParquet(f)
	if err != nil {
		return fileReject(fmt.Sprintf("expected a Parquet file, found one that cannot be opened: %v", err))
	}
	layout, err := lightevalLayoutOf(pf.Schema())
	if err != nil {
		return fileReject(err.Error())
	}
	var rowIndex int64
	for g, rg := range pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := readLightevalGroup(ctx, path, pf.Schema(), rg, g, rowIndex, layout, emit); err != nil {
			return err
		}
		rowIndex += rg.NumRows()
	}
	return nil
}

// readLightevalGroup reads one row group; it returns the rows read and an
// error only from emit or ctx. A group that cannot be read further gives one
// reject and reading goes on with the next group.
func readLightevalGroup(ctx context.Context, path string, schema *parquet.Schema, rg parquet.RowGroup, g int, first int64, layout lightevalLayout, emit func(Item) error) (read int64, err error) {
	rows, err := openRows(rg)
	if err != nil {
		return 0, emit(rejectAt(path, first, nil, fmt.Sprintf("row group %d: expected readable Parquet rows, found %v; row group skipped", g, err)))
	}
	defer closeRows(rows)
	buf := make([]parquet.Row, 16)
	for {
		if err := ctx.Err(); err != nil {
			return read, err
		}
		n, rerr := readRows(rows, buf)
		for i := 0; i < n; i++ {
			at := first + read
			if v, err := reconstructRow(schema, buf[i]); err != nil {
				if err := emit(rejectAt(path, at, nil, fmt.Sprintf("row group %d row %d: expected a details row, found one that does not match the schema (%v)", g, read, err))); err != nil {
					return read, err
				}
			} else {
				for _, it := range lightevalItems(path, at, g, read, layout, v) {
					if err := emit(it); err != nil {
						return read, err
					}
				}
			}
			read++
		}
		if errors.Is(rerr, io.EOF) {
			return read, nil
		}
		if rerr != nil {
			return read, emit(rejectAt(path, first+read, nil, fmt.Sprintf("row group %d row %d: expected readable Parquet rows, found a read error (%v); rest of the row group skipped", g, read, rerr)))
		}
	}
}

// openRows, readRows and closeRows call parquet-go, turning its panics on
// corrupt data into errors; panics of the caller's emit are not caught.
func openRows(rg parquet.RowGroup) (rows parquet.Rows, err error) {
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, fmt.Errorf("data parquet-go cannot decode (%v)", r)
		}
	}()
	return rg.Rows(), nil
}

func readRows(rows parquet.Rows, buf []parquet.Row) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("data parquet-go cannot decode (%v)", r)
		}
	}()
	return rows.ReadRows(buf)
}

func closeRows(rows parquet.Rows) {
	defer func() { _ = recover() }()
	rows.Close()
}

// reconstructRow rebuilds one row as Go values, turning a parquet-go panic
// (values that do not match the schema) into an error.
func reconstructRow(schema *parquet.Schema, row parquet.Row) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("parquet-go panicked: %v", r)
		}
	}()
	err = schema.Reconstruct(&v, row)
	return v, err
}

// lightevalItems maps one details row to one record per sample.
func lightevalItems(path string, at int64, g int, row int64, layout lightevalLayout, v any) []Item {
	where := fmt.Sprintf("row group %d row %d: ", g, row)
	raw := []byte(clip(fmt.Sprint(v), 512))
	one := func(msg string, args ...any) []Item {
		return []Item{rejectAt(path, at, raw, where+fmt.Sprintf(msg, args...))}
	}
	base := newRecord(path, at)
	var (
		texts      []string
		tokens     any
		metric     any
		choices    any
		goldIndex  any
		textsField string
	)
	switch layout {
	case lightevalCurrent:
		doc, mr := pqField(v, "doc"), pqField(v, "model_response")
		if _, ok := doc.(map[string]any); !ok {
			return one("column doc: expected a struct, found %s", pqKind(doc))
		}
		if _, ok := mr.(map[string]any); !ok {
			return one("column model_response: expected a struct, found %s", pqKind(mr))
		}
		textsField = "model_response.text"
		var bad string
		if texts, bad = pqStringList(pqField(mr, "text")); bad != "" {
			return one("model_response.text: expected a list of strings, found %s", bad)
		}
		tokens = pqField(mr, "output_tokens")
		metric = pqField(v, "metric")
		choices, goldIndex = pqField(doc, "choices"), pqField(doc, "gold_index")
		if id, ok := pqString(pqField(doc, "id")); ok {
			setProblemKey(&base, id)
		}
		for _, k := range []string{"original_query", "query"} {
			if q, ok := pqString(pqField(doc, k)); ok && strings.TrimSpace(q) != "" {
				base.ProblemText = promptProblem(q)
				break
			}
		}
	case lightevalFlat:
		textsField = "predictions"
		var bad string
		if texts, bad = pqStringList(pqField(v, "predictions")); bad != "" {
			return one("column predictions: expected a list of strings, found %s", bad)
		}
		tokens = pqField(v, "cont_tokens")
		metric = pqField(v, "metrics")
		choices, goldIndex = pqField(v, "choices"), pqField(v, "gold_index")
		if golds, ok := pqStrings(pqField(v, "gold")); ok && len(golds) > 0 && golds[0] != "" {
			base.Gold = &golds[0]
		} else if s, ok := pqString(pqField(v, "gold")); ok && s != "" {
			base.Gold = &s
		}
		if q, ok := pqString(pqField(v, "example")); ok {
			base.ProblemText = promptProblem(q)
		}
	}
	if len(texts) == 0 {
		return one("%s: expected at least one response, found none", textsField)
	}
	if base.Gold == nil {
		if cs, ok := pqStrings(choices); ok && len(cs) > 0 {
			gi := int64(0)
			if n, ok := pqInt(goldIndex); ok {
				gi = n
			} else if l, ok := pqList(goldIndex); ok && len(l) > 0 {
				gi, _ = pqInt(l[0])
			}
			if gi >= 0 && gi < int64(len(cs)) {
				base.Gold = &cs[gi]
			}
		}
	}
	var counts []int64
	if l, ok := pqList(tokens); ok && len(l) == len(texts) {
		for _, e := range l {
			ids, ok := pqList(e)
			if !ok {
				counts = nil
				break
			}
			counts = append(counts, int64(len(ids)))
		}
	}
	var verdict *bool
	if len(texts) == 1 {
		verdict = pqVerdict(metric)
	}
	items := make([]Item, 0, len(texts))
	for i, t := range texts {
		r := base
		r.SampleIdx = int64(i)
		r.Response = t
		if counts != nil && counts[i] > 0 {
			n := counts[i]
			r.ResponseTokens = &n
		}
		r.PeerCorrect = verdict
		items = append(items, Item{Record: &r})
	}
	return items
}
