package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// The canonical format is rlvr-eval's own JSONL, in one of two shapes:
//
//	{"problem_id": "test/algebra/1.json", "response": "...", "sample_idx": 0,
//	 "finish_reason": "stop", "response_tokens": 312, "gold": "2"}
//	{"problem_id": "test/algebra/1.json", "responses": ["...", "..."], "gold": "2"}
//
// sample_idx, finish_reason, response_tokens and gold are optional; "problem"
// (the statement) may stand in for or accompany problem_id. In the second shape
// an element of responses is a string or an object {response, finish_reason?,
// response_tokens?, sample_idx?}; sample_idx defaults to the element's index.
// The checkpoint fields family, model, reward, step and seed may be given on
// any line; the pipeline uses them where the config leaves a field open.
var canonicalFormat = Format{
	Name: "canonical",
	Detect: func(_ string, head []byte) bool {
		k := firstRecordKeys(head)
		return k["problem_id"] && (k["response"] || k["responses"])
	},
	Fields: [][]string{{"problem_id"}, {"response", "responses"}},
	New:    func(map[string]string) Reader { return wrap("canonical", canonicalReader{}) },
}

type canonicalReader struct{}

// canonicalLine is one line of either shape.
type canonicalLine struct {
	ProblemID      flexString        `json:"problem_id"`
	Problem        *string           `json:"problem"`
	Response       *string           `json:"response"`
	Responses      []json.RawMessage `json:"responses"`
	SampleIdx      *int64            `json:"sample_idx"`
	FinishReason   *string           `json:"finish_reason"`
	ResponseTokens *int64            `json:"response_tokens"`
	Gold           *flexString       `json:"gold"`
	Correct        *bool             `json:"correct"`

	Family *string `json:"family"`
	Model  *string `json:"model"`
	Reward *string `json:"reward"`
	Step   *int64  `json:"step"`
	Seed   *int64  `json:"seed"`
}

type canonicalResponse struct {
	Response       *string `json:"response"`
	FinishReason   *string `json:"finish_reason"`
	ResponseTokens *int64  `json:"response_tokens"`
	SampleIdx      *int64  `json:"sample_idx"`
}

// flexString accepts a JSON string or number (ids and gold answers written as
// numbers); set tells whether the field was present and not null.
type flexString struct {
	s   string
	set bool
}

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &f.s); err != nil {
			return err
		}
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		f.s = string(b)
	default:
		return fmt.Errorf("expected a string or a number, found %s", b)
	}
	f.set = true
	return nil
}

func (canonicalReader) read(ctx context.Context, src Source, _ *FileResult, emit func(Item) error) error {
	path := src.Path
	return ScanJSONLines(ctx, path, src.R, emit, func(line int64, data []byte) error {
		for _, it := range canonicalItems(path, line, data) {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	})
}

// itemReject is rejectAt with a formatted message.
func itemReject(path string, line int64, raw []byte, format string, args ...any) Item {
	return rejectAt(path, line, raw, fmt.Sprintf(format, args...))
}

// canonicalItems turns one canonical line into its records or a reject.
func canonicalItems(path string, line int64, data []byte) []Item {
	var l canonicalLine
	if decodeCanonicalFast(data, &l) {
		return canonicalLineItems(path, line, data, &l)
	}
	l = canonicalLine{}
	if err := json.Unmarshal(data, &l); err != nil {
		return []Item{itemReject(path, line, data, "expected a canonical record {problem_id, response | responses, ...}: %s", jsonErrorText(err))}
	}
	return canonicalLineItems(path, line, data, &l)
}

// canonicalLineItems turns a decoded canonical line into its records or a reject.
func canonicalLineItems(path string, line int64, data []byte, l *canonicalLine) []Item {
	if !l.ProblemID.set && (l.Problem == nil || *l.Problem == "") {
		return []Item{itemReject(path, line, data, "expected problem_id (or problem), found neither")}
	}
	base := Record{
		SourceFile: path, SourceLine: line, ProblemID: l.ProblemID.s, Position: -1, SampleIdx: -1,
		FinishReason: l.FinishReason, ResponseTokens: l.ResponseTokens, PeerCorrect: l.Correct,
		Family: l.Family, Model: l.Model, Reward: l.Reward, Step: l.Step, Seed: l.Seed,
	}
	if l.Problem != nil {
		base.ProblemText = *l.Problem
	}
	if l.Gold != nil && l.Gold.set {
		g := l.Gold.s
		base.Gold = &g
	}
	switch {
	case l.Response != nil && l.Responses != nil:
		return []Item{itemReject(path, line, data, "expected either response or responses, found both")}
	case l.Response != nil:
		r := base
		r.Response = *l.Response
		if l.SampleIdx != nil {
			r.SampleIdx = *l.SampleIdx
		}
		return []Item{{Record: &r}}
	case l.Responses != nil:
		if l.SampleIdx != nil {
			return []Item{itemReject(path, line, data, "expected no sample_idx on a line with responses (each response is numbered by its position), found %d", *l.SampleIdx)}
		}
		items := make([]Item, 0, len(l.Responses))
		for i, raw := range l.Responses {
			r := base
			r.SampleIdx = int64(i)
			raw = bytes.TrimSpace(raw)
			switch {
			case len(raw) > 0 && raw[0] == '"':
				if err := json.Unmarshal(raw, &r.Response); err != nil {
					items = append(items, itemReject(path, line, data, "responses[%d]: %s", i, jsonErrorText(err)))
					continue
				}
			case len(raw) > 0 && raw[0] == '{':
				var cr canonicalResponse
				if err := json.Unmarshal(raw, &cr); err != nil {
					items = append(items, itemReject(path, line, data, "responses[%d]: %s", i, jsonErrorText(err)))
					continue
				}
				if cr.Response == nil {
					items = append(items, itemReject(path, line, data, "responses[%d]: expected a response string, found none", i))
					continue
				}
				r.Response = *cr.Response
				if cr.FinishReason != nil {
					r.FinishReason = cr.FinishReason
				}
				if cr.ResponseTokens != nil {
					r.ResponseTokens = cr.ResponseTokens
				}
				if cr.SampleIdx != nil {
					r.SampleIdx = *cr.SampleIdx
				}
			default:
				items = append(items, itemReject(path, line, data, "responses[%d]: expected a string or an object {response, ...}, found %s", i, quoteHead(raw, 40)))
				continue
			}
			items = append(items, Item{Record: &r})
		}
		if len(items) == 0 {
			return []Item{itemReject(path, line, data, "expected at least one response in responses, found an empty list")}
		}
		return items
	default:
		return []Item{itemReject(path, line, data, "expected a response (string) or responses (list), found neither")}
	}
}

// jsonErrorText words an encoding/json error for a reject message.
func jsonErrorText(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("invalid JSON at byte %d (%v)", e.Offset, e)
	case *json.UnmarshalTypeError:
		if e.Field != "" {
			return fmt.Sprintf("field %s: expected %s, found JSON %s", e.Field, e.Type, e.Value)
		}
		return fmt.Sprintf("expected a JSON object, found JSON %s", e.Value)
	}
	return err.Error()
}

func quoteHead(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strconv.Quote(string(b))
}
