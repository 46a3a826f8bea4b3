package equiv

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// sympyPair is one line of testdata/differential.py's output.
type sympyPair struct {
	Family string `json:"family"`
	A      string `json:"a"`
	B      string `json:"b"`
	Equal  bool   `json:"equal"`
}

// TestDifferentialSympy grades thousands of pairs that SymPy built and decided
// (testdata/differential.py, fixed seed: polynomials, rationals, radicals, trig
// and logs of rational multiples of π, sums, products, binomials and
// factorials with numeric limits, matrices, intervals, each printed in
// several LaTeX styles) and fails on every verdict that differs from SymPy's.
// SymPy is only the oracle; the grader stays pure Go. Where the grader's policy
// differs from SymPy's defaults the generator asks SymPy the question the
// policy answers (x^{2/3} is the real root for negative x here, the principal
// value in SymPy: the generator decides those pairs for positive x).
func TestDifferentialSympy(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test against SymPy skipped in -short mode")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: differential test against SymPy skipped")
	}
	if err := exec.Command(py, "-c", "import sympy").Run(); err != nil {
		t.Skip("sympy not importable by python3: differential test against SymPy skipped")
	}
	out, err := exec.Command(py, "testdata/differential.py").Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("testdata/differential.py: %v\n%s", err, msg)
	}
	var pairs []sympyPair
	if err := json.Unmarshal(out, &pairs); err != nil {
		t.Fatalf("testdata/differential.py output: %v", err)
	}
	if len(pairs) < 2000 {
		t.Fatalf("testdata/differential.py produced %d pairs, want thousands", len(pairs))
	}
	type figure struct{ pairs, agree, equal int }
	figs := map[string]*figure{}
	total, agree := 0, 0
	shown := 0
	for _, p := range pairs {
		f := figs[p.Family]
		if f == nil {
			f = &figure{}
			figs[p.Family] = f
		}
		// Both directions: the comparison is symmetric for these answers.
		for _, dir := range [][2]string{{p.A, p.B}, {p.B, p.A}} {
			f.pairs++
			total++
			if p.Equal {
				f.equal++
			}
			got, reason, rule := Compare(Prepare(dir[0]), Prepare(dir[1]))
			if got == p.Equal {
				f.agree++
				agree++
				continue
			}
			if shown < 40 {
				t.Errorf("%s: Compare(%q, %q) = %v (%s: %s); SymPy says %v\n  gold: %s\n  pred: %s",
					p.Family, dir[0], dir[1], got, reason, rule, p.Equal, Prepare(dir[0]).Describe(), Prepare(dir[1]).Describe())
			}
			shown++
		}
	}
	names := make([]string, 0, len(figs))
	for n := range figs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "differential against SymPy: %d graded pairs, %d agree (%.2f%%)\n", total, agree, 100*float64(agree)/float64(total))
	for _, n := range names {
		f := figs[n]
		fmt.Fprintf(&b, "  %-10s %5d pairs (%d equal), %5d agree\n", n, f.pairs, f.equal, f.agree)
	}
	t.Log(b.String())
	if shown > 0 {
		t.Errorf("%d disagreements with SymPy", shown)
	}
}
