//go:build !fuzz

package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
	"github.com/rlvr-eval/rlvr-eval/pipeline/demo"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// smallTables are the files a merge must write byte-identical to a single run's.
var smallTables = []string{"problems.parquet", "metrics.parquet", "comparisons.parquet", "transitions.parquet",
	"boundary.parquet", "boundary_curves.parquet", "problem_moves.parquet"}

func demoCorpus(t *testing.T) string {
	t.Helper()
	c, err := demo.Generate(filepath.Join(t.TempDir(), "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	return c.Config
}

func loadCfg(t *testing.T, path string) *Config {
	t.Helper()
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runShardOf(t *testing.T, config, out string, s shard.Spec) *Result {
	t.Helper()
	res, err := Run(context.Background(), loadCfg(t, config), RunOptions{Out: out, Version: "test", Shard: s})
	if err != nil {
		t.Fatalf("shard %s: %v", s, err)
	}
	return res
}

// sortedSamples orders rows by a total key (checkpoint, problem, sample,
// file, line), for comparing as sets.
func sortedSamples(rows []schemas.Sample) []schemas.Sample {
	slices.SortFunc(rows, func(a, b schemas.Sample) int {
		return cmp.Or(cmp.Compare(a.Checkpoint, b.Checkpoint), cmp.Compare(a.Evalset, b.Evalset), cmp.Compare(a.ProblemID, b.ProblemID),
			cmp.Compare(a.SampleIdx, b.SampleIdx), cmp.Compare(a.SourceFile, b.SourceFile), cmp.Compare(a.SourceLine, b.SourceLine))
	})
	return rows
}

func readRows[T any](t *testing.T, paths ...string) []T {
	t.Helper()
	var all []T
	for _, p := range paths {
		rows, err := write.ReadParquet[T](p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
	}
	return all
}

// compareWithSingle checks a merged run folder against a single run's: the
// small tables byte for byte, samples and rejects as sets of rows, run.json's
// inputs and counts.
func compareWithSingle(t *testing.T, single, sharded string) {
	t.Helper()
	for _, name := range smallTables {
		a, err := os.ReadFile(filepath.Join(single, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(sharded, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the merge wrote %d bytes that differ from the single run's %d", name, len(b), len(a))
		}
	}
	parts, err := filepath.Glob(filepath.Join(sharded, "samples", "*", "*", "*.parquet"))
	if err != nil || len(parts) == 0 {
		t.Fatalf("no samples parts in %s (%v)", sharded, err)
	}
	want := sortedSamples(readRows[schemas.Sample](t, filepath.Join(single, "samples.parquet")))
	got := sortedSamples(readRows[schemas.Sample](t, parts...))
	if len(got) != len(want) {
		t.Fatalf("samples: %d rows in the shards, %d in the single run", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("samples differ at sorted row %d:\nshards %+v\nsingle %+v", i, got[i], want[i])
		}
	}
	rparts, _ := filepath.Glob(filepath.Join(sharded, "rejects", "*.parquet"))
	wr := readRows[schemas.Reject](t, filepath.Join(single, "rejects.parquet"))
	gr := readRows[schemas.Reject](t, rparts...)
	if len(wr) != len(gr) {
		t.Errorf("rejects: %d rows in the shards, %d in the single run", len(gr), len(wr))
	}
	ms, err := ReadManifest(single)
	if err != nil {
		t.Fatal(err)
	}
	mm, err := ReadManifest(sharded)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ms.Inputs, mm.Inputs) {
		t.Errorf("run.json inputs differ:\nmerge  %+v\nsingle %+v", mm.Inputs, ms.Inputs)
	}
	if !reflect.DeepEqual(ms.Tables, mm.Tables) || ms.Records != mm.Records || ms.Rejects != mm.Rejects || ms.Outcome != mm.Outcome ||
		!reflect.DeepEqual(ms.Warnings, mm.Warnings) || !reflect.DeepEqual(ms.Evalset, mm.Evalset) || !bytes.Equal(ms.Config, mm.Config) {
		t.Errorf("run.json differs:\nmerge  tables %v records %d rejects %d outcome %s warnings %q\nsingle tables %v records %d rejects %d outcome %s warnings %q",
			mm.Tables, mm.Records, mm.Rejects, mm.Outcome, mm.Warnings, ms.Tables, ms.Records, ms.Rejects, ms.Outcome, ms.Warnings)
	}
}

// TestShardedDemoEqualsSingleRun is issue 12's first "done when": the demo
// corpus as 4 shards plus a merge against one run of it.
func TestShardedDemoEqualsSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo corpus five times")
	}
	config := demoCorpus(t)
	single := filepath.Join(t.TempDir(), "single")
	if _, err := Run(context.Background(), loadCfg(t, config), RunOptions{Out: single, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	sharded := filepath.Join(t.TempDir(), "sharded")
	// Shards in any order (as a scheduler starts them).
	for _, i := range []int{2, 0, 3, 1} {
		runShardOf(t, config, sharded, shard.Spec{Index: i, Count: 4})
		if _, err := os.Stat(filepath.Join(sharded, "metrics.parquet")); err == nil {
			t.Fatal("a shard wrote metrics.parquet: only the merge writes the tables")
		}
	}
	res, err := Merge(context.Background(), MergeOptions{Run: sharded, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables.Comparisons) == 0 {
		t.Fatal("the merged run has no comparisons: the test would not cover baselines across shards")
	}
	compareWithSingle(t, single, sharded)

	t.Run("duckdb", func(t *testing.T) { duckdbReadsPartitions(t, single, sharded) })
}

// duckdbReadsPartitions reads samples/**/*.parquet with hive partitioning
// and checks the partition columns and that the rows are the single run's.
func duckdbReadsPartitions(t *testing.T, single, sharded string) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	glob := filepath.Join(sharded, "samples", "**", "*.parquet")
	var n, bad int64
	q := fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE parse_path(filename)[-3] <> 'family=' || family OR parse_path(filename)[-2] <> 'reward=' || reward)
		FROM read_parquet('%s', hive_partitioning = true, filename = true)`, glob)
	if err := db.QueryRow(q).Scan(&n, &bad); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var want int64
	if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, filepath.Join(single, "samples.parquet"))).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if n != want || bad != 0 {
		t.Errorf("duckdb: %d rows under %s (%d in a folder of another family or reward), %d in the single run", n, glob, bad, want)
	}
	var diff int64
	cols := "checkpoint, evalset, problem_id, sample_idx, correct, extracted, response, source_file, source_line, family, reward, model, step"
	q = fmt.Sprintf(`SELECT count(*) FROM ((SELECT %[1]s FROM read_parquet('%[2]s', hive_partitioning = true) EXCEPT ALL SELECT %[1]s FROM read_parquet('%[3]s'))
		UNION ALL (SELECT %[1]s FROM read_parquet('%[3]s') EXCEPT ALL SELECT %[1]s FROM read_parquet('%[2]s', hive_partitioning = true)))`,
		cols, glob, filepath.Join(single, "samples.parquet"))
	if err := db.QueryRow(q).Scan(&diff); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if diff != 0 {
		t.Errorf("duckdb: %d rows differ between the partitioned samples and the single run's", diff)
	}
}

// TestShardKilledHelper is the process TestKilledShard kills: it runs one
// shard and SIGKILLs itself at the hook point named in the environment.
func TestShardKilledHelper(t *testing.T) {
	point := os.Getenv("RLVR_EVAL_TEST_KILL_AT")
	if point == "" {
		t.Skip("the helper process of TestKilledShard")
	}
	spec, err := shard.Parse(os.Getenv("RLVR_EVAL_TEST_SHARD"))
	if err != nil {
		t.Fatal(err)
	}
	shardHook = func(p string) {
		if strings.HasPrefix(p, point) {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	runShardOf(t, os.Getenv("RLVR_EVAL_TEST_CONFIG"), os.Getenv("RLVR_EVAL_TEST_OUT"), spec)
	t.Fatalf("shard %s finished: no hook point %q", spec, point)
}

// TestKilledShard: a shard re-run that is SIGKILLed at any point of its
// write (after clearing its old files, in the middle of a samples part, after
// it, in the middle of its partial state, just before its manifest) leaves
// a run folder the merge refuses, naming the shard, and writes no table;
// re-running that shard alone and merging gives the single run's tables.
func TestKilledShard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo corpus many times")
	}
	config := demoCorpus(t)
	single := filepath.Join(t.TempDir(), "single")
	if _, err := Run(context.Background(), loadCfg(t, config), RunOptions{Out: single, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	sharded := filepath.Join(t.TempDir(), "sharded")
	for i := 0; i < 4; i++ {
		runShardOf(t, config, sharded, shard.Spec{Index: i, Count: 4})
	}
	victim := shard.Spec{Index: 1, Count: 4}
	for _, point := range []string{"begun", "writing samples/", "committed samples/", "writing partial/", "finishing"} {
		t.Run(strings.ReplaceAll(point, "/", ""), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestShardKilledHelper$", "-test.count=1")
			cmd.Env = append(os.Environ(), "RLVR_EVAL_TEST_KILL_AT="+point, "RLVR_EVAL_TEST_SHARD="+victim.String(),
				"RLVR_EVAL_TEST_CONFIG="+config, "RLVR_EVAL_TEST_OUT="+sharded)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("helper: expected death by SIGKILL, got %v:\n%s", err, out)
			}
			for _, name := range smallTables {
				os.Remove(filepath.Join(sharded, name))
			}
			_, err = Merge(context.Background(), MergeOptions{Run: sharded})
			var ce *shard.CheckError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "shard 1/4: missing") {
				t.Fatalf("merge after shard 1/4 was killed at %q: expected a CheckError naming it, got %v", point, err)
			}
			for _, name := range append(smallTables, ManifestFile) {
				if _, err := os.Stat(filepath.Join(sharded, name)); err == nil && name != ManifestFile {
					t.Errorf("the refused merge wrote %s", name)
				}
			}
			runShardOf(t, config, sharded, victim)
			if _, err := Merge(context.Background(), MergeOptions{Run: sharded}); err != nil {
				t.Fatal(err)
			}
			compareWithSingle(t, single, sharded)
		})
	}
}
