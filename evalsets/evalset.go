package evalsets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/sourcegraph/conc/panics"
)

// Problem is one problem of an evalset.
type Problem struct {
	// UniqueID is the problem's stable id (MATH-500 unique_id, e.g.
	// "test/precalculus/807.json").
	UniqueID string
	// Position is the 0-based index of the problem in its file.
	Position int
	Problem  string
	Solution string
	// Answer is the gold final answer.
	Answer  string
	Subject string
	// Level is the difficulty 1..5, 0 when unknown.
	Level int64
}

// Evalset is a loaded benchmark. It is immutable and safe for concurrent use.
type Evalset struct {
	// Name is the evalset's config name (the evalset column of every table).
	Name string
	// Path is the file it was loaded from ("" when read from a stream).
	Path string
	// FileSHA256 is the hex sha256 of the file's bytes.
	FileSHA256 string
	Problems   []Problem

	byID   map[string]int
	byText map[string]int
	hash   string
}

// Load reads the evalset called name from path. A known definition's name
// (LookupDefinition) chooses its layout: aime2024, aime2025 and amc2023 files are
// in LayoutCompetition, with integer answers checked on load. Any other name
// reads LayoutMATH500 (one problem per line, MATH-500 fields problem, solution,
// answer, subject, level, unique_id). Either layout is read from JSONL or from
// Parquet (the same fields as columns), chosen by the file extension (.parquet;
// anything else is JSONL).
func Load(name, path string) (*Evalset, error) {
	layout := LayoutMATH500
	if d, ok := LookupDefinition(name); ok {
		layout = d.Layout
	}
	return LoadLayout(name, path, layout)
}

