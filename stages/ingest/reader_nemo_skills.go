package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
)

// The nemo-skills format is what NVIDIA NeMo-Skills' generation + evaluation
// pipeline writes: one file per random seed, output-rs<seed>.jsonl (or
// output.jsonl for greedy decoding), one problem per line, line i of every seed
// file being problem i of the benchmark. A line carries the benchmark's own fields
// (problem, expected_answer, id, subject, level, ...; subject and level are kept)
// and the generation's:
//
//	generation, num_generated_tokens, finish_reason (newer versions),
//	predicted_answer, symbolic_correct (older versions: is_correct),
//	judgement (LLM-judge runs)
//
// Each file contributes one sample per problem: SampleIdx is the seed from the
// file name (0 for output.jsonl) and Position is the problem's line index
// (0-based, counting non-blank lines).
var nemoSkillsFormat = Format{
	Name:   "nemo-skills",
	Detect: detectNemoSkills,
	New:    func(map[string]string) Reader { return wrap("nemo-skills", nemoSkillsReader{}) },
}

var nemoSkillsName = regexp.MustCompile(`^output(?:-rs(\d+))?\.jsonl$`)

// nemoSkillsSeed returns the seed named by a NeMo-Skills output file name.
func nemoSkillsSeed(path string) (seed int64, ok bool) {
	m := nemoSkillsName.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return 0, false
	}
	if m[1] == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n, err == nil
}

func detectNemoSkills(path string, head []byte) bool {
	if _, ok := nemoSkillsSeed(path); !ok {
		return false
	}
	k := keySet(FirstKeys(head, 128))
	return k["generation"] && (k["expected_answer"] || k["predicted_answer"] || k["symbolic_correct"] || k["is_correct"])
}

type nemoSkillsReader struct{}

type nemoSkillsLine struct {
	Generation      json.RawMessage `json:"generation"`
	ExpectedAnswer  json.RawMessage `json:"expected_answer"`
	PredictedAnswer json.RawMessage `json:"predicted_answer"`
	SymbolicCorrect json.RawMessage `json:"symbolic_correct"`
	IsCorrect       json.RawMessage `json:"is_correct"`
	ID              json.RawMessage `json:"id"`
	UniqueID        json.RawMessage `json:"unique_id"`
	Problem         json.RawMessage `json:"problem"`
	Question        json.RawMessage `json:"question"`
	NumTokens       json.RawMessage `json:"num_generated_tokens"`
	FinishReason    json.RawMessage `json:"finish_reason"`
	Subject         json.RawMessage `json:"subject"`
	Type            json.RawMessage `json:"type"`
	Level           json.RawMessage `json:"level"`
}

// Read implements Reader. A file whose name is not output-rs<seed>.jsonl or
// output.jsonl is read with seed 0.
func (nemoSkillsReader) read(ctx context.Context, src Source, res *FileResult, emit func(Item) error) error {
	path := src.Path
	seed, _ := nemoSkillsSeed(path)
	var position int64
	return readJSONL(ctx, src, emit, func(line int64, data []byte) error {
		it := nemoSkillsItem(path, line, data, seed, position)
		position++
		return emit(it)
	})
}

func nemoSkillsItem(path string, line int64, data []byte, seed, position int64) Item {
	var l nemoSkillsLine
	if it := decodeLine(path, line, data, &l); it != nil {
		return *it
	}
	bad := func(field string, err error) Item {
		return rejectAt(path, line, data, fmt.Sprintf("field %q: %v", field, err))
	}
	r := newRecord(path, line)
	r.SampleIdx = seed
	r.Position = position
	gen, ok, err := jsonString(l.Generation)
	if err != nil {
		return bad("generation", err)
	}
	if !ok {
		return rejectAt(path, line, data, `field "generation": expected a string, found `+jsonKind(l.Generation))
	}
	r.Response = gen
	r.Subject = jsonSubject(l.Subject, l.Type)
	r.Level = jsonLevel(l.Level)
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"unique_id", l.UniqueID}, {"id", l.ID}} {
		s, ok, err := jsonText(f.raw)
		if err != nil {
			return bad(f.name, err)
		}
		if ok {
			// A numeric id is the line index again; only a real evalset id
			// (MATH-500 unique_id) names the problem.
			if _, numErr := strconv.ParseInt(s, 10, 64); numErr != nil && s != "" {
				r.ProblemID = s
				break
			}
		}
	}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"problem", l.Problem}, {"question", l.Question}} {
		s, ok, err := jsonString(f.raw)
		if err != nil {
			return bad(f.name, err)
		}
		if ok {
			r.ProblemText = s
			break
		}
	}
	if g, ok, err := jsonText(l.ExpectedAnswer); err != nil {
		return bad("expected_answer", err)
	} else if ok {
		r.Gold = &g
	}
	if p, ok, err := jsonText(l.PredictedAnswer); err != nil {
		return bad("predicted_answer", err)
	} else if ok {
		r.PeerExtracted = &p
	}
	verdict, field := l.SymbolicCorrect, "symbolic_correct"
	if isNull(verdict) {
		verdict, field = l.IsCorrect, "is_correct"
	}
	if v, ok, err := jsonVerdict(verdict); err != nil {
		return bad(field, err)
	} else if ok {
		r.PeerCorrect = &v
	}
	if n, ok, err := jsonInt(l.NumTokens); err != nil {
		return bad("num_generated_tokens", err)
	} else if ok {
		r.ResponseTokens = &n
	}
	if s, ok, err := jsonString(l.FinishReason); err != nil {
		return bad("finish_reason", err)
	} else if ok {
		r.FinishReason = &s
	}
	return Item{Record: &r}
}
