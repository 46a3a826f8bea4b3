package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
// In the flat schema one document can have several rows, one per sampling
// config: open-r1's aime24 writes a 32-sample row (metric
// math_pass@1:32_samples, an aggregate: no per-sample verdict) and a greedy
// row (extractive_match, with Math-Verify's extraction targets in
// specifics.extracted_predictions) for every problem. A row's sampling config
// is the names of its non-null metrics. The format option OptSampling
// ("sampling") names the config read, or SamplingAll reads every config, each
// record then carrying its config in Record.Sampling (one checkpoint per
// config); by default the first row's config is read and a row of another
// config that repeats a document already seen is skipped. Skipped rows are
// counted in FileResult.Skipped (SkipSampling), never rejected. The task is
// the file name's details_<task>_<date>.parquet (or doc.task_name), in
// Record.Task; its task field ("aime24" of "lighteval|aime24|0") is the
// evalset suggestion.
//
// The reader reads row by row within each row group (constant memory in file
// size). Rejects name the row group and the row within it; SourceLine is the
// 0-based row index in the file, and -1 for a problem with the whole file.
// parquet-go panics on some malformed files: they are recovered into rejects.
var lightevalFormat = Format{
	Name:   "lighteval",
	Detect: detectLighteval,
	New:    func(o map[string]string) Reader { return wrap("lighteval", lightevalReader{sampling: o[OptSampling]}) },
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

type lightevalReader struct{ sampling string }

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

// read implements formatReader.
func (rd lightevalReader) read(ctx context.Context, src Source, res *FileResult, emit func(Item) error) error {
	path := src.Path
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
	st := &lightevalState{want: rd.sampling, given: rd.sampling != "", all: rd.sampling == SamplingAll,
		task: lightevalFileTask(path), skipOf: map[string]*Skip{}, docs: map[uint64]bool{}}
	if st.all {
		st.want, st.given = "", false
	}
	var rowIndex int64
	for g, rg := range pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := readLightevalGroup(ctx, path, pf.Schema(), rg, g, rowIndex, layout, st, emit); err != nil {
			return err
		}
		rowIndex += rg.NumRows()
	}
	return st.finish(path, res, emit)
}

// lightevalState is what one file's read remembers: the sampling configs
// selected and skipped, and the task.
type lightevalState struct {
	want     string // the selected config; "" until the first row when not given
	given    bool   // want came from the options
	all      bool
	docs     map[uint64]bool // FNV-64a of the documents read
	task     string
	selected []string
	skips    []*Skip
	skipOf   map[string]*Skip
	records  bool
}

var lightevalFileName = regexp.MustCompile(`^details_(.+)_(\d{4}-\d{2}-\d{2}T[0-9.:-]+)\.parquet$`)

// lightevalFileTask returns the task named by details_<task>_<date>.parquet.
func lightevalFileTask(path string) string {
	if m := lightevalFileName.FindStringSubmatch(filepath.Base(path)); m != nil {
		return m[1]
	}
	return ""
}

// lightevalEvalset names the evalset of a task "suite|task|few-shots": the task.
func lightevalEvalset(task string) EvalsetGuess {
	if task == "" {
		return EvalsetGuess{Name: EvalsetCustom, Why: "the lighteval file names no task (neither details_<task>_<date>.parquet nor doc.task_name)"}
	}
	name := task
	if parts := strings.Split(task, "|"); len(parts) >= 2 && parts[1] != "" {
		name = parts[1]
	}
	name = strings.TrimSuffix(name, ":_average")
	return EvalsetGuess{Name: name, Why: fmt.Sprintf("lighteval task %s", task)}
}

// selects reports whether a row of sampling config cfg and document key doc
// is read, counting it as skipped (with its responses) when it is not. With
// the option, only rows of the named config are read; by default, the first
// row's config is read, and a row of another config is skipped when it
// repeats a document already seen (a row of another config for a new
// document is the only one of that document, and is read).
func (st *lightevalState) selects(cfg, doc string, at int64, responses int) bool {
	h := fnv.New64a()
	h.Write([]byte(doc))
	key := h.Sum64()
	repeat := doc != "" && st.docs[key]
	if doc != "" {
		st.docs[key] = true
	}
	if cfg == "" || st.all {
		st.note(cfg)
		return true
	}
	if st.want == "" {
		st.want = cfg
	}
	if cfg == st.want || (!st.given && !repeat) {
		st.note(cfg)
		return true
	}
	s := st.skipOf[cfg]
	if s == nil {
		s = &Skip{Reason: SkipSampling, Value: cfg, FirstLine: at}
		st.skipOf[cfg] = s
		st.skips = append(st.skips, s)
	}
	s.Rows++
	s.Responses += int64(responses)
	s.Why = fmt.Sprintf("skipped %d rows (%d responses) of lighteval sampling config %q (first at row %d): lighteval writes one row per document and sampling config; config %q is read (format option sampling; %q reads every config as its own checkpoint)",
		s.Rows, s.Responses, cfg, s.FirstLine, st.want, SamplingAll)
	return false
}