// LoadLayout is Load with the record layout given rather than taken from the
// name: it reads a file in a known definition's layout under another name.
func LoadLayout(name, path string, layout Layout) (*Evalset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evalset %s: %w", name, err)
	}
	var probs []Problem
	parquetFile := strings.EqualFold(filepath.Ext(path), ".parquet")
	switch {
	case layout == LayoutCompetition && parquetFile:
		probs, err = parseCompetitionParquet(path, data)
	case layout == LayoutCompetition:
		probs, err = parseCompetitionJSONL(path, data)
	case parquetFile:
		probs, err = parseParquet(path, data)
	default:
		probs, err = parseJSONL(path, data)
	}
	if err != nil {
		return nil, fmt.Errorf("evalset %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	e, err := build(name, probs)
	if err != nil {
		return nil, fmt.Errorf("evalset %s: %s: %w", name, path, err)
	}
	e.Path, e.FileSHA256 = path, hex.EncodeToString(sum[:])
	return e, nil
}

// ReadJSONL reads an evalset in MATH-500 JSONL form from r.
func ReadJSONL(name string, r io.Reader) (*Evalset, error) {
	return ReadJSONLLayout(name, r, LayoutMATH500)
}

// ReadJSONLLayout reads an evalset in the given JSONL layout from r.
func ReadJSONLLayout(name string, r io.Reader, layout Layout) (*Evalset, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("evalset %s: %w", name, err)
	}
	var probs []Problem
	if layout == LayoutCompetition {
		probs, err = parseCompetitionJSONL(name, data)
	} else {
		probs, err = parseJSONL(name, data)
	}
	if err != nil {
		return nil, fmt.Errorf("evalset %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	e, err := build(name, probs)
	if err != nil {
		return nil, fmt.Errorf("evalset %s: %w", name, err)
	}
	e.FileSHA256 = hex.EncodeToString(sum[:])
	return e, nil
}

// New builds an evalset from problems (Position is set from their order).
func New(name string, problems []Problem) (*Evalset, error) {
	ps := append([]Problem(nil), problems...)
	return build(name, ps)
}

type jsonProblem struct {
	Problem  string          `json:"problem"`
	Solution string          `json:"solution"`
	Answer   string          `json:"answer"`
	Subject  string          `json:"subject"`
	Level    json.RawMessage `json:"level"`
	UniqueID string          `json:"unique_id"`
}

// eachLine calls fn with the 1-based number and the bytes (without the
// newline) of every line of data that is not blank, and stops at fn's first
// error. Line numbers count blank lines too, as an editor shows them. A
// leading UTF-8 byte-order mark (as some Windows tools write) is skipped.
func eachLine(data []byte, fn func(line int, l []byte) error) error {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	line := 0
	for l := range bytes.Lines(data) {
		line++
		l = bytes.TrimSuffix(l, []byte("\n"))
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if err := fn(line, l); err != nil {
			return err
		}
	}
	return nil
}

func parseJSONL(src string, data []byte) ([]Problem, error) {
	var out []Problem
	err := eachLine(data, func(line int, l []byte) error {
		var jp jsonProblem
		if err := json.Unmarshal(l, &jp); err != nil {
			return fmt.Errorf("%s line %d: expected a JSON object with problem, answer, unique_id: %v", src, line, err)
		}
		lv, err := ParseLevel(string(bytes.Trim(jp.Level, `"`)))
		if err != nil {
			return fmt.Errorf("%s line %d: field level: %v", src, line, err)
		}
		if jp.Problem == "" {
			return fmt.Errorf("%s line %d: field problem: expected the problem text, found nothing", src, line)
		}
		out = append(out, Problem{UniqueID: jp.UniqueID, Problem: jp.Problem, Solution: jp.Solution,
			Answer: jp.Answer, Subject: jp.Subject, Level: lv})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: expected at least one problem, found none", src)
	}
	return out, nil
}

type parquetProblem struct {
	Problem  string `parquet:"problem,optional"`
	Solution string `parquet:"solution,optional"`
	Answer   string `parquet:"answer,optional"`
	Subject  string `parquet:"subject,optional"`
	Level    int64  `parquet:"level,optional"`
	UniqueID string `parquet:"unique_id,optional"`
}

func parseParquet(src string, data []byte) (probs []Problem, err error) {
	if err := checkParquet(src, data); err != nil {
		return nil, err
	}
	var rows []parquetProblem
	r := panics.Try(func() {
		rows, err = parquet.Read[parquetProblem](bytes.NewReader(data), int64(len(data)))
	})
	if r != nil {
		return nil, fmt.Errorf("%s: reading Parquet: %v", src, r.Value)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading Parquet: %w", src, err)
	}
	for i, row := range rows {
		if row.Problem == "" {
			return nil, fmt.Errorf("%s row %d: column problem: expected the problem text, found nothing", src, i)
		}
		probs = append(probs, Problem{UniqueID: row.UniqueID, Problem: row.Problem, Solution: row.Solution,
			Answer: row.Answer, Subject: row.Subject, Level: row.Level})
	}
	if len(probs) == 0 {
		return nil, fmt.Errorf("%s: expected at least one problem, found none", src)
	}
	return probs, nil
}

func build(name string, probs []Problem) (*Evalset, error) {
	e := &Evalset{Name: name, Problems: probs, byID: make(map[string]int, len(probs)), byText: make(map[string]int, len(probs))}
	h := sha256.New()
	for i := range probs {
		p := &probs[i]
		p.Position = i
		if p.UniqueID != "" {
			if j, dup := e.byID[p.UniqueID]; dup {
				return nil, fmt.Errorf("problems %d and %d have the same unique_id %q", j, i, p.UniqueID)
			}
			e.byID[p.UniqueID] = i
		}
		t := NormalizeText(p.Problem)
		if _, dup := e.byText[t]; !dup {
			e.byText[t] = i
		} else {
			e.byText[t] = -1 // ambiguous text: never matched by text
		}
		for _, f := range []string{p.UniqueID, p.Problem, p.Answer, p.Subject, strconv.FormatInt(p.Level, 10)} {
			fmt.Fprintf(h, "%d:%s", len(f), f)
		}
	}
	e.hash = hex.EncodeToString(h.Sum(nil))
	return e, nil
}

// Hash is the hex sha256 of the evalset's content (ids, problems, gold answers,
// subjects, levels, in order), independent of the file format it came from.
// It is part of cache keys: a changed gold answer changes it.
func (e *Evalset) Hash() string { return e.hash }

// Len returns the number of problems.
func (e *Evalset) Len() int { return len(e.Problems) }

// ByID returns the problem with the given unique_id.
func (e *Evalset) ByID(id string) (*Problem, bool) {
	i, ok := e.byID[id]
	if !ok {
		return nil, false
	}
	return &e.Problems[i], true
}

// ByPosition returns the problem at the 0-based position i.
func (e *Evalset) ByPosition(i int64) (*Problem, bool) {
	if i < 0 || i >= int64(len(e.Problems)) {
		return nil, false
	}
	return &e.Problems[i], true
}

// ByText returns the problem whose statement equals text after NormalizeText.
// Texts shared by several problems of the evalset match none of them.
func (e *Evalset) ByText(text string) (*Problem, bool) {
	i, ok := e.byText[NormalizeText(text)]
	if !ok || i < 0 {
		return nil, false
	}
	return &e.Problems[i], true
}

// NormalizeText is the key under which problem texts are matched: whitespace is
// removed, and so are the LaTeX math delimiters $, \(, \), \[ and \] (a "\\"
// line break is kept), and invalid UTF-8 bytes become U+FFFD. "Find $x$ if
// $2x = 4$." and "Find \(x\) if \(2x=4\)." have the same key.
func NormalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
		case c == '$':
		case c == '\\' && i+1 < len(s):
			switch s[i+1] {
			case '(', ')', '[', ']':
				i++
			case '\\':
				b.WriteString(`\\`)
				i++
			default:
				b.WriteByte(c)
			}
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b.WriteRune(utf8.RuneError) // invalid byte: kept as U+FFFD, so keys are valid UTF-8
			case !unicode.IsSpace(r):
				b.WriteString(s[i : i+size])
			}
			i += size - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ParseLevel reads a difficulty level written as 3, "3" or "Level 3"; "" and
// "?" (MATH's unknown level) give 0.
func ParseLevel(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "Level"), "level"))
	if t == "" || t == "?" || t == "null" {
		return 0, nil
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("expected a level like 3 or \"Level 3\", found %q", s)
	}
	return n, nil
}
