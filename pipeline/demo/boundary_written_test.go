package demo

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
	"github.com/rlvr-eval/rlvr-eval/pipeline"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// curvesRecomputed gives, per checkpoint (not a baseline) and k = 1..{n},
// both sides' mean pass@k over the problems it shares with its family's
// baseline (reward none, step 0, same model), each side's unbiased estimator
// over all its samples, and per checkpoint the coverage of both sides among
// their first {n} samples by sample_idx and the problems gained and lost. It
// is written from the rules of stages/aggregate/doc.go, independently of the
// Go code, and reads only samples.parquet.
const curvesRecomputed = `
WITH pc AS (
  SELECT model, reward, step, checkpoint, problem_id, count(*)::INTEGER AS n, sum(correct::INT)::INTEGER AS c,
         bool_or(correct AND sample_idx < {n}) AS covered
  FROM read_parquet('{samples}') GROUP BY ALL
), pairs AS (
  SELECT c.checkpoint, c.n AS nc, c.c AS cc, b.n AS nb, b.c AS cb, c.covered AS cov_c, b.covered AS cov_b
  FROM pc c JOIN pc b ON b.model = c.model AND b.reward = 'none' AND b.step = 0 AND b.problem_id = c.problem_id
  WHERE c.checkpoint <> b.checkpoint
), ks AS (SELECT range::INTEGER AS k FROM range(1, {n} + 1))
SELECT p.checkpoint, ks.k,
  avg(CASE WHEN p.nc - p.cc < ks.k THEN 1.0 ELSE 1.0 - exp(lgamma(p.nc - p.cc + 1) - lgamma(p.nc - p.cc - ks.k + 1)
      - lgamma(p.nc + 1) + lgamma(p.nc - ks.k + 1)) END) AS pass_c,
  avg(CASE WHEN p.nb - p.cb < ks.k THEN 1.0 ELSE 1.0 - exp(lgamma(p.nb - p.cb + 1) - lgamma(p.nb - p.cb - ks.k + 1)
      - lgamma(p.nb + 1) + lgamma(p.nb - ks.k + 1)) END) AS pass_b,
  avg(p.cov_c::INT::DOUBLE), avg(p.cov_b::INT::DOUBLE),
  sum((p.cov_c AND NOT p.cov_b)::INT), sum((p.cov_b AND NOT p.cov_c)::INT), count(*)
FROM pairs p CROSS JOIN ks
GROUP BY p.checkpoint, ks.k ORDER BY p.checkpoint, ks.k`

// recomputed is one checkpoint's boundary as DuckDB computes it.
type recomputed struct {
	passC, passB []float64 // index k−1
	covC, covB   float64
	gained, lost int64
	problems     int64
}

