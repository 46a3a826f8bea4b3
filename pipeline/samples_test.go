package pipeline

import (
	"strings"
	"testing"
)

func TestResponseFeatures(t *testing.T) {
	tests := []struct {
		response          string
		code, block, boxd bool
	}{
		{"Let me use Python.", true, false, false},
		{"PYTHON", true, false, false},
		{"pYtHoN at the start", true, false, false},
		{"import numpy as np", false, false, false},
		{"pytho n", false, false, false},
		{"y", false, false, false},
		{"ython", false, false, false},
		{"```python\nprint(1)\n```", true, true, false},
		{"text\n   ```\ncode\n```", false, true, false},
		{"inline ``` not a fence", false, false, false},
		{"so $\\boxed{2}$", false, false, true},
		{"\\fbox{3}", false, false, true},
		{"", false, false, false},
	}
	for _, tc := range tests {
		if got := HasCodeReasoning(tc.response); got != tc.code {
			t.Errorf("HasCodeReasoning(%q) = %v", tc.response, got)
		}
		if got := HasCodeBlock(tc.response); got != tc.block {
			t.Errorf("HasCodeBlock(%q) = %v", tc.response, got)
		}
		if got := HasBoxed(tc.response); got != tc.boxd {
			t.Errorf("HasBoxed(%q) = %v", tc.response, got)
		}
	}
	for _, fr := range []string{"length", "LENGTH", "max_tokens", "max_length", "truncated"} {
		if !IsTruncated(&fr) {
			t.Errorf("IsTruncated(%q) = false", fr)
		}
	}
	for _, fr := range []string{"stop", "eos", ""} {
		if IsTruncated(&fr) {
			t.Errorf("IsTruncated(%q) = true", fr)
		}
	}
	if IsTruncated(nil) {
		t.Error("IsTruncated(nil) = true")
	}
}

func FuzzHasCodeReasoning(f *testing.F) {
	for _, s := range []string{"python", "PyThOn", "xpythonx", "pytho", "yyyy", "p\u0130ython"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Contains(strings.ToLower(s), "python") && asciiOnlyMatch(s)
		if got := HasCodeReasoning(s); got != want && asciiOnlyMatch(s) {
			t.Fatalf("HasCodeReasoning(%q) = %v, want %v", s, got, want)
		}
	})
}

// asciiOnlyMatch restricts the reference to inputs where strings.ToLower and
// byte-wise ASCII folding agree (no non-ASCII bytes).
func asciiOnlyMatch(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func BenchmarkResponseFeatures(b *testing.B) {
	r := strings.Repeat("We compute the value of $y$ step by step: \\(x^2 + y^2 = 25\\). ", 30) + "\\boxed{5}"
	b.SetBytes(int64(len(r)))
	for i := 0; i < b.N; i++ {
		HasCodeReasoning(r)
		HasCodeBlock(r)
		HasBoxed(r)
	}
}
