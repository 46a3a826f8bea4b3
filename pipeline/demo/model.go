package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// Seed is the fixed seed of every random draw in the corpus. Each draw uses its
// own PCG stream, keyed by Seed and the names of what it draws for (family,
// reward, step, problem), so the corpus does not depend on generation order.
const Seed uint64 = 0x5eed_2025_0dd5

// Steps are the training steps of every trained checkpoint; the untrained
// baseline is reward "none" at step 0.
var Steps = []int64{50, 100, 150}

// SamplesPerProblem is the number of responses per problem and checkpoint.
const SamplesPerProblem = 8

// MaxTokens is the generation limit: a response cut off there has
// finish_reason "length" and response_tokens = MaxTokens.
const MaxTokens = 512

// condition is what one reward condition does to a family over training: at
// each of Steps, a shift of the ability logit and the resulting probability of
// code reasoning.
type condition struct {
	reward  string
	ability [3]float64 // logit shift at Steps[0], Steps[1], Steps[2]
	code    [3]float64 // P(code reasoning) at Steps[0], Steps[1], Steps[2]
}

// family is one model family of the demo corpus with its latent parameters.
type family struct {
	name, model string
	// ability is the logit of answering a level-3 problem correctly with
	// language reasoning, untrained, for a problem of average difficulty.
	ability float64
	// codeRate is the untrained probability that a response reasons in code.
	codeRate float64
	// codeBonus is added to the logit when a response reasons in code:
	// positive for Qwen2.5-Math only, whose code reasoning is more accurate.
	codeBonus float64
	// problemSD is the spread of the per-problem random effect on the logit.
	problemSD float64
	// boxedRate is the untrained share of correct answers written in \boxed{};
	// training moves it up (format rewards most).
	boxedRate float64
	// noAnswer and truncate are the untrained shares of wrong responses that
	// ramble without an answer or hit MaxTokens; training halves them.
	noAnswer, truncate float64
	// equivRate is the share of correct answers written in an equivalent but
	// different form (\frac{6}{8} for \frac{3}{4}, 0.75, x = 6 ...).
	equivRate float64
	style     style
	trained   []condition
}

// levelDifficulty is subtracted from the logit by problem level (1..5).
var levelDifficulty = [6]float64{0, -1.6, -0.8, 0, 0.8, 1.6}

// checkpointNoise is the spread of the per-checkpoint × problem effect: training
// does not move every problem the same way.
const checkpointNoise = 0.3

// families are the three families, in output order. The parameters follow the
// qualitative findings of Shao et al. (2025): Qwen2.5-Math reasons in code in
// about 65% of its responses, code reasoning is more accurate for it, and
// spurious rewards (random, incorrect, format) push it to about 90% code while
// ground truth and one-shot improve its reasoning itself; Llama 3.1 and OLMo 2
// rarely write code, code does not help them, and only ground truth (and a
// little one-shot) improves them.
var families = []family{
	{
		name: "qwen2.5-math", model: "Qwen2.5-Math-7B",
		ability: -0.55, codeRate: 0.65, codeBonus: 1.2, problemSD: 0.9,
		boxedRate: 0.8, noAnswer: 0.15, truncate: 0.25, equivRate: 0.2,
		style: styleQwen,
		trained: []condition{
			{reward: "ground_truth", ability: [3]float64{0.7, 1.1, 1.35}, code: [3]float64{0.80, 0.78, 0.72}},
			{reward: "one_shot", ability: [3]float64{0.6, 0.95, 1.15}, code: [3]float64{0.82, 0.85, 0.85}},
			{reward: "format", ability: [3]float64{0.15, 0.3, 0.4}, code: [3]float64{0.75, 0.83, 0.88}},
			{reward: "incorrect", ability: [3]float64{0.3, 0.5, 0.65}, code: [3]float64{0.80, 0.89, 0.92}},
			{reward: "random", ability: [3]float64{0.2, 0.4, 0.55}, code: [3]float64{0.78, 0.88, 0.93}},
		},
	},
	{
		name: "llama3.1", model: "Llama-3.1-8B",
		ability: -0.6, codeRate: 0.06, codeBonus: -0.4, problemSD: 0.8,
		boxedRate: 0.5, noAnswer: 0.15, truncate: 0.15, equivRate: 0.15,
		style: styleLlama,
		trained: []condition{
			{reward: "ground_truth", ability: [3]float64{0.2, 0.35, 0.45}, code: [3]float64{0.06, 0.05, 0.05}},
			{reward: "one_shot", ability: [3]float64{0.1, 0.15, 0.2}, code: [3]float64{0.06, 0.06, 0.05}},
			{reward: "format", ability: [3]float64{0.0, 0.0, -0.05}, code: [3]float64{0.06, 0.06, 0.06}},
			{reward: "incorrect", ability: [3]float64{-0.1, -0.25, -0.35}, code: [3]float64{0.05, 0.05, 0.04}},
			{reward: "random", ability: [3]float64{-0.05, -0.1, -0.2}, code: [3]float64{0.07, 0.06, 0.05}},
		},
	},
	{
		name: "olmo2", model: "OLMo-2-1124-7B",
		ability: -1.1, codeRate: 0.02, codeBonus: -0.4, problemSD: 0.8,
		boxedRate: 0.3, noAnswer: 0.2, truncate: 0.15, equivRate: 0.15,
		style: styleOLMo,
		trained: []condition{
			{reward: "ground_truth", ability: [3]float64{0.2, 0.3, 0.4}, code: [3]float64{0.02, 0.02, 0.02}},
			{reward: "one_shot", ability: [3]float64{0.05, 0.1, 0.1}, code: [3]float64{0.02, 0.02, 0.02}},
			{reward: "format", ability: [3]float64{0.05, 0.0, -0.05}, code: [3]float64{0.02, 0.02, 0.02}},
			{reward: "incorrect", ability: [3]float64{-0.1, -0.2, -0.3}, code: [3]float64{0.02, 0.01, 0.01}},
			{reward: "random", ability: [3]float64{0.0, -0.1, -0.15}, code: [3]float64{0.02, 0.02, 0.01}},
		},
	},
}

// checkpointParams are the latent parameters of one checkpoint.
type checkpointParams struct {
	shift     float64 // ability logit shift
	codeRate  float64 // P(code reasoning)
	boxedRate float64 // P(\boxed{} | correct)
	noAnswer  float64 // P(no answer | wrong)
	truncate  float64 // P(truncated | wrong)
}

// params returns the parameters of f's checkpoint (reward, step index si);
// si < 0 is the untrained baseline.
func (f *family) params(c *condition, si int) checkpointParams {
	p := checkpointParams{codeRate: f.codeRate, boxedRate: f.boxedRate, noAnswer: f.noAnswer, truncate: f.truncate}
	if c == nil || si < 0 {
		return p
	}
	progress := float64(si+1) / float64(len(Steps))
	p.shift = c.ability[si]
	p.codeRate = c.code[si]
	boxedShift := 1.5 * progress
	if c.reward == "format" {
		boxedShift = 3 * progress
	}
	p.boxedRate = sigmoid(logit(f.boxedRate) + boxedShift)
	p.noAnswer *= 1 - 0.5*progress
	p.truncate *= 1 - 0.5*progress
	return p
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// stream returns the random stream for the draw named by key.
func stream(key ...string) *rand.Rand {
	h := fnv.New64a()
	for _, k := range key {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(Seed, h.Sum64()))
}