func recomputeBoundary(t *testing.T, db *sql.DB, samples string, n int) map[string]*recomputed {
	t.Helper()
	q := strings.NewReplacer("{samples}", samples, "{n}", fmt.Sprint(n)).Replace(curvesRecomputed)
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	out := map[string]*recomputed{}
	for rs.Next() {
		var ck string
		var k int
		var r recomputed
		var pc, pb float64
		if err := rs.Scan(&ck, &k, &pc, &pb, &r.covC, &r.covB, &r.gained, &r.lost, &r.problems); err != nil {
			t.Fatal(err)
		}
		w := out[ck]
		if w == nil {
			w = &r
			out[ck] = w
		}
		w.passC, w.passB = append(w.passC, pc), append(w.passB, pb)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// crossoverOf applies the crossover rule to recomputed curves.
func crossoverOf(w *recomputed) (*int64, string) {
	if !(w.passC[0] > w.passB[0]+1e-9) {
		return nil, schemas.CrossoverNotAhead
	}
	for k := 2; k <= len(w.passC); k++ {
		if w.passB[k-1] >= w.passC[k-1]-1e-9 {
			kk := int64(k)
			return &kk, schemas.CrossoverFound
		}
	}
	return nil, schemas.CrossoverNever
}

// checkWrittenBoundary compares boundary.parquet and boundary_curves.parquet
// of a run folder (subset all, primary profile) with the recomputation, and
// returns how many rows had a crossover.
func checkWrittenBoundary(t *testing.T, db *sql.DB, out, profile string, n int) (checked, crossovers int) {
	t.Helper()
	e := &errLimit{t: t}
	defer e.done()
	ws := recomputeBoundary(t, db, filepath.Join(out, schemas.TableSamples+".parquet"), n)
	bounds, err := write.ReadParquet[schemas.Boundary](filepath.Join(out, schemas.TableBoundary+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	curves, err := write.ReadParquet[schemas.BoundaryCurve](filepath.Join(out, schemas.TableBoundaryCurves+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	type ck struct {
		checkpoint string
		k          int64
	}
	curve := map[ck]schemas.BoundaryCurve{}
	for _, c := range curves {
		if c.Subset == schemas.SubsetAll && c.Profile == profile {
			curve[ck{c.Checkpoint, c.K}] = c
		}
	}
	for _, b := range bounds {
		if b.Subset != schemas.SubsetAll || b.Profile != profile {
			continue
		}
		w := ws[b.Checkpoint]
		if w == nil {
			e.Errorf("%s: boundary.parquet row, no recomputation", b.Checkpoint)
			continue
		}
		checked++
		cross, status := crossoverOf(w)
		if status == schemas.CrossoverFound {
			crossovers++
		}
		if b.N != int64(n) || b.NProblems != w.problems || b.Crossover != status || (cross == nil) != (b.CrossoverK == nil) ||
			(cross != nil && *cross != *b.CrossoverK) {
			e.Errorf("%s: n %d problems %d crossover %q k %s; DuckDB n %d problems %d %q k %s", b.Checkpoint, b.N, b.NProblems,
				b.Crossover, showInt(b.CrossoverK), n, w.problems, status, showInt(cross))
		}
		if math.Abs(b.Coverage-w.covC) > 1e-12 || math.Abs(b.BaselineCoverage-w.covB) > 1e-12 || b.Gained != w.gained || b.Lost != w.lost ||
			math.Abs(b.CoverageDelta-float64(w.gained-w.lost)/float64(w.problems)) > 1e-12 {
			e.Errorf("%s: coverage %v/%v delta %v gained %d lost %d; DuckDB %v/%v %d %d", b.Checkpoint, b.Coverage, b.BaselineCoverage,
				b.CoverageDelta, b.Gained, b.Lost, w.covC, w.covB, w.gained, w.lost)
		}
		if b.PassAt1 == nil || math.Abs(*b.PassAt1-w.passC[0]) > 1e-9 || b.PassAtN == nil || math.Abs(*b.PassAtN-w.passC[n-1]) > 1e-9 {
			e.Errorf("%s: pass@1 %s pass@n %s; DuckDB %v %v", b.Checkpoint, show(b.PassAt1), show(b.PassAtN), w.passC[0], w.passC[n-1])
		}
		for k := 1; k <= n; k++ {
			c, ok := curve[ck{b.Checkpoint, int64(k)}]
			if !ok {
				e.Errorf("%s: no boundary_curves.parquet row at k=%d", b.Checkpoint, k)
				continue
			}
			if math.Abs(c.PassAtK-w.passC[k-1]) > 1e-9 || math.Abs(c.BaselinePassAtK-w.passB[k-1]) > 1e-9 || math.Abs(c.Delta-(c.PassAtK-c.BaselinePassAtK)) > 1e-12 {
				e.Errorf("%s k=%d: curves %v / %v delta %v; DuckDB %v / %v", b.Checkpoint, k, c.PassAtK, c.BaselinePassAtK, c.Delta, w.passC[k-1], w.passB[k-1])
			}
		}
	}
	if checked != len(ws) {
		e.Errorf("%d boundary.parquet rows on subset all, %d checkpoints recomputed", checked, len(ws))
	}
	return checked, crossovers
}

// readWritten loads the boundary tables the run wrote, as a Result the
// in-memory checks accept, so they run on the Parquet files.
func readWritten(t *testing.T, out string) *pipeline.Result {
	t.Helper()
	bounds, err := write.ReadParquet[schemas.Boundary](filepath.Join(out, schemas.TableBoundary+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	moves, err := write.ReadParquet[schemas.ProblemMove](filepath.Join(out, schemas.TableProblemMoves+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Result{Tables: &aggregate.Tables{Boundary: bounds, ProblemMoves: moves}}
}

func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	return db
}

// Issue 15's done-when on the demo: crossover k, coverage, gained/lost (and
// the moved problems) recomputed from samples.parquet through DuckDB agree
// with boundary.parquet, boundary_curves.parquet and problem_moves.parquet as
// the run wrote them, and the seed-pooled deltas with comparisons.parquet.
func TestBoundaryTablesAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline on the demo corpus")
	}
	out := filepath.Join(t.TempDir(), "run")
	corpus, err := Generate(filepath.Join(t.TempDir(), "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.LoadConfig(corpus.Config)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	db := openDuckDB(t)
	checked, crossovers := checkWrittenBoundary(t, db, out, "strict", corpus.SamplesPerProblem)
	t.Logf("demo: %d boundary rows recomputed from samples.parquet, %d with a crossover", checked, crossovers)
	if crossovers == 0 {
		t.Error("the demo shows no crossover")
	}
	t.Run("moves", func(t *testing.T) { checkBoundary(t, db, out, readWritten(t, out)) })
	t.Run("pooled", func(t *testing.T) { checkPooled(t, db, out) })
}

// Issue 15's done-when on real generations: the Qwen2.5-Math file (50
// problems × 8 responses) is the baseline, and a condition "split" with two
// seeds, the first and the last 4 responses of each problem, is compared
// with it at the common n = 4; the written boundary tables and the
// seed-pooled comparison rows agree with DuckDB over samples.parquet.
func TestBoundaryTablesRealGenerations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline on the real generations")
	}
	src := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	dir := t.TempDir()
	first, last := filepath.Join(dir, "first4.jsonl"), filepath.Join(dir, "last4.jsonl")
	if err := sliceSamples(src, first, 0, 4); err != nil {
		t.Fatal(err)
	}
	if err := sliceSamples(src, last, 4, 8); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "eval.yaml")
	cfgText := fmt.Sprintf(`evalset: {name: qwen-math-cot}
runs:
  - files: [%q]
    family: qwen2.5-math
    model: Qwen2.5-Math-7B
    reward: none
    step: 0
    format: qwen-eval
  - files: [%q]
    family: qwen2.5-math
    model: Qwen2.5-Math-7B
    reward: split
    step: 1
    seed: 1
    format: qwen-eval
  - files: [%q]
    family: qwen2.5-math
    model: Qwen2.5-Math-7B
    reward: split
    step: 1
    seed: 2
    format: qwen-eval
`, src, first, last)
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	bounds, err := write.ReadParquet[schemas.Boundary](filepath.Join(out, schemas.TableBoundary+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bounds {
		if b.Subset == schemas.SubsetAll && (b.N != 4 || b.NCheckpoint != 4 || b.NBaseline != 8 || !b.CommonN) {
			t.Errorf("%s: n %d (checkpoint %d, baseline %d, common_n %v), want the common n 4 of 4 and 8", b.Checkpoint, b.N, b.NCheckpoint, b.NBaseline, b.CommonN)
		}
	}
	db := openDuckDB(t)
	checked, crossovers := checkWrittenBoundary(t, db, out, cfg.Profiles[0], 4)
	if checked != 2 {
		t.Errorf("%d boundary rows on subset all, want 2", checked)
	}
	t.Logf("real generations: %d boundary row(s) recomputed, %d crossover(s)", checked, crossovers)
	t.Run("pooled", func(t *testing.T) { checkPooled(t, db, out) })
}

// sliceSamples copies a qwen-eval JSONL file keeping, in every record,
// entries [lo, hi) of each per-sample list (the lists as long as "code").
func sliceSamples(src, dst string, lo, hi int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var b strings.Builder
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return err
		}
		var code []json.RawMessage
		if err := json.Unmarshal(rec["code"], &code); err != nil {
			return err
		}
		for k, v := range rec {
			var list []json.RawMessage
			if json.Unmarshal(v, &list) != nil || len(list) != len(code) || len(list) < hi {
				continue
			}
			rec[k], _ = json.Marshal(list[lo:hi])
		}
		line, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(b.String()), 0o644)
}
