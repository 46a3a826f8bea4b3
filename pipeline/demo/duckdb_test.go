package demo

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// TestStatisticsRecomputed generates the demo corpus, runs the whole pipeline
// on it once, and checks the metrics and comparisons tables against numbers
// recomputed independently: DuckDB SQL over samples.parquet (and
// problems.parquet for maj@n), exact sign-flip distributions computed here by
// dynamic programming, and the normal approximation for the width of the
// bootstrap intervals. The subtests share that one run; the golden subtest
// pins the comparison table (go test -run TestStatisticsRecomputed/golden -update).
func TestStatisticsRecomputed(t *testing.T) {
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
	if cfg.Permutations != 0 || cfg.Bootstrap != 0 || cfg.Seed != 0 {
		t.Fatalf("demo config sets permutations=%d bootstrap=%d seed=%d; this test assumes the defaults",
			cfg.Permutations, cfg.Bootstrap, cfg.Seed)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // temp tables live in one connection
	if err := loadRecomputation(db, out); err != nil {
		t.Fatal(err)
	}

	t.Run("metrics", func(t *testing.T) { checkMetrics(t, db, out) })
	t.Run("comparisons", func(t *testing.T) { checkComparisons(t, db, out) })
	t.Run("golden", func(t *testing.T) { checkComparisonsGolden(t, out) })
	t.Run("transitions", func(t *testing.T) { checkTransitions(t, db, out, res) })
	t.Run("boundary", func(t *testing.T) { checkBoundary(t, db, out, res) })
	t.Run("pooled", func(t *testing.T) { checkPooled(t, db, out) })
	t.Run("rejects", func(t *testing.T) { checkRejects(t, db, out, res) })
}

// transitionsRecomputed buckets every paired problem by the majority strategy
// (more than half the samples mention python) of the baseline and of the
// checkpoint, and gives each bucket's accuracy before and after and its share of
// the checkpoint's gain, C_d = (n_d/N)(after_d − before_d)/(after − before).
const transitionsRecomputed = `
WITH pc AS (
  SELECT family, model, reward, step, checkpoint, evalset, problem_id,
         avg(code_reasoning::INT::DOUBLE) > 0.5 AS code, avg(correct::INT::DOUBLE) AS acc
  FROM read_parquet('{samples}') GROUP BY ALL
), pairs AS (
  SELECT c.checkpoint, b.checkpoint AS baseline,
         (CASE WHEN b.code THEN 'code' ELSE 'lang' END) || '->' || (CASE WHEN c.code THEN 'code' ELSE 'lang' END) AS bucket,
         b.acc AS before, c.acc AS after
  FROM pc c JOIN pc b
    ON b.model = c.model AND b.family = c.family AND b.evalset = c.evalset
   AND b.reward = 'none' AND b.step = 0 AND b.problem_id = c.problem_id
  WHERE c.checkpoint <> b.checkpoint
), totals AS (
  SELECT checkpoint, count(*) AS n_all, avg(after) - avg(before) AS gain FROM pairs GROUP BY ALL
)
SELECT p.checkpoint, p.baseline, p.bucket, count(*) AS n,
       avg(p.before) AS before, avg(p.after) AS after,
       CASE WHEN any_value(t.gain) = 0 THEN NULL
            ELSE count(*) / any_value(t.n_all) * (avg(p.after) - avg(p.before)) / any_value(t.gain) END AS share
FROM pairs p JOIN totals t USING (checkpoint)
GROUP BY p.checkpoint, p.baseline, p.bucket`

// checkTransitions reads transitions.parquet with DuckDB, checks it holds the rows
// the Go side returned, and recomputes every non-empty bucket from samples.parquet.
func checkTransitions(t *testing.T, db *sql.DB, out string, res *pipeline.Result) {
	path := filepath.Join(out, schemas.TableTransitions+".parquet")
	var rows int
	if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM read_parquet('%s')", path)).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(res.Tables.Transitions) || rows == 0 {
		t.Fatalf("transitions.parquet has %d rows, the Go side %d", rows, len(res.Tables.Transitions))
	}
	q := strings.NewReplacer("{samples}", filepath.Join(out, schemas.TableSamples+".parquet")).Replace(transitionsRecomputed)
	type bucket struct {
		n                    int64
		before, after, share sql.NullFloat64
		baseline             string
	}
	want := map[[2]string]bucket{}
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var ck, bk string
		var b bucket
		if err := rs.Scan(&ck, &b.baseline, &bk, &b.n, &b.before, &b.after, &b.share); err != nil {
			t.Fatal(err)
		}
		want[[2]string{ck, bk}] = b
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	rs.Close()
	got, err := db.Query(fmt.Sprintf(`SELECT checkpoint, baseline_checkpoint, bucket, n_problems,
		accuracy_before, accuracy_after, share_of_gain FROM read_parquet('%s')`, path))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	near := func(a, b sql.NullFloat64) bool {
		return a.Valid == b.Valid && (!a.Valid || math.Abs(a.Float64-b.Float64) <= 1e-9)
	}
	seen := 0
	for got.Next() {
		var ck, bk string
		var g bucket
		if err := got.Scan(&ck, &g.baseline, &bk, &g.n, &g.before, &g.after, &g.share); err != nil {
			t.Fatal(err)
		}
		w, ok := want[[2]string{ck, bk}]
		if g.n == 0 {
			if ok {
				t.Errorf("%s %s: empty in transitions.parquet, %d problems recomputed", ck, bk, w.n)
			}
			continue
		}
		seen++
		if !ok || w.n != g.n || w.baseline != g.baseline || !near(w.before, g.before) || !near(w.after, g.after) || !near(w.share, g.share) {
			t.Errorf("%s %s: parquet %+v, recomputed %+v", ck, bk, g, w)
		}
	}
	if err := got.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("%d non-empty buckets in transitions.parquet, %d recomputed", seen, len(want))
	}
}

