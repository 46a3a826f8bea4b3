package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The kill test runs the pipeline in a child process: this test binary,
// re-executed with these variables set, runs one Run and exits (0 ok, 2 a
// failed gate, 1 an error). No separate build is needed.
const (
	envChildConfig = "RLVR_EVAL_TEST_CHILD_CONFIG"
	envChildOut    = "RLVR_EVAL_TEST_CHILD_OUT"
)

func TestMain(m *testing.M) {
	if cfg := os.Getenv(envChildConfig); cfg != "" {
		os.Exit(runChild(cfg, os.Getenv(envChildOut)))
	}
	// s3test.Run stops the moto_server the S3 tests may have started.
	os.Exit(s3test.Run(m))
}

func runChild(cfgPath, out string) int {
	cfg, err := LoadConfig(cfgPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, err = Run(context.Background(), cfg, RunOptions{Out: out, Version: "child"})
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrIncomplete):
		return 2
	}
	fmt.Fprintln(os.Stderr, err)
	return 1
}

// checkRunFolder checks that out holds one complete run: run.json lists
// exactly the table files present, and each has the rows and sha256 run.json
// gives (a table of another run would not). It returns run.json's
// tool-independent fingerprint (the sha256 of samples.parquet).
func checkRunFolder(t *testing.T, out string) string {
	t.Helper()
	m, err := ReadManifest(out)
	if err != nil {
		t.Fatalf("run folder without a readable run.json: %v", err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var present []string
	for _, e := range entries {
		if isRunEntry(e.Name()) && e.Name() != ManifestFile {
			present = append(present, e.Name())
		}
	}
	sort.Strings(present)
	if !slices.Equal(present, m.Files) {
		t.Fatalf("folder holds %v, run.json lists %v", present, m.Files)
	}
	if len(m.TableFiles) != len(m.Files) {
		t.Fatalf("run.json describes %d files, lists %d", len(m.TableFiles), len(m.Files))
	}
	for _, name := range m.Files {
		tf := m.TableFiles[name]
		sum, n := fileSHA(t, filepath.Join(out, name))
		if sum != tf.SHA256 || n != tf.Bytes {
			t.Fatalf("%s: sha256 %s (%d bytes), run.json says %s (%d bytes): tables of two runs", name, sum, n, tf.SHA256, tf.Bytes)
		}
		if tf.Rows != m.Tables[tf.Table] {
			t.Fatalf("%s: %d rows in table_files, %d in tables", name, tf.Rows, m.Tables[tf.Table])
		}
	}
	return m.TableFiles["samples.parquet"].SHA256
}

func fileSHA(t *testing.T, path string) (string, int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

// leftovers lists the hidden siblings of out that runs make (stages, carry
// lists) and the temp files inside out.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	var found []string
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+filepath.Base(out)+".rlvr-") {
			found = append(found, e.Name())
		}
	}
	entries, _ = os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			found = append(found, filepath.Join(filepath.Base(out), e.Name()))
		}
	}
	return found
}

func childCmd(cfg, out string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildConfig+"="+cfg, envChildOut+"="+out)
	return cmd
}

