package ingest

import "github.com/rlvr-eval/rlvr-eval/schemas"

// Record is one response as read from a generation file, before grading.
// Optional fields are nil when the format does not carry them.
type Record struct {
	SourceFile string
	SourceLine int64 // 1-based line (row index for Parquet inputs)

	// ProblemID is the evalset id (MATH-500 unique_id) when the format carries one.
	ProblemID string
	// ProblemText is the problem statement when the format carries it; used to find
	// the problem in the evalset when there is no id.
	ProblemText string
	// Position is the 0-based index of the problem within its file when the format
	// is positional (nemo-skills, qwen-eval idx); -1 when unknown.
	Position int64

	// SampleIdx is the sample's index within its problem; -1 when the format does
	// not say (the pipeline then numbers samples in file order).
	SampleIdx int64
	Response  string

	FinishReason   *string
	ResponseTokens *int64
	// Gold is the gold answer carried by the record (answer mode; a full solution
	// is allowed), nil when the gold must come from the evalset.
	Gold *string

	// PeerCorrect and PeerExtracted are the evaluation tool's own verdict on
	// the response and the answer it extracted, when the file has them.
	// PeerMetric names the field the verdict was read from ("exact_match",
	// "is_correct", "symbolic_correct", "extractive_match", "score", "label").
	// PeerCompared says what PeerExtracted is: PeerComparedExtraction (the
	// tool's extracted answer) or PeerComparedResponse (the tool's metric was
	// given the whole response: lm-eval's filter "none" keeps it as is, and any
	// extraction happened inside the task's metric and is not in the file;
	// PeerExtracted is then nil rather than a copy of the response); "" when
	// the file has neither.
	PeerCorrect   *bool
	PeerExtracted *string
	PeerMetric    string
	PeerCompared  string

	// Subject and Level are the problem's subject and difficulty (1..5) when the
	// format carries them ("" and 0 otherwise). The evalset's values win when the
	// problem is found in it; they matter when the run has no evalset file.
	Subject string
	Level   int64

	// Task is the evaluation tool's task the record belongs to (lm-eval
	// "hendrycks_math_algebra", from the file name samples_<task>_<date>.jsonl
	// or the record; lighteval "lighteval|aime24|0"), "" when the format has
	// none. With Task set, a problem's identity in the file is (Task, Position):
	// lm-eval's doc_id restarts at 0 in every task's file.
	Task string
	// Filter is the lm-eval filter of the row the record comes from ("" when
	// the file does not name filters).
	Filter string
	// Sampling is the lighteval sampling config of the row the record comes
	// from: the names of the row's metrics, comma-separated ("extractive_match",
	// "math_pass@1:32_samples"). Reading with OptSampling = SamplingAll gives
	// records of several configs of the same documents: Sampling tells them
	// apart (one checkpoint per config).
	Sampling string

	// Inline checkpoint fields (canonical format); nil when absent.
	Family, Model, Reward *string
	Step, Seed            *int64
}

// What a record's PeerExtracted holds (Record.PeerCompared).
const (
	PeerComparedExtraction = "extraction"
	PeerComparedResponse   = "response"
)

// Item is what a reader emits: exactly one of Record or Reject is set.
type Item struct {
	Record *Record
	Reject *schemas.Reject
}
