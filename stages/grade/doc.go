// Package grade decides whether a model's final answer is mathematically the gold
// answer, following spec/grading.md. It is the façade over two stages:
//
//	response ──► extract.Extract (profile) ──► answer text ─┐
//	                                                        ├─► equiv.Prepare ─► equiv.Compare ─► Verdict
//	gold ──────► answer mode (PrepareGold, once) ───────────┘
//
// Response mode (GradeResponse) first extracts the final answer from a whole model
// output with the strategies of package extract (profile Strict by default, Lenient to
// reproduce peers). Answer mode (PrepareGold, GradeAnswer, PrepareAnswer) takes an
// answer that is already extracted; only math delimiters, an "ANSWER:" prefix and one
// enclosing box are peeled, except that a text that is a whole worked solution is
// answered by its last box (or closing list of boxes, or closing Minerva sentence) —
// and that rule runs on both sides, so normalization stays symmetric.
//
// One rule needs the gold in response mode: for a gold of k >= 2 parts
// (equiv.Answer.Parts), a response whose closing answer is not right is graded on the
// last k boxes that short prose separates, taken as one answer ("$y_1 = \boxed{2}$ and
// $y_2 = \boxed{3}$" answers a gold "2, 3"; boxes of points or of ± values too). The
// closing answer is graded first and stands when right, so a single box still wins,
// and a one-part gold never looks past the closing box.
//
// Every Verdict carries a Reason (exact, numeric, symbolic, set, interval, text,
// no_answer, unparsable, mismatch, budget), the extraction method and the rule that
// decided; Explain* render the same information in words for a person.
//
// Cost and safety: a Gold is parsed once per problem and is then immutable; every
// function here is safe for concurrent use (there is no global mutable state), never
// panics on any input and works within the budgets of equiv (spec section 5).
package grade
