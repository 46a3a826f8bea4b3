package schemas

// Table names, as file stems: samples.parquet, problems.parquet, ...
const (
	TableSamples     = "samples"
	TableProblems    = "problems"
	TableMetrics     = "metrics"
	TableComparisons = "comparisons"
	TableTransitions = "transitions"
	TableRejects     = "rejects"
	// The capability boundary (issue 15): one row per checkpoint × profile ×
	// subset, its pass@k curves one row per k, and the problems that moved.
	TableBoundary       = "boundary"
	TableBoundaryCurves = "boundary_curves"
	TableProblemMoves   = "problem_moves"
)

// RunTables returns every table a run writes, in run.json order (a new slice
// each call).
func RunTables() []string {
	return []string{TableSamples, TableProblems, TableMetrics, TableComparisons, TableTransitions, TableRejects,
		TableBoundary, TableBoundaryCurves, TableProblemMoves}
}

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
	// Method names the procedure behind delta_ci and p_value (one procedure
	// for both, so "CI excludes 0" and "p < 0.05" agree); empty when there is
	// no delta.
	Method string `parquet:"method,dict" json:"method"`
	// QValue is the Benjamini–Hochberg adjusted p-value over the run's
	// comparisons of the same metric, k, subset and kind (pooled or not).
	QValue *float64 `parquet:"q_value,optional" json:"q_value"`
	// Pooled rows pool the training seeds of one condition (seed is null, the
	// checkpoint id ends in "/pooled"); NSeeds is 1 on ordinary rows.
	Pooled bool  `parquet:"pooled" json:"pooled"`
	NSeeds int64 `parquet:"n_seeds" json:"n_seeds"`
	// SeedSD is the standard deviation of the per-seed deltas (pooled rows).
	SeedSD *float64 `parquet:"seed_sd,optional" json:"seed_sd"`
	// CIScope says what the interval accounts for: "problems" (one
	// checkpoint's problems) or "seeds+problems" (pooled rows).
	CIScope string `parquet:"ci_scope,dict" json:"ci_scope"`
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

// Boundary is one checkpoint against its baseline on one profile and subset:
// a row of boundary.parquet. Both sides are compared at the common n (the
// smaller samples-per-problem of the two over the paired problems; CommonN
// says when one side had more). Its curves are in boundary_curves.
type Boundary struct {
	Identity
	BaselineCheckpoint string `parquet:"baseline_checkpoint,dict" json:"baseline_checkpoint"`
	Profile            string `parquet:"profile,dict" json:"profile"`
	Subset             string `parquet:"subset,dict" json:"subset"`
	// N is the common n: curves run over k = 1..N. NCheckpoint and NBaseline
	// are each side's smallest samples-per-problem over the paired problems.
	N           int64 `parquet:"n" json:"n"`
	NCheckpoint int64 `parquet:"n_checkpoint" json:"n_checkpoint"`
	NBaseline   int64 `parquet:"n_baseline" json:"n_baseline"`
	CommonN     bool  `parquet:"common_n" json:"common_n"`
	NProblems   int64 `parquet:"n_problems" json:"n_problems"`

	PassAt1         *float64 `parquet:"pass_at_1,optional" json:"pass_at_1"`
	BaselinePassAt1 *float64 `parquet:"baseline_pass_at_1,optional" json:"baseline_pass_at_1"`
	PassAtN         *float64 `parquet:"pass_at_n,optional" json:"pass_at_n"`
	BaselinePassAtN *float64 `parquet:"baseline_pass_at_n,optional" json:"baseline_pass_at_n"`
	// CrossoverK is the smallest k ≤ N at which the baseline's pass@k reaches
	// the checkpoint's, when the checkpoint is ahead at k = 1; null otherwise,
	// and Crossover says which case it is.
	CrossoverK *int64 `parquet:"crossover_k,optional" json:"crossover_k"`
	Crossover  string `parquet:"crossover,dict" json:"crossover"`
	// AreaLogK is ∫ (pass@k − baseline pass@k) d ln k over [1, N]
	// (trapezoids between integer k), with its paired interval and tests.
	AreaLogK   *float64 `parquet:"area_log_k,optional" json:"area_log_k"`
	AreaCILow  *float64 `parquet:"area_ci_low,optional" json:"area_ci_low"`
	AreaCIHigh *float64 `parquet:"area_ci_high,optional" json:"area_ci_high"`
	AreaPValue *float64 `parquet:"area_p_value,optional" json:"area_p_value"`
	AreaQValue *float64 `parquet:"area_q_value,optional" json:"area_q_value"`
	// Coverage is the share of problems with a correct sample among the first
	// N; Gained/Lost count problems covered by one side only.
	Coverage         float64  `parquet:"coverage" json:"coverage"`
	BaselineCoverage float64  `parquet:"baseline_coverage" json:"baseline_coverage"`
	CoverageDelta    float64  `parquet:"coverage_delta" json:"coverage_delta"`
	CoverageCILow    *float64 `parquet:"coverage_ci_low,optional" json:"coverage_ci_low"`
	CoverageCIHigh   *float64 `parquet:"coverage_ci_high,optional" json:"coverage_ci_high"`
	CoveragePValue   *float64 `parquet:"coverage_p_value,optional" json:"coverage_p_value"`
	CoverageQValue   *float64 `parquet:"coverage_q_value,optional" json:"coverage_q_value"`
	Gained           int64    `parquet:"gained" json:"gained"`
	Lost             int64    `parquet:"lost" json:"lost"`
	Method           string   `parquet:"method,dict" json:"method"`
}

// BoundaryCurve is one k of a boundary row's pass@k curves: a row of
// boundary_curves.parquet.
type BoundaryCurve struct {
	Identity
	BaselineCheckpoint string  `parquet:"baseline_checkpoint,dict" json:"baseline_checkpoint"`
	Profile            string  `parquet:"profile,dict" json:"profile"`
	Subset             string  `parquet:"subset,dict" json:"subset"`
	K                  int64   `parquet:"k" json:"k"`
	N                  int64   `parquet:"n" json:"n"`
	PassAtK            float64 `parquet:"pass_at_k" json:"pass_at_k"`
	BaselinePassAtK    float64 `parquet:"baseline_pass_at_k" json:"baseline_pass_at_k"`
	Delta              float64 `parquet:"delta" json:"delta"`
}

// ProblemMove is one problem a checkpoint gained (covered among the first n
// samples, the baseline not) or lost against its baseline: a row of
// problem_moves.parquet.
type ProblemMove struct {
	Identity
	BaselineCheckpoint string `parquet:"baseline_checkpoint,dict" json:"baseline_checkpoint"`
	Profile            string `parquet:"profile,dict" json:"profile"`
	ProblemID          string `parquet:"problem_id,dict" json:"problem_id"`
	Subject            string `parquet:"subject,dict" json:"subject"`
	Level              int64  `parquet:"level" json:"level"`
	Move               string `parquet:"move,dict" json:"move"`
	N                  int64  `parquet:"n" json:"n"`
	NCorrect           int64  `parquet:"n_correct" json:"n_correct"`
	BaselineNCorrect   int64  `parquet:"baseline_n_correct" json:"baseline_n_correct"`
	StrategyBefore     string `parquet:"strategy_before,dict" json:"strategy_before"`
	StrategyAfter      string `parquet:"strategy_after,dict" json:"strategy_after"`
	StrategySwitch     bool   `parquet:"strategy_switch" json:"strategy_switch"`
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
