package ingest

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestReadSpuriousRewards(t *testing.T) {
	doc := func(meta string) string {
		return "{\n    \"avg@2\": 0.5,\n    \"dataset\": \"MATH-500\",\n    \"model\": \"m\",\n    \"temperature\": 0.6,\n    \"rollouts\": 2,\n    \"metadata\": " + meta + "\n}"
	}
	runReaderCases(t, "spurious-rewards", []readerCase{
		{
			name:    "chat prompt unwrapped, label as gold, index as position",
			file:    "m_MATH-500.json",
			in:      doc(`[{"prompt": "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n", "label": "2", "index": 7, "outputs": ["\\boxed{2}", "3"]}]`),
			records: 2,
			check: func(t *testing.T, r []Record) {
				for i, g := range r {
					if g.ProblemText != "What is 1+1?" || g.Position != 7 || *g.Gold != "2" || g.SampleIdx != int64(i) || g.SourceLine != 7 {
						t.Errorf("record %d %+v", i, g)
					}
				}
			},
		},
		{
			name:    "base-model prompt; metadata before the other fields; numeric label",
			file:    "b.json",
			in:      `{"metadata": [{"prompt": "A conversation...\n\n<|user|>\nCompute 2+2.\n<|assistant|>\n<think>", "label": 4, "index": 0, "outputs": ["4"]}], "rollouts": 1, "model": "x"}`,
			records: 1,
			check: func(t *testing.T, r []Record) {
				if r[0].ProblemText != "Compute 2+2." || *r[0].Gold != "4" {
					t.Errorf("record %+v", r[0])
				}
			},
		},
		{name: "not an object", file: "a.json", in: `[1, 2]`, rejects: []string{"expected a JSON object, found ["}},
		{name: "empty file", file: "a.json", in: ``, rejects: []string{"expected a JSON object, found the end of the file"}},
		{name: "no metadata", file: "a.json", in: `{"model": "m", "rollouts": 1}`, rejects: []string{`expected a "metadata" array of problems, found none`}},
		{name: "metadata not an array", file: "a.json", in: `{"metadata": {"a": 1}}`, rejects: []string{`field "metadata": expected an array, found {`}},
		{name: "element without outputs", file: "a.json", in: doc(`[{"prompt": "p", "label": "1", "index": 0}]`), rejects: []string{`metadata[0]: field "outputs": expected an array of responses, found nothing`}},
		{name: "bad index", file: "a.json", in: doc(`[{"prompt": "p", "label": "1", "index": "zero", "outputs": ["a"]}]`), rejects: []string{`metadata[0]: field "index": expected an integer, found the string "zero"`}},
		{name: "cut in the middle", file: "a.json", in: `{"model": "m", "rollouts": 1, "metadata": [{"prompt": "p", "label": "1", "index": 0, "outputs": ["a"]}, {"prompt": "q", "lab`, records: 1, rejects: []string{"expected metadata element 1, found the end of the file (truncated document)"}},
		{name: "garbage after an element", file: "a.json", in: doc(`[{"prompt": "p", "label": "1", "index": 0, "outputs": ["a"]} x]`), records: 1, rejects: []string{"invalid JSON"}},
	})
}

// TestSpuriousRewardsStreams checks that elements are emitted while the
// document is read: the first record arrives before the reader reaches a
// broken tail, and lines are counted across a large document.
func TestSpuriousRewardsStreams(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\"model\": \"m\", \"rollouts\": 1, \"metadata\": [\n")
	const n = 3000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"prompt": "p", "label": "1", "index": ` + strconv.Itoa(i) + `, "outputs": ["` + strings.Repeat("x", 200) + `"]}`)
	}
	b.WriteString("\n]}")
	p := t.TempDir() + "/big.json"
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, rejs := collectItems(t, "spurious-rewards", p, nil)
	if len(recs) != n || len(rejs) != 0 {
		t.Fatalf("%d records, %d rejects", len(recs), len(rejs))
	}
	if recs[n-1].SourceLine != n+1 || recs[n-1].Position != n-1 {
		t.Errorf("last record at line %d position %d, want line %d position %d", recs[n-1].SourceLine, recs[n-1].Position, n+1, n-1)
	}
}

func FuzzReadSpuriousRewards(f *testing.F) {
	for _, p := range fixtureFiles(f, "spurious-rewards") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"metadata": [{"outputs": [null, 1, "a"]}, 5, [], {"index": -3, "outputs": []}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReaderContract(t, "spurious-rewards", "x_MATH-500.json", data, false)
	})
}
