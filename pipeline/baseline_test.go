package pipeline

import (
	"errors"
	"strings"
	"testing"
)

func baselineTree(t *testing.T, extra string) string {
	line := func(id, ans string) string {
		return `{"problem_id": "` + id + `", "response": "\\boxed{` + ans + `}", "sample_idx": 0}` + "\n"
	}
	return writeTree(t, map[string]string{
		"ev.jsonl":                   tinyEvalset,
		"gens/M/random/step10.jsonl": line("p/1", "2") + line("p/2", "4"),
		"gens/N/none/step0.jsonl":    line("p/1", "2") + line("p/2", "5"),
		"gens/N/random/step10.jsonl": line("p/1", "2") + line("p/2", "4"),
		"eval.yaml": "evalset: {name: tiny, path: ev.jsonl}\n" + extra + `
runs:
  - template: "gens/{model}/{reward}/step{step}.jsonl"
    family: fam
`,
	})
}

// M has no reward none/step 0 checkpoint: a warning in run.json and the
// summary, naming M and why; the run succeeds (N compares with its base).
func TestMissingBaselineWarns(t *testing.T) {
	res, out, err := runTree(t, baselineTree(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ReadManifest(out)
	if len(m.MissingBaselines) != 1 || m.MissingBaselines[0].Checkpoint != "M/random/step10" ||
		!strings.Contains(m.MissingBaselines[0].Reason, "no checkpoint of model M with reward none and step 0") {
		t.Errorf("missing baselines %+v", m.MissingBaselines)
	}
	var sb strings.Builder
	res.Summary.Print(&sb)
	if !strings.Contains(sb.String(), "warning: no baseline for M/random/step10 (evalset tiny): no checkpoint of model M") {
		t.Errorf("summary:\n%s", sb.String())
	}
	if strings.Count(sb.String(), "M/random/step10 (evalset tiny)") != 1 {
		t.Errorf("the missing baseline is said more than once:\n%s", sb.String())
	}
}

// A configured baseline that is not a checkpoint of the run is an error
// (exit 2, tables written) naming the checkpoint, the baseline and the
// closest checkpoint id.
func TestConfiguredBaselineAbsentFails(t *testing.T) {
	_, out, err := runTree(t, baselineTree(t, "baselines: {M/random/step10: M/none/step0}"))
	var be *BaselineError
	if !errors.As(err, &be) || !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want a *BaselineError", err)
	}
	if !strings.Contains(err.Error(), `M/random/step10: baseline M/none/step0 is not a checkpoint of this run (closest: "N/none/step0"`) {
		t.Errorf("message %q", err)
	}
	m, rerr := ReadManifest(out)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if m.Outcome != "missing_baseline" || len(m.MissingBaselines) != 1 || m.MissingBaselines[0].Configured != "M/none/step0" {
		t.Errorf("outcome %q, missing %+v", m.Outcome, m.MissingBaselines)
	}
}
