package shard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

var runBackends = []struct {
	name string
	root func(t *testing.T) storage.Location
}{
	{"plain", func(t *testing.T) storage.Location { return storage.Local(t.TempDir()).Join("run") }},
	{"file", func(t *testing.T) storage.Location {
		return storage.MustParse("file://" + filepath.ToSlash(t.TempDir()) + "/run")
	}},
	{"s3", func(t *testing.T) storage.Location { return storage.MustParse(s3test.Bucket(t)).Join("runs", "r1") }},
}

// shardContent is what shard s writes: deterministic bytes per file.
func shardFiles(s Spec) map[string][]byte {
	out := map[string][]byte{}
	for _, rew := range []string{"random", "format/boxed"} {
		out[SamplesPath("qwen", rew, s)] = bytes.Repeat([]byte(fmt.Sprintf("%s %s ", s, rew)), 1000+s.Index)
	}
	out[PartPath(RejectsDir, s, ".parquet")] = []byte("rejects of " + s.String())
	out[PartPath(PartialDir, s, ".parquet")] = []byte("partial state of " + s.String())
	return out
}

// runShard writes shard s's files and manifest; a non-nil block is called
// in the middle of the second file (the killed child blocks there).
func runShard(t testing.TB, st *storage.Store, run storage.Location, s Spec, block func()) {
	ctx := context.Background()
	o, err := Begin(ctx, st, run, s)
	if err != nil {
		t.Fatal(err)
	}
	files := shardFiles(s)
	names := make([]string, 0, len(files))
	for k := range files {
		names = append(names, k)
	}
	slices.Sort(names)
	for i, name := range names {
		f, err := o.Create(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(files[name]); err != nil {
			t.Fatal(err)
		}
		if block != nil && i == 1 {
			f.Write(bytes.Repeat([]byte{'x'}, 6<<20))
			block()
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	m := Manifest{ConfigHash: "cfg", PlanHash: "plan", GraderVersion: "g1", SchemaVersion: "s1",
		Checkpoints: []string{fmt.Sprint("m/r/step", s.Index)}}
	if err := o.Finish(ctx, m); err != nil {
		t.Fatal(err)
	}
}

func snapshot(t *testing.T, st *storage.Store, run storage.Location) map[string]string {
	t.Helper()
	all, err := st.List(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range all {
		b, err := st.ReadFile(context.Background(), e.Loc)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := e.Loc.Rel(run)
		out[rel] = string(b)
	}
	return out
}

// TestKilledShardAndRerun: a complete run of 3 shards merges; shard 1 re-run
// and SIGKILLed mid-write leaves a run the merge refuses, naming shard 1;
// running shard 1 again gives back the identical run folder.
func TestKilledShardAndRerun(t *testing.T) {
	if os.Getenv("SHARD_TEST_CHILD") != "" {
		return
	}
	for _, b := range runBackends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := storage.NewStore()
			defer st.Close()
			run := b.root(t)
			for i := 0; i < 3; i++ {
				runShard(t, st, run, Spec{i, 3}, nil)
			}
			set, err := Open(ctx, st, run, Expect{GraderVersion: "g1", SchemaVersion: "s1"})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range set.Manifests {
				for _, f := range m.Files {
					if want := shardFiles(m.Spec())[f.Path]; int64(len(want)) != f.Size {
						t.Errorf("%s: manifest size %d, wrote %d", f.Path, f.Size, len(want))
					}
				}
			}
			before := snapshot(t, st, run)

			// A leftover of an earlier try of shard 1 in a partition it no
			// longer writes, beside shard 0's file there: Begin removes only
			// the former.
			leftover := SamplesPath("qwen", "gone", Spec{1, 3})
			keep := SamplesPath("qwen", "gone", Spec{0, 3})
			st.WriteFile(ctx, run.Join(leftover), []byte("old"))
			st.WriteFile(ctx, run.Join(keep), []byte("shard 0's"))

			cmd := exec.Command(os.Args[0], "-test.run=^TestShardChild$")
			cmd.Env = append(os.Environ(), "SHARD_TEST_CHILD="+run.String())
			out, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line := make([]byte, 8)
			if _, err := io.ReadFull(out, line); err != nil || string(line) != "writing\n" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("child: %q, %v", line, err)
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()

			_, err = Open(ctx, st, run, Expect{})
			var ce *CheckError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "shard 1/3: missing") {
				t.Fatalf("merge after shard 1 was killed: %v", err)
			}
			if ok, _ := st.Exists(ctx, run.Join(leftover)); ok {
				t.Error("Begin kept a file of an earlier try of the shard")
			}
			if ok, _ := st.Exists(ctx, run.Join(keep)); !ok {
				t.Error("Begin of shard 1 deleted a file of shard 0")
			}
			st.Delete(ctx, run.Join(keep)) // shard 0 did not write it: the merge would call it stale

			runShard(t, st, run, Spec{1, 3}, nil)
			if _, err := Open(ctx, st, run, Expect{}); err != nil {
				t.Fatalf("merge after re-running shard 1: %v", err)
			}
			after := snapshot(t, st, run)
			if len(after) != len(before) {
				t.Errorf("re-run: %d files, before %d", len(after), len(before))
			}
			for k, v := range before {
				if after[k] != v {
					t.Errorf("re-run: %s differs", k)
				}
			}

			// WaitAll: present shards return at once; a missing one is named.
			if err := WaitAll(ctx, st, run, 3, 1); err != nil {
				t.Errorf("WaitAll of a complete run: %v", err)
			}
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := WaitAll(cctx, st, run, 4, 1); err == nil || !strings.Contains(err.Error(), "shard 0/4 not finished") {
				t.Errorf("WaitAll of a missing shard: %v", err)
			}
		})
	}
}

// TestShardChild is the child of TestKilledShardAndRerun: it runs shard 1/3
// into SHARD_TEST_CHILD and blocks mid-way through its second file.
func TestShardChild(t *testing.T) {
	loc := os.Getenv("SHARD_TEST_CHILD")
	if loc == "" {
		t.Skip("child of TestKilledShardAndRerun")
	}
	st := storage.NewStore()
	runShard(t, st, storage.MustParse(loc), Spec{1, 3}, func() {
		os.Stdout.WriteString("writing\n")
		time.Sleep(time.Hour) // until the parent's SIGKILL
	})
}

func TestOutputRejectsForeignFiles(t *testing.T) {
	st := storage.NewStore()
	defer st.Close()
	o, err := Begin(context.Background(), st, storage.Local(t.TempDir()), Spec{1, 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{SamplesPath("f", "r", Spec{0, 3}), "metrics.parquet", "samples/part-1-of-30.parquet"} {
		if _, err := o.Create(context.Background(), rel); err == nil || !strings.Contains(err.Error(), rel) {
			t.Errorf("Create(%q) in shard 1/3: %v", rel, err)
		}
	}
	if _, err := Begin(context.Background(), st, storage.Local(t.TempDir()), Spec{}); !errors.Is(err, ErrSpec) {
		t.Errorf("Begin of an unsharded run: %v", err)
	}
}
