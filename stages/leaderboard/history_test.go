package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

func TestParseRunName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
		want string
	}{
		{"2026-11-25", true, "2026-11-25T00:00:00Z"},
		{"2026-11-25T0230", true, "2026-11-25T02:30:00Z"},
		{"2026-02-30", false, ""},
		{"2026-11-25T2460", false, ""},
		{"2026-11-25T02:30", false, ""},
		{"latest", false, ""},
		{"", false, ""},
		{"2026-11-25-rerun", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRunName(tt.name)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseRunName(%q) error = %v, want ok=%v", tt.name, err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrBadRunName) {
					t.Fatalf("error %v does not wrap ErrBadRunName", err)
				}
				return
			}
			if s := got.Format("2006-01-02T15:04:05Z07:00"); s != tt.want {
				t.Fatalf("ParseRunName(%q) = %s, want %s", tt.name, s, tt.want)
			}
		})
	}
}

func TestLoadSkipsBrokenRuns(t *testing.T) {
	good := synthCheckpoints(100)
	tests := []struct {
		name     string
		breakRun func(t *testing.T, dir string)
		file     string // expected RunError.File
		errPart  string // expected in the message
	}{
		{"missing run.json", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "run.json")) }, "run.json", "missing file"},
		{"run.json not an object", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "run.json"), "[1,2]") }, "run.json", "expected a JSON object"},
		{"run.json truncated", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "run.json"), `{"tool_version": "x`) }, "run.json", "expected a JSON object"},
		{"missing samples table", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "samples.parquet")) }, "samples.parquet", "missing file"},
		{"corrupt metrics", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "metrics.parquet"), "PAR1garbagePAR1") }, "metrics.parquet", "corrupt Parquet file"},
		{"truncated comparisons", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "comparisons.parquet")
			b, _ := os.ReadFile(p)
			writeFile(t, p, string(b[:len(b)/2]))
		}, "comparisons.parquet", "corrupt Parquet file"},
		{"metrics with the wrong columns", func(t *testing.T, dir string) {
			if err := parquet.WriteFile(filepath.Join(dir, "metrics.parquet"), []schemas.Reject{{SourceFile: "x"}}); err != nil {
				t.Fatal(err)
			}
		}, "metrics.parquet", "expected columns family, model"},
		{"empty metrics", func(t *testing.T, dir string) {
			if err := parquet.WriteFile(filepath.Join(dir, "metrics.parquet"), []schemas.Metric{}); err != nil {
				t.Fatal(err)
			}
		}, "metrics.parquet", "empty table"},
		{"table is a folder", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "rejects.parquet"))
			os.Mkdir(filepath.Join(dir, "rejects.parquet"), 0o755)
		}, "rejects.parquet", "found a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeRun(t, filepath.Join(root, "2026-11-20"), good)
			writeRun(t, filepath.Join(root, "2026-11-21T0300"), good)
			broken := filepath.Join(root, "2026-11-22")
			writeRun(t, broken, good)
			tt.breakRun(t, broken)

			h, err := Load(context.Background(), root, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if h.Latest.Name != "2026-11-21T0300" || h.Previous == nil || h.Previous.Name != "2026-11-20" {
				t.Fatalf("latest/previous = %s/%v, want 2026-11-21T0300/2026-11-20", h.Latest.Name, h.Previous)
			}
			if len(h.Skipped) != 1 {
				t.Fatalf("skipped = %v, want one", h.Skipped)
			}
			re := h.Skipped[0]
			if re.Run != "2026-11-22" || re.File != tt.file || !strings.Contains(re.Error(), tt.errPart) {
				t.Fatalf("skipped = %q (file %q), want run 2026-11-22, file %q, containing %q", re.Error(), re.File, tt.file, tt.errPart)
			}
			if strings.Contains(re.Error(), root) {
				t.Fatalf("error %q names the absolute history path", re.Error())
			}
			if len(h.Runs) != 3 || h.Runs[2].OK || !h.Runs[0].OK || !h.Runs[1].OK {
				t.Fatalf("runs = %+v", h.Runs)
			}
		})
	}
}

