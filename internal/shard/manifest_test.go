package shard

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// validRun builds the manifests and file listing of a complete run of n
// shards, one checkpoint each.
func validRun(n int) ([]Found, map[string]int64) {
	files := map[string]int64{"run.json": 10, "metrics.parquet": 20}
	var found []Found
	for i := 0; i < n; i++ {
		s := Spec{i, n}
		m := &Manifest{ManifestVersion: ManifestVersion, Shard: i, Count: n, ConfigHash: "cfg1", PlanHash: "plan1",
			GraderVersion: "1.0.1", SchemaVersion: "1", Checkpoints: []string{fmt.Sprint("m/r/step", i)}}
		for _, p := range []string{SamplesPath("fam", "random", s), PartPath(RejectsDir, s, ".parquet"), PartPath(PartialDir, s, ".parquet")} {
			size := int64(100 + i)
			m.Files = append(m.Files, ManifestFile{Path: p, Size: size, SHA256: "x"})
			files[p] = size
		}
		files[ManifestPath(s)] = 5
		found = append(found, Found{Name: ManifestPath(s), Manifest: m})
	}
	return found, files
}

func mustFail(t *testing.T, found []Found, files map[string]int64, exp Expect, want ...string) {
	t.Helper()
	set, err := Check(found, files, exp)
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("Check: want a *CheckError, got %v (set %v)", err, set)
	}
	if set != nil {
		t.Fatalf("Check failed but returned a set")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

func TestCheckComplete(t *testing.T) {
	found, files := validRun(4)
	// Listed in any order.
	found[0], found[3] = found[3], found[0]
	set, err := Check(found, files, Expect{GraderVersion: "1.0.1", SchemaVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if set.Count != 4 || len(set.Manifests) != 4 {
		t.Fatalf("set: %d shards of %d", len(set.Manifests), set.Count)
	}
	for i, m := range set.Manifests {
		if m.Shard != i {
			t.Errorf("Manifests[%d] is shard %d", i, m.Shard)
		}
	}
}

// TestCheckEachMissingShard removes each shard in turn: the error names it
// and only it.
func TestCheckEachMissingShard(t *testing.T) {
	for n := 2; n <= 6; n++ {
		for drop := 0; drop < n; drop++ {
			found, files := validRun(n)
			m := found[drop].Manifest
			found = append(found[:drop:drop], found[drop+1:]...)
			for _, f := range m.Files {
				delete(files, f.Path)
			}
			_, err := Check(found, files, Expect{})
			var ce *CheckError
			if !errors.As(err, &ce) || len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0], fmt.Sprintf("shard %d/%d: missing", drop, n)) {
				t.Fatalf("%d shards without %d: %v", n, drop, err)
			}
		}
	}
}

func TestCheckMismatches(t *testing.T) {
	type mod func(found []Found, files map[string]int64)
	cases := []struct {
		name string
		exp  Expect
		mod  mod
		want []string
	}{
		{"grader version", Expect{}, func(f []Found, _ map[string]int64) { f[2].Manifest.GraderVersion = "1.0.0" },
			[]string{"shard 2/4: grader version 1.0.0, expected 1.0.1 (from shard 0/4)"}},
		{"grader version of the merge", Expect{GraderVersion: "1.0.2"}, func([]Found, map[string]int64) {},
			[]string{"shard 0/4: grader version 1.0.1, expected 1.0.2 (from the merge)", "shard 3/4: grader version"}},
		{"schema version", Expect{SchemaVersion: "1"}, func(f []Found, _ map[string]int64) { f[1].Manifest.SchemaVersion = "2" },
			[]string{"shard 1/4: schema version 2, expected 1"}},
		{"config hash", Expect{}, func(f []Found, _ map[string]int64) { f[3].Manifest.ConfigHash = "cfg2" },
			[]string{"shard 3/4: config hash cfg2, expected cfg1"}},
		{"plan hash", Expect{}, func(f []Found, _ map[string]int64) { f[3].Manifest.PlanHash = "plan2" },
			[]string{"shard 3/4: plan hash plan2", "different input files"}},
		{"manifest version", Expect{}, func(f []Found, _ map[string]int64) { f[1].Manifest.ManifestVersion = 9 },
			[]string{"shard 1/4: manifest version 9"}},
		{"file missing", Expect{}, func(f []Found, files map[string]int64) { delete(files, f[1].Manifest.Files[0].Path) },
			[]string{"shard 1/4: samples/family=fam/reward=random/part-1-of-4.parquet is missing"}},
		{"file truncated", Expect{}, func(f []Found, files map[string]int64) { files[f[2].Manifest.Files[1].Path] = 7 },
			[]string{"shard 2/4: rejects/part-2-of-4.parquet has 7 bytes, expected 102"}},
		{"stale part of another shard count", Expect{}, func(_ []Found, files map[string]int64) {
			files[SamplesPath("fam", "random", Spec{5, 8})] = 3
		}, []string{"samples/family=fam/reward=random/part-5-of-8.parquet: written by no shard"}},
		{"checkpoint twice", Expect{}, func(f []Found, _ map[string]int64) { f[3].Manifest.Checkpoints = f[0].Manifest.Checkpoints },
			[]string{"shard 3/4: checkpoint m/r/step0 also graded by shard 0/4"}},
		{"manifest of another count", Expect{Count: 4}, func(f []Found, files map[string]int64) {
			f[3].Manifest.Count, f[3].Name = 5, ManifestPath(Spec{3, 5})
		}, []string{"shard 3/5: from a run of 5 shards, expected 4", "shard 3/4: missing"}},
		{"counts disagree", Expect{}, func(f []Found, files map[string]int64) {
			f[3].Manifest.Count, f[3].Name = 5, ManifestPath(Spec{3, 5})
		}, []string{"different shard counts", "_shards/shard-3-of-5.json"}},
		{"misnamed manifest", Expect{}, func(f []Found, _ map[string]int64) { f[1].Name = ManifestPath(Spec{2, 4}) },
			[]string{"_shards/shard-2-of-4.json: holds the manifest of shard 1/4", "shard 1/4: missing"}},
		{"unreadable manifest", Expect{}, func(f []Found, _ map[string]int64) {
			f[2].Manifest, f[2].Err = nil, errors.New("unexpected end of JSON input")
		},
			[]string{"_shards/shard-2-of-4.json: unreadable manifest: unexpected end of JSON input", "shard 2/4: missing"}},
		{"index out of range", Expect{}, func(f []Found, _ map[string]int64) { f[2].Manifest.Shard = 4 },
			[]string{"expected shard I/N with 0 <= I < N, found 4/4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found, files := validRun(4)
			c.mod(found, files)
			mustFail(t, found, files, c.exp, c.want...)
		})
	}
}

func TestCheckNoShards(t *testing.T) {
	mustFail(t, nil, map[string]int64{}, Expect{}, "no shard manifest in _shards/")
	mustFail(t, nil, map[string]int64{}, Expect{Count: 2}, "shard 0/2: missing", "shard 1/2: missing")
}

func TestCheckEmptyShard(t *testing.T) {
	// More shards than checkpoints: a shard with nothing to grade still
	// writes its manifest and is accepted.
	found, files := validRun(3)
	m := found[2].Manifest
	for _, f := range m.Files {
		delete(files, f.Path)
	}
	m.Files, m.Checkpoints = nil, nil
	if _, err := Check(found, files, Expect{}); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkCheck1000Shards is the merge's gate over 1,000 shards of 4 files
// each.
func BenchmarkCheck1000Shards(b *testing.B) {
	found, files := validRun(1000)
	for b.Loop() {
		if _, err := Check(found, files, Expect{}); err != nil {
			b.Fatal(err)
		}
	}
}