// A run killed (SIGKILL) at any point leaves --out as the previous complete
// run or the new complete run, never a mix, and never a run.json that
// disagrees with its tables; the next run into the same place removes what
// the killed one left. Runs A and B grade different corpora (their samples
// differ), and --out also holds a foreign folder that must survive.
func TestKillLoopLeavesOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a multi-second run many times")
	}
	small := filepath.Join(corpusTree(t, 2, 5), "eval.yaml")
	big := corpusTree(t, 4, 700)
	os.WriteFile(filepath.Join(big, "eval.yaml"), []byte("evalset: {name: syn, path: ev.jsonl}\nks: [1, 2]\nbootstrap: 200\npermutations: 200\n"+
		"output: {format: both}\nruns:\n  - template: \"gens/{model}/{reward}/step{step}.jsonl\"\n    family: fam\n"), 0o644)
	bigCfg := filepath.Join(big, "eval.yaml")
	out := filepath.Join(t.TempDir(), "runs", "out")

	if b, err := childCmd(small, out).CombinedOutput(); err != nil {
		t.Fatalf("run A: %v\n%s", err, b)
	}
	os.MkdirAll(filepath.Join(out, "notes"), 0o755)
	os.WriteFile(filepath.Join(out, "notes", "keep.txt"), []byte("mine"), 0o644)
	a := checkRunFolder(t, out)

	// How long the big run takes here, to spread the kills over it.
	probe := filepath.Join(t.TempDir(), "probe")
	start := time.Now()
	if b, err := childCmd(bigCfg, probe).CombinedOutput(); err != nil {
		t.Fatalf("run B: %v\n%s", err, b)
	}
	full := time.Since(start)
	b := checkRunFolder(t, probe)
	if a == b {
		t.Fatal("runs A and B wrote the same samples: the test could not tell them apart")
	}
	t.Logf("run B takes %v; killing it at 12 points", full.Round(time.Millisecond))

	const kills = 12
	seenNew := 0
	for i := range kills {
		// Spread over the run, denser near its end where the switch happens.
		frac := float64(i+1) / kills
		delay := time.Duration(float64(full) * (0.3 + 0.75*frac*frac))
		cmd := childCmd(bigCfg, out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		got := checkRunFolder(t, out)
		switch got {
		case a:
		case b:
			seenNew++
		default:
			t.Fatalf("kill %d after %v: samples of neither run", i, delay)
		}
		if k, err := os.ReadFile(filepath.Join(out, "notes", "keep.txt")); err != nil || string(k) != "mine" {
			// A kill between carrying and the switch leaves it in the stage;
			// the next run puts it back (checked below) — but only then.
			if _, err := os.Stat(filepath.Join(out, "notes")); err == nil {
				t.Fatalf("kill %d: notes/keep.txt damaged: %q %v", i, k, err)
			}
		}
		if got == b {
			// Back to A for the next kill, so each kill can reveal a mix.
			if o, err := childCmd(small, out).CombinedOutput(); err != nil {
				t.Fatalf("run A again: %v\n%s", err, o)
			}
			if checkRunFolder(t, out) != a {
				t.Fatal("run A again: not run A")
			}
		}
	}
	t.Logf("%d of %d kills came after the switch", seenNew, kills)
	// A complete run cleans every leftover and keeps the foreign folder.
	if o, err := childCmd(bigCfg, out).CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, o)
	}
	if checkRunFolder(t, out) != b {
		t.Fatal("final run: not run B")
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left after a complete run: %v", l)
	}
	if k, err := os.ReadFile(filepath.Join(out, "notes", "keep.txt")); err != nil || string(k) != "mine" {
		t.Errorf("foreign file lost: %q %v", k, err)
	}
}

