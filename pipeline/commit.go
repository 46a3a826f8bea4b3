package pipeline

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/pipeline/runjson"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// A run folder is one atomic unit (see doc.go, "Run folder"): a run writes
// every table and run.json into a staging folder beside --out, and switches
// it into place at the very end. The names below are the hidden siblings of
// --out a run makes; their pid lets the next run into the same place clean
// what a killed run left.
const (
	stageMark = ".rlvr-stage-" // .<out>.rlvr-stage-<pid>-<rand>: the new run being written
	carryMark = ".rlvr-carry-" // .<out>.rlvr-carry-<pid>: names moved from --out into the stage
)

// isRunEntry reports whether name (an entry of a run folder) is something a
// run writes: a table file, run.json, or one of their temp files. Everything
// else in --out (the demo's corpus/ and site/, a user's notes) is foreign:
// a run keeps it and never deletes it.
func isRunEntry(name string) bool {
	base := name
	if strings.HasPrefix(name, ".") {
		// A temp file: .<file>.tmp-<rand> (stages/write and runjson).
		i := strings.Index(name, ".tmp-")
		if i < 0 {
			return false
		}
		base = name[1:i]
	}
	if base == runjson.ManifestFile {
		return true
	}
	for _, t := range schemas.RunTables() {
		if base == t+".parquet" || base == t+".arrow" {
			return true
		}
	}
	return false
}

// runFolder is the staging of one run: where it writes (stage) and where the
// result goes (out).
type runFolder struct {
	out   string // absolute, symlinks resolved
	stage string
	log   *slog.Logger
	// inPlace: out is a mount point, so no sibling shares its file system;
	// the stage is inside out and commit renames file by file (not atomic
	// as a set; logged).
	inPlace bool
}

// openRunFolder cleans what killed runs left beside out, then creates the
// stage folder.
func openRunFolder(out string, log *slog.Logger) (*runFolder, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // a symlinked --out: the folder it points to is the unit
	}
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("output folder %s: exists and is not a folder", abs)
	}
	if wd, err := os.Getwd(); err == nil {
		if real, err := filepath.EvalSymlinks(wd); err == nil {
			wd = real
		}
		if rel, err := filepath.Rel(abs, wd); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return nil, fmt.Errorf("output folder %s: is or contains the working directory; a run replaces its output folder as a whole, so give a folder of its own", abs)
		}
	}
	f := &runFolder{out: abs, log: log, inPlace: isMountPoint(abs, parent)}
	f.cleanStale()
	where, prefix := parent, "."+base+stageMark
	if f.inPlace {
		log.Warn("output folder is a mount point: tables are switched into place one by one, not as one unit", "out", abs)
		where, prefix = abs, stageMark
	}
	f.stage, err = os.MkdirTemp(where, prefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	if err := os.Chmod(f.stage, 0o755); err != nil {
		os.Remove(f.stage)
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	return f, nil
}

// cleanStale removes the stage folders of runs into the same out whose
// process is gone, and the temp files a killed run of an earlier version left
// inside out. Names carried out of --out by a run killed mid-switch go back
// first. What it cannot remove is logged, never an error.
func (f *runFolder) cleanStale() {
	parent, base := filepath.Dir(f.out), filepath.Base(f.out)
	prefix := "." + base + stageMark
	if f.inPlace {
		parent, prefix = f.out, stageMark
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		pid, _, _ := strings.Cut(name[len(prefix):], "-")
		if !staleOwner(pid) {
			continue
		}
		f.restoreCarried(filepath.Join(parent, name), filepath.Join(parent, "."+base+carryMark+pid))
		removeRunFolder(filepath.Join(parent, name), f.log)
	}
	if entries, err := os.ReadDir(f.out); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") && isRunEntry(e.Name()) && !e.IsDir() {
				os.Remove(filepath.Join(f.out, e.Name()))
			}
		}
	}
}

// staleOwner reports whether the process with this pid (from a stage name)
// is gone. The running process's own stages are never stale.
func staleOwner(pid string) bool {
	n, err := strconv.Atoi(pid)
	if err != nil || n <= 0 {
		return false
	}
	if n == os.Getpid() {
		return false
	}
	return !processAlive(n)
}

// restoreCarried moves back into out the foreign entries a run killed during
// its switch had moved into its stage (listed in carry): an entry is moved
// back only when it is still in the stage and out has none of that name.
func (f *runFolder) restoreCarried(stage, carry string) {
	b, err := os.ReadFile(carry)
	if err != nil {
		return
	}
	for _, name := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if name == "" || strings.ContainsRune(name, '/') || name == "." || name == ".." {
			continue
		}
		from, to := filepath.Join(stage, name), filepath.Join(f.out, name)
		if _, err := os.Lstat(from); err != nil {
			continue
		}
		if _, err := os.Lstat(to); err == nil {
			continue
		}
		if err := os.Rename(from, to); err != nil {
			f.log.Warn("run folder: could not restore an entry of a killed run", "from", from, "to", to, "error", err)
		}
	}
	os.Remove(carry)
}

