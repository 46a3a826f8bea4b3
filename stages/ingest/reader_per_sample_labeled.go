package ingest

import (
	"context"
	"encoding/json"
	"fmt"
)

// The per-sample-labeled format is what RLVR-Decomposed's eval.py (Zhu et al.
// 2025, "The Surprising Effectiveness of Negative Reinforcement in LLM
// Reasoning") writes: JSONL, one sample per line, with the fields
//
//	prompt, vanilla_response, question, answer, question_id, generation_id,
//	response, label, gold_answer, pred_answer
//
// question_id is the problem's index in the dataset (offset by --resume_id, so a
// position, not a MATH-500 unique_id), generation_id the sample index, answer
// the dataset's answer column (the full solution for MATH), gold_answer the
// answer extracted from it, pred_answer the answer extracted from the response
// and label the tool's own verdict (math_equal).
var perSampleLabeledFormat = Format{
	Name:   "per-sample-labeled",
	Detect: detectPerSampleLabeled,
	Fields: [][]string{{"question_id"}, {"generation_id"}, {"response"}, {"label", "gold_answer", "pred_answer"}},
	New:    func(map[string]string) Reader { return wrap("per-sample-labeled", perSampleLabeledReader{}) },
}

func detectPerSampleLabeled(_ string, head []byte) bool {
	k := keySet(FirstKeys(head, 64))
	if k["question_id"] && k["generation_id"] && k["response"] &&
		(k["label"] || k["gold_answer"] || k["pred_answer"]) {
		return true
	}
	// eval.py writes prompt and vanilla_response first: a response longer than
	// the sniffed head hides the other keys. vanilla_response is eval.py's own.
	return k["prompt"] && k["vanilla_response"]
}

type perSampleLabeledReader struct{}

type perSampleLabeledLine struct {
	QuestionID   json.RawMessage `json:"question_id"`
	GenerationID json.RawMessage `json:"generation_id"`
	Question     json.RawMessage `json:"question"`
	Response     json.RawMessage `json:"response"`
	Vanilla      json.RawMessage `json:"vanilla_response"`
	GoldAnswer   json.RawMessage `json:"gold_answer"`
	Answer       json.RawMessage `json:"answer"`
	PredAnswer   json.RawMessage `json:"pred_answer"`
	Label        json.RawMessage `json:"label"`
}

// Read implements Reader. Every line gives one record or one reject.
func (perSampleLabeledReader) read(ctx context.Context, src Source, _ *FileResult, emit func(Item) error) error {
	path := src.Path
	return readJSONL(ctx, src, emit, func(line int64, data []byte) error {
		return emit(perSampleLabeledItem(path, line, data))
	})
}

func perSampleLabeledItem(path string, line int64, data []byte) Item {
	var l perSampleLabeledLine
	if it := decodeLine(path, line, data, &l); it != nil {
		return *it
	}
	bad := func(field string, err error) Item {
		return rejectAt(path, line, data, fmt.Sprintf("field %q: %v", field, err))
	}
	r := newRecord(path, line)
	resp, ok, err := jsonString(l.Response)
	if err != nil {
		return bad("response", err)
	}
	if !ok {
		// Older runs of the script only wrote vanilla_response.
		if resp, ok, err = jsonString(l.Vanilla); err != nil || !ok {
			return rejectAt(path, line, data, `field "response": expected a string, found `+jsonKind(l.Response))
		}
	}
	r.Response = resp

	if s, ok, err := jsonText(l.QuestionID); err != nil {
		return bad("question_id", err)
	} else if ok {
		setProblemKey(&r, s)
	}
	if q, ok, err := jsonString(l.Question); err != nil {
		return bad("question", err)
	} else if ok {
		r.ProblemText = q
	}
	if r.ProblemID == "" && r.Position < 0 && r.ProblemText == "" {
		return rejectAt(path, line, data, `expected a problem key (field "question_id" or "question"), found neither`)
	}
	if n, ok, err := jsonInt(l.GenerationID); err != nil {
		return bad("generation_id", err)
	} else if ok {
		r.SampleIdx = n
	}

	if g, ok, err := jsonText(l.GoldAnswer); err != nil {
		return bad("gold_answer", err)
	} else if ok && g != "" {
		r.Gold = &g
	} else if a, ok, err := jsonText(l.Answer); err != nil {
		return bad("answer", err)
	} else if ok && a != "" {
		r.Gold = &a // the full solution: answer mode takes its last \boxed{}
	}
	if p, ok, err := jsonText(l.PredAnswer); err != nil {
		return bad("pred_answer", err)
	} else if ok {
		r.PeerExtracted = &p
	}
	if l.PredAnswer != nil {
		r.PeerCompared = PeerComparedExtraction
	}
	if v, ok, err := jsonVerdict(l.Label); err != nil {
		return bad("label", err)
	} else if ok {
		r.PeerCorrect = &v
		r.PeerMetric = "label"
	}
	return Item{Record: &r}
}
