package write_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// A streaming samples writer with one extra extraction profile: the table gets
// a correct_lenient column filled from each sample's Alt verdict.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "rlvr-eval-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	w, err := write.New[schemas.Sample](write.Options{Dir: dir, Profiles: []string{"lenient"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer w.Abort() // no-op after a successful Close
	batch := []schemas.Sample{{
		Identity:  schemas.Identity{Family: "qwen2.5-math", Model: "Qwen2.5-Math-7B", Reward: "none", Evalset: "math500"}.WithCheckpoint(),
		ProblemID: "test/algebra/1.json", Response: `... \boxed{4}`, Gold: "4", Correct: true,
		Alt: []schemas.AltVerdict{{Profile: "lenient", Correct: true}},
	}}
	if err := w.Write(ctx, batch); err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Close(ctx); err != nil {
		fmt.Println(err)
		return
	}

	back, err := write.ReadParquet[schemas.Sample](filepath.Join(dir, "samples.parquet"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(back), back[0].Checkpoint, back[0].Correct, back[0].Alt[0].Profile, back[0].Alt[0].Correct)
	// Output: 1 Qwen2.5-Math-7B/none/step0 true lenient true
}

// Small tables are written at once; the file appears only if everything succeeded.
func ExampleWriteTable() {
	dir, _ := os.MkdirTemp("", "rlvr-eval-example")
	defer os.RemoveAll(dir)

	rejects := []schemas.Reject{{SourceFile: "gens/a.jsonl", SourceLine: 3, Error: `line 3: expected "}", found end of line`, Raw: `{"code": [`}}
	err := write.WriteTable(context.Background(), write.Options{Dir: dir, Format: write.Both}, rejects)
	fmt.Println(err)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	back, _ := write.ReadParquet[schemas.Reject](filepath.Join(dir, "rejects.parquet"))
	fmt.Printf("%+v\n", back[0])
	// Output:
	// <nil>
	// rejects.arrow
	// rejects.parquet
	// {SourceFile:gens/a.jsonl SourceLine:3 Error:line 3: expected "}", found end of line Raw:{"code": [}
}

func ExampleParseFormat() {
	f, err := write.ParseFormat("both")
	fmt.Println(f, err)
	_, err = write.ParseFormat("csv")
	fmt.Println(err)
	// Output:
	// both <nil>
	// invalid writer options: format "csv": expected parquet, arrow or both
}

func ExampleTableName() {
	fmt.Println(write.TableName[schemas.Metric](), write.TableName[schemas.Reject]())
	// Output: metrics rejects
}
