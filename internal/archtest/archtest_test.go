package archtest

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/rlvr-eval/rlvr-eval"

// rule says which of the module's packages the packages matching pkg may
// depend on, directly or not. A pattern is a package path relative to the
// module, or a path ending in "/..." for it and every package below it.
type rule struct {
	pkg string
	may []string
	why string
}

// rules are ARCHITECTURE.md's table; keep the two in step.
var rules = []rule{
	{"schemas", nil, "schemas are leaves: the tables' vocabulary depends on nothing"},
	{"internal/safeparquet", nil, "the Parquet opener is a leaf"},
	{"pipeline/runjson", nil, "run.json's type is a leaf, read by the leaderboard"},
	{"internal/storage/...", []string{"internal/storage/..."}, "storage knows paths and buckets, nothing of runs"},
	{"internal/shard", []string{"internal/storage"}, "a shard plan is files and bytes, nothing of grading or tables"},
	{"internal/realdata", nil, "the real-data locator of tests is a leaf"},
	{"pipeline/gradecache", []string{"schemas", "stages/grade/..."}, "the grading cache stores verdicts, nothing of the run around it"},
	{"stages/grade/...", []string{"stages/grade/..."}, "the grader imports nothing of the pipeline"},
	{"stages/ingest/...", []string{"schemas", "internal/..."}, "readers know nothing of outputs, grading or statistics"},
	{"evalsets/...", []string{"schemas", "internal/..."}, "evalsets are an input: nothing of the stages or the pipeline"},
	{"stages/aggregate/...", []string{"schemas", "stages/grade/...", "internal/..."}, "statistics read graded samples, not files"},
	{"stages/write/...", []string{"schemas", "internal/..."}, "the writers know only the tables"},
	{"stages/leaderboard/...", []string{"schemas", "stages/write", "pipeline/runjson", "internal/..."}, "the leaderboard reads finished runs, never runs one"},
	{"pipeline/demo/...", []string{"schemas", "internal/..."}, "the demo corpus and report know only the tables"},
	{"pipeline/...", []string{"schemas", "evalsets/...", "stages/...", "pipeline/...", "internal/..."}, "the pipeline wires the stages; only cmd is above it"},
}

func match(pattern, pkg string) bool {
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == p || strings.HasPrefix(pkg, p+"/")
	}
	return pkg == pattern
}

// ruleFor is the first rule whose pkg matches (rules go from specific to general).
func ruleFor(pkg string) (rule, bool) {
	for _, r := range rules {
		if match(r.pkg, pkg) {
			return r, true
		}
	}
	return rule{}, false
}

// violations lists every dependency of the graph (package → its module
// dependencies, paths relative to the module) that its rule does not allow.
func violations(graph map[string][]string) []string {
	var out []string
	for pkg, deps := range graph {
		r, ok := ruleFor(pkg)
		if !ok {
			continue
		}
		for _, d := range deps {
			allowed := false
			for _, m := range r.may {
				allowed = allowed || match(m, d)
			}
			if !allowed {
				out = append(out, pkg+" depends on "+d+" ("+r.why+")")
			}
		}
	}
	return out
}

// moduleGraph runs go list -deps over the module: each package with its
// transitive dependencies inside the module (test files excluded).
func moduleGraph(t *testing.T) map[string][]string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: cannot list the dependency graph")
	}
	cmd := exec.Command(gobin, "list", "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}{{range .Deps}} {{.}}{{end}}{{end}}`, "./...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(string(outb), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], module+"/") {
			continue
		}
		pkg := strings.TrimPrefix(f[0], module+"/")
		graph[pkg] = []string{}
		for _, d := range f[1:] {
			if rel, ok := strings.CutPrefix(d, module+"/"); ok {
				graph[pkg] = append(graph[pkg], rel)
			}
		}
	}
	return graph
}

func TestImportRules(t *testing.T) {
	graph := moduleGraph(t)
	for _, must := range []string{"schemas", "stages/grade", "stages/ingest", "stages/write", "pipeline", "cmd/rlvr-eval"} {
		if _, ok := graph[must]; !ok {
			t.Fatalf("go list did not list %s: the graph is incomplete (%d packages)", must, len(graph))
		}
	}
	for _, v := range violations(graph) {
		t.Error(v)
	}
}

// The checker finds what it must: a grader that imports the pipeline, a
// reader that imports a writer, a schemas package that imports anything.
func TestViolationsAreFound(t *testing.T) {
	graph := map[string][]string{
		"stages/grade/equiv":  {"stages/grade/latex", "pipeline"},
		"stages/ingest":       {"schemas", "stages/write"},
		"schemas":             {"internal/safeparquet"},
		"stages/leaderboard":  {"schemas", "stages/write", "pipeline/runjson"},
		"pipeline":            {"stages/ingest", "cmd/rlvr-eval"},
		"pipeline/gradecache": {"schemas"},
	}
	got := strings.Join(violations(graph), "\n")
	for _, want := range []string{
		"stages/grade/equiv depends on pipeline",
		"stages/ingest depends on stages/write",
		"schemas depends on internal/safeparquet",
		"pipeline depends on cmd/rlvr-eval",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("expected the violation %q, found:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 4 {
		t.Errorf("expected exactly 4 violations, found %d:\n%s", n, got)
	}
}