func TestLoadOlderRunsAreValidatedNotRead(t *testing.T) {
	root := t.TempDir()
	cps := synthCheckpoints(50)
	for _, name := range []string{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"} {
		writeRun(t, filepath.Join(root, name), cps)
	}
	// An old night whose metrics footer is broken is reported although it is
	// never read in full.
	writeFile(t, filepath.Join(root, "2026-11-01", "metrics.parquet"), "not parquet at all")
	h, err := Load(context.Background(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Latest.Name != "2026-11-04" || h.Previous.Name != "2026-11-03" {
		t.Fatalf("latest/previous = %s/%s", h.Latest.Name, h.Previous.Name)
	}
	if len(h.Skipped) != 1 || h.Skipped[0].Run != "2026-11-01" {
		t.Fatalf("skipped = %v", h.Skipped)
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Load(ctx, filepath.Join(t.TempDir(), "nope"), nil); !errors.Is(err, ErrNoHistory) {
		t.Errorf("missing folder: err = %v, want ErrNoHistory", err)
	}
	empty := t.TempDir()
	os.Mkdir(filepath.Join(empty, "not-a-date"), 0o755)
	if _, err := Load(ctx, empty, nil); !errors.Is(err, ErrNoRuns) {
		t.Errorf("no runs: err = %v, want ErrNoRuns", err)
	}
	allBroken := t.TempDir()
	os.Mkdir(filepath.Join(allBroken, "2026-11-25"), 0o755)
	h, err := Load(ctx, allBroken, nil)
	if !errors.Is(err, ErrNoRuns) || h == nil || len(h.Skipped) != 1 {
		t.Errorf("all broken: err = %v, history %+v, want ErrNoRuns with one skipped run", err, h)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	root := t.TempDir()
	writeRun(t, filepath.Join(root, "2026-11-25"), synthCheckpoints(50))
	if _, err := Load(cancelled, root, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

func TestParseManifest(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		ok       bool
		profiles []string
		tool     string
	}{
		{"config profiles", `{"tool_version":"1.2.0","config":{"profiles":["lenient","strict"]}}`, true, []string{"lenient", "strict"}, "1.2.0"},
		{"profiles elsewhere are not guessed", `{"profiles":["x"],"config":{"grade":{"profiles":["strict"]}}}`, true, nil, ""},
		{"numeric version", `{"tool_version": 3}`, false, nil, ""},
		{"profiles not strings", `{"config":{"profiles":[{"name":"strict"}]}}`, false, nil, ""},
		{"empty object", `{}`, true, nil, ""},
		{"null", `null`, false, nil, ""},
		{"array", `[]`, false, nil, ""},
		{"two objects", `{} {}`, false, nil, ""},
		{"garbage", `PAR1`, false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseManifest([]byte(tt.in))
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if strings.Join(m.Profiles, ",") != strings.Join(tt.profiles, ",") || m.ToolVersion != tt.tool {
				t.Fatalf("got %+v, want profiles %v tool %q", m, tt.profiles, tt.tool)
			}
		})
	}
}

func FuzzParseRunName(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2026-11-25T0230", "2026-02-30", "9999-99-99T9999", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseRunName(s)
		if err != nil {
			return
		}
		layout := "2006-01-02"
		if len(s) > len(layout) {
			layout = "2006-01-02T1504"
		}
		if tm.Format(layout) != s {
			t.Fatalf("ParseRunName(%q) = %v, does not round-trip", s, tm)
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	for _, s := range []string{`{}`, `{"profiles":["strict"]}`, `{"config":{"a":{"profiles":[{"name":"x"}]}}}`, `null`, `[`, `{"tool_version":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil && (m.ToolVersion != "" || m.Profiles != nil) {
			t.Fatalf("error %v with a non-empty manifest %+v", err, m)
		}
	})
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadManyNights loads a history of 150 nights (symlinks to a few real
// run folders): every night is validated and listed, only two are read.
func TestLoadManyNights(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	writeRun(t, filepath.Join(real, "a"), synthCheckpoints(50))
	writeRun(t, filepath.Join(real, "b"), synthCheckpoints(100))
	runs := filepath.Join(root, "runs")
	os.Mkdir(runs, 0o755)
	day := func(i int) string { return fmt.Sprintf("2026-%02d-%02dT0100", 1+i/28, 1+i%28) }
	for i := 0; i < 150; i++ {
		target := filepath.Join(real, "a")
		if i == 149 {
			target = filepath.Join(real, "b")
		}
		if err := os.Symlink(target, filepath.Join(runs, day(i))); err != nil {
			t.Fatal(err)
		}
	}
	h, err := Load(context.Background(), runs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Runs) != 150 || len(h.Skipped) != 0 || h.Latest.Name != day(149) || h.Previous.Name != day(148) {
		t.Fatalf("runs %d skipped %d latest %s previous %s", len(h.Runs), len(h.Skipped), h.Latest.Name, h.Previous.Name)
	}
	lb, err := Build(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Changes.NewCheckpoints) != 5 {
		t.Errorf("new checkpoints = %d, want the five step-100 ones", len(lb.Changes.NewCheckpoints))
	}
	page, err := renderHTML(lb)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), "<li>2026-"); n != 150 {
		t.Errorf("runs list has %d entries, want 150", n)
	}
}
