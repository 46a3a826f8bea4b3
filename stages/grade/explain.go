package grade

import (
	"fmt"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/equiv"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

// Explanation is one verdict with everything that led to it, for a person to read.
type Explanation struct {
	Verdict Verdict
	// Mode is "response" (the input was a whole model output) or "answer".
	Mode    string
	Profile Profile
	// Gold and Input are the texts as given.
	Gold, Input string
	// GoldText and GoldParse are the gold's normalized text and how it parsed.
	GoldText, GoldParse string
	// PredText and PredParse are the same for the extracted answer; empty when there
	// was no answer.
	PredText, PredParse string
}

// ExplainResponse grades a whole response under profile p, keeping every step.
func ExplainResponse(gold, response string, p Profile) Explanation {
	g := PrepareGold(gold)
	v, pred := gradeResponse(g, response, p)
	return explanation(Explanation{Mode: "response", Profile: p, Gold: gold, Input: response, Verdict: v}, g, pred)
}

// ExplainAnswer grades an already extracted answer (answer mode), keeping every step.
func ExplainAnswer(gold, answer string) Explanation {
	g := PrepareGold(gold)
	v, pred := gradeAnswer(g, answer)
	return explanation(Explanation{Mode: "answer", Gold: gold, Input: answer, Verdict: v}, g, pred)
}

// explanation completes e with how the gold and the answer (nil when there was none)
// were read.
func explanation(e Explanation, g *Gold, pred *equiv.Answer) Explanation {
	e.GoldText, e.GoldParse = g.Text(), g.Describe()
	if pred != nil {
		e.PredText, e.PredParse = pred.Text(), pred.Describe()
	}
	return e
}

// methodWords says in words what each extraction strategy found.
var methodWords = map[string]string{
	extract.MethodBoxed:      `the last \boxed{…} (boxes closing the response form one list; for a gold of several parts, so do boxes with short prose between them)`,
	extract.MethodAnswerTag:  "the last <answer>…</answer>",
	extract.MethodMinerva:    `the Minerva sentence "The final answer is X. I hope it is correct."`,
	extract.MethodGSM8K:      `the GSM8K final-answer marker "#### X"`,
	extract.MethodAnswerIs:   `the last "the answer is X" / "Answer: X"`,
	extract.MethodLastMath:   "the last LaTeX math span (lenient fallback)",
	extract.MethodLastNumber: "the last number (lenient fallback; a known false-positive source)",
	MethodAnswer:             "answer mode: the input is the answer (delimiters and one box peeled)",
}

// String renders the explanation as a few labelled lines.
func (e Explanation) String() string {
	var b strings.Builder
	v := e.Verdict
	fmt.Fprintf(&b, "gold:       %s\n", oneLine(e.Gold, 200))
	fmt.Fprintf(&b, "  parsed:   %s\n", e.GoldParse)
	fmt.Fprintf(&b, "  as:       %s\n", e.GoldText)
	if e.Mode == "response" {
		p := e.Profile
		if p == "" {
			p = Strict
		}
		fmt.Fprintf(&b, "response:   %d bytes, profile %s: %s\n", len(e.Input), p, oneLine(e.Input, 120))
	} else {
		fmt.Fprintf(&b, "answer:     %s\n", oneLine(e.Input, 200))
	}
	if !v.HasAnswer {
		if e.Mode == "response" {
			b.WriteString("extracted:  nothing: no strategy found a final answer")
			if strings.Contains(e.Input, "<think>") && !strings.Contains(e.Input, "</think>") {
				b.WriteString(" (a <think> is never closed: the response was cut off while reasoning)")
			}
			b.WriteString("\n")
		} else {
			b.WriteString("extracted:  nothing: the answer is blank\n")
		}
		fmt.Fprintf(&b, "verdict:    INCORRECT (reason %s)\n", v.Reason)
		return b.String()
	}
	fmt.Fprintf(&b, "extracted:  %s\n", oneLine(v.Extracted, 200))
	fmt.Fprintf(&b, "  by:       %s [%s]\n", methodWords[v.ExtractMethod], v.ExtractMethod)
	fmt.Fprintf(&b, "  parsed:   %s\n", e.PredParse)
	fmt.Fprintf(&b, "  as:       %s\n", e.PredText)
	fmt.Fprintf(&b, "rule:       %s\n", v.Rule)
	word := "INCORRECT"
	if v.Correct {
		word = "CORRECT"
	}
	fmt.Fprintf(&b, "verdict:    %s (reason %s)\n", word, v.Reason)
	return b.String()
}

// oneLine shows s on one line, newlines escaped and cut to about max bytes.
func oneLine(s string, max int) string {
	s = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", " ").Replace(s)
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		return fmt.Sprintf("%s… (%d bytes more)", s[:cut], len(s)-cut)
	}
	return s
}
