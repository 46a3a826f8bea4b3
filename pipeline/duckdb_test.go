// The DuckDB bindings (cgo) are left out of fuzz builds (scripts/fuzz.sh: -tags fuzz),
// so that the fuzz targets of this package compile without them.

//go:build !fuzz

package pipeline

import (
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestDuckDBReadsEveryTable opens every Parquet table of a run with DuckDB (as a
// notebook would) and checks its numbers against the Go side.
func TestDuckDBReadsEveryTable(t *testing.T) {
	if testing.Short() {
		t.Skip("DuckDB test skipped in -short mode")
	}
	dir := corpusTree(t, 3, 4)
	res, out, err := runTree(t, dir, WithSet(KeyProfiles, "strict,lenient"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table := func(name string) string {
		return fmt.Sprintf("read_parquet('%s')", filepath.Join(out, name+".parquet"))
	}
	one := func(q string, dst ...any) {
		t.Helper()
		if err := db.QueryRow(q).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// samples: row count, correct count, the dynamic profile column.
	var n, nCorrect, nLenient, nTrunc int64
	one(fmt.Sprintf(`SELECT count(*), sum(correct::INT), sum(correct_lenient::INT), sum(truncated::INT) FROM %s`, table("samples")), &n, &nCorrect, &nLenient, &nTrunc)
	var goCorrect int64
	for _, p := range res.Tables.Problems {
		goCorrect += p.NCorrect
	}
	if n != res.Samples || nCorrect != goCorrect || nTrunc != 0 {
		t.Errorf("samples: duckdb n=%d correct=%d truncated=%d; Go n=%d correct=%d", n, nCorrect, nTrunc, res.Samples, goCorrect)
	}

	// problems: rows and accuracy per row recomputed from samples in SQL.
	var nProblems int64
	var maxDiff float64
	one(fmt.Sprintf(`SELECT count(*), max(abs(p.accuracy - s.acc)) FROM %s p JOIN (
		SELECT checkpoint, problem_id, avg(correct::INT) AS acc FROM %s GROUP BY ALL) s USING (checkpoint, problem_id)`,
		table("problems"), table("samples")), &nProblems, &maxDiff)
	if nProblems != int64(len(res.Tables.Problems)) || maxDiff > 1e-12 {
		t.Errorf("problems: duckdb %d rows (max accuracy diff %g), Go %d", nProblems, maxDiff, len(res.Tables.Problems))
	}

	// metrics: every accuracy value equals the Go value, and equals the mean
	// of per-problem accuracies.
	rows, err := db.Query(fmt.Sprintf(`SELECT checkpoint, value FROM %s WHERE metric = 'accuracy' AND subset = 'all' AND profile = 'strict' ORDER BY checkpoint`, table("metrics")))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for rows.Next() {
		var c string
		var v float64
		if err := rows.Scan(&c, &v); err != nil {
			t.Fatal(err)
		}
		got[c] = v
	}
	rows.Close()
	var checked int
	for _, m := range res.Tables.Metrics {
		if m.Metric == "accuracy" && m.Subset == "all" && m.Profile == "strict" && m.K == nil {
			checked++
			if m.Value == nil || math.Abs(got[m.Checkpoint]-*m.Value) > 1e-12 {
				t.Errorf("metrics %s: duckdb %v, Go %v", m.Checkpoint, got[m.Checkpoint], m.Value)
			}
		}
	}
	if checked != 3 || len(got) != 3 {
		t.Errorf("metrics: %d accuracy rows in Go, %d in duckdb; want 3", checked, len(got))
	}
	var nMetrics int64
	one(fmt.Sprintf(`SELECT count(*) FROM %s`, table("metrics")), &nMetrics)
	if nMetrics != int64(len(res.Tables.Metrics)) {
		t.Errorf("metrics: duckdb %d rows, Go %d", nMetrics, len(res.Tables.Metrics))
	}

	// comparisons, transitions, rejects: row counts, and deltas in SQL.
	var nComp int64
	var deltaDiff sql.NullFloat64
	one(fmt.Sprintf(`SELECT count(*), max(abs(delta - (value - baseline_value))) FROM %s`, table("comparisons")), &nComp, &deltaDiff)
	if nComp != int64(len(res.Tables.Comparisons)) || nComp == 0 || (deltaDiff.Valid && deltaDiff.Float64 > 1e-9) {
		t.Errorf("comparisons: duckdb %d rows (delta diff %v), Go %d", nComp, deltaDiff, len(res.Tables.Comparisons))
	}
	var nTrans, nRej int64
	one(fmt.Sprintf(`SELECT count(*) FROM %s`, table("transitions")), &nTrans)
	one(fmt.Sprintf(`SELECT count(*) FROM %s`, table("rejects")), &nRej)
	if nTrans != int64(len(res.Tables.Transitions)) || nRej != res.Rejects {
		t.Errorf("transitions %d vs %d, rejects %d vs %d", nTrans, len(res.Tables.Transitions), nRej, res.Rejects)
	}
}
