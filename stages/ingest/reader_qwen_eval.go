package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The qwen-eval format is the output of the Qwen2.5-Math evaluation toolkit (and
// of the forks used by "Limit of RLVR" and One-Shot RLVR): JSONL, one problem
// per line,
//
//	{"idx": 0, "question": "...", "gt": "420", "answer": "420", "level": "Level 3",
//	 "type": "Algebra", "code": ["response 0", ...], "pred": ["420", ...],
//	 "score": [true, ...], "finish_reason": ["stop", ...]}
//
// Each element of code is one sample (sample_idx = its index). The problem is
// found by its question text (the toolkit writes no evalset id); idx becomes
// the record's position. gt (else answer) is the gold; pred and score are the
// toolkit's own verdicts (peer_extracted, peer_correct). level ("Level 3" or 3)
// and type (the MATH subject) are kept when present.
var qwenEvalFormat = Format{
	Name: "qwen-eval",
	Detect: func(_ string, head []byte) bool {
		k := firstRecordKeys(head)
		return k["idx"] && k["code"] && (k["question"] || k["gt"])
	},
	Fields: [][]string{{"idx"}, {"code"}, {"question", "gt"}},
	New:    func(map[string]string) Reader { return wrap("qwen-eval", qwenEvalReader{}) },
}

type qwenEvalReader struct{}

type qwenEvalLine struct {
	Idx          *int64            `json:"idx"`
	Question     *string           `json:"question"`
	GT           *flexString       `json:"gt"`
	Answer       *flexString       `json:"answer"`
	Level        json.RawMessage   `json:"level"`
	Type         *string           `json:"type"`
	Code         []json.RawMessage `json:"code"`
	Pred         []json.RawMessage `json:"pred"`
	Score        []json.RawMessage `json:"score"`
	FinishReason []json.RawMessage `json:"finish_reason"`
}

func (qwenEvalReader) read(ctx context.Context, src Source, res *FileResult, emit func(Item) error) error {
	path := src.Path
	res.Evalset = qwenEvalEvalset(path)
	return ScanJSONLines(ctx, path, src.R, emit, func(line int64, data []byte) error {
		for _, it := range qwenEvalItems(path, line, data) {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	})
}

// qwenEvalFileName is the toolkit's output name,
// {split}_{prompt_type}_{num_test_sample}_seed{seed}_t{temperature}_s{start}_e{end}.jsonl
// (math_eval.py; older versions end at _t{temperature}), written in a folder
// named after the data set: {output_dir}/{data_name}/.
var qwenEvalFileName = regexp.MustCompile(`^[A-Za-z0-9]+_.+_-?\d+_seed\d+_t[0-9.]+(?:_s\d+_e-?\d+)?\.jsonl$`)

// qwenEvalEvalset names the toolkit's data set: the folder of a file named as
// the toolkit names its outputs.
func qwenEvalEvalset(path string) EvalsetGuess {
	dir := filepath.Base(filepath.Dir(path))
	if qwenEvalFileName.MatchString(filepath.Base(path)) && dir != "." && dir != string(filepath.Separator) {
		return EvalsetGuess{Name: dir, Why: "the Qwen2.5-Math toolkit's data folder " + dir + "/ (output " + filepath.Base(path) + ")"}
	}
	return EvalsetGuess{Name: EvalsetCustom, Why: "the file is not named as the Qwen2.5-Math toolkit names its outputs ({split}_{prompt_type}_{n}_seed{s}_t{t}_s{start}_e{end}.jsonl in a {data_name}/ folder)"}
}

func qwenEvalItems(path string, line int64, data []byte) []Item {
	var l qwenEvalLine
	if err := json.Unmarshal(data, &l); err != nil {
		return []Item{itemReject(path, line, data, "expected a qwen-eval record {idx, question, gt, code: [...]}: %s", jsonErrorText(err))}
	}
	if l.Code == nil {
		return []Item{itemReject(path, line, data, "expected code (the list of responses), found none")}
	}
	if len(l.Code) == 0 {
		return []Item{itemReject(path, line, data, "expected at least one response in code, found an empty list")}
	}
	if (l.Question == nil || *l.Question == "") && l.Idx == nil {
		return []Item{itemReject(path, line, data, "expected question (or idx) to identify the problem, found neither")}
	}
	base := Record{SourceFile: path, SourceLine: line, Position: -1}
	if l.Question != nil {
		base.ProblemText = *l.Question
	}
	if l.Idx != nil {
		base.Position = *l.Idx
	}
	switch {
	case l.GT != nil && l.GT.set:
		g := l.GT.s
		base.Gold = &g
	case l.Answer != nil && l.Answer.set:
		g := l.Answer.s
		base.Gold = &g
	}
	if l.Type != nil {
		base.Subject = *l.Type
	}
	if lv := bytes.Trim(bytes.TrimSpace(l.Level), `"`); len(lv) > 0 && !bytes.Equal(lv, []byte("null")) {
		s := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(string(lv), "Level"), "level"))
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return []Item{itemReject(path, line, data, "field level: expected a level like 3 or \"Level 3\", found %s", quoteHead(l.Level, 40))}
		}
		base.Level = n
	}
	items := make([]Item, 0, len(l.Code))
	for i, raw := range l.Code {
		r := base
		r.SampleIdx = int64(i)
		if err := json.Unmarshal(raw, &r.Response); err != nil || len(bytes.TrimSpace(raw)) == 0 || raw[0] != '"' {
			items = append(items, itemReject(path, line, data, "code[%d]: expected a response string, found %s", i, quoteHead(raw, 40)))
			continue
		}
		if i < len(l.Score) {
			var b bool
			if sc := bytes.TrimSpace(l.Score[i]); len(sc) > 0 && sc[0] != 'n' && json.Unmarshal(sc, &b) == nil {
				r.PeerCorrect = &b
				r.PeerMetric = "score"
			}
		}
		if i < len(l.Pred) {
			r.PeerExtracted = peerAnswer(l.Pred[i])
			r.PeerCompared = PeerComparedExtraction
		}
		if i < len(l.FinishReason) {
			var s string
			if json.Unmarshal(l.FinishReason[i], &s) == nil {
				r.FinishReason = &s
			}
		}
		items = append(items, Item{Record: &r})
	}
	return items
}

// peerAnswer reads a peer's extracted answer written as a string, a number or
// a list (the first element); null or an empty string give nil.
func peerAnswer(raw json.RawMessage) *string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == 'n' {
		return nil
	}
	var s string
	switch raw[0] {
	case '"':
		if json.Unmarshal(raw, &s) != nil {
			return nil
		}
	case '[':
		var l []json.RawMessage
		if json.Unmarshal(raw, &l) != nil || len(l) == 0 {
			return nil
		}
		return peerAnswer(l[0])
	default:
		s = string(raw)
	}
	if s == "" {
		return nil
	}
	return &s
}