// checkRejects reads rejects.parquet with DuckDB: the demo corpus is clean, so it
// has the table's columns and no rows, as the Go side counted.
func checkRejects(t *testing.T, db *sql.DB, out string, res *pipeline.Result) {
	path := filepath.Join(out, schemas.TableRejects+".parquet")
	var rows int
	if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM read_parquet('%s')", path)).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if int64(rows) != res.Rejects || rows != 0 {
		t.Errorf("rejects.parquet has %d rows, the Go side counted %d, the demo corpus has none", rows, res.Rejects)
	}
	var cols string
	if err := db.QueryRow(fmt.Sprintf("SELECT string_agg(name, ',' ORDER BY name) FROM parquet_schema('%s') WHERE num_children IS NULL", path)).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != "error,raw,source_file,source_line" {
		t.Errorf("rejects.parquet columns = %s", cols)
	}
}

// recomputation is the SQL that rebuilds per-problem scores from samples.parquet
// (the doc.go definitions of aggregate, written from scratch), expands them to
// subsets, and aggregates them to metrics and paired comparisons.
//
// pass@k uses the binomial form 1 − C(n−c, k)/C(n, k) through log-gamma
// rather than the product form the Go code uses. maj@1 is the verdict of the
// sample with the smallest sample_idx (one vote: its answer wins alone, and a
// no-answer scores 0, and a no-answer is never correct); maj@n is
// problems.parquet's maj_correct (the vote over all samples). The other maj@k
// need the grader's equivalence classes and are not recomputed.
const recomputation = `
CREATE TEMP TABLE prob AS
SELECT family, model, reward, step, checkpoint, evalset, problem_id,
       min(subject) AS subject, min(level) AS level,
       count(*) AS n, sum(correct::INT) AS c,
       avg((extracted IS NULL OR extracted = '')::INT::DOUBLE) AS no_answer_rate,
       avg(has_boxed::INT::DOUBLE) AS boxed_rate,
       avg(code_reasoning::INT::DOUBLE) AS code_reasoning_rate,
       avg(has_code_block::INT::DOUBLE) AS has_code_block_rate,
       avg(truncated::INT::DOUBLE) AS truncation_rate,
       avg(response_chars::DOUBLE) AS mean_response_chars,
       avg(response_tokens::DOUBLE) AS mean_response_tokens,
       avg(correct::INT::DOUBLE) FILTER (WHERE code_reasoning) AS accuracy_with_code,
       avg(correct::INT::DOUBLE) FILTER (WHERE NOT code_reasoning) AS accuracy_without_code,
       arg_min(correct::INT::DOUBLE, sample_idx) AS first_correct
FROM read_parquet('{samples}')
GROUP BY ALL;

CREATE TEMP TABLE ks AS
SELECT (2 ** i)::BIGINT AS k FROM range(0, 31) t(i) WHERE 2 ** i <= (SELECT max(n) FROM prob);

CREATE TEMP TABLE score AS
WITH p AS (
  SELECT prob.*, pp.maj_correct
  FROM prob JOIN read_parquet('{problems}') pp USING (checkpoint, evalset, problem_id)
)
SELECT *, false AS strict, 'accuracy' AS metric, NULL::BIGINT AS k, c / n AS score FROM p
UNION ALL
SELECT p.*, true, 'pass@k', ks.k,
       CASE WHEN n < ks.k THEN NULL
            WHEN n - c < ks.k THEN 1.0
            ELSE 1 - exp(lgamma(n - c + 1) + lgamma(n - ks.k + 1) - lgamma(n - c - ks.k + 1) - lgamma(n + 1))
       END
FROM p, ks
UNION ALL SELECT *, true, 'maj@k', 1, first_correct FROM p
UNION ALL SELECT *, true, 'maj@k', n, maj_correct FROM p WHERE n IN (SELECT k FROM ks) AND n > 1
UNION ALL SELECT *, false, 'no_answer_rate', NULL, no_answer_rate FROM p
UNION ALL SELECT *, false, 'boxed_rate', NULL, boxed_rate FROM p
UNION ALL SELECT *, false, 'code_reasoning_rate', NULL, code_reasoning_rate FROM p
UNION ALL SELECT *, false, 'has_code_block_rate', NULL, has_code_block_rate FROM p
UNION ALL SELECT *, false, 'accuracy_with_code', NULL, accuracy_with_code FROM p
UNION ALL SELECT *, false, 'accuracy_without_code', NULL, accuracy_without_code FROM p
UNION ALL SELECT *, false, 'truncation_rate', NULL, truncation_rate FROM p
UNION ALL SELECT *, false, 'mean_response_chars', NULL, mean_response_chars FROM p
UNION ALL SELECT *, false, 'mean_response_tokens', NULL, mean_response_tokens FROM p;

CREATE TEMP TABLE sub AS
SELECT *, 'all' AS subset FROM score
UNION ALL SELECT *, 'level=' || level FROM score WHERE level > 0
UNION ALL SELECT *, 'subject=' || subject FROM score WHERE subject <> '';

CREATE TEMP TABLE metric AS
SELECT checkpoint, evalset, subset, metric, k,
       max(n) AS n,
       CASE WHEN bool_or(strict AND score IS NULL) THEN NULL ELSE avg(score) END AS value,
       CASE WHEN bool_or(strict AND score IS NULL) THEN NULL ELSE stddev_samp(score) / sqrt(count(score)) END AS stderr,
       CASE WHEN bool_or(strict AND score IS NULL) THEN count(*) ELSE count(score) END AS n_problems,
       sum(n) FILTER (WHERE score IS NOT NULL) AS total
FROM sub GROUP BY ALL;

CREATE TEMP TABLE comparison AS
WITH pairs AS (
  SELECT c.checkpoint, c.evalset, c.subset, c.metric, c.k, c.strict, c.problem_id,
         b.checkpoint AS baseline, c.score AS sc, b.score AS sb, c.score - b.score AS d
  FROM sub c JOIN sub b
    ON b.model = c.model AND b.family = c.family AND b.evalset = c.evalset
   AND b.reward = 'none' AND b.step = 0 AND b.subset = 'all'
   AND b.problem_id = c.problem_id AND b.metric = c.metric AND b.k IS NOT DISTINCT FROM c.k
  WHERE NOT (c.reward = 'none' AND c.step = 0)
    AND c.metric NOT IN ('accuracy_with_code', 'accuracy_without_code')
)
SELECT checkpoint, evalset, subset, metric, k, baseline,
       bool_or(strict AND d IS NULL) AS undefined,
       avg(sc) FILTER (WHERE d IS NOT NULL) AS value,
       avg(sb) FILTER (WHERE d IS NOT NULL) AS baseline_value,
       avg(d) AS delta,
       stddev_samp(d) AS sd,
       count(d) AS n_problems,
       count(*) AS paired,
       count(*) FILTER (WHERE d > 1e-12) AS wins,
       count(*) FILTER (WHERE d < -1e-12) AS losses,
       count(*) FILTER (WHERE abs(d) <= 1e-12) AS ties,
       list(d ORDER BY problem_id) FILTER (WHERE d IS NOT NULL) AS ds
FROM pairs GROUP BY ALL;
`

