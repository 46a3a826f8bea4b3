package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// The spurious-rewards format is what Spurious Rewards' eval_checkpoint.py
// (ruixin31/Spurious_Rewards, code/eval_checkpoint.py) writes: ONE JSON document
// per model and dataset, <model>_<dataset>.json, written with indent=4:
//
//	{"avg@8": ..., "pass@8": ..., "dataset": "MATH-500", "model": "...",
//	 "temperature": 0.6, "rollouts": 8, "include_stop_str_in_output": false,
//	 "stop_string": null, "gpu_type": "...", "shards": 4,
//	 "metadata": [{"prompt": "<chat-templated prompt>", "label": "<gold answer>",
//	               "index": 0, "outputs": ["<rollout 0>", ...]}, ...]}
//
// index is the problem's position in the benchmark file (MATH-500 order), label
// the gold answer and outputs the rollouts in sample order. The prompt is the
// problem rendered with the model's chat template (or the "<|user|>" base-model
// template); the reader unwraps the user message into ProblemText. The tool keeps
// no per-sample verdicts (only the aggregate avg@k / pass@k).
//
// The reader streams: it walks the document with encoding/json's Decoder and
// decodes one metadata element at a time, so memory is constant in file size
// (bounded by the largest element). SourceLine is the line where the element
// starts.
var spuriousRewardsFormat = Format{
	Name:   "spurious-rewards",
	Detect: detectSpuriousRewards,
	Fields: [][]string{{"metadata"}, {"rollouts", "dataset"}, {"model", "temperature"}},
	New:    func(map[string]string) Reader { return wrap("spurious-rewards", spuriousRewardsReader{}) },
}

func detectSpuriousRewards(_ string, head []byte) bool {
	k := keySet(FirstKeys(head, 64))
	return k["metadata"] && (k["rollouts"] || k["dataset"]) && (k["model"] || k["temperature"])
}

type spuriousRewardsReader struct{}

type spuriousElement struct {
	Prompt  json.RawMessage   `json:"prompt"`
	Label   json.RawMessage   `json:"label"`
	Index   json.RawMessage   `json:"index"`
	Outputs []json.RawMessage `json:"outputs"`
}

// Read implements Reader. A document that is not an object, has no metadata
// array, or is cut short gives a reject at the line where it goes wrong; the
// elements read before it are kept.
func (spuriousRewardsReader) read(ctx context.Context, src Source, res *FileResult, emit func(Item) error) error {
	path := src.Path
	lc := newLineCounter(bufio.NewReaderSize(src.R, 1<<16))
	dec := json.NewDecoder(lc)
	fail := func(msg string, args ...any) error {
		return emit(rejectAt(path, lc.LineAt(dec.InputOffset()), nil, fmt.Sprintf(msg, args...)))
	}
	tokErr := func(what string, err error) error {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail("expected %s, found the end of the file (truncated document)", what)
		}
		var re readError
		if errors.As(err, &re) {
			return err
		}
		return fail("expected %s, found invalid JSON (%v)", what, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return tokErr("a JSON object", err)
	}
	if tok != json.Delim('{') {
		return fail("expected a JSON object, found %v", tok)
	}
	sawMetadata := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return tokErr("a field name", err)
		}
		key, _ := tok.(string)
		if key == "dataset" {
			var ds any
			if err := dec.Decode(&ds); err != nil {
				return tokErr(`the value of field "dataset"`, err)
			}
			if s, ok := ds.(string); ok && s != "" {
				res.Evalset = EvalsetGuess{Name: s, Why: `the spurious-rewards document's "dataset" field`}
			}
			continue
		}
		if key != "metadata" {
			if err := skipJSONValue(dec); err != nil {
				return tokErr(fmt.Sprintf("the value of field %q", key), err)
			}
			continue
		}
		sawMetadata = true
		tok, err = dec.Token()
		if err != nil {
			return tokErr(`the "metadata" array`, err)
		}
		if tok != json.Delim('[') {
			return fail(`field "metadata": expected an array, found %v`, tok)
		}
		for i := 0; dec.More(); i++ {
			if i%cancelEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return tokErr(fmt.Sprintf("metadata element %d", i), err)
			}
			line := lc.LineAt(dec.InputOffset() - int64(len(raw)))
			for _, it := range spuriousItems(path, line, i, raw) {
				if err := emit(it); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return tokErr(`the end of the "metadata" array`, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return tokErr("the end of the document", err)
	}
	if !sawMetadata {
		return fail(`expected a "metadata" array of problems, found none`)
	}
	if res.Evalset.Name == "" {
		// <model>_<dataset>.json
		base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if i := strings.LastIndexByte(base, '_'); i >= 0 && i+1 < len(base) {
			res.Evalset = EvalsetGuess{Name: base[i+1:], Why: "the spurious-rewards file name <model>_<dataset>.json"}
		}
	}
	return ctx.Err()
}

func spuriousItems(path string, line int64, i int, raw json.RawMessage) []Item {
	one := func(msg string, args ...any) []Item {
		return []Item{rejectAt(path, line, raw, fmt.Sprintf("metadata[%d]: ", i)+fmt.Sprintf(msg, args...))}
	}
	var e spuriousElement
	if err := json.Unmarshal(raw, &e); err != nil {
		return one("%s", describeJSONError(err))
	}
	if e.Outputs == nil {
		return one(`field "outputs": expected an array of responses, found nothing`)
	}
	base := newRecord(path, line)
	base.Position = int64(i)
	if n, ok, err := jsonInt(e.Index); err != nil {
		return one(`field "index": %v`, err)
	} else if ok && n >= 0 {
		base.Position = n
	}
	if p, ok, err := jsonString(e.Prompt); err != nil {
		return one(`field "prompt": %v`, err)
	} else if ok {
		base.ProblemText = promptProblem(p)
	}
	if g, ok, err := jsonText(e.Label); err != nil {
		return one(`field "label": %v`, err)
	} else if ok {
		base.Gold = &g
	}
	items := make([]Item, 0, len(e.Outputs))
	for j, o := range e.Outputs {
		s, ok, err := jsonString(o)
		if err != nil || !ok {
			items = append(items, rejectAt(path, line, o, fmt.Sprintf(`metadata[%d].outputs[%d]: expected a string, found %s`, i, j, jsonKind(o))))
			continue
		}
		r := base
		r.SampleIdx = int64(j)
		r.Response = s
		items = append(items, Item{Record: &r})
	}
	return items
}
