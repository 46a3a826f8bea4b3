package grade

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

// Profile selects the extraction strategies used in response mode.
type Profile string

const (
	// Strict is the default profile of spec/grading.md section 2.
	Strict Profile = "strict"
	// Lenient adds the "last math span" and "last number" fallbacks (what Math-Verify
	// and the Qwen2.5-Math harness do). The last-number fallback is a known
	// false-positive source; use it to reproduce peers, not to report results.
	Lenient Profile = "lenient"
)

// ParseProfile validates a profile name as written in configuration or input; the
// empty string is Strict. The error names the bad value and the accepted ones.
func ParseProfile(s string) (Profile, error) {
	switch Profile(s) {
	case "", Strict:
		return Strict, nil
	case Lenient:
		return Lenient, nil
	}
	return "", fmt.Errorf("expected profile %q or %q, found %q", Strict, Lenient, s)
}

// extractProfile maps a Profile to the extraction profile: anything but Lenient is
// strict (validate user input with ParseProfile first).
func (p Profile) extractProfile() extract.Profile {
	if p == Lenient {
		return extract.Lenient
	}
	return extract.Strict
}