func loadRecomputation(db *sql.DB, out string) error {
	q := strings.NewReplacer(
		"{samples}", filepath.Join(out, schemas.TableSamples+".parquet"),
		"{problems}", filepath.Join(out, schemas.TableProblems+".parquet"),
	).Replace(recomputation)
	for _, stmt := range strings.Split(q, ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.Exec(stmt); err != nil {
			return fmt.Errorf("%v\nin:\n%s", err, stmt)
		}
	}
	return nil
}

type rowKey struct {
	checkpoint, subset, metric string
	k                          int64 // 0 when the metric has no k
}

func (k rowKey) String() string {
	if k.k > 0 {
		return fmt.Sprintf("%s %s %s k=%d", k.checkpoint, k.subset, k.metric, k.k)
	}
	return fmt.Sprintf("%s %s %s", k.checkpoint, k.subset, k.metric)
}

func nf(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.17g", *v)
}

// near reports whether got and want are both null or both within tol
// (absolute, relative for magnitudes above 1).
func near(got, want *float64, tol float64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return math.Abs(*got-*want) <= tol*math.Max(1, math.Abs(*want))
}

// wilson95 is the 95% Wilson score interval, written here from its formula.
func wilson95(p, n float64) (lo, hi float64) {
	const z = 1.959963984540054
	den := 1 + z*z/n
	center := (p + z*z/(2*n)) / den
	half := z / den * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return math.Max(0, center-half), math.Min(1, center+half)
}

