package shard

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/parquet-go/parquet-go"
)

func TestPartNamesSortInShardOrder(t *testing.T) {
	for _, n := range []int{1, 9, 10, 11, 100, 1000} {
		var names []string
		for i := 0; i < n; i++ {
			names = append(names, PartName(Spec{i, n}))
		}
		if !sort.StringsAreSorted(names) {
			t.Errorf("%d shards: names do not sort in shard order: %v...", n, names[:min(n, 12)])
		}
		if got, want := PartName(Spec{n - 1, n}), fmt.Sprintf("part-%d-of-%d", n-1, n); got != want {
			t.Errorf("PartName(%d/%d) = %q, want %q", n-1, n, got, want)
		}
	}
	if got := ManifestPath(Spec{3, 12}); got != "_shards/shard-03-of-12.json" {
		t.Errorf("ManifestPath(3/12) = %q", got)
	}
	if got := PartPath(PartialDir, Spec{3, 4}, ".parquet"); got != "partial/part-3-of-4.parquet" {
		t.Errorf("PartPath = %q", got)
	}
}

func ExampleSamplesPath() {
	fmt.Println(SamplesPath("qwen2.5-math", "random", Spec{3, 8}))
	fmt.Println(SamplesPath("llama3.1", "format/boxed", Spec{10, 16}))
	fmt.Println(SamplesPath("olmo2", "", Spec{0, 1}))
	// Output:
	// samples/family=qwen2.5-math/reward=random/part-3-of-8.parquet
	// samples/family=llama3.1/reward=format%2Fboxed/part-10-of-16.parquet
	// samples/family=olmo2/reward=__HIVE_DEFAULT_PARTITION__/part-0-of-1.parquet
}

// hiveValues are partition values a config may hold: plain names, ones with
// every byte Hive escapes, a number, non-ASCII text.
var hiveValues = []string{"qwen2.5-math", "ground_truth", "format/boxed", "a=b", "50%", "1", "sp ace", "ünï", "x?*:[]^{}\\\"'#", "tab\there"}

func TestHiveEscapeRoundTrip(t *testing.T) {
	for _, v := range append(slices.Clone(hiveValues), "", "%", "%4", "%zz", "%41") {
		e := HiveEscape(v)
		if strings.ContainsAny(e, "/=") || strings.ContainsFunc(e, func(r rune) bool { return r < 0x20 }) {
			t.Errorf("HiveEscape(%q) = %q keeps a separator or control byte", v, e)
		}
		if got := HiveUnescape(e); got != v {
			t.Errorf("HiveUnescape(HiveEscape(%q)) = %q (escaped %q)", v, got, e)
		}
	}
}

func FuzzHiveEscape(f *testing.F) {
	for _, v := range hiveValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		e := HiveEscape(v)
		if strings.ContainsAny(e, "/=") {
			t.Fatalf("HiveEscape(%q) = %q keeps a separator", v, e)
		}
		if v != "" && e == HiveDefault {
			return // the literal value collides with Hive's NULL, as in Hive
		}
		if got := HiveUnescape(e); got != v {
			t.Fatalf("round trip of %q: %q", v, got)
		}
	})
}

type hiveRow struct {
	Family string `parquet:"family,dict"`
	Reward string `parquet:"reward,dict"`
	Step   int64  `parquet:"step"`
}

// TestDuckDBReadsHivePartitions writes part files at SamplesPath for several
// shards and awkward partition values, and reads them back with DuckDB's hive
// partitioning, as the README tells users to: the partition columns must give
// back the values written, and every row once.
func TestDuckDBReadsHivePartitions(t *testing.T) {
	if testing.Short() {
		t.Skip("DuckDB test skipped in -short mode")
	}
	dir := t.TempDir()
	want := map[string]int{}
	for i, fam := range []string{"qwen2.5-math", "llama3.1"} {
		for j, rew := range hiveValues {
			for s := 0; s < 3; s++ {
				spec := Spec{(i + j + s) % 4, 4}
				p := filepath.Join(dir, filepath.FromSlash(SamplesPath(fam, rew, spec)))
				if _, err := os.Stat(p); err == nil {
					continue
				}
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				rows := []hiveRow{{fam, rew, int64(s)}, {fam, rew, int64(s + 10)}}
				if err := parquet.WriteFile(p, rows); err != nil {
					t.Fatal(err)
				}
				want[fam+"\x00"+rew] += len(rows)
			}
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := fmt.Sprintf(`SELECT family, reward, count(*) FROM read_parquet('%s', hive_partitioning = true, hive_types_autocast = false) GROUP BY ALL`,
		filepath.ToSlash(filepath.Join(dir, "samples", "**", "*.parquet")))
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var fam, rew sql.NullString
		var n int
		if err := rows.Scan(&fam, &rew, &n); err != nil {
			t.Fatal(err)
		}
		got[fam.String+"\x00"+rew.String] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%q: DuckDB reads %d rows, %d written", strings.ReplaceAll(k, "\x00", " / "), got[k], n)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("DuckDB reads a partition never written: %q", strings.ReplaceAll(k, "\x00", " / "))
		}
	}
}
