package grade

import "github.com/rlvr-eval/rlvr-eval/stages/grade/equiv"

// Answer is a prepared predicted answer, for grouping equivalent answers (maj@k).
// It is immutable and safe for concurrent use.
type Answer struct{ a *equiv.Answer }

// PrepareAnswer parses an extracted answer once (answer mode, as PrepareGold).
func PrepareAnswer(a string) *Answer { return &Answer{a: equiv.Prepare(answerMode(a))} }

// Text returns the answer's normalized text (a stable key for display and grouping).
func (a *Answer) Text() string { return a.a.Text() }

// Equivalent reports whether two prepared answers are mathematically the same answer.
// It is symmetric.
func Equivalent(a, b *Answer) bool { return equiv.Equivalent(a.a, b.a) }