// The commit steps one by one, killed between each (simulated: the state a
// kill leaves, then the next run's cleanup).
func TestStaleStageRestoresCarriedEntries(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	os.MkdirAll(filepath.Join(out, "site"), 0o755)
	os.WriteFile(filepath.Join(out, "site", "index.html"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(out, "run.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(out, ".samples.parquet.tmp-123"), []byte("partial"), 0o644)
	// A dead run (pid 1 is alive, so take a pid that cannot exist) had moved
	// site/ into its stage and written its carry list, then was killed.
	dead := "2147483646"
	stage := filepath.Join(parent, ".out"+stageMark+dead+"-9")
	os.MkdirAll(stage, 0o755)
	os.WriteFile(filepath.Join(stage, "samples.parquet"), []byte("new"), 0o644)
	os.Rename(filepath.Join(out, "site"), filepath.Join(stage, "site"))
	os.WriteFile(filepath.Join(parent, ".out"+carryMark+dead), []byte("site\n"), 0o644)

	f, err := openRunFolder(out, quietProgress().log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.abort()
	if b, err := os.ReadFile(filepath.Join(out, "site", "index.html")); err != nil || string(b) != "x" {
		t.Errorf("carried entry not restored: %q %v", b, err)
	}
	for _, gone := range []string{stage, filepath.Join(parent, ".out"+carryMark+dead), filepath.Join(out, ".samples.parquet.tmp-123")} {
		if _, err := os.Stat(gone); err == nil {
			t.Errorf("%s left", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "run.json")); err != nil {
		t.Error("the previous run's run.json was removed by the cleanup")
	}
	// A live process's stage is kept.
	live := filepath.Join(parent, ".out"+stageMark+fmt.Sprint(os.Getppid())+"-1")
	os.MkdirAll(live, 0o755)
	g, err := openRunFolder(out, quietProgress().log)
	if err != nil {
		t.Fatal(err)
	}
	g.abort()
	if _, err := os.Stat(live); err != nil {
		t.Error("a live run's stage was removed")
	}
}

func TestIsRunEntry(t *testing.T) {
	for name, want := range map[string]bool{
		"samples.parquet": true, "rejects.arrow": true, "run.json": true, ".run.json.tmp-77": true,
		".samples.parquet.tmp-1234": true, "corpus": false, "site": false, "samples.csv": false,
		".samples.parquet": false, ".git": false, "history": false, ".notes.tmp-1": false,
	} {
		if isRunEntry(name) != want {
			t.Errorf("isRunEntry(%q) = %v", name, !want)
		}
	}
}

// A full disk (a 1 MiB tmpfs): the write error fails the run, leaves the
// previous run intact and removes the stage.
func TestFullDiskKeepsPreviousRun(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	mnt := t.TempDir()
	if b, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, b)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	out := filepath.Join(mnt, "out")
	if _, _, err := runInto(t, filepath.Join(corpusTree(t, 2, 5), "eval.yaml"), out); err != nil {
		t.Fatalf("small run: %v", err)
	}
	before := checkRunFolder(t, out)
	_, _, err := runInto(t, filepath.Join(corpusTree(t, 4, 700), "eval.yaml"), out, WithSet(KeyOutputFormat, "both"))
	if err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("big run on a 1 MiB disk: err = %v, want ENOSPC", err)
	}
	if got := checkRunFolder(t, out); got != before {
		t.Error("the previous run changed")
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left after the failed run: %v", l)
	}
}

func runInto(t *testing.T, cfgPath, out string, opts ...LoadOption) (*Result, *Manifest, error) {
	cfg, err := LoadConfig(cfgPath, opts...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg, RunOptions{Out: out, Version: "test"})
	if res != nil {
		return res, res.Manifest, err
	}
	return nil, nil, err
}

// --out a mount point (no sibling on its file system): the stage goes
// inside it and the files are switched one by one, run.json last; the
// folder is still one run after each complete run, and nothing is left.
func TestOutIsAMountPoint(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	out := t.TempDir()
	if b, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", out).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, b)
	}
	t.Cleanup(func() { exec.Command("umount", out).Run() })
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if _, _, err := runInto(t, filepath.Join(corpusTree(t, 2, 5), "eval.yaml"), out, WithSet(KeyOutputFormat, "both")); err != nil {
		t.Fatal(err)
	}
	a := checkRunFolder(t, out)
	if _, _, err := runInto(t, filepath.Join(corpusTree(t, 3, 6), "eval.yaml"), out); err != nil {
		t.Fatal(err)
	}
	if checkRunFolder(t, out) == a {
		t.Error("second run not in place")
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left: %v", l)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Error("foreign file lost")
	}
}

func TestOutContainingTheWorkingDirectoryRefused(t *testing.T) {
	wd, _ := os.Getwd()
	for _, out := range []string{".", filepath.Dir(wd)} {
		if _, err := openRunFolder(out, quietProgress().log); err == nil || !strings.Contains(err.Error(), "working directory") {
			t.Errorf("--out %s: err = %v", out, err)
		}
	}
}
