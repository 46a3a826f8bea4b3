package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"regexp"
	"strings"
)

// The lm-eval format is what EleutherAI lm-evaluation-harness writes with
// --log_samples: samples_<task>_<date>.jsonl, one line per document (and, since
// v0.4.3 or so, per filter of the document), with the fields
//
//	doc_id, doc (the dataset row: problem, solution, answer, unique_id, ...),
//	target, arguments, resps, filtered_resps, filter, metrics, doc_hash,
//	prompt_hash, target_hash, and one field per metric (exact_match, ...)
//
// resps holds one list per request: a generate_until task sends one request per
// document whose list holds the `repeats` sampled responses, so resps is
// [[r0, r1, ...]]. filtered_resps holds one value per request after the filter
// (take_first, regex, majority vote...): a string for most filters, a list when
// the filter keeps every repeat. The metric fields are per document.
//
// One row per (doc, filter) means the same responses appear once per filter
// (evaluator.py loops over the filters, then the documents). The format option
// OptFilter ("filter") selects the filter whose rows become records; by default
// it is the filter of the file's first row. Rows of the other filters are
// counted in FileResult.Skipped (SkipFilter, per filter, with rows, responses
// and the first line), never rejected. Versions before the "filter" field also
// wrote one row per filter without naming it: for those, the first row of each
// document is read and its later repeats skipped. A repeat whose responses
// differ from the document's first row, or the same document and named filter
// twice, is a reject. A file with OptFilter naming a filter it does not hold
// gives one reject (line 0) naming the filters it has.
//
// The task is the record's "task" (or "task_name") field, else the file name's
// samples_<task>_<date>.jsonl; it is Record.Task, so (Task, doc_id) identifies a
// problem across the files of a folder (doc_id restarts at 0 in each). A
// MATH task's subtask (hendrycks_math_algebra, minerva_math_num_theory,
// leaderboard_math_precalculus_hard) gives the MATH subject when the doc has
// none (see lmEvalTaskParts); the task family names the evalset suggestion.
//
// Peer fields come from the selected row: PeerExtracted from filtered_resps
// when it holds one value per sample (PeerCompared "response", and no
// PeerExtracted, when the value is the response itself: lm-eval's filter
// "none" hands the whole response to the metric), and PeerCorrect from the
// metric (exact_match first) only when the document has a single sample
// (with repeats the metric is an aggregate over samples). The gold is target
// as written (for gsm8k the whole solution ending "#### <n>", which the
// grader reads).
//
// Memory grows with the number of documents and filters (one small entry
// each), not with the file size.
var lmEvalFormat = Format{
	Name:   "lm-eval",
	Detect: detectLMEval,
	Fields: [][]string{{"doc_id"}, {"resps", "filtered_resps"}, {"doc", "target", "arguments"}},
	New:    func(o map[string]string) Reader { return wrap("lm-eval", lmEvalReader{filter: o[OptFilter]}) },
}

func detectLMEval(_ string, head []byte) bool {
	k := keySet(FirstKeys(head, 64))
	return k["doc_id"] && (k["resps"] || k["filtered_resps"]) && (k["doc"] || k["target"] || k["arguments"])
}

type lmEvalReader struct{ filter string }

type lmEvalLine struct {
	DocID         json.RawMessage            `json:"doc_id"`
	Doc           map[string]json.RawMessage `json:"doc"`
	Target        json.RawMessage            `json:"target"`
	Resps         json.RawMessage            `json:"resps"`
	FilteredResps json.RawMessage            `json:"filtered_resps"`
	Filter        json.RawMessage            `json:"filter"`
	Metrics       json.RawMessage            `json:"metrics"`
	Task          json.RawMessage            `json:"task"`
	TaskName      json.RawMessage            `json:"task_name"`
}

// unnamedFilter stands for the filter of rows that do not name one.
const unnamedFilter = "(unnamed)"

// lmEvalFile is the state of one file's read.
type lmEvalFile struct {
	path     string
	fileTask string // from the file name
	want     string // OptFilter; "" until the first row when not given
	given    bool   // want came from the options
	docs     map[string]lmEvalDoc
	rows     map[lmEvalRowKey]int64 // (doc, named filter) -> line
	skips    []*Skip
	skipOf   map[string]*Skip
	selected bool // some row became records
	task     string
	fromRec  bool
}