func (st *lightevalState) note(cfg string) {
	st.records = true
	if cfg != "" && !slices.Contains(st.selected, cfg) {
		st.selected = append(st.selected, cfg)
	}
}

// finish fills the file's result; a sampling option naming a config the file
// does not hold is one reject naming those it has.
func (st *lightevalState) finish(path string, res *FileResult, emit func(Item) error) error {
	res.Task = st.task
	res.Selected = st.selected
	for _, s := range st.skips {
		res.Skipped = append(res.Skipped, *s)
	}
	res.Evalset = lightevalEvalset(st.task)
	if len(st.selected) == 0 && len(st.skips) > 0 {
		var have []string
		for _, s := range st.skips {
			have = append(have, fmt.Sprintf("%q (%d rows)", s.Value, s.Rows))
		}
		return emit(rejectAt(path, -1, nil, fmt.Sprintf("expected rows of lighteval sampling config %q (format option sampling), found only configs %s",
			st.want, strings.Join(have, ", "))))
	}
	return nil
}

// lightevalSampling names a row's sampling config: the names of its metrics
// that have a value, sorted and comma-separated ("" when it has none). In the
// flat schema a row's metrics struct holds every metric of the task, the ones
// of other sampling configs null.
func lightevalSampling(metric any) string {
	m, ok := pqMap(metric)
	if !ok {
		return ""
	}
	var names []string
	for k, v := range m {
		if v != nil {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// readLightevalGroup reads one row group; it returns the rows read and an
// error only from emit or ctx. A group that cannot be read further gives one
// reject and reading goes on with the next group.
func readLightevalGroup(ctx context.Context, path string, schema *parquet.Schema, rg parquet.RowGroup, g int, first int64, layout lightevalLayout, st *lightevalState, emit func(Item) error) (read int64, err error) {
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
				for _, it := range lightevalItems(path, at, g, read, layout, st, v) {
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
func lightevalItems(path string, at int64, g int, row int64, layout lightevalLayout, st *lightevalState, v any) []Item {
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
		extracted  []string
		docKey     string // identifies the document among the file's rows
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
		if tn, ok := pqString(pqField(doc, "task_name")); ok && tn != "" {
			st.task = tn
		}
		var bad string
		if texts, bad = pqStringList(pqField(mr, "text")); bad != "" {
			return one("model_response.text: expected a list of strings, found %s", bad)
		}
		tokens = pqField(mr, "output_tokens")
		metric = pqField(v, "metric")
		choices, goldIndex = pqField(doc, "choices"), pqField(doc, "gold_index")
		if id, ok := pqString(pqField(doc, "id")); ok {
			setProblemKey(&base, id)
			docKey = "id\x00" + id
		}
		for _, k := range []string{"original_query", "query"} {
			if q, ok := pqString(pqField(doc, k)); ok && strings.TrimSpace(q) != "" {
				if docKey == "" {
					docKey = "query\x00" + q
				}
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
			docKey = "example\x00" + q
		}
		if docKey == "" {
			if q, ok := pqString(pqField(v, "full_prompt")); ok {
				docKey = "prompt\x00" + q
			}
		}
		extracted, _ = pqStringList(pqField(pqField(v, "specifics"), "extracted_predictions"))
	}
	if len(texts) == 0 {
		return one("%s: expected at least one response, found none", textsField)
	}
	sampling := lightevalSampling(metric)
	if !st.selects(sampling, docKey, at, len(texts)) {
		return nil
	}
	base.Task = st.task
	if st.all {
		base.Sampling = sampling
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
	var metricName string
	if len(texts) == 1 {
		verdict, metricName = pqVerdict(metric)
	}
	// specifics.extracted_predictions (flat schema): Math-Verify's extraction
	// targets of the prediction, [parsed, as written] (e.g. ["Eq(z, 0)",
	// "z=0"]), empty when it extracted nothing; a pass@k row keeps none. One
	// prediction: its last target; one target per prediction: each its own.
	perSample := func(i int) (*string, bool) {
		switch {
		case len(texts) == 1 && len(extracted) > 0:
			return &extracted[len(extracted)-1], true
		case len(texts) == 1 && verdict != nil && layout == lightevalFlat:
			return nil, true // the verdict is on an extraction that found nothing
		case len(texts) > 1 && len(extracted) == len(texts):
			return &extracted[i], true
		}
		return nil, false
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
		r.PeerMetric = metricName
		if e, ok := perSample(i); ok {
			r.PeerExtracted = e
			r.PeerCompared = PeerComparedExtraction
		}
		items = append(items, Item{Record: &r})
	}
	return items
}
