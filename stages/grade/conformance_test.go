package grade

import (
	"fmt"
	"testing"
)

// knownEquivBugs lists dev cases that fail because of bugs in package equiv
// (normalization and equivalence), NOT because of policy: the extraction is right and
// the expected verdict follows spec/grading.md. They are equivalence bugs to fix in
// equiv; this test prints them on every run and fails when one starts passing, so the
// table cannot go stale.
var knownEquivBugs = map[string]string{}

// TestConformance grades the 150 dev cases: every policy:false case must get its
// expected verdict; policy:true cases are reported, not asserted.
func TestConformance(t *testing.T) {
	cases := readJSONL[devCase](t, "grader/dev_cases.jsonl")
	var pass, fail, known, policyAgree, policyTotal int
	for _, c := range cases {
		v := gradeCase(c)
		input := c.Answer
		if input == nil {
			input = c.Response
		}
		line := fmt.Sprintf("%s gold=%.60q input=%.80q extracted=%.60q by %s: correct=%v reason=%s rule=%q",
			c.ID, c.Gold, *input, v.Extracted, v.ExtractMethod, v.Correct, v.Reason, v.Rule)
		if c.Policy {
			policyTotal++
			exp := "no expectation"
			if c.Expected != nil {
				exp = fmt.Sprintf("expected %v", *c.Expected)
				if *c.Expected == v.Correct {
					policyAgree++
				}
			}
			t.Logf("policy case (reported, not asserted; %s): %s", exp, line)
			continue
		}
		if c.Expected == nil {
			t.Errorf("%s: policy:false case without an expected verdict", c.ID)
			continue
		}
		bug, isKnown := knownEquivBugs[c.ID]
		switch {
		case v.Correct == *c.Expected && isKnown:
			t.Errorf("%s now passes: remove it from knownEquivBugs (%s)", c.ID, bug)
		case v.Correct == *c.Expected:
			pass++
		case isKnown:
			known++
			t.Logf("KNOWN EQUIVALENCE BUG (fix in equiv, not policy): expected %v: %s [%s]", *c.Expected, line, bug)
		default:
			fail++
			t.Errorf("expected correct=%v: %s (source %s)", *c.Expected, line, c.Source)
		}
	}
	t.Logf("conformance: %d policy:false cases pass, %d fail, %d known equivalence bugs; policy cases: %d of %d agree with the peers' expectation",
		pass, fail, known, policyAgree, policyTotal)
}
