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

	PeerCorrect   *bool
	PeerExtracted *string

	// Subject and Level are the problem's subject and difficulty (1..5) when the
	// format carries them ("" and 0 otherwise). The evalset's values win when the
	// problem is found in it; they matter when the run has no evalset file.
	Subject string
	Level   int64

	// Inline checkpoint fields (canonical format); nil when absent.
	Family, Model, Reward *string
	Step, Seed            *int64
}

// Item is what a reader emits: exactly one of Record or Reject is set.
type Item struct {
	Record *Record
	Reject *schemas.Reject
}
