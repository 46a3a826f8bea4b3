package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

// TestRenderExtracts renders every outcome of every problem in every family's
// style, with and without code, and checks that strict extraction finds what the
// latent model meant: the gold or an equivalent form for a correct response, a
// planted wrong answer for a wrong one, and nothing for rambling or truncation.
func TestRenderExtracts(t *testing.T) {
	outcomes := []struct {
		name string
		out  outcome
	}{{"correct", outCorrect}, {"wrong", outWrong}, {"no_answer", outNoAnswer}, {"truncated", outTruncate}}
	for fi := range families {
		f := &families[fi]
		for _, o := range outcomes {
			t.Run(f.name+"/"+o.name, func(t *testing.T) {
				for pi := range problems {
					p := &problems[pi]
					for _, code := range []bool{false, true} {
						for _, ck := range []checkpointParams{{boxedRate: 0}, {boxedRate: 1}} {
							rng := stream("render-test", f.name, p.uniqueID())
							for range 6 {
								r := render(rng, &f.style, p, code, o.out, ck, 0.5)
								checkRendered(t, p, code, o.out, r)
							}
						}
					}
				}
			})
		}
	}
}

func checkRendered(t *testing.T, p *problem, code bool, out outcome, r rendered) {
	t.Helper()
	res := extract.Extract(r.text, extract.Strict)
	if hasPython := strings.Contains(strings.ToLower(r.text), "python"); hasPython != code {
		t.Errorf("%s: code=%v but the response mentions python = %v:\n%s", p.uniqueID(), code, hasPython, r.text)
	}
	switch out {
	case outCorrect:
		if !res.OK || (res.Answer != p.answer && !slices.Contains(p.equiv, res.Answer)) {
			t.Errorf("%s: correct response extracts %q (%s), want %q or one of %q:\n%s", p.uniqueID(), res.Answer, res.Method, p.answer, p.equiv, r.text)
		}
	case outWrong:
		if !res.OK || !slices.Contains(p.wrong, res.Answer) {
			t.Errorf("%s: wrong response extracts %q (%s), want one of %q:\n%s", p.uniqueID(), res.Answer, res.Method, p.wrong, r.text)
		}
	default:
		if res.OK {
			t.Errorf("%s: response without an answer extracts %q (%s):\n%s", p.uniqueID(), res.Answer, res.Method, r.text)
		}
	}
	wantFinish := "stop"
	if out == outTruncate {
		wantFinish = "length"
	}
	if r.finishReason != wantFinish {
		t.Errorf("%s: finish_reason %q, want %q", p.uniqueID(), r.finishReason, wantFinish)
	}
}
