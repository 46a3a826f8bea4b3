// Package batch is the one batch grader of rlvr-eval: it grades many responses or
// answers against gold answers that it prepares once per distinct gold text (a memo
// shared by every goroutine), and turns a panic of the grader on one input into a
// failure of that input, never a crash of the batch.
//
// Both front ends use it: the `rlvr-eval grade` stream (cmd/rlvr-eval) and the run
// pipeline's sample builder. Each decides what a failure becomes in its own output
// (an input_error line, an "unparsable" sample).
//
//	gold text ──► Golds.Get (PrepareGold once per distinct text) ──► *grade.Gold ─┐
//	input ──────────────────────────────────────────────────────────────────────┴─► Response / Answer ─► Verdict or *panics.Recovered
//
// Cost: a memo hit is one map look-up (none at all when a Memo sees the same gold
// twice in a row, the usual case: consecutive samples of a problem); grading adds
// one deferred recover per input to the grader's own cost.
package batch
