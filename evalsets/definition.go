package evalsets

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// AnswerType says what a definition's gold answers are.
type AnswerType string

const (
	// LaTeXAnswers are free-form LaTeX expressions (MATH-500).
	LaTeXAnswers AnswerType = "latex"
	// IntegerAnswers are integers, validated on load (AIME, AMC).
	IntegerAnswers AnswerType = "integer"
)

// Layout is the record layout a definition's file has, which decides the loader
// Load uses for it.
type Layout int

const (
	// LayoutMATH500 is one JSON object per line (or Parquet rows) with problem,
	// solution, answer, subject, level and unique_id.
	LayoutMATH500 Layout = iota
	// LayoutCompetition is one JSON object per line with an id, the problem text
	// and an integer answer, as in the Hugging Face AIME and AMC datasets; see
	// the Fields of AIME2024 for the accepted field names.
	LayoutCompetition
)

// Definition describes a known evalset: what it is, the layout of its file,
// where the file comes from and, when the file is published at a fixed URL, the
// sha256 its bytes must have (then `rlvr-eval evalset fetch` downloads it).
type Definition struct {
	// Name is the config name (evalset.name).
	Name string
	// Description is one line saying what the evalset is.
	Description string
	// Answers is the kind of gold answer.
	Answers AnswerType
	// Layout is the record layout of the file.
	Layout Layout
	// Fields are the record fields the loader reads, in the order a user would
	// look for them; alternatives are written "problem|question".
	Fields []string
	// Source says where the file comes from (a dataset id and how to export it).
	Source string
	// URL is the published file; "" when the file is user-supplied.
	URL string
	// SHA256 is the hex sha256 of the published file; "" when there is none.
	SHA256 string
	// Problems is the number of problems of the published split.
	Problems int
}

// UserSupplied reports whether the file is not downloadable by fetch: the user
// exports it and passes its path.
func (d Definition) UserSupplied() bool { return d.URL == "" }

// FileName is the name of the definition's local copy in an evalsets directory
// (DefaultDir or fetch --dir): "<name>.jsonl".
func (d Definition) FileName() string { return d.Name + ".jsonl" }

// Origin is where the file comes from, for messages: the URL, or "user-supplied"
// and the Source.
func (d Definition) Origin() string {
	if d.UserSupplied() {
		return "user-supplied (" + d.Source + ")"
	}
	return d.URL
}

// known lists the known evalsets by name; LookupDefinition and Definitions
// read it (unexported so no caller can change it for the others).
var known = map[string]Definition{
	MATH500.Name:  MATH500,
	AIME2024.Name: AIME2024,
	AIME2025.Name: AIME2025,
	AMC2023.Name:  AMC2023,
}

// LookupDefinition returns the known evalset called name.
func LookupDefinition(name string) (Definition, bool) {
	d, ok := known[name]
	return d, ok
}

// Definitions returns the known evalsets sorted by name.
func Definitions() []Definition {
	out := make([]Definition, 0, len(known))
	for _, d := range known {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// DefaultDir is where fetch writes evalset files and where list and show look for
// local copies when no directory is given: $RLVR_EVAL_EVALSETS_DIR when set, else
// rlvr-eval/evalsets under the user cache directory ($XDG_CACHE_HOME, or
// ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows).
func DefaultDir() (string, error) {
	if d := os.Getenv("RLVR_EVAL_EVALSETS_DIR"); d != "" {
		return d, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("evalsets directory: no user cache directory (set RLVR_EVAL_EVALSETS_DIR or pass --dir): %w", err)
	}
	return filepath.Join(c, "rlvr-eval", "evalsets"), nil
}

// LocalPath is the path of d's local copy in dir (which may not exist).
func LocalPath(dir string, d Definition) string { return filepath.Join(dir, d.FileName()) }

// PublishedBySHA256 returns the known evalset whose published file has the hex
// sha256 sum, whatever the local file is called.
func PublishedBySHA256(sum string) (Definition, bool) {
	for _, d := range Definitions() {
		if d.SHA256 != "" && d.SHA256 == sum {
			return d, true
		}
	}
	return Definition{}, false
}
