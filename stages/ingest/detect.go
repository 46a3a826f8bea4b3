package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// SniffBytes is how much of a file's head detection looks at.
const SniffBytes = 64 << 10

// ErrUnknownFormat is returned (wrapped in a *DetectError) when no registered
// format recognises a file.
var ErrUnknownFormat = errors.New("unrecognised generation file format")

// DetectError says which file could not be recognised and what it starts with.
type DetectError struct {
	Path string
	// Keys are the first top-level keys of its first JSON record, if any.
	Keys []string
	// Head is a short excerpt of the file's start when it is not a JSON object.
	Head string
	// Tried lists the formats tried, in order.
	Tried []string
	// Closest is the format whose fields the first record comes closest to
	// ("" when it has none of any format's), and Missing what it lacks: a
	// field (alternatives joined by " or ") or the file name the format needs.
	Closest string
	Missing []string
}

func (e *DetectError) Error() string {
	var seen string
	switch {
	case len(e.Keys) > 0:
		seen = "a JSON record with first keys " + strings.Join(e.Keys, ", ")
	case e.Head == "":
		seen = "an empty file"
	default:
		seen = fmt.Sprintf("%q", e.Head)
	}
	closest := ""
	if e.Closest != "" {
		closest = fmt.Sprintf("; closest is %s, which needs %s", e.Closest, strings.Join(e.Missing, ", "))
	}
	return fmt.Sprintf("%s: cannot tell its format: found %s; expected one of %s%s (name it with format: in the config)",
		e.Path, seen, strings.Join(e.Tried, ", "), closest)
}

func (e *DetectError) Unwrap() error { return ErrUnknownFormat }

// Detect returns the first registered format, in priority order, whose Detect
// accepts head (the first up to SniffBytes bytes of the file at path).
//
// A results JSON of lm-eval or lighteval (see NotSamples) is detected as the
// format "not-samples", whose reader reports the file as skipped.
func Detect(path string, head []byte) (Format, error) {
	if notSamplesFormat.Detect(path, head) {
		return notSamplesFormat, nil
	}
	var tried []string
	for _, f := range Formats() {
		tried = append(tried, f.Name)
		if f.Detect != nil && f.Detect(path, head) {
			return f, nil
		}
	}
	e := &DetectError{Path: path, Tried: tried}
	e.Closest, e.Missing = closestFormat(path, head)
	first := firstLine(head)
	if e.Keys = FirstKeys(first, 8); len(e.Keys) == 0 {
		h := bytes.TrimSpace(head)
		if len(h) > 60 {
			h = h[:60]
			for len(h) > 0 && !utf8.Valid(h) {
				h = h[:len(h)-1]
			}
		}
		e.Head = string(bytes.ToValidUTF8(h, []byte("?")))
	}
	return Format{}, e
}

// DetectFile reads the head of the file at path and detects its format.
func DetectFile(path string) (Format, error) {
	head, err := ReadHead(path)
	if err != nil {
		return Format{}, err
	}
	return Detect(path, head)
}

// ReadHead returns the first up to SniffBytes bytes of the file at path.
func ReadHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, SniffBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return head[:n], nil
}

// firstLine returns the first non-blank line of head (possibly cut by the
// sniff limit).
func firstLine(head []byte) []byte {
	for len(head) > 0 {
		i := bytes.IndexByte(head, '\n')
		var l []byte
		if i < 0 {
			l, head = head, nil
		} else {
			l, head = head[:i], head[i+1:]
		}
		if len(bytes.TrimSpace(l)) > 0 {
			return l
		}
	}
	return nil
}

// firstRecordKeys returns the keys of the first JSON object of a JSONL head,
// up to 64 of them, for format detection.
func firstRecordKeys(head []byte) map[string]bool {
	return keySet(FirstKeys(firstLine(head), 64))
}

