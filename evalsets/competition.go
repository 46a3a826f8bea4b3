package evalsets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// competitionFields are the record fields LayoutCompetition reads, each with
// the alternative names used by the common Hugging Face exports (the first
// present wins): the problem's id (kept as unique_id; optional), its text, its
// integer answer and an optional worked solution. Other fields (url, year, ...)
// are ignored. Subject is left empty and level 0.
var competitionFields = []string{
	strings.Join(competitionID, "|"),
	strings.Join(competitionProblem, "|"),
	strings.Join(competitionAnswer, "|"),
	strings.Join(competitionSolution, "|") + " (optional)",
}

var (
	competitionID       = []string{"id", "ID", "unique_id"}
	competitionProblem  = []string{"problem", "question", "Problem", "Question"}
	competitionAnswer   = []string{"answer", "Answer"}
	competitionSolution = []string{"solution", "Solution"}
)

const competitionFileNote = "use the Hub's Parquet file, or export the split to JSONL (one object per line), e.g. with the datasets library: load_dataset(...)[split].to_json(path)"

// AIME2024 is the 30 problems of AIME 2024 I and II. Its file is user-supplied.
var AIME2024 = Definition{
	Name:        "aime2024",
	Description: "AIME 2024: the 30 problems of AIME 2024 I and II; integer answers 0-999",
	Answers:     IntegerAnswers,
	Layout:      LayoutCompetition,
	Fields:      competitionFields,
	Source:      "HuggingFaceH4/aime_2024 train split (id, problem, solution, answer, url, year); " + competitionFileNote,
	Problems:    30,
}

// AIME2025 is the 30 problems of AIME 2025 I and II. Its file is user-supplied.
var AIME2025 = Definition{
	Name:        "aime2025",
	Description: "AIME 2025: the 30 problems of AIME 2025 I and II; integer answers 0-999",
	Answers:     IntegerAnswers,
	Layout:      LayoutCompetition,
	Fields:      competitionFields,
	Source:      "yentinglin/aime_2025 train split (id, problem, solution, answer, url, year), or opencompass/AIME2025 AIME2025-I + AIME2025-II (question, answer); " + competitionFileNote,
	Problems:    30,
}

// AMC2023 is the 40 problems of AMC 12 2023 A and B used as "AMC23". Its file
// is user-supplied.
var AMC2023 = Definition{
	Name:        "amc2023",
	Description: "AMC 2023: the 40 AMC 12 2023 problems of the AMC23 benchmark; integer answers",
	Answers:     IntegerAnswers,
	Layout:      LayoutCompetition,
	Fields:      competitionFields,
	Source:      "math-ai/amc23 test split (id, question, answer, url), or the 2023 rows of AI-MO/aimo-validation-amc (id, problem, answer, url); " + competitionFileNote,
	Problems:    40,
}

// maxLineErrors is how many bad lines a load error lists before summing up.
const maxLineErrors = 10

// integerText is an integer as written in the common exports: "204", "033",
// 27, 27.0 (pandas writes float columns with a ".0").
var integerText = regexp.MustCompile(`^[+-]?[0-9]+(\.0*)?$`)

