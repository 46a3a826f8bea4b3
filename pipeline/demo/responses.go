package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// style is how a family writes: how it opens, lays out its steps and states a
// final answer. The phrases imitate the habits of the real families.
type style struct {
	openings []string
	// stepHeadings numbers steps "## Step k: " (Llama 3.1's habit).
	stepHeadings bool
	// boxed, answerIs are templates for the final sentence; %s is the answer.
	boxed, answerIs []string
	// minerva is the share of non-boxed finals in Minerva's
	// "Final Answer: The final answer is X. I hope it is correct." form.
	minerva  float64
	codeLead []string
}

var (
	styleQwen = style{
		openings: []string{"To solve this problem, we proceed step by step.", "Let's break the problem down.", "We solve the problem step by step."},
		boxed:    []string{`Therefore, the final answer is $\boxed{%s}$.`, `So the answer is \(\boxed{%s}\).`, `Thus the final answer is \[\boxed{%s}\]`},
		answerIs: []string{`The answer is $%s$.`, `Therefore, the answer is $%s$.`},
		minerva:  0.05,
		codeLead: []string{"Let's use Python to compute the result and make sure it is accurate.", "We can verify this with a short Python program.", "Let's write Python code to solve it."},
	}
	styleLlama = style{
		openings:     []string{"", "To solve this problem, we need to work through it carefully."},
		stepHeadings: true,
		boxed:        []string{`The final answer is: $\boxed{%s}$`},
		answerIs:     []string{`The final answer is $%s$.`, `The answer is $%s$.`},
		minerva:      0.4,
		codeLead:     []string{"Let me write a Python snippet to check this."},
	}
	styleOLMo = style{
		openings: []string{"Let's think step by step.", "First, let's understand what the problem asks.", ""},
		boxed:    []string{`So the answer is $\boxed{%s}$.`, `The answer is $\boxed{%s}$.`},
		answerIs: []string{`So the answer is $%s$.`, `Therefore, the answer is $%s$.`},
		minerva:  0.4,
		codeLead: []string{"We can also compute this in Python."},
	}
)

// outcome is what the latent model decided for one sample.
type outcome int

const (
	outCorrect  outcome = iota // a correct final answer (gold or equivalent form)
	outWrong                   // a wrong final answer
	outNoAnswer                // reasoning that never states an answer
	outTruncate                // cut off at MaxTokens, mid-sentence
)

// rendered is one response as written to a generation file.
type rendered struct {
	text         string
	finishReason string
	tokens       int64
}

// render writes the response of family style st to problem p.
func render(rng *rand.Rand, st *style, p *problem, code bool, out outcome, ck checkpointParams, equivRate float64) rendered {
	var b strings.Builder
	para := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	para(pick(rng, st.openings))

	// The answer that ends the response, if any.
	var final string
	switch out {
	case outCorrect:
		final = p.answer
		if len(p.equiv) > 0 && rng.Float64() < equivRate {
			final = pick(rng, p.equiv)
		}
	case outWrong:
		final = pick(rng, p.wrong)
	}

	// A response that goes wrong stops reasoning properly before the last step.
	nsteps := len(p.steps)
	if out != outCorrect && nsteps > 1 {
		nsteps = 1 + rng.IntN(nsteps-1)
	}
	for i := range nsteps {
		if st.stepHeadings {
			para("## Step " + strconv.Itoa(i+1) + ": " + p.steps[i])
		} else {
			para(p.steps[i])
		}
	}

	if code {
		para(pick(rng, st.codeLead))
		para("```python\n" + p.code + "\n```")
		switch {
		case out == outCorrect:
			para("Output: " + p.output)
			para("The code confirms the result.")
		case out == outWrong && rng.IntN(2) == 0:
			para("Output: " + pick(rng, codeErrors))
			para("The code ran into an error, so let's finish by hand.")
		case out == outWrong:
			para("Output: " + final)
		}
	}

	switch out {
	case outCorrect, outWrong:
		if out == outWrong {
			para(pick(rng, slips))
		}
		switch {
		case rng.Float64() < ck.boxedRate:
			para(strings.Replace(pick(rng, st.boxed), "%s", final, 1))
		case rng.Float64() < st.minerva:
			para("Final Answer: The final answer is $" + final + "$. I hope it is correct.")
		default:
			para(strings.Replace(pick(rng, st.answerIs), "%s", final, 1))
		}
		return rendered{text: b.String(), finishReason: "stop", tokens: tokensOf(b.Len())}
	case outNoAnswer:
		para(pick(rng, ramblings))
		para(pick(rng, ramblings2))
		return rendered{text: b.String(), finishReason: "stop", tokens: tokensOf(b.Len())}
	default: // outTruncate: the model loops until it hits the limit
		limit := MaxTokens * charsPerToken
		for b.Len() < limit {
			para(pick(rng, loops))
			para(p.steps[rng.IntN(len(p.steps))])
		}
		// Cut mid-sentence: never right after a full stop or on a space.
		text := strings.TrimRight(b.String()[:limit-rng.IntN(64)], " \n.")
		return rendered{text: text, finishReason: "length", tokens: MaxTokens}
	}
}

// charsPerToken is the demo's token estimate: response_tokens = chars / 4.
const charsPerToken = 4

func tokensOf(chars int) int64 { return int64((chars + charsPerToken - 1) / charsPerToken) }

var (
	slips = []string{
		"Simplifying the expression, we get the value below.",
		"Carrying out the arithmetic, we obtain the result.",
		"Putting everything together gives the result.",
		"Combining these, the result follows.",
	}
	codeErrors = []string{
		"NameError: name 'Rational' is not defined",
		"TypeError: unsupported operand type(s) for /: 'str' and 'int'",
		"SyntaxError: invalid syntax",
	}
	ramblings = []string{
		"Hmm, this is getting complicated. Let me reconsider the problem from the beginning.",
		"Wait, I think I made an error somewhere. Let me look at the setup again.",
		"I am not sure this approach leads anywhere. Maybe we should try something different.",
	}
	ramblings2 = []string{
		"We could also try drawing a diagram, but it is not clear which approach gives a clean result.",
		"There might be a simpler way to see this, for instance by symmetry or by a substitution.",
		"Let us think about what the question is really asking before computing anything further.",
	}
	loops = []string{
		"Wait, let me double-check this step.",
		"Let me verify the computation once more.",
		"Hmm, let me re-examine the previous step carefully.",
	}
)

// pick returns a uniformly chosen element of xs ("" for none).
func pick(rng *rand.Rand, xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[rng.IntN(len(xs))]
}
