package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
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
// (evaluator.py loops over the filters, then the documents; versions before the
// "filter" field did so too, without naming the filter). The reader keeps, for
// every document, the FIRST row it sees (so the first filter in file order) and
// skips later rows of the same document whose responses are identical; a row
// with the same doc and the same named filter again, or with different
// responses, is a reject. Skipped rows are counted and reported in one
// summary reject per file (SourceLine 0) naming the kept and skipped filters, so
// nothing is dropped silently. Peer fields come from the kept row's filter:
// PeerExtracted from filtered_resps when it holds one value per sample, and
// PeerCorrect from the metric (exact_match first) only when the document has a
// single sample (with repeats the metric is an aggregate over samples).
//
// Memory grows with the number of documents (one small entry each), not with
// the file size.
var lmEvalFormat = Format{
	Name:   "lm-eval",
	Detect: detectLMEval,
	New:    func(map[string]string) Reader { return lmEvalReader{} },
}

func detectLMEval(_ string, head []byte) bool {
	k := keySet(FirstKeys(head, 64))
	return k["doc_id"] && (k["resps"] || k["filtered_resps"]) && (k["doc"] || k["target"] || k["arguments"])
}

type lmEvalReader struct{}

type lmEvalLine struct {
	DocID         json.RawMessage            `json:"doc_id"`
	Doc           map[string]json.RawMessage `json:"doc"`
	Target        json.RawMessage            `json:"target"`
	Resps         json.RawMessage            `json:"resps"`
	FilteredResps json.RawMessage            `json:"filtered_resps"`
	Filter        json.RawMessage            `json:"filter"`
	Metrics       json.RawMessage            `json:"metrics"`
}

// lmEvalSeen is what the reader remembers of a document's kept row.
type lmEvalSeen struct {
	filter string
	line   int64
	resps  uint64 // FNV-64a of the raw resps
}