// errLimit caps the mismatches a subtest prints (a broken estimator breaks
// thousands of rows); the count of the rest is reported at the end.
type errLimit struct {
	t    *testing.T
	n    int
	more int
}

func (e *errLimit) Errorf(format string, args ...any) {
	e.t.Helper()
	e.n++
	if e.n <= 25 {
		e.t.Errorf(format, args...)
		return
	}
	e.more++
}

func (e *errLimit) done() {
	if e.more > 0 {
		e.t.Errorf("… and %d more mismatches", e.more)
	}
}

type sqlMetric struct {
	n, nProblems, total int64
	value, stderr       *float64
}

func checkMetrics(t *testing.T, db *sql.DB, out string) {
	e := &errLimit{t: t}
	defer e.done()
	rows, err := db.Query(`SELECT checkpoint, subset, metric, k, n, value, stderr, n_problems, total FROM metric`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[rowKey]sqlMetric{}
	for rows.Next() {
		var k rowKey
		var kk, total sql.NullInt64
		var value, stderr sql.NullFloat64
		var m sqlMetric
		if err := rows.Scan(&k.checkpoint, &k.subset, &k.metric, &kk, &m.n, &value, &stderr, &m.nProblems, &total); err != nil {
			t.Fatal(err)
		}
		k.k = kk.Int64
		m.value, m.stderr, m.total = nf(value), nf(stderr), total.Int64
		want[k] = m
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()

	got, err := write.ReadParquet[schemas.Metric](filepath.Join(out, schemas.TableMetrics+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[rowKey]bool{}
	var checked, wilson, boot, majChecked int
	for _, m := range got {
		if m.Profile != "strict" {
			t.Fatalf("metrics row with profile %q; the demo grades with strict only", m.Profile)
		}
		k := rowKey{m.Checkpoint, m.Subset, m.Metric, 0}
		if m.K != nil {
			k.k = *m.K
		}
		w, ok := want[k]
		if !ok {
			if m.Metric == aggregate.MetricMajAtK {
				continue // maj@k for 1 < k < n needs the grader's equivalence classes
			}
			e.Errorf("%v: in metrics.parquet, not recomputed from samples", k)
			continue
		}
		seen[k] = true
		checked++
		if m.Metric == aggregate.MetricMajAtK {
			majChecked++
		}
		if !near(m.Value, w.value, 1e-9) || !near(m.Stderr, w.stderr, 1e-9) || m.NProblems != w.nProblems || m.N != w.n {
			e.Errorf("%v: value %s stderr %s n_problems %d n %d; recomputed value %s stderr %s n_problems %d n %d",
				k, show(m.Value), show(m.Stderr), m.NProblems, m.N, show(w.value), show(w.stderr), w.nProblems, w.n)
			continue
		}
		proportion := m.Metric != aggregate.MetricMeanResponseChars && m.Metric != aggregate.MetricMeanResponseTokens
		var wantMethod string
		switch {
		case w.value == nil:
			wantMethod = aggregate.CINone
		case w.nProblems >= aggregate.SmallSubset:
			wantMethod = aggregate.CIBootstrap
		case proportion:
			wantMethod = aggregate.CIWilsonSmall
		default:
			wantMethod = aggregate.CIBootstrapSmall
		}
		if m.CIMethod != wantMethod {
			e.Errorf("%v: ci_method %q, want %q", k, m.CIMethod, wantMethod)
			continue
		}
		switch wantMethod {
		case aggregate.CINone:
			if m.CILow != nil || m.CIHigh != nil {
				e.Errorf("%v: null value with CI [%s, %s]", k, show(m.CILow), show(m.CIHigh))
			}
		case aggregate.CIWilsonSmall:
			// Effective sample size from the clustered standard error,
			// clamped to [1, samples behind the estimate].
			p, neff := *w.value, float64(w.nProblems)
			if p > 0 && p < 1 && w.stderr != nil && *w.stderr > 0 {
				neff = math.Min(math.Max(p*(1-p)/(*w.stderr**w.stderr), 1), float64(w.total))
			}
			lo, hi := wilson95(p, neff)
			if !near(m.CILow, &lo, 1e-9) || !near(m.CIHigh, &hi, 1e-9) {
				e.Errorf("%v: Wilson CI [%s, %s], recomputed [%v, %v] (p %v, n_eff %v)", k, show(m.CILow), show(m.CIHigh), lo, hi, p, neff)
			}
			wilson++
		default:
			boot++
			checkBootstrapCI(e, k.String(), *w.value, w.stderr, m.CILow, m.CIHigh, int(w.nProblems))
		}
	}
	for k := range want {
		if !seen[k] {
			e.Errorf("%v: recomputed from samples, missing from metrics.parquet", k)
		}
	}
	t.Logf("%d metrics rows recomputed (%d maj@k), %d Wilson intervals recomputed, %d bootstrap intervals checked for containment and width",
		checked, majChecked, wilson, boot)
	if checked == 0 || wilson == 0 || boot == 0 || majChecked == 0 {
		e.Errorf("nothing checked in some class: rows %d, Wilson %d, bootstrap %d, maj %d", checked, wilson, boot, majChecked)
	}
}

// checkBootstrapCI checks a 95% percentile-bootstrap interval for a mean of P
// per-problem values: it contains the estimate, and its half-width is within
// 30% of the normal approximation 1.96·sd·√((P−1)/P)/√P (the bootstrap's own
// standard error) when that is not degenerate. It returns whether the
// interval excludes 0.
func checkBootstrapCI(e *errLimit, what string, value float64, stderr, lo, hi *float64, P int) bool {
	e.t.Helper()
	if lo == nil || hi == nil {
		e.Errorf("%s: bootstrap CI missing", what)
		return false
	}
	const slack = 1e-12
	if *lo > value+slack || *hi < value-slack {
		e.Errorf("%s: estimate %v outside its bootstrap CI [%v, %v]", what, value, *lo, *hi)
	}
	if stderr != nil && *stderr > 0 && P >= 20 {
		se := *stderr * math.Sqrt(float64(P-1)/float64(P))
		half := (*hi - *lo) / 2
		if r := half / (1.959963984540054 * se); r < 0.7 || r > 1.3 {
			e.Errorf("%s: bootstrap CI [%v, %v] half-width %v is %.2f× the normal approximation (se %v, %d problems)",
				what, *lo, *hi, half, r, se, P)
		}
	}
	return *lo > 0 || *hi < 0
}

type sqlComparison struct {
	baseline                    string
	undefined                   bool
	value, baselineValue, delta *float64
	sd                          *float64
	nProblems, paired           int64
	wins, losses, ties          int64
	ds                          []float64
}

func checkComparisons(t *testing.T, db *sql.DB, out string) {
	e := &errLimit{t: t}
	defer e.done()
	rows, err := db.Query(`SELECT checkpoint, subset, metric, k, baseline, undefined, value, baseline_value, delta, sd,
		n_problems, paired, wins, losses, ties, ds FROM comparison`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[rowKey]sqlComparison{}
	for rows.Next() {
		var k rowKey
		var kk sql.NullInt64
		var v, bv, d, sd sql.NullFloat64
		var ds any
		var c sqlComparison
		if err := rows.Scan(&k.checkpoint, &k.subset, &k.metric, &kk, &c.baseline, &c.undefined, &v, &bv, &d, &sd,
			&c.nProblems, &c.paired, &c.wins, &c.losses, &c.ties, &ds); err != nil {
			t.Fatal(err)
		}
		k.k = kk.Int64
		c.value, c.baselineValue, c.delta, c.sd = nf(v), nf(bv), nf(d), nf(sd)
		if l, ok := ds.([]any); ok {
			for _, x := range l {
				c.ds = append(c.ds, x.(float64))
			}
		}
		want[k] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()

	got, err := write.ReadParquet[schemas.Comparison](filepath.Join(out, schemas.TableComparisons+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[rowKey]bool{}
	var checked, exactP, mcP, agree, disagree int
	for _, c := range got {
		if c.Pooled { // checked by checkPooled
			continue
		}
		k := rowKey{c.Checkpoint, c.Subset, c.Metric, 0}
		if c.K != nil {
			k.k = *c.K
		}
		w, ok := want[k]
		if !ok {
			if c.Metric == aggregate.MetricMajAtK {
				continue
			}
			e.Errorf("%v: in comparisons.parquet, not recomputed from samples", k)
			continue
		}
		seen[k] = true
		checked++
		if w.undefined {
			e.Errorf("%v: recomputation finds an undefined delta; the demo has 8 samples everywhere", k)
			continue
		}
		if c.BaselineCheckpoint != w.baseline || !near(c.Value, w.value, 1e-9) || !near(c.BaselineValue, w.baselineValue, 1e-9) ||
			!near(c.Delta, w.delta, 1e-9) || c.NProblems != w.nProblems ||
			c.Wins != w.wins || c.Losses != w.losses || c.Ties != w.ties {
			e.Errorf("%v:\n  table      baseline %s value %s baseline_value %s delta %s n %d w/l/t %d/%d/%d\n  recomputed baseline %s value %s baseline_value %s delta %s n %d w/l/t %d/%d/%d",
				k, c.BaselineCheckpoint, show(c.Value), show(c.BaselineValue), show(c.Delta), c.NProblems, c.Wins, c.Losses, c.Ties,
				w.baseline, show(w.value), show(w.baselineValue), show(w.delta), w.nProblems, w.wins, w.losses, w.ties)
			continue
		}
		if w.delta == nil {
			if c.DeltaCILow != nil || c.PValue != nil {
				e.Errorf("%v: no paired problem, but CI [%s, %s] p %s", k, show(c.DeltaCILow), show(c.DeltaCIHigh), show(c.PValue))
			}
			continue
		}
		if c.PValue == nil || *c.PValue < 0 || *c.PValue > 1 {
			e.Errorf("%v: p_value %s, want a number in [0, 1]", k, show(c.PValue))
			continue
		}
		if w.wins+w.losses == 0 {
			// Every difference is 0: nothing to resample, nothing to flip.
			if *c.PValue != 1 || c.DeltaCILow == nil || *c.DeltaCILow != 0 || *c.DeltaCIHigh != 0 {
				e.Errorf("%v: all differences 0, but CI [%s, %s] p %s; want [0, 0] and p 1", k, show(c.DeltaCILow), show(c.DeltaCIHigh), show(c.PValue))
			}
			continue
		}
		// One procedure gives the interval and the p-value (the sign-flip
		// test inverted, mid-p): they agree on significance in every row.
		if c.Method != aggregate.MethodSignFlip {
			e.Errorf("%v: method %q, want %q", k, c.Method, aggregate.MethodSignFlip)
		}
		if (c.DeltaCILow == nil || c.DeltaCIHigh == nil) && w.nProblems > 4 {
			e.Errorf("%v: interval [%s, %s] over %d problems", k, show(c.DeltaCILow), show(c.DeltaCIHigh), w.nProblems)
		}
		excludes0 := (c.DeltaCILow != nil && *c.DeltaCILow > 0) || (c.DeltaCIHigh != nil && *c.DeltaCIHigh < 0)
		if (c.DeltaCILow != nil && *c.DeltaCILow > *w.delta+1e-12) || (c.DeltaCIHigh != nil && *c.DeltaCIHigh < *w.delta-1e-12) {
			e.Errorf("%v: delta %v outside its interval [%s, %s]", k, *w.delta, show(c.DeltaCILow), show(c.DeltaCIHigh))
		}
		// The width is near the normal approximation's once there are
		// enough nonzero differences (with one, the interval is [0, d]).
		if w.sd != nil && w.nProblems >= 20 && w.wins+w.losses >= 10 && c.DeltaCILow != nil && c.DeltaCIHigh != nil {
			se := *w.sd / math.Sqrt(float64(w.nProblems))
			if half := (*c.DeltaCIHigh - *c.DeltaCILow) / 2; se > 0 {
				if r := half / (1.959963984540054 * se); r < 0.7 || r > 1.3 {
					e.Errorf("%v: interval [%v, %v] half-width %v is %.2f× the normal approximation (se %v, %d problems)",
						k, *c.DeltaCILow, *c.DeltaCIHigh, half, r, se, w.nProblems)
				}
			}
		}

		// The exact mid-p sign-flip value, from the distribution of Σ ±d_i.
		p, ok := exactSignFlipP(w.ds)
		if !ok {
			e.Errorf("%v: differences are not multiples of 1/L for any L ≤ %d", k, maxScale)
			continue
		}
		if w.nProblems <= 13 { // 2^P ≤ 10000 permutations: the pipeline enumerates exactly
			exactP++
			if math.Abs(*c.PValue-p) > 1e-12 {
				e.Errorf("%v: p_value %v, exact mid-p sign-flip p over %d problems %v", k, *c.PValue, w.nProblems, p)
			}
		} else {
			mcP++
			// Monte Carlo with R = 10000 sign vectors: (½ + X)/(1 + R).
			const R = aggregate.DefaultPermutations
			tol := 5*math.Sqrt(p*(1-p)/R) + 2.0/(R+1)
			if math.Abs(*c.PValue-p) > tol {
				e.Errorf("%v: Monte Carlo p_value %v, exact %v (tolerance %v)", k, *c.PValue, p, tol)
			}
		}
		if excludes0 == (*c.PValue < aggregate.Alpha) {
			agree++
		} else {
			disagree++
			e.Errorf("%v: interval [%s, %s] and p %v disagree on significance", k, show(c.DeltaCILow), show(c.DeltaCIHigh), *c.PValue)
		}
	}
	for k := range want {
		if !seen[k] {
			e.Errorf("%v: recomputed from samples, missing from comparisons.parquet", k)
		}
	}
	t.Logf("%d comparison rows recomputed; p-values checked exactly on %d rows and against the exact distribution on %d Monte Carlo rows; CI excludes 0 ⇔ p < 0.05 on %d of %d rows",
		checked, exactP, mcP, agree, agree+disagree)
	if exactP == 0 || mcP == 0 {
		e.Errorf("p-value checks: %d exact, %d Monte Carlo; want both kinds", exactP, mcP)
	}
	if agree == 0 || disagree > 0 {
		e.Errorf("the interval and the p-value disagree about significance on %d of %d rows (want 0)", disagree, agree+disagree)
	}
}

// maxScale bounds the common denominator exactSignFlipP looks for. Per-problem
// scores of the demo are multiples of 1/8 (rates), 1/C(8,k) (pass@k) or
// 1/lcm(1..8) (maj@k with ties), so their differences are too.
const maxScale = 840 * 70

// exactSignFlipP returns the two-sided mid-p sign-flip value of the
// differences ds with statistic |Σ d_i|: the share of the 2^m sign vectors of
// the nonzero differences with |Σ ±d_i| > |Σ d_i| plus half the share with
// equality. It scales the differences to integers
// (the smallest L ≤ maxScale making every L·d_i an integer to 1e-7) and counts
// sign vectors by dynamic programming over the reachable sums, as
// probabilities (each sign has weight 1/2), so it is exact for any m.
func exactSignFlipP(ds []float64) (float64, bool) {
	var nz []float64
	for _, d := range ds {
		if d != 0 {
			nz = append(nz, d)
		}
	}
	if len(nz) == 0 {
		return 1, true
	}
	L := 0
	for cand := 1; cand <= maxScale; cand++ {
		okAll := true
		for _, d := range nz {
			x := d * float64(cand)
			if math.Abs(x-math.Round(x)) > 1e-7 {
				okAll = false
				break
			}
		}
		if okAll {
			L = cand
			break
		}
	}
	if L == 0 {
		return 0, false
	}
	ints := make([]int, len(nz))
	span, obs := 0, 0
	for i, d := range nz {
		ints[i] = int(math.Round(d * float64(L)))
		span += abs(ints[i])
		obs += ints[i]
	}
	dist := make([]float64, 2*span+1) // dist[s+span] = P(Σ ±x_i = s)
	dist[span] = 1
	next := make([]float64, len(dist))
	for _, x := range ints {
		clear(next)
		for s, pr := range dist {
			if pr == 0 {
				continue
			}
			next[s+x] += pr / 2
			next[s-x] += pr / 2
		}
		dist, next = next, dist
	}
	var p float64
	for s, pr := range dist {
		switch {
		case abs(s-span) > abs(obs):
			p += pr
		case abs(s-span) == abs(obs):
			p += pr / 2
		}
	}
	return math.Min(p, 1), true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// goldenMetrics are the comparison rows the golden file pins (subset all):
// accuracy, pass@k and maj@k at the largest k, and the code-reasoning rate.
func goldenRow(c *schemas.Comparison, maxK int64) bool {
	if c.Subset != "all" {
		return false
	}
	switch c.Metric {
	case aggregate.MetricAccuracy, aggregate.MetricCodeReasoningRate:
		return true
	case aggregate.MetricPassAtK, aggregate.MetricMajAtK:
		return c.K != nil && *c.K == maxK
	}
	return false
}

// renderComparisons is a stable text rendering of the golden rows: one line
// per row in table order, numbers with 6 decimals.
func renderComparisons(comps []schemas.Comparison) []byte {
	var maxK int64
	for _, c := range comps {
		if c.K != nil && *c.K > maxK {
			maxK = *c.K
		}
	}
	f := func(v *float64) string {
		if v == nil {
			return "null"
		}
		return fmt.Sprintf("%.6f", *v)
	}
	var b bytes.Buffer
	b.WriteString("# comparisons.parquet of the SYNTHETIC demo corpus, subset all (regenerate: go test ./pipeline/demo -run TestStatisticsRecomputed/golden -update)\n")
	b.WriteString("# checkpoint | metric | baseline | baseline_value | value | delta | delta_ci | p_value | n_problems | wins/losses/ties\n")
	for i := range comps {
		c := &comps[i]
		if !goldenRow(c, maxK) {
			continue
		}
		metric := c.Metric
		if c.K != nil {
			metric = strings.Replace(metric, "@k", fmt.Sprintf("@%d", *c.K), 1)
		}
		fmt.Fprintf(&b, "%s | %s | %s | %s | %s | %s | [%s, %s] | %s | %d | %d/%d/%d\n",
			c.Checkpoint, metric, c.BaselineCheckpoint, f(c.BaselineValue), f(c.Value), f(c.Delta),
			f(c.DeltaCILow), f(c.DeltaCIHigh), f(c.PValue), c.NProblems, c.Wins, c.Losses, c.Ties)
	}
	return b.Bytes()
}

func checkComparisonsGolden(t *testing.T, out string) {
	comps, err := write.ReadParquet[schemas.Comparison](filepath.Join(out, schemas.TableComparisons+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	got := renderComparisons(comps)
	path := filepath.Join("testdata", "comparisons.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		var diffs []string
		for i := 0; i < max(len(gl), len(wl)) && len(diffs) < 10; i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				diffs = append(diffs, fmt.Sprintf("%s:%d:\n  got  %s\n  want %s", path, i+1, g, w))
			}
		}
		t.Errorf("the demo's comparison table changed (%d vs %d lines); first differences:\n%s",
			len(gl), len(wl), strings.Join(diffs, "\n"))
	}
}