// parseCompetitionJSONL reads LayoutCompetition records. Every unusable line is
// reported (the first maxLineErrors of them, each a *LineError) in one error.
func parseCompetitionJSONL(src string, data []byte) ([]Problem, error) {
	var out []Problem
	var bad badRecords
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '[' {
		return nil, fmt.Errorf("%s: expected JSONL (one JSON object per line), found a JSON array; convert it with: jq -c '.[]'", src)
	}
	// A byte-order mark can only open the first line. The callback collects
	// bad lines rather than failing, so eachLine returns no error.
	_ = eachLine(data, func(line int, l []byte) error {
		p, le := parseCompetitionRecord(l)
		if le != nil {
			le.File, le.Line = src, line
			bad.add(le)
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err := bad.err(src, "lines"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: expected at least one problem, found none", src)
	}
	return out, nil
}

// badRecords collects the unusable records of a file: the first
// maxLineErrors in full, then how many more there were.
type badRecords struct {
	errs []error
	n    int
}

func (b *badRecords) add(e *LineError) {
	b.n++
	if b.n <= maxLineErrors {
		b.errs = append(b.errs, e)
	}
}

// err joins the collected errors (nil when there were none); unit names the
// records ("lines", "rows") in the count of those left out.
func (b *badRecords) err(src, unit string) error {
	if b.n == 0 {
		return nil
	}
	errs := b.errs
	if b.n > maxLineErrors {
		errs = append(errs, fmt.Errorf("%s: and %d more bad %s", src, b.n-maxLineErrors, unit))
	}
	return errors.Join(errs...)
}

func parseCompetitionRecord(l []byte) (Problem, *LineError) {
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(l, &rec); err != nil || rec == nil {
		if err == nil {
			err = errors.New("found null")
		}
		return Problem{}, &LineError{Err: fmt.Errorf("expected a JSON object with problem and answer: %v", err)}
	}
	var p Problem
	name, raw := pick(rec, competitionID)
	if raw != nil {
		id, err := scalarText(raw)
		if err != nil {
			return Problem{}, &LineError{Field: name, Err: fmt.Errorf("expected a string or number id, %v", err)}
		}
		p.UniqueID = id
	}
	name, raw = pick(rec, competitionProblem)
	if raw == nil {
		return Problem{}, &LineError{Field: "problem", Err: errors.New("expected the problem text (problem or question), found nothing")}
	}
	if err := json.Unmarshal(raw, &p.Problem); err != nil || strings.TrimSpace(p.Problem) == "" {
		return Problem{}, &LineError{Field: name, Err: fmt.Errorf("expected the problem text, found %s", clip(raw))}
	}
	p.Problem = strings.ToValidUTF8(p.Problem, "\ufffd")
	name, raw = pick(rec, competitionAnswer)
	if raw == nil {
		return Problem{}, &LineError{Field: "answer", Err: errors.New("expected an integer answer, found nothing")}
	}
	a, err := IntegerAnswer(raw)
	if err != nil {
		return Problem{}, &LineError{Field: name, Err: err}
	}
	p.Answer = a
	if name, raw = pick(rec, competitionSolution); raw != nil && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p.Solution); err != nil {
			return Problem{}, &LineError{Field: name, Err: fmt.Errorf("expected the solution text, found %s", clip(raw))}
		}
	}
	return p, nil
}

// IntegerAnswer reads an integer gold answer given as a JSON string or number
// ("204", "033", 27, 27.0) and returns it in canonical form ("204", "33", "27").
// Anything else (a fraction, a decimal, LaTeX, null) is an error saying what
// was found.
func IntegerAnswer(raw json.RawMessage) (string, error) {
	t := strings.TrimSpace(string(raw))
	if strings.HasPrefix(t, `"`) {
		var s string
		if err := json.Unmarshal([]byte(t), &s); err != nil {
			return "", fmt.Errorf("expected an integer, found %s", clip(raw))
		}
		t = strings.TrimSpace(s)
	}
	if !integerText.MatchString(t) {
		return "", fmt.Errorf("expected an integer (AIME and AMC answers are integers), found %s", clip(raw))
	}
	if i := strings.IndexByte(t, '.'); i >= 0 {
		t = t[:i]
	}
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimLeft(strings.TrimLeft(t, "+-"), "0")
	if t == "" {
		return "0", nil
	}
	if neg {
		t = "-" + t
	}
	return t, nil
}

// pick returns the first of names present in rec (null counts as absent).
func pick(rec map[string]json.RawMessage, names []string) (string, json.RawMessage) {
	for _, n := range names {
		if v, ok := rec[n]; ok && string(bytes.TrimSpace(v)) != "null" {
			return n, v
		}
	}
	return "", nil
}

// scalarText is a JSON string's value or a JSON number's text.
func scalarText(raw json.RawMessage) (string, error) {
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '"' {
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return "", fmt.Errorf("found %s", clip(raw))
		}
		return strings.ToValidUTF8(s, "\ufffd"), nil
	}
	var n json.Number
	if err := json.Unmarshal(t, &n); err != nil {
		return "", fmt.Errorf("found %s", clip(raw))
	}
	return n.String(), nil
}

// clip shows a raw JSON value in a message: a string as a Go-quoted string, any
// other value as its JSON text, cut to 60 bytes.
func clip(raw json.RawMessage) string {
	t := strings.TrimSpace(string(raw))
	var s string
	if strings.HasPrefix(t, `"`) && json.Unmarshal([]byte(t), &s) == nil {
		if len(s) > 60 {
			return fmt.Sprintf("%q...", strings.ToValidUTF8(s[:60], ""))
		}
		return fmt.Sprintf("%q", s)
	}
	t = strings.Join(strings.Fields(strings.ToValidUTF8(t, "\ufffd")), " ")
	if len(t) > 60 {
		t = strings.ToValidUTF8(t[:60], "") + "..."
	}
	return t
}
