package demo

import (
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// boundaryRecomputed pairs every checkpoint with its family's untrained
// baseline (seedless: the demo has no seeded baseline) by problem and gives,
// per checkpoint × k (1..8, the demo's n), both mean pass@k values (the
// unbiased estimator through factorials), and per checkpoint the coverage of
// both sides among the first 8 samples and the problems gained and lost.
const boundaryRecomputed = `
WITH pc AS (
  SELECT model, reward, step, checkpoint, problem_id, count(*)::INTEGER AS n, sum(correct::INT)::INTEGER AS c,
         bool_or(correct AND sample_idx < 8) AS covered, avg(code_reasoning::INT::DOUBLE) > 0.5 AS code
  FROM read_parquet('{samples}') GROUP BY ALL
), pairs AS (
  SELECT c.checkpoint, c.problem_id, c.n AS nc, c.c AS cc, b.n AS nb, b.c AS cb,
         c.covered AS cov_c, b.covered AS cov_b, c.code AS code_c, b.code AS code_b
  FROM pc c JOIN pc b ON b.model = c.model AND b.reward = 'none' AND b.step = 0 AND b.problem_id = c.problem_id
  WHERE c.checkpoint <> b.checkpoint
), ks AS (SELECT range::INTEGER AS k FROM range(1, 9))
SELECT p.checkpoint, ks.k,
  avg(CASE WHEN p.nc - p.cc < ks.k THEN 1.0 ELSE 1.0 - (factorial(p.nc - p.cc) / (factorial(ks.k) * factorial(p.nc - p.cc - ks.k)))
      / (factorial(p.nc) / (factorial(ks.k) * factorial(p.nc - ks.k))) END) AS pass_c,
  avg(CASE WHEN p.nb - p.cb < ks.k THEN 1.0 ELSE 1.0 - (factorial(p.nb - p.cb) / (factorial(ks.k) * factorial(p.nb - p.cb - ks.k)))
      / (factorial(p.nb) / (factorial(ks.k) * factorial(p.nb - ks.k))) END) AS pass_b,
  avg(p.cov_c::INT::DOUBLE) AS coverage_c, avg(p.cov_b::INT::DOUBLE) AS coverage_b,
  sum((p.cov_c AND NOT p.cov_b)::INT) AS gained, sum((p.cov_b AND NOT p.cov_c)::INT) AS lost,
  string_agg(CASE WHEN p.cov_c <> p.cov_b THEN p.problem_id || ':' || (CASE WHEN p.cov_c THEN 'gained' ELSE 'lost' END)
             || ':' || (p.code_b <> p.code_c)::VARCHAR END, ',' ORDER BY p.problem_id) AS moves
FROM pairs p CROSS JOIN ks
GROUP BY p.checkpoint, ks.k ORDER BY p.checkpoint, ks.k`

// checkBoundary recomputes crossover k, coverage, gained/lost and the moved
// problems of every checkpoint (subset all, primary profile) from
// samples.parquet through DuckDB and compares them with the aggregate's
// boundary and problem_moves rows; the demo must show a crossover.
func checkBoundary(t *testing.T, db *sql.DB, out string, res *pipeline.Result) {
	e := &errLimit{t: t}
	defer e.done()
	q := strings.NewReplacer("{samples}", filepath.Join(out, schemas.TableSamples+".parquet")).Replace(boundaryRecomputed)
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		passC, passB [9]float64
		covC, covB   float64
		gained, lost int64
		moves        string
	}
	ws := map[string]*want{}
	for rs.Next() {
		var ck string
		var k int
		var pc, pb, cc, cb float64
		var g, l int64
		var mv sql.NullString
		if err := rs.Scan(&ck, &k, &pc, &pb, &cc, &cb, &g, &l, &mv); err != nil {
			t.Fatal(err)
		}
		w := ws[ck]
		if w == nil {
			w = &want{}
			ws[ck] = w
		}
		w.passC[k], w.passB[k], w.covC, w.covB, w.gained, w.lost, w.moves = pc, pb, cc, cb, g, l, mv.String
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	moves := map[string][]string{}
	for _, m := range res.Tables.ProblemMoves {
		moves[m.Checkpoint] = append(moves[m.Checkpoint], fmt.Sprintf("%s:%s:%v", m.ProblemID, m.Move, m.StrategySwitch))
	}
	found, checked := 0, 0
	for _, b := range res.Tables.Boundary {
		if b.Subset != "all" {
			continue
		}
		w := ws[b.Checkpoint]
		if w == nil {
			e.Errorf("%s: boundary row, no recomputation", b.Checkpoint)
			continue
		}
		checked++
		var cross *int64
		status := aggregate.CrossoverNotAhead
		if w.passC[1] > w.passB[1]+1e-9 {
			status = aggregate.CrossoverNever
			for k := 2; k <= 8; k++ {
				if w.passB[k] >= w.passC[k]-1e-9 {
					kk := int64(k)
					cross, status = &kk, aggregate.CrossoverFound
					break
				}
			}
		}
		if status == aggregate.CrossoverFound {
			found++
		}
		if b.N != 8 || b.CommonN || b.Crossover != status || (cross == nil) != (b.CrossoverK == nil) || (cross != nil && *cross != *b.CrossoverK) {
			e.Errorf("%s: n %d crossover %q k %s, DuckDB %q k %v (curves %v / %v)", b.Checkpoint, b.N, b.Crossover, showInt(b.CrossoverK), status, showInt(cross), w.passC[1:], w.passB[1:])
		}
		if math.Abs(b.Coverage-w.covC) > 1e-12 || math.Abs(b.BaselineCoverage-w.covB) > 1e-12 || b.Gained != w.gained || b.Lost != w.lost {
			e.Errorf("%s: coverage %v/%v gained %d lost %d, DuckDB %v/%v %d %d", b.Checkpoint, b.Coverage, b.BaselineCoverage, b.Gained, b.Lost, w.covC, w.covB, w.gained, w.lost)
		}
		if got := strings.Join(moves[b.Checkpoint], ","); got != w.moves {
			e.Errorf("%s: moves %q, DuckDB %q", b.Checkpoint, got, w.moves)
		}
	}
	if checked != len(ws) {
		e.Errorf("%d boundary rows on subset all, %d checkpoints recomputed", checked, len(ws))
	}
	t.Logf("%d boundary rows recomputed, %d with a crossover", checked, found)
	if found == 0 {
		e.Errorf("the demo shows no crossover")
	}
}

func showInt(v *int64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// pooledRecomputed gives, per seeded condition and subset, the per-seed
// accuracy deltas against the baseline over the paired problems, for the
// pooled rows: their mean, their sample standard deviation and their count.
const pooledRecomputed = `
WITH pc AS (
  SELECT model, reward, step, seed, checkpoint, problem_id, any_value(subject) AS subject, any_value(level) AS level,
         avg(correct::INT::DOUBLE) AS acc
  FROM read_parquet('{samples}') GROUP BY ALL
), d AS (
  SELECT c.model, c.reward, c.step, c.seed, c.problem_id, c.subject, c.level, c.acc - b.acc AS d
  FROM pc c JOIN pc b ON b.model = c.model AND b.reward = 'none' AND b.step = 0 AND b.problem_id = c.problem_id
  WHERE c.seed IS NOT NULL AND c.reward <> 'none'
), subsets AS (
  SELECT *, 'all' AS subset FROM d
  UNION ALL SELECT *, 'level=' || level::VARCHAR FROM d WHERE level > 0
  UNION ALL SELECT *, 'subject=' || subject FROM d WHERE subject <> ''
), per_seed AS (
  SELECT model, reward, step, subset, seed, avg(d) AS delta, count(*) AS n FROM subsets GROUP BY ALL
)
SELECT model || '/' || reward || '/step' || step::VARCHAR || '/pooled' AS checkpoint, subset,
       avg(delta), stddev_samp(delta), count(*), any_value(n)
FROM per_seed GROUP BY ALL`

// checkPooled recomputes the seed-pooled accuracy rows of comparisons.parquet
// (mean over seeds of the per-seed deltas, seed-level sd, n_seeds) through
// DuckDB; the demo must have them, with intervals that agree with p.
func checkPooled(t *testing.T, db *sql.DB, out string) {
	e := &errLimit{t: t}
	defer e.done()
	q := strings.NewReplacer("{samples}", filepath.Join(out, schemas.TableSamples+".parquet")).Replace(pooledRecomputed)
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		delta, sd float64
		seeds, n  int64
	}
	ws := map[[2]string]want{}
	for rs.Next() {
		var ck, sub string
		var w want
		if err := rs.Scan(&ck, &sub, &w.delta, &w.sd, &w.seeds, &w.n); err != nil {
			t.Fatal(err)
		}
		ws[[2]string{ck, sub}] = w
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	got, err := write.ReadParquet[schemas.Comparison](filepath.Join(out, schemas.TableComparisons+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range got {
		if !c.Pooled || c.Metric != aggregate.MetricAccuracy {
			continue
		}
		w, ok := ws[[2]string{c.Checkpoint, c.Subset}]
		if !ok {
			e.Errorf("%s %s: pooled row, no recomputation", c.Checkpoint, c.Subset)
			continue
		}
		checked++
		if c.Seed != nil || c.NSeeds != w.seeds || c.NProblems != w.n || math.Abs(*c.Delta-w.delta) > 1e-12 || math.Abs(*c.SeedSD-w.sd) > 1e-12 ||
			c.CIScope != aggregate.CIScopeSeedsProblems || c.Method != aggregate.MethodPooledT {
			e.Errorf("%s %s: pooled delta %v sd %v seeds %d n %d scope %q, DuckDB %v %v %d %d", c.Checkpoint, c.Subset, *c.Delta, *c.SeedSD, c.NSeeds, c.NProblems, c.CIScope, w.delta, w.sd, w.seeds, w.n)
		}
		if excl := *c.DeltaCILow > 0 || *c.DeltaCIHigh < 0; excl != (*c.PValue < aggregate.Alpha) {
			e.Errorf("%s %s: pooled interval [%v, %v] and p %v disagree", c.Checkpoint, c.Subset, *c.DeltaCILow, *c.DeltaCIHigh, *c.PValue)
		}
	}
	t.Logf("%d pooled accuracy rows recomputed", checked)
	if checked == 0 || checked != len(ws) {
		e.Errorf("%d pooled accuracy rows, %d recomputed", checked, len(ws))
	}
}
