package pipeline

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// Each stage of a run, driven alone through its channels.

func quietProgress() *progress {
	return newProgress(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestReadStage: every file is read into its own channel, in batches of at
// most the batch size, and every file's records are counted; a file holds a
// slot until the consumer releases it.
func TestReadStage(t *testing.T) {
	dir := corpusTree(t, 2, 3)
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := prepareSources(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outs := make([]chan []ingest.Item, len(srcs))
	for i := range outs {
		outs[i] = make(chan []ingest.Item, 100)
	}
	st := &readStage{srcs: srcs, batch: 7, slots: make(chan struct{}, len(srcs)), pr: quietProgress()}
	if err := st.run(context.Background(), outs); err != nil {
		t.Fatal(err)
	}
	if len(st.slots) != len(srcs) {
		t.Errorf("%d slots held, want %d (no file consumed yet)", len(st.slots), len(srcs))
	}
	for i, ch := range outs {
		var n int
		for b := range ch {
			if len(b) == 0 || len(b) > 7 {
				t.Errorf("file %d: a batch of %d items, want 1 to 7", i, len(b))
			}
			n += len(b)
		}
		if n != 60 || srcs[i].records.Load() != 60 || srcs[i].sha256 == "" {
			t.Errorf("file %d: %d items, %d records, sha256 %q; want 60, 60, set", i, n, srcs[i].records.Load(), srcs[i].sha256)
		}
	}
}

// TestResolveStage: records become tasks in file order, bad ones rejects
// with the file as the tables show it; when a file naming a later checkpoint
// starts, the earlier checkpoints ride in the batch as sealed (never as a
// task); one slot is released per file.
func TestResolveStage(t *testing.T) {
	cfg := &Config{Evalset: EvalsetConfig{Name: "inline"}}
	fam, model, none, random := "f", "M", "none", "random"
	step0, step10 := int64(0), int64(10)
	gold := "2"
	srcs := []*source{
		{in: Input{Path: "/x/a.jsonl", Fields: CheckpointFields{Family: &fam, Model: &model, Reward: &none, Step: &step0, Source: "a"}}},
		{in: Input{Path: "/x/b.jsonl", Fields: CheckpointFields{Family: &fam, Model: &model, Reward: &random, Step: &step10, Source: "b"}}},
	}
	rec := func(line int64, resp string) ingest.Item {
		return ingest.Item{Record: &ingest.Record{SourceLine: line, ProblemID: "p", Position: -1, SampleIdx: -1, Response: resp, Gold: &gold}}
	}
	ins := []chan []ingest.Item{make(chan []ingest.Item, 2), make(chan []ingest.Item, 2)}
	ins[0] <- []ingest.Item{rec(1, `\boxed{2}`), rec(2, ""), rec(3, `\boxed{3}`)}
	ins[1] <- []ingest.Item{rec(1, `\boxed{2}`), {Reject: &schemas.Reject{SourceLine: 2, Error: "bad line"}}}
	close(ins[0])
	close(ins[1])
	res := newResolver(cfg, nil)
	res.files = []Input{srcs[0].in, srcs[1].in}
	slots := make(chan struct{}, 2)
	slots <- struct{}{}
	slots <- struct{}{}
	st := &resolveStage{srcs: srcs, res: res, batch: 2, slots: slots, pr: quietProgress()}
	out, rejects := make(chan resolvedBatch, 10), make(chan []schemas.Reject, 10)
	if err := st.run(context.Background(), ins, out, rejects); err != nil {
		t.Fatal(err)
	}
	var got []string
	var sealed [][]string
	for b := range out {
		for _, tk := range b.tasks {
			got = append(got, tk.id.Checkpoint+" "+tk.file+" "+tk.rec.Response)
		}
		if b.sealed != nil {
			sealed = append(sealed, b.sealed)
		}
	}
	want := []string{`M/none/step0 /x/a.jsonl \boxed{2}`, `M/none/step0 /x/a.jsonl \boxed{3}`, `M/random/step10 /x/b.jsonl \boxed{2}`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tasks\n%q\nwant\n%q", got, want)
	}
	if !reflect.DeepEqual(sealed, [][]string{{"M/none/step0"}}) {
		t.Errorf("sealed %q, want [[M/none/step0]]", sealed)
	}
	var rejs []string
	for b := range rejects {
		for _, r := range b {
			rejs = append(rejs, r.SourceFile+": "+r.Error)
		}
	}
	if len(rejs) != 2 || !strings.HasPrefix(rejs[0], "/x/a.jsonl: record without response") || rejs[1] != "/x/b.jsonl: bad line" {
		t.Errorf("rejects %q", rejs)
	}
	if len(slots) != 0 || srcs[0].rejects != 1 || srcs[1].rejects != 1 {
		t.Errorf("%d slots held, rejects %d and %d; want 0, 1, 1", len(slots), srcs[0].rejects, srcs[1].rejects)
	}
}

// TestGradeStage: with several workers, samples leave in input order on both
// outputs, each batch's sealed checkpoints follow its samples, and a grader
// verdict is the one grading alone gives.
func TestGradeStage(t *testing.T) {
	id := schemas.Identity{Family: "f", Model: "M", Reward: "none", Evalset: "e"}.WithCheckpoint()
	in := make(chan resolvedBatch, 50)
	var want []int64
	for b := 0; b < 40; b++ {
		var rb resolvedBatch
		for i := 0; i < 5; i++ {
			n := int64(5*b + i)
			rb.tasks = append(rb.tasks, &task{rec: &ingest.Record{Response: `\boxed{2}`, SourceLine: n}, id: &id, problem: "p", sampleIdx: n, gold: grade.PrepareGold("2")})
			want = append(want, n)
		}
		if b%10 == 9 {
			rb.sealed = []string{"s" + string(rune('0'+b/10))}
		}
		in <- rb
	}
	close(in)
	toAgg, toWrite := make(chan gradedBatch, 50), make(chan []schemas.Sample, 50)
	st := &gradeStage{workers: 4, profiles: []grade.Profile{grade.Strict}, pr: quietProgress()}
	if err := st.run(context.Background(), in, toAgg, toWrite); err != nil {
		t.Fatal(err)
	}
	var gotAgg, gotWrite []int64
	var sealed []string
	for b := range toAgg {
		for _, s := range b.samples {
			gotAgg = append(gotAgg, s.SourceLine)
			if !s.Correct || s.ExtractMethod == "" {
				t.Fatalf("sample %d: correct %v, method %q", s.SourceLine, s.Correct, s.ExtractMethod)
			}
		}
		sealed = append(sealed, b.sealed...)
	}
	for b := range toWrite {
		for _, s := range b {
			gotWrite = append(gotWrite, s.SourceLine)
		}
	}
	if !reflect.DeepEqual(gotAgg, want) || !reflect.DeepEqual(gotWrite, want) {
		t.Errorf("samples out of order:\nagg   %v\nwrite %v", gotAgg, gotWrite)
	}
	if !reflect.DeepEqual(sealed, []string{"s0", "s1", "s2", "s3"}) || st.graded.Load() != 200 {
		t.Errorf("sealed %q, graded %d", sealed, st.graded.Load())
	}
}

// TestAggregateStage: the tables of samples fed through the stage are those
// of the Aggregator fed directly.
func TestAggregateStage(t *testing.T) {
	opts := aggregate.Options{Ks: []int{1}, Profiles: []string{"strict"}, Bootstrap: 10, Permutations: 10}
	var samples []schemas.Sample
	for _, reward := range []string{"none", "random"} {
		id := schemas.Identity{Family: "f", Model: "M", Reward: reward, Evalset: "e"}.WithCheckpoint()
		for i := 0; i < 4; i++ {
			samples = append(samples, schemas.Sample{Identity: id, ProblemID: "p", SampleIdx: int64(i), Correct: i%2 == 0, ExtractMethod: "boxed", Reason: "numeric"})
		}
	}
	in := make(chan gradedBatch, 2)
	in <- gradedBatch{samples: samples[:4], sealed: []string{samples[0].Checkpoint}}
	in <- gradedBatch{samples: samples[4:]}
	close(in)
	st := &aggregateStage{agg: aggregate.New(opts), pr: quietProgress()}
	if err := st.run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	got, err := st.result()
	if err != nil {
		t.Fatal(err)
	}
	direct := aggregate.New(opts)
	direct.Add(samples)
	want, err := direct.Result()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Metrics, want.Metrics) || len(got.Metrics) == 0 || st.added != 8 {
		t.Errorf("metrics through the stage\n%+v\ndirect\n%+v (added %d)", got.Metrics, want.Metrics, st.added)
	}
}

// TestSinkStage: every batch is written and counted, and the examples of
// rejects keep one per line, at most maxRejectExamples.
func TestSinkStage(t *testing.T) {
	dir := t.TempDir()
	w, err := write.New[schemas.Reject](write.Options{Dir: dir, Format: write.Parquet})
	if err != nil {
		t.Fatal(err)
	}
	var ex rejectExamples
	st := &sinkStage[schemas.Reject]{w: w, each: ex.add}
	in := make(chan []schemas.Reject, 3)
	in <- []schemas.Reject{{SourceFile: "a", SourceLine: 1}, {SourceFile: "a", SourceLine: 1}, {SourceFile: "a", SourceLine: 2}}
	in <- []schemas.Reject{{SourceFile: "b", SourceLine: 1}, {SourceFile: "b", SourceLine: 2}, {SourceFile: "b", SourceLine: 3}, {SourceFile: "b", SourceLine: 4}}
	close(in)
	if err := st.run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, err := write.ReadParquet[schemas.Reject](filepath.Join(dir, "rejects.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if st.rows != 7 || len(rows) != 7 {
		t.Errorf("%d rows counted, %d written; want 7", st.rows, len(rows))
	}
	var where []string
	for _, r := range ex {
		where = append(where, r.SourceFile+string(rune('0'+r.SourceLine)))
	}
	if !reflect.DeepEqual(where, []string{"a1", "a2", "b1", "b2", "b3"}) {
		t.Errorf("examples %q", where)
	}
}