// removeRunFolder deletes dir when it holds only what runs write (run files
// and their temp files), which is all a stage or a replaced run folder holds.
// Anything else is left, with a warning: a run never deletes what it did not
// write.
func removeRunFolder(dir string, log *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var kept []string
	for _, e := range entries {
		if isRunEntry(e.Name()) && !e.IsDir() {
			os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		kept = append(kept, e.Name())
	}
	if len(kept) > 0 {
		log.Warn("run folder: left a folder that holds files no run wrote", "dir", dir, "entries", kept)
		return
	}
	os.Remove(dir)
}

// abort removes the stage folder (the run failed: --out is untouched).
func (f *runFolder) abort() {
	if f == nil || f.stage == "" {
		return
	}
	os.RemoveAll(f.stage)
	f.stage = ""
}

// commit switches the stage into place as out. The foreign entries of the
// previous out (not written by runs) are moved into the stage first, then the
// two folders are exchanged in one atomic step (renameat2 RENAME_EXCHANGE on
// Linux) and the previous run's folder, now at the stage's name, is deleted.
// Before the exchange out is the previous run, after it the new one. On
// error, out is as it was (carried entries are moved back).
func (f *runFolder) commit() error {
	if f.stage == "" {
		return errors.New("run folder: committed twice")
	}
	if f.inPlace {
		return f.commitInPlace()
	}
	entries, err := os.ReadDir(f.out)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(f.stage, f.out); err != nil {
			return fmt.Errorf("moving the run into %s: %w", f.out, err)
		}
		f.stage = ""
		return nil
	}
	if err != nil {
		return err
	}
	var carried []string
	carry := filepath.Join(filepath.Dir(f.out), "."+filepath.Base(f.out)+carryMark+strconv.Itoa(os.Getpid()))
	undo := func() {
		for _, name := range slices.Backward(carried) {
			os.Rename(filepath.Join(f.stage, name), filepath.Join(f.out, name))
		}
		os.Remove(carry)
	}
	var foreign []string
	for _, e := range entries {
		if !isRunEntry(e.Name()) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		// Written (and synced) before the first move, so that a run killed
		// between the moves and the exchange has them moved back by the next.
		if err := writeSynced(carry, strings.Join(foreign, "\n")+"\n"); err != nil {
			return fmt.Errorf("moving the run into %s: %w", f.out, err)
		}
		for _, name := range foreign {
			if err := os.Rename(filepath.Join(f.out, name), filepath.Join(f.stage, name)); err != nil {
				undo()
				return fmt.Errorf("moving the run into %s: keeping %s: %w", f.out, name, err)
			}
			carried = append(carried, name)
		}
	}
	if err := exchange(f.stage, f.out); err != nil {
		undo()
		return fmt.Errorf("moving the run into %s: %w", f.out, err)
	}
	os.Remove(carry)
	old := f.stage
	f.stage = ""
	removeRunFolder(old, f.log)
	return nil
}

// commitInPlace moves the stage's files into out one by one, run.json
// last, after removing the previous run's files that the new run does not
// replace. A reader may see a mix until run.json is renamed; run.json's
// table_files tell. (Only when out is a mount point.)
func (f *runFolder) commitInPlace() error {
	news, err := os.ReadDir(f.stage)
	if err != nil {
		return err
	}
	fresh := map[string]bool{}
	for _, e := range news {
		fresh[e.Name()] = true
	}
	olds, err := os.ReadDir(f.out)
	if err != nil {
		return err
	}
	for _, e := range olds {
		if isRunEntry(e.Name()) && !e.IsDir() && !fresh[e.Name()] {
			os.Remove(filepath.Join(f.out, e.Name()))
		}
	}
	for _, e := range news {
		if e.Name() == runjson.ManifestFile {
			continue
		}
		if err := os.Rename(filepath.Join(f.stage, e.Name()), filepath.Join(f.out, e.Name())); err != nil {
			return fmt.Errorf("moving the run into %s: %w", f.out, err)
		}
	}
	if err := os.Rename(filepath.Join(f.stage, runjson.ManifestFile), filepath.Join(f.out, runjson.ManifestFile)); err != nil {
		return fmt.Errorf("moving the run into %s: %w", f.out, err)
	}
	os.Remove(f.stage)
	f.stage = ""
	return nil
}

// isMountPoint reports whether dir (existing) is on another file system
// than its parent.
func isMountPoint(dir, parent string) bool {
	a, err1 := os.Stat(dir)
	b, err2 := os.Stat(parent)
	if err1 != nil || err2 != nil {
		return false
	}
	return !sameDevice(a, b)
}

func writeSynced(path, text string) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(fh, text); err != nil {
		fh.Close()
		os.Remove(path)
		return err
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		os.Remove(path)
		return err
	}
	return fh.Close()
}

// tableFiles describes every table file in dir for run.json: its table, rows
// and sha256, so that a reader can check that run.json and the tables are of
// one run.
func tableFiles(dir string, files []string, rows map[string]int64) (map[string]runjson.TableFile, error) {
	out := map[string]runjson.TableFile{}
	for _, name := range files {
		table := strings.TrimSuffix(strings.TrimSuffix(name, ".parquet"), ".arrow")
		fh, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		n, err := io.Copy(h, bufio.NewReaderSize(fh, 1<<20))
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("hashing %s: %w", name, err)
		}
		out[name] = runjson.TableFile{Table: table, Rows: rows[table], Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	}
	return out, nil
}

// exchangeByRenames swaps a and b with two renames through a third name: b
// is absent between them.
func exchangeByRenames(a, b string) error {
	tmp := a + ".swap"
	if err := os.Rename(b, tmp); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(tmp, b)
		return err
	}
	return os.Rename(tmp, a)
}
