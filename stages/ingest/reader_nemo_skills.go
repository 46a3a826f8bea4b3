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
// Layouts seen in real files (../shared/data/formats/nemo_skills and the
// tool's history):
//
//	2024-06  generated_solution, predicted_answer, error_message, expected_answer, is_correct, question
//	2024-08  generation, question, is_correct, ...
//	2024-09  generation, problem, is_correct, ...
//	current  generation, problem, expected_answer, predicted_answer, symbolic_correct, id, ...
//
// none of the older ones with an id. The response is generation (else
// generated_solution), the problem problem (else question), the verdict
// symbolic_correct (else is_correct), named in Record.PeerMetric, with
// predicted_answer the peer's extraction (null: it extracted nothing).
//
// A file is detected by its name (output-rs<seed>.jsonl, output.jsonl) with a
// response field and a verdict or answer field (the name is required: these
// fields alone are too common to claim a file). The
// evalset suggestion is the benchmark folder of NeMo-Skills' layout
// <output>/eval-results/<benchmark>/output-rs<seed>.jsonl.
//
// Each file contributes one sample per problem: SampleIdx is the seed from the
// file name (0 for output.jsonl) and Position is the problem's line index
// (0-based, counting non-blank lines).
var nemoSkillsFormat = Format{
	Name:     "nemo-skills",
	Detect:   detectNemoSkills,
	Fields:   [][]string{{"generation", "generated_solution"}, {"expected_answer", "predicted_answer", "symbolic_correct", "is_correct"}},
	FileName: "output-rs<seed>.jsonl or output.jsonl",
	New:      func(map[string]string) Reader { return wrap("nemo-skills", nemoSkillsReader{}) },
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
	k := keySet(FirstKeys(head, 128))
	response := k["generation"] || k["generated_solution"]
	verdict := k["symbolic_correct"] || k["is_correct"]
	_, named := nemoSkillsSeed(path)
	return named && response && (k["expected_answer"] || k["predicted_answer"] || verdict)
}

// nemoSkillsEvalset names the benchmark of <output>/eval-results/<benchmark>/<file>.
func nemoSkillsEvalset(path string) EvalsetGuess {
	dir := filepath.Dir(path)
	if bench := filepath.Base(dir); filepath.Base(filepath.Dir(dir)) == "eval-results" && bench != "." && bench != string(filepath.Separator) {
		return EvalsetGuess{Name: bench, Why: "NeMo-Skills benchmark folder eval-results/" + bench}
	}
	return EvalsetGuess{Name: EvalsetCustom, Why: "the NeMo-Skills file is not under eval-results/<benchmark>/, and its records name no benchmark"}
}

type nemoSkillsReader struct{}

type nemoSkillsLine struct {
	Generation      json.RawMessage `json:"generation"`
	GeneratedSol    json.RawMessage `json:"generated_solution"`
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
	res.Evalset = nemoSkillsEvalset(path)
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
	genField, genRaw := "generation", l.Generation
	if isNull(genRaw) && !isNull(l.GeneratedSol) {
		genField, genRaw = "generated_solution", l.GeneratedSol
	}
	gen, ok, err := jsonString(genRaw)
	if err != nil {
		return bad(genField, err)
	}
	if !ok {
		return rejectAt(path, line, data, `field "generation" (or "generated_solution", NeMo-Skills 2024-06): expected a string, found `+jsonKind(genRaw))
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
	if l.PredictedAnswer != nil {
		r.PeerCompared = PeerComparedExtraction
	}
	verdict, field := l.SymbolicCorrect, "symbolic_correct"
	if isNull(verdict) {
		verdict, field = l.IsCorrect, "is_correct"
	}
	if v, ok, err := jsonVerdict(verdict); err != nil {
		return bad(field, err)
	} else if ok {
		r.PeerCorrect = &v
		r.PeerMetric = field
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