// Read implements Reader.
func (lmEvalReader) Read(ctx context.Context, path string, emit func(Item) error) error {
	seen := map[string]lmEvalSeen{}
	skipped := map[string]int{} // filter -> rows skipped
	kept := map[string]bool{}
	firstSkipped := int64(0)
	err := readJSONLFile(ctx, path, emit, func(line int64, data []byte) error {
		items, skip := lmEvalItems(path, line, data, seen, kept)
		if skip != "" {
			skipped[skip]++
			if firstSkipped == 0 {
				firstSkipped = line
			}
		}
		for _, it := range items {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(skipped) == 0 {
		return nil
	}
	var n int
	var names []string
	for f, c := range skipped {
		n += c
		names = append(names, fmt.Sprintf("%q (%d)", f, c))
	}
	sort.Strings(names)
	var keptNames []string
	for f := range kept {
		keptNames = append(keptNames, fmt.Sprintf("%q", f))
	}
	sort.Strings(keptNames)
	rows := "rows"
	if n == 1 {
		rows = "row"
	}
	msg := fmt.Sprintf("skipped %d %s repeating documents already read under another filter "+
		"(lm-eval writes one row per document and filter; same responses; first repeat at line %d): kept filter %s, skipped %s",
		n, rows, firstSkipped, strings.Join(keptNames, ", "), strings.Join(names, ", "))
	return emit(rejectAt(path, 0, nil, msg))
}

// lmEvalItems maps one row. skip names the row's filter when the row was
// skipped as a repeat of a document already read.
func lmEvalItems(path string, line int64, data []byte, seen map[string]lmEvalSeen, kept map[string]bool) (items []Item, skip string) {
	one := func(it Item) []Item { return []Item{it} }
	var l lmEvalLine
	if it := decodeLine(path, line, data, &l); it != nil {
		return one(*it), ""
	}
	bad := func(field string, err error) []Item {
		return one(rejectAt(path, line, data, fmt.Sprintf("field %q: %v", field, err)))
	}
	docID, ok, err := jsonText(l.DocID)
	if err != nil {
		return bad("doc_id", err), ""
	}
	if !ok {
		return one(rejectAt(path, line, data, `field "doc_id": expected an integer, found `+jsonKind(l.DocID))), ""
	}
	filter, _, err := jsonString(l.Filter)
	if err != nil {
		return bad("filter", err), ""
	}

	// resps: [[repeat, ...], ...] (one list per request).
	var requests [][]json.RawMessage
	if err := json.Unmarshal(l.Resps, &requests); err != nil || isNull(l.Resps) {
		return one(rejectAt(path, line, data, `field "resps": expected a list of lists of responses, found `+jsonKind(l.Resps))), ""
	}
	h := fnv.New64a()
	h.Write(l.Resps)
	sum := h.Sum64()
	if prev, dup := seen[docID]; dup {
		switch {
		case prev.resps != sum:
			return one(rejectAt(path, line, data, fmt.Sprintf("expected the responses of doc_id %s read at line %d, found different ones (filter %q)", docID, prev.line, filter))), ""
		case prev.filter == filter && filter != "":
			return one(rejectAt(path, line, data, fmt.Sprintf("expected one row per doc_id and filter, found doc_id %s filter %q again (first at line %d)", docID, filter, prev.line))), ""
		}
		// Versions before the "filter" field also wrote one row per filter:
		// unnamed repeats with the same responses are those rows.
		if filter == "" {
			filter = "(unnamed)"
		}
		return nil, filter
	}

	var responses []string
	for i, req := range requests {
		for j, raw := range req {
			s, ok, err := jsonString(raw)
			if err != nil || !ok {
				return one(rejectAt(path, line, data, fmt.Sprintf(`field "resps[%d][%d]": expected a generated response (string), found %s`, i, j, jsonKind(raw)))), ""
			}
			responses = append(responses, s)
		}
	}
	if len(responses) == 0 {
		return one(rejectAt(path, line, data, `field "resps": expected at least one response, found none`)), ""
	}
	seen[docID] = lmEvalSeen{filter: filter, line: line, resps: sum}
	if filter == "" {
		kept["(unnamed)"] = true
	} else {
		kept[filter] = true
	}

	base := newRecord(path, line)
	setProblemKey(&base, docID)
	if s, ok, err := jsonText(l.Doc["unique_id"]); err != nil {
		return bad("doc.unique_id", err), ""
	} else if ok {
		base.ProblemID = s
	}
	for _, k := range []string{"problem", "question", "Problem", "Question"} {
		if s, ok, err := jsonString(l.Doc[k]); err != nil {
			return bad("doc."+k, err), ""
		} else if ok {
			base.ProblemText = s
			break
		}
	}
	base.Subject = jsonSubject(l.Doc["subject"], l.Doc["type"])
	base.Level = jsonLevel(l.Doc["level"])
	gold, err := lmEvalGold(l)
	if err != nil {
		return bad("target", err), ""
	}
	base.Gold = gold

	extracted := lmEvalExtracted(l.FilteredResps, len(requests), len(responses))
	var verdict *bool
	if len(responses) == 1 {
		verdict = lmEvalVerdict(data, l.Metrics)
	}
	for i, resp := range responses {
		r := base
		r.SampleIdx = int64(i)
		r.Response = resp
		if extracted != nil {
			r.PeerExtracted = extracted[i]
		}
		r.PeerCorrect = verdict
		items = append(items, Item{Record: &r})
	}
	return items, ""
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
// the metrics the row lists, in order; a value other than 0/1/true/false is not
// a verdict.
func lmEvalVerdict(data []byte, metricsRaw json.RawMessage) *bool {
	var all map[string]json.RawMessage
	if json.Unmarshal(data, &all) != nil {
		return nil
	}
	names := []string{"exact_match", "acc", "math_verify", "correct"}
	var listed []string
	if json.Unmarshal(metricsRaw, &listed) == nil {
		names = append(names[:1:1], append(listed, names[1:]...)...)
	}
	for _, n := range names {
		if v, ok, err := jsonVerdict(all[n]); err == nil && ok {
			return &v
		}
	}
	return nil
}
