package schemas

// Table names, as file stems: samples.parquet, problems.parquet, ...
const (
	TableSamples     = "samples"
	TableProblems    = "problems"
	TableMetrics     = "metrics"
	TableComparisons = "comparisons"
	TableTransitions = "transitions"
	TableRejects     = "rejects"
)

// Sample is one graded response: a row of samples.parquet.
type Sample struct {
	Identity
	ProblemID      string  `parquet:"problem_id,dict" json:"problem_id"`
	Subject        string  `parquet:"subject,dict" json:"subject"`
	Level          int64   `parquet:"level" json:"level"`
	SampleIdx      int64   `parquet:"sample_idx" json:"sample_idx"`
	Response       string  `parquet:"response" json:"response"`
	ResponseChars  int64   `parquet:"response_chars" json:"response_chars"`
	ResponseTokens *int64  `parquet:"response_tokens,optional" json:"response_tokens"`
	FinishReason   *string `parquet:"finish_reason,optional,dict" json:"finish_reason"`
	Truncated      bool    `parquet:"truncated" json:"truncated"`
	Extracted      *string `parquet:"extracted,optional" json:"extracted"`
	ExtractMethod  string  `parquet:"extract_method,dict" json:"extract_method"`
	Gold           string  `parquet:"gold,dict" json:"gold"`
	Correct        bool    `parquet:"correct" json:"correct"`
	Reason         string  `parquet:"reason,dict" json:"reason"`
	HasBoxed       bool    `parquet:"has_boxed" json:"has_boxed"`
	CodeReasoning  bool    `parquet:"code_reasoning" json:"code_reasoning"`
	HasCodeBlock   bool    `parquet:"has_code_block" json:"has_code_block"`
	SourceFile     string  `parquet:"source_file,dict" json:"source_file"`
	SourceLine     int64   `parquet:"source_line" json:"source_line"`
	PeerCorrect    *bool   `parquet:"peer_correct,optional" json:"peer_correct"`
	PeerExtracted  *string `parquet:"peer_extracted,optional" json:"peer_extracted"`

	// Alt holds the verdicts under the run's other extraction profiles, in the
	// order the run lists them. Writers turn each into a correct_<profile> column.
	Alt []AltVerdict `parquet:"-" json:"-"`
}

// AltVerdict is a sample's verdict under one more extraction profile.
type AltVerdict struct {
	Profile       string
	Correct       bool
	Extracted     *string
	ExtractMethod string
	Reason        string
}

// Problem is one checkpoint × problem: a row of problems.parquet.
type Problem struct {
	Identity
	ProblemID         string  `parquet:"problem_id,dict" json:"problem_id"`
	Subject           string  `parquet:"subject,dict" json:"subject"`
	Level             int64   `parquet:"level" json:"level"`
	N                 int64   `parquet:"n" json:"n"`
	NCorrect          int64   `parquet:"n_correct" json:"n_correct"`
	NNoAnswer         int64   `parquet:"n_no_answer" json:"n_no_answer"`
	Accuracy          float64 `parquet:"accuracy" json:"accuracy"`
	MajAnswer         *string `parquet:"maj_answer,optional" json:"maj_answer"`
	MajCorrect        float64 `parquet:"maj_correct" json:"maj_correct"`
	FirstCorrect      bool    `parquet:"first_correct" json:"first_correct"`
	CodeReasoningRate float64 `parquet:"code_reasoning_rate" json:"code_reasoning_rate"`
	MeanResponseChars float64 `parquet:"mean_response_chars" json:"mean_response_chars"`
}

// Metric is one checkpoint × profile × subset × metric × k: a row of metrics.parquet.
// Value, Stderr and the CI bounds are null when the metric is undefined for the
// checkpoint (pass@k with fewer than k samples on some problem, a rate over an
// empty set).
type Metric struct {
	Identity
	Profile      string   `parquet:"profile,dict" json:"profile"`
	Subset       string   `parquet:"subset,dict" json:"subset"`
	Metric       string   `parquet:"metric,dict" json:"metric"`
	K            *int64   `parquet:"k,optional" json:"k"`
	N            int64    `parquet:"n" json:"n"`
	Value        *float64 `parquet:"value,optional" json:"value"`
	Stderr       *float64 `parquet:"stderr,optional" json:"stderr"`
	CILow        *float64 `parquet:"ci_low,optional" json:"ci_low"`
	CIHigh       *float64 `parquet:"ci_high,optional" json:"ci_high"`
	CIMethod     string   `parquet:"ci_method,dict" json:"ci_method"`
	NProblems    int64    `parquet:"n_problems" json:"n_problems"`
	PeerAccuracy *float64 `parquet:"peer_accuracy,optional" json:"peer_accuracy"`
}

// Comparison is one checkpoint against its baseline on one subset and metric:
// a row of comparisons.parquet. Deltas are value − baseline_value, paired by problem.
type Comparison struct {
	Identity
	Subset             string   `parquet:"subset,dict" json:"subset"`
	Metric             string   `parquet:"metric,dict" json:"metric"`
	K                  *int64   `parquet:"k,optional" json:"k"`
	BaselineCheckpoint string   `parquet:"baseline_checkpoint,dict" json:"baseline_checkpoint"`
	BaselineValue      *float64 `parquet:"baseline_value,optional" json:"baseline_value"`
	Value              *float64 `parquet:"value,optional" json:"value"`
	Delta              *float64 `parquet:"delta,optional" json:"delta"`
	DeltaCILow         *float64 `parquet:"delta_ci_low,optional" json:"delta_ci_low"`
	DeltaCIHigh        *float64 `parquet:"delta_ci_high,optional" json:"delta_ci_high"`
	PValue             *float64 `parquet:"p_value,optional" json:"p_value"`
	NProblems          int64    `parquet:"n_problems" json:"n_problems"`
	Wins               int64    `parquet:"wins" json:"wins"`
	Losses             int64    `parquet:"losses" json:"losses"`
	Ties               int64    `parquet:"ties" json:"ties"`
}

// Transition is one bucket of the strategy-switch analysis: a row of transitions.parquet.
type Transition struct {
	Identity
	BaselineCheckpoint string   `parquet:"baseline_checkpoint,dict" json:"baseline_checkpoint"`
	Bucket             string   `parquet:"bucket,dict" json:"bucket"`
	NProblems          int64    `parquet:"n_problems" json:"n_problems"`
	AccuracyBefore     *float64 `parquet:"accuracy_before,optional" json:"accuracy_before"`
	AccuracyAfter      *float64 `parquet:"accuracy_after,optional" json:"accuracy_after"`
	ShareOfGain        *float64 `parquet:"share_of_gain,optional" json:"share_of_gain"`
}

// Reject is input that could not be used: a row of rejects.parquet.
// SourceLine is the 1-based line for line formats, or the row index for Parquet
// inputs (with the row group named in Error).
type Reject struct {
	SourceFile string `parquet:"source_file,dict" json:"source_file"`
	SourceLine int64  `parquet:"source_line" json:"source_line"`
	Error      string `parquet:"error" json:"error"`
	Raw        string `parquet:"raw" json:"raw"`
}

// RawLimit is how many bytes of a rejected record Reject.Raw keeps.
const RawLimit = 512
