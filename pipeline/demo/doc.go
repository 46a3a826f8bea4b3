// Package demo generates a small, deterministic, clearly labelled SYNTHETIC
// corpus of model generations — three model families × reward conditions ×
// training steps × samples — together with its evalset and eval.yaml, so that
// `rlvr-eval demo` (and `make demo`) can run the whole pipeline on a fresh
// machine and print the Spurious Rewards headline table.
//
// Nothing in the corpus comes from a real model. The problems are written for
// this package (in MATH-500's JSONL shape, ids "demo/<subject>/<n>.json"), and
// every response is rendered from a latent model (model.go): per family a base
// ability and a code-reasoning propensity, per reward condition × step a shift
// of both, per problem a difficulty by level plus a random effect, and a
// code-reasoning bonus that only Qwen2.5-Math has. The parameters are chosen so
// that the families respond to training signals the way Shao et al. (2025,
// "Spurious Rewards: Rethinking Training Signals in RLVR") report: Qwen2.5-Math
// gains from ground-truth and from spurious rewards (random, incorrect labels,
// format) while its code-reasoning rate rises from about 65% to about 90%;
// Llama 3.1 and OLMo 2 gain a little from ground truth only.
//
// Responses mix the forms real evaluation jobs see: \boxed{} answers, "The
// answer is X.", Minerva's "Final Answer:" line, Python code blocks with an
// "Output:" line, wrong answers that are wrong in realistic ways, correct
// answers written in unsimplified but equivalent forms (so the grader's
// equivalence rules matter), rambling without an answer, and responses cut off
// at the token limit (finish_reason "length").
//
// Generate is deterministic: every random draw comes from a math/rand/v2 PCG
// source seeded from a fixed seed and the names of what is being drawn (never
// from map order or generation order), and the output is byte-identical on
// every run. (Across CPU architectures a last-bit difference in math.Exp could
// in principle flip one draw; the tests pin the bytes on the machine they run
// on.) WriteHeadline prints the paper's headline table from a run's metrics,
// comparisons and boundary rows: deltas marked only by q < 0.05, intervals
// with their method, the crossover k and the coverage delta.
package demo
