package ingest_test

import (
	"context"
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// Reading an OpenAI/vLLM batch output file: lines come back in any order, the
// problem and the sample are taken from custom_id, and a failed request is a
// reject carrying the API's message.
func Example_openAIBatch() {
	path := "testdata/openai-batch/edge_cases_output.jsonl"
	head, _ := ingest.ReadHead(path)
	f, _ := ingest.Detect(path, head)
	fmt.Println("format:", f.Name)
	_ = f.New(nil).Read(context.Background(), path, func(it ingest.Item) error {
		if r := it.Record; r != nil {
			fmt.Printf("line %d: problem %q sample %d finish %s\n", r.SourceLine, r.ProblemID, r.SampleIdx, *r.FinishReason)
			return nil
		}
		fmt.Printf("line %d: reject: %s\n", it.Reject.SourceLine, it.Reject.Error)
		return nil
	})
	// Output:
	// format: openai-batch
	// line 1: problem "test/number_theory/7.json" sample 1 finish stop
	// line 2: problem "test/algebra/1.json" sample 0 finish stop
	// line 3: problem "test/geometry/12.json" sample 3 finish length
	// line 4: problem "test/algebra/1.json" sample 2 finish stop
	// line 5: reject: request test/algebra/1.json#4 failed: batch_expired: This request could not be executed before the completion window expired.
	// line 6: reject: request test/algebra/1.json#5 failed: expected status_code 200, found 429: rate_limit_exceeded: Rate limit reached
	// line 7: problem "test/geometry/12.json" sample 0 finish stop
	// line 7: reject: request test/geometry/12.json: field "response.body.choices[1].message.content": expected a string, found null
	// line 7: problem "test/geometry/12.json" sample 2 finish length
	// line 8: problem "" sample 1 finish stop
}

// Reading a NeMo-Skills output file: the seed in the file name is the sample
// index, the line is the problem's position, and the tool's own verdict is kept.
func Example_nemoSkills() {
	f, _ := ingest.Lookup("nemo-skills")
	_ = f.New(nil).Read(context.Background(), "testdata/nemo-skills/rs/output-rs1.jsonl", func(it ingest.Item) error {
		r := it.Record
		fmt.Printf("position %d sample %d gold %s theirs %s correct %v\n", r.Position, r.SampleIdx, *r.Gold, *r.PeerExtracted, *r.PeerCorrect)
		return nil
	})
	// Output:
	// position 0 sample 1 gold 5 theirs 5 correct true
	// position 1 sample 1 gold 2 theirs 2 correct true
	// position 2 sample 1 gold 9 theirs 9 correct true
}
