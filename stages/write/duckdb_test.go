package write

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Column names and DuckDB types of each table, written out from ../shared/spec/tables.md
// (plus peer_accuracy, which schemas.Metric adds), independently of the structs.
var identityCols = []string{"family VARCHAR", "model VARCHAR", "reward VARCHAR", "step BIGINT", "seed BIGINT", "checkpoint VARCHAR", "evalset VARCHAR"}

var specColumns = map[string][]string{
	schemas.TableSamples: append(slices.Clone(identityCols),
		"problem_id VARCHAR", "subject VARCHAR", "level BIGINT", "sample_idx BIGINT", "response VARCHAR",
		"response_chars BIGINT", "response_tokens BIGINT", "finish_reason VARCHAR", "truncated BOOLEAN",
		"extracted VARCHAR", "extract_method VARCHAR", "gold VARCHAR", "correct BOOLEAN", "reason VARCHAR",
		"has_boxed BOOLEAN", "code_reasoning BOOLEAN", "has_code_block BOOLEAN", "source_file VARCHAR",
		"source_line BIGINT", "peer_correct BOOLEAN", "peer_extracted VARCHAR"),
	schemas.TableProblems: append(slices.Clone(identityCols),
		"problem_id VARCHAR", "subject VARCHAR", "level BIGINT", "n BIGINT", "n_correct BIGINT", "n_no_answer BIGINT",
		"accuracy DOUBLE", "maj_answer VARCHAR", "maj_correct DOUBLE", "first_correct BOOLEAN",
		"code_reasoning_rate DOUBLE", "mean_response_chars DOUBLE"),
	schemas.TableMetrics: append(slices.Clone(identityCols),
		"profile VARCHAR", "subset VARCHAR", "metric VARCHAR", "k BIGINT", "n BIGINT", "value DOUBLE", "stderr DOUBLE",
		"ci_low DOUBLE", "ci_high DOUBLE", "ci_method VARCHAR", "n_problems BIGINT", "peer_accuracy DOUBLE"),
	schemas.TableComparisons: append(slices.Clone(identityCols),
		"subset VARCHAR", "metric VARCHAR", "k BIGINT", "baseline_checkpoint VARCHAR", "baseline_value DOUBLE",
		"value DOUBLE", "delta DOUBLE", "delta_ci_low DOUBLE", "delta_ci_high DOUBLE", "p_value DOUBLE",
		"n_problems BIGINT", "wins BIGINT", "losses BIGINT", "ties BIGINT",
		"method VARCHAR", "q_value DOUBLE", "pooled BOOLEAN", "n_seeds BIGINT", "seed_sd DOUBLE", "ci_scope VARCHAR"),
	schemas.TableTransitions: append(slices.Clone(identityCols),
		"baseline_checkpoint VARCHAR", "bucket VARCHAR", "n_problems BIGINT", "accuracy_before DOUBLE",
		"accuracy_after DOUBLE", "share_of_gain DOUBLE"),
	schemas.TableBoundary: append(slices.Clone(identityCols),
		"baseline_checkpoint VARCHAR", "profile VARCHAR", "subset VARCHAR", "n BIGINT", "n_checkpoint BIGINT",
		"n_baseline BIGINT", "common_n BOOLEAN", "n_problems BIGINT", "pass_at_1 DOUBLE", "baseline_pass_at_1 DOUBLE",
		"pass_at_n DOUBLE", "baseline_pass_at_n DOUBLE", "crossover_k BIGINT", "crossover VARCHAR", "area_log_k DOUBLE",
		"area_ci_low DOUBLE", "area_ci_high DOUBLE", "area_p_value DOUBLE", "area_q_value DOUBLE", "coverage DOUBLE",
		"baseline_coverage DOUBLE", "coverage_delta DOUBLE", "coverage_ci_low DOUBLE", "coverage_ci_high DOUBLE",
		"coverage_p_value DOUBLE", "coverage_q_value DOUBLE", "gained BIGINT", "lost BIGINT", "method VARCHAR"),
	schemas.TableBoundaryCurves: append(slices.Clone(identityCols),
		"baseline_checkpoint VARCHAR", "profile VARCHAR", "subset VARCHAR", "k BIGINT", "n BIGINT", "pass_at_k DOUBLE",
		"baseline_pass_at_k DOUBLE", "delta DOUBLE"),
	schemas.TableProblemMoves: append(slices.Clone(identityCols),
		"baseline_checkpoint VARCHAR", "profile VARCHAR", "problem_id VARCHAR", "subject VARCHAR", "level BIGINT",
		"move VARCHAR", "n BIGINT", "n_correct BIGINT", "baseline_n_correct BIGINT", "strategy_before VARCHAR",
		"strategy_after VARCHAR", "strategy_switch BOOLEAN"),
	schemas.TableRejects: {"source_file VARCHAR", "source_line BIGINT", "error VARCHAR", "raw VARCHAR"},
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

func queryAll(t *testing.T, db *sql.DB, q string) [][]any {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestDuckDBReadsEveryTable opens every table with DuckDB and checks column
// names and types against ../shared/spec/tables.md, every value (NULLs where pointers are
// nil), the key-value metadata, zstd and dictionary encoding.
func TestDuckDBReadsEveryTable(t *testing.T) {
	db := openDuckDB(t)
	for _, c := range allCases() {
		t.Run(caseName(c), func(t *testing.T) {
			dir := t.TempDir()
			c.write(t, Options{Dir: dir, RowGroupRows: 100, Metadata: map[string]string{"run_id": "r-42"}}, nil, 64)
			path := sqlQuote(filepath.Join(dir, c.table+".parquet"))

			want := slices.Clone(specColumns[c.table])
			for _, p := range c.profiles {
				want = append(want, "correct_"+p+" BOOLEAN")
			}
			var got []string
			for _, r := range queryAll(t, db, "DESCRIBE SELECT * FROM read_parquet("+path+")") {
				got = append(got, r[0].(string)+" "+r[1].(string))
			}
			if !slices.Equal(got, want) {
				t.Errorf("DuckDB columns\n got %q\nwant %q", got, want)
			}

			_, cols := expectedColumns(c.rows, c.noText, c.profiles...)
			data := queryAll(t, db, "SELECT * EXCLUDE (file_row_number) FROM read_parquet("+path+", file_row_number=true) ORDER BY file_row_number")
			if n := reflect.ValueOf(c.rows).Len(); len(data) != n {
				t.Fatalf("DuckDB read %d rows, want %d", len(data), n)
			}
			for r, row := range data {
				for ci, v := range row {
					if w := cols[ci][r]; !reflect.DeepEqual(v, w) {
						t.Fatalf("row %d column %s: DuckDB %#v, want %#v", r, want[ci], v, w)
					}
				}
			}

			kv := map[string]string{}
			for _, r := range queryAll(t, db, "SELECT decode(key), decode(value) FROM parquet_kv_metadata("+path+")") {
				kv[r[0].(string)] = r[1].(string)
			}
			wantKV := map[string]string{MetaSchemaVersion: schemas.Version, MetaTable: c.table, "run_id": "r-42"}
			if !reflect.DeepEqual(kv, wantKV) {
				t.Errorf("parquet_kv_metadata = %v, want %v", kv, wantKV)
			}

			lay, err := newLayout[schemas.Sample](nil)
			if err != nil {
				t.Fatal(err)
			}
			dict := map[string]bool{}
			for _, col := range lay.cols {
				dict[col.name] = col.dict
			}
			for _, r := range queryAll(t, db, "SELECT path_in_schema, compression, encodings FROM parquet_metadata("+path+")") {
				name, codec, enc := r[0].(string), r[1].(string), r[2].(string)
				if codec != "ZSTD" {
					t.Errorf("column %s compression %s, want ZSTD", name, codec)
				}
				if c.table == schemas.TableSamples && dict[name] && !strings.Contains(enc, "DICTIONARY") {
					t.Errorf("column %s is tagged dict but its encodings are %s", name, enc)
				}
				if name == "response" && strings.Contains(enc, "DICTIONARY") {
					t.Errorf("column response is dictionary-encoded (%s), want plain", enc)
				}
			}
			created := queryAll(t, db, "SELECT created_by FROM parquet_file_metadata("+path+")")
			if len(created) != 1 || created[0][0] != CreatedBy {
				t.Errorf("created_by = %v, want %q", created, CreatedBy)
			}
		})
	}
}
