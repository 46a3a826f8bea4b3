package schemas

// Metric names: the values of the metric column of metrics.parquet and
// comparisons.parquet, listed in the order the aggregator emits a checkpoint's
// rows for one profile and subset. They are declared here and only here; the
// aggregator computes them, the leaderboard, the demo report and the run
// summary read them by these names. How to add one: stages/aggregate/doc.go;
// metrics_emitted_test.go checks the aggregator emits exactly these, in order.
const (
	MetricAccuracy            = "accuracy"
	MetricPassAtK             = "pass@k"
	MetricMajAtK              = "maj@k"
	MetricNoAnswerRate        = "no_answer_rate"
	MetricBoxedRate           = "boxed_rate"
	MetricCodeReasoningRate   = "code_reasoning_rate"
	MetricHasCodeBlockRate    = "has_code_block_rate"
	MetricAccuracyWithCode    = "accuracy_with_code"
	MetricAccuracyWithoutCode = "accuracy_without_code"
	MetricTruncationRate      = "truncation_rate"
	MetricMeanResponseChars   = "mean_response_chars"
	MetricMeanResponseTokens  = "mean_response_tokens"
	// MetricPeerAccuracy is not a row of its own: it fills the peer_accuracy
	// column of the accuracy rows.
	MetricPeerAccuracy = "peer_accuracy"
)

// Subset names. SubsetAll holds every problem of the evalset; the others are
// SubsetLevelPrefix+"<n>" and SubsetSubjectPrefix+"<name>".
const (
	SubsetAll           = "all"
	SubsetLevelPrefix   = "level="
	SubsetSubjectPrefix = "subject="
)