type lmEvalDoc struct {
	line  int64
	resps uint64 // FNV-64a of the raw resps
}

type lmEvalRowKey struct{ doc, filter string }

var lmEvalFileName = regexp.MustCompile(`^samples_(.+?)(?:_(\d{4}-\d{2}-\d{2}T[0-9.:-]+))?\.jsonl?$`)

// lmEvalFileTask returns the task named by samples_<task>_<date>.jsonl.
func lmEvalFileTask(path string) string {
	m := lmEvalFileName.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return ""
	}
	return m[1]
}

// read implements formatReader.
func (rd lmEvalReader) read(ctx context.Context, src Source, res *FileResult, emit func(Item) error) error {
	st := &lmEvalFile{path: src.Path, fileTask: lmEvalFileTask(src.Path), want: rd.filter, given: rd.filter != "",
		docs: map[string]lmEvalDoc{}, rows: map[lmEvalRowKey]int64{}, skipOf: map[string]*Skip{}}
	st.task = st.fileTask
	err := readJSONL(ctx, src, emit, func(line int64, data []byte) error {
		for _, it := range st.row(line, data) {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	res.Task = st.task
	if st.want != "" && st.selected {
		res.Selected = []string{st.want}
	}
	for _, s := range st.skips {
		res.Skipped = append(res.Skipped, *s)
	}
	res.Evalset = lmEvalEvalset(st.task, st.fromRec)
	if st.given && !st.selected && len(st.skips) > 0 {
		var have []string
		for _, s := range st.skips {
			have = append(have, fmt.Sprintf("%q (%d rows)", s.Value, s.Rows))
		}
		return emit(rejectAt(src.Path, 0, nil, fmt.Sprintf("expected rows of lm-eval filter %q (format option filter), found only filters %s",
			st.want, strings.Join(have, ", "))))
	}
	return nil
}

// skip counts a row of filter left out; why is said once per filter.
func (st *lmEvalFile) skip(filter string, line int64, responses int) {
	s := st.skipOf[filter]
	if s == nil {
		s = &Skip{Reason: SkipFilter, Value: filter, FirstLine: line}
		st.skipOf[filter] = s
		st.skips = append(st.skips, s)
	}
	s.Rows++
	s.Responses += int64(responses)
	rows := "rows"
	if s.Rows == 1 {
		rows = "row"
	}
	if filter == unnamedFilter {
		s.Why = fmt.Sprintf("skipped %d %s repeating documents already read, with the same responses (older lm-eval writes one unnamed row per document and filter; first repeat at line %d)",
			s.Rows, rows, s.FirstLine)
		return
	}
	s.Why = fmt.Sprintf("skipped %d %s of lm-eval filter %q (first at line %d): lm-eval writes one row per document and filter, with the same responses; filter %q is read (format option filter)",
		s.Rows, rows, filter, s.FirstLine, st.want)
}

// row maps one line to its items (none when the row is skipped).
func (st *lmEvalFile) row(line int64, data []byte) []Item {
	path := st.path
	one := func(it Item) []Item { return []Item{it} }
	var l lmEvalLine
	if it := decodeLine(path, line, data, &l); it != nil {
		return one(*it)
	}
	bad := func(field string, err error) []Item {
		return one(rejectAt(path, line, data, fmt.Sprintf("field %q: %v", field, err)))
	}
	docID, ok, err := jsonText(l.DocID)
	if err != nil {
		return bad("doc_id", err)
	}
	if !ok {
		return one(rejectAt(path, line, data, `field "doc_id": expected an integer, found `+jsonKind(l.DocID)))
	}
	filter, _, err := jsonString(l.Filter)
	if err != nil {
		return bad("filter", err)
	}
	task := st.fileTask
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"task", l.Task}, {"task_name", l.TaskName}} {
		s, ok, err := jsonString(f.raw)
		if err != nil {
			return bad(f.name, err)
		}
		if ok && s != "" {
			task = s
			st.task, st.fromRec = s, true
			break
		}
	}

	// resps: [[repeat, ...], ...] (one list per request).
	var requests [][]json.RawMessage
	if err := json.Unmarshal(l.Resps, &requests); err != nil || isNull(l.Resps) {
		return one(rejectAt(path, line, data, `field "resps": expected a list of lists of responses, found `+jsonKind(l.Resps)))
	}
	var responses []string
	for i, req := range requests {
		for j, raw := range req {
			s, ok, err := jsonString(raw)
			if err != nil || !ok {
				return one(rejectAt(path, line, data, fmt.Sprintf(`field "resps[%d][%d]": expected a generated response (string), found %s`, i, j, jsonKind(raw))))
			}
			responses = append(responses, s)
		}
	}
	if len(responses) == 0 {
		return one(rejectAt(path, line, data, `field "resps": expected at least one response, found none`))
	}
	h := fnv.New64a()
	h.Write(l.Resps)
	sum := h.Sum64()
	docKey := task + "\x00" + docID
	prev, repeat := st.docs[docKey]
	if repeat && prev.resps != sum {
		return one(rejectAt(path, line, data, fmt.Sprintf("expected the responses of doc_id %s read at line %d, found different ones (filter %q)", docID, prev.line, filter)))
	}
	if filter != "" {
		k := lmEvalRowKey{docKey, filter}
		if first, dup := st.rows[k]; dup {
			return one(rejectAt(path, line, data, fmt.Sprintf("expected one row per doc_id and filter, found doc_id %s filter %q again (first at line %d)", docID, filter, first)))
		}
		st.rows[k] = line
	}
	if !repeat {
		st.docs[docKey] = lmEvalDoc{line: line, resps: sum}
	}
	switch {
	case filter == "":
		// Unnamed filters: the first row of a document is read.
		if repeat {
			st.skip(unnamedFilter, line, len(responses))
			return nil
		}
	case st.want == "":
		st.want = filter
	case filter != st.want:
		st.skip(filter, line, len(responses))
		return nil
	}
	st.selected = true

	base := newRecord(path, line)
	base.Task = task
	base.Filter = filter
	setProblemKey(&base, docID)
	if s, ok, err := jsonText(l.Doc["unique_id"]); err != nil {
		return bad("doc.unique_id", err)
	} else if ok {
		base.ProblemID = s
	}
	for _, k := range []string{"problem", "question", "Problem", "Question"} {
		if s, ok, err := jsonString(l.Doc[k]); err != nil {
			return bad("doc."+k, err)
		} else if ok {
			base.ProblemText = s
			break
		}
	}
	base.Subject = jsonSubject(l.Doc["subject"], l.Doc["type"])
	if base.Subject == "" {
		_, _, base.Subject = lmEvalTaskParts(task)
	}
	base.Level = jsonLevel(l.Doc["level"])
	gold, err := lmEvalGold(l)
	if err != nil {
		return bad("target", err)
	}
	base.Gold = gold

	extracted := lmEvalExtracted(l.FilteredResps, len(requests), len(responses))
	var verdict *bool
	var metric string
	if len(responses) == 1 {
		verdict, metric = lmEvalVerdict(data, l.Metrics)
	}
	items := make([]Item, 0, len(responses))
	for i, resp := range responses {
		r := base
		r.SampleIdx = int64(i)
		r.Response = resp
		if extracted != nil && extracted[i] != nil {
			if *extracted[i] == resp {
				r.PeerCompared = PeerComparedResponse
			} else {
				r.PeerExtracted = extracted[i]
				r.PeerCompared = PeerComparedExtraction
			}
		}
		r.PeerCorrect = verdict
		r.PeerMetric = metric
		items = append(items, Item{Record: &r})
	}
	return items
}

// lmEvalMathFamilies are lm-eval task families whose subtasks are the seven
// subjects of MATH (hendrycks_math_<s>, minerva_math_<s>, and the Open LLM
// Leaderboard's leaderboard_math_<s>_hard).
var lmEvalMathFamilies = []string{"hendrycks_math", "minerva_math", "leaderboard_math"}

// mathSubjects maps the subtask names of those families to MATH's subjects
// (as MATH-500 spells them).
var mathSubjects = map[string]string{
	"algebra": "Algebra", "counting_and_prob": "Counting & Probability", "counting_and_probability": "Counting & Probability",
	"geometry": "Geometry", "intermediate_algebra": "Intermediate Algebra", "num_theory": "Number Theory",
	"number_theory": "Number Theory", "prealgebra": "Prealgebra", "precalc": "Precalculus", "precalculus": "Precalculus",
}

// lmEvalTaskParts splits a task into its family and subtask, and the subject
// the subtask names: a MATH family's subtask gives its MATH subject (or the
// raw subtask when it is none of the seven); any other task is its own family,
// with no subtask and no subject.
func lmEvalTaskParts(task string) (family, subtask, subject string) {
	for _, f := range lmEvalMathFamilies {
		if st, ok := strings.CutPrefix(task, f+"_"); ok && st != "" {
			if s, ok := mathSubjects[strings.TrimSuffix(st, "_hard")]; ok {
				return f, st, s
			}
			return f, st, st
		}
	}
	return task, "", ""
}

// lmEvalEvalset names the evalset a task suggests: its family.
func lmEvalEvalset(task string, fromRecord bool) EvalsetGuess {
	if task == "" {
		return EvalsetGuess{Name: EvalsetCustom, Why: "the lm-eval file names no task (neither samples_<task>_<date>.jsonl nor a task field)"}
	}
	where := "the file name"
	if fromRecord {
		where = "the records' task field"
	}
	family, subtask, _ := lmEvalTaskParts(task)
	if subtask == "" {
		return EvalsetGuess{Name: family, Why: fmt.Sprintf("lm-eval task %s (from %s)", task, where)}
	}
	return EvalsetGuess{Name: family, Why: fmt.Sprintf("lm-eval task %s (from %s), of the task family %s", task, where, family)}
}

// lmEvalGold returns the gold: target when it is a non-empty string or number,
// else doc.answer, else doc.solution (a full solution; answer mode takes its
// last \boxed{}).
func lmEvalGold(l lmEvalLine) (*string, error) {
	if s, ok, err := jsonText(l.Target); err != nil {
		if strings.HasPrefix(strings.TrimSpace(string(l.Target)), "[") {
			var list []string
			if json.Unmarshal(l.Target, &list) == nil && len(list) > 0 && list[0] != "" {
				return &list[0], nil
			}
		}
		return nil, err
	} else if ok && strings.TrimSpace(s) != "" {
		return &s, nil
	}
	for _, k := range []string{"answer", "solution"} {
		if s, ok, _ := jsonText(l.Doc[k]); ok && strings.TrimSpace(s) != "" {
			return &s, nil
		}
	}
	return nil, nil
}

// lmEvalExtracted maps filtered_resps to one extracted answer per sample when
// it has one: one string per request when every request has one sample, or a
// list per request with one entry per repeat. A single value for several
// samples (a majority vote) is not per sample: nil.
func lmEvalExtracted(raw json.RawMessage, requests, samples int) []*string {
	var per []json.RawMessage
	if json.Unmarshal(raw, &per) != nil || len(per) != requests {
		return nil
	}
	var out []*string
	for _, v := range per {
		if s, ok, err := jsonText(v); err == nil && ok {
			out = append(out, &s)
			continue
		}
		var list []json.RawMessage
		if json.Unmarshal(v, &list) != nil {
			return nil
		}
		for _, e := range list {
			s, ok, err := jsonText(e)
			if err != nil || !ok {
				out = append(out, nil)
				continue
			}
			out = append(out, &s)
		}
	}
	if len(out) != samples {
		return nil
	}
	return out
}

// lmEvalVerdict reads the document's correctness metric: exact_match first, then
// the metrics the row lists, in order, and returns it with its name; a value other than 0/1/true/false is not
// a verdict.
func lmEvalVerdict(data []byte, metricsRaw json.RawMessage) (*bool, string) {
	var all map[string]json.RawMessage
	if json.Unmarshal(data, &all) != nil {
		return nil, ""
	}
	names := []string{"exact_match", "acc", "math_verify", "correct"}
	var listed []string
	if json.Unmarshal(metricsRaw, &listed) == nil {
		names = append(names[:1:1], append(listed, names[1:]...)...)
	}
	for _, n := range names {
		if v, ok, err := jsonVerdict(all[n]); err == nil && ok {
			return &v, n
		}
	}
	return nil, ""
}