// keySet turns a key list into a set (the Detect functions test keys in it).
func keySet(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// notSamplesFormat is what Detect returns for a file that holds no samples (see
// NotSamples): its reader emits nothing and reports the file as skipped. It is
// not in the formats list and cannot be named in a config.
var notSamplesFormat = Format{
	Name: "not-samples",
	Detect: func(path string, head []byte) bool {
		_, ok := NotSamples(path, head)
		return ok
	},
	New: func(map[string]string) Reader { return wrap("not-samples", noSamplesReader{}) },
}

type noSamplesReader struct{}

// read is reached only for a file NotSamples does not recognise, named with
// this format by a caller: nothing to read is then an error.
func (noSamplesReader) read(_ context.Context, src Source, _ *FileResult, _ func(Item) error) error {
	return fmt.Errorf("%s: read as not-samples, but it does not look like a results file", src.Path)
}

// resultsKeys are the top-level keys of the results JSON of lm-eval
// (results_<date>.json, or the --output_path file name) and of lighteval
// (results_<date>.json): a folder glob over a run's output picks them up
// beside the samples.
var resultsKeys = map[string]string{
	// lm-evaluation-harness
	"versions": "lm-eval", "configs": "lm-eval", "n-shot": "lm-eval", "group_subtasks": "lm-eval",
	"higher_is_better": "lm-eval", "n-samples": "lm-eval", "config": "lm-eval",
	// lighteval
	"config_general": "lighteval", "config_tasks": "lighteval", "summary_tasks": "lighteval", "summary_general": "lighteval",
}

// sampleKeys are fields of the records of some samples format: an object with
// one of them is never taken for a results file.
var sampleKeys = []string{"doc_id", "resps", "filtered_resps", "problem_id", "response", "responses", "metadata",
	"custom_id", "generation", "generated_solution", "code", "question_id", "predictions", "idx"}

// NotSamples reports whether head, the start of the file at path, is a results
// JSON of an evaluation tool (aggregate scores, no per-response samples) rather
// than a samples file, and says which and where its samples are. Such a file
// is skipped with this reason, not rejected.
func NotSamples(path string, head []byte) (why string, ok bool) {
	keys := FirstKeys(head, 64)
	k := keySet(keys)
	if !k["results"] && !k["config_general"] {
		return "", false
	}
	for _, s := range sampleKeys {
		if k[s] {
			return "", false
		}
	}
	tool := ""
	for _, key := range keys {
		if t, ok := resultsKeys[key]; ok {
			tool = t
			if t == "lighteval" {
				break
			}
		}
	}
	switch {
	case tool == "lighteval":
		return "not a samples file: a lighteval results JSON (aggregate scores: " + keyList(keys) +
			"); its samples are in the details_<task>_<date>.parquet files", true
	case tool == "lm-eval":
		return "not a samples file: an lm-eval results JSON (aggregate scores: " + keyList(keys) +
			"); its samples are in the samples_<task>_<date>.jsonl files beside it", true
	case len(keys) == 1 && len(head) >= SniffBytes:
		// The results object did not fit in the head: nothing else starts so.
		return "not a samples file: a results JSON whose first key is \"results\" (aggregate scores)", true
	}
	return "", false
}

// keyList joins up to six keys for a message.
func keyList(keys []string) string {
	if len(keys) > 6 {
		return strings.Join(keys[:6], ", ") + ", ..."
	}
	return strings.Join(keys, ", ")
}

// closestFormat returns the format whose Fields the first record of head
// satisfies most (at least one group; the first in list order on a tie), and
// what it lacks.
func closestFormat(path string, head []byte) (string, []string) {
	k := keySet(FirstKeys(head, 128))
	best, bestHave := "", 0
	var bestMissing []string
	for _, f := range formats {
		if len(f.Fields) == 0 {
			continue
		}
		have := 0
		var missing []string
		for _, group := range f.Fields {
			ok := false
			for _, key := range group {
				ok = ok || k[key]
			}
			if ok {
				have++
			} else {
				missing = append(missing, strings.Join(group, " or "))
			}
		}
		if f.FileName != "" && !f.Detect(path, head) && len(missing) == 0 {
			missing = append(missing, "a file named "+f.FileName)
		}
		if have > bestHave && len(missing) > 0 {
			best, bestHave, bestMissing = f.Name, have, missing
		}
	}
	return best, bestMissing
}
