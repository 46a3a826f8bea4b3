package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// ManifestFile is the name of a run's manifest.
const ManifestFile = "run.json"

// runNameRE is the shape of a run folder name; ParseRunName also checks the date.
var runNameRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{4})?$`)

// ParseRunName returns the UTC time a run folder name stands for. Accepted
// names are "YYYY-MM-DD" and "YYYY-MM-DDTHHMM" (e.g. "2026-11-25",
// "2026-11-25T0230"); sorting such names as strings sorts them in time. Any
// other name wraps ErrBadRunName.
func ParseRunName(name string) (time.Time, error) {
	if !runNameRE.MatchString(name) {
		return time.Time{}, fmt.Errorf("%w: %q, expected YYYY-MM-DD or YYYY-MM-DDTHHMM", ErrBadRunName, name)
	}
	layout := "2006-01-02"
	if len(name) > len(layout) {
		layout = "2006-01-02T1504"
	}
	t, err := time.Parse(layout, name)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q is not a valid date: %v", ErrBadRunName, name, err)
	}
	return t.UTC(), nil
}

// Run is one loaded nightly run: the rows the leaderboard needs from it.
type Run struct {
	Name        string    // folder name, e.g. "2026-11-26"
	Time        time.Time // from the name, UTC
	Manifest    Manifest
	Metrics     []schemas.Metric
	Comparisons []schemas.Comparison
	// Boundary and BoundaryCurves are empty for runs written before those
	// tables existed.
	Boundary       []schemas.Boundary
	BoundaryCurves []schemas.BoundaryCurve
}

// RunStatus is one dated folder of the history and whether it was usable.
type RunStatus struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"` // why it was skipped
}

// History is a loaded history folder. Only the two newest usable runs are held
// in memory (Latest and Previous); older ones are validated (every table's
// footer and columns, and run.json) and listed in Runs, so memory does not grow
// with the number of nights.
type History struct {
	Runs     []RunStatus // every dated run folder, oldest first
	Latest   *Run        // newest usable run; never nil when Load succeeds
	Previous *Run        // the usable run before Latest; nil with a single usable run
	Skipped  []*RunError // broken run folders, oldest first; also logged
}

// table is one file a run folder must hold.
type table struct {
	name     string   // file name
	required []string // columns it must have
}

var (
	metricsTable = table{schemas.TableMetrics + ".parquet", columnsOf[schemas.Metric]("peer_accuracy")}
	// The comparison columns of issue 14/15 (method, q_value, pooled, ...)
	// are optional: older nights read with them null or zero.
	comparisonsTable = table{schemas.TableComparisons + ".parquet",
		columnsOf[schemas.Comparison]("method", "q_value", "pooled", "n_seeds", "seed_sd", "ci_scope")}
	// boundaryTables are read when present (runs before issue 15 lack them).
	boundaryTable       = table{schemas.TableBoundary + ".parquet", columnsOf[schemas.Boundary]()}
	boundaryCurvesTable = table{schemas.TableBoundaryCurves + ".parquet", columnsOf[schemas.BoundaryCurve]()}
	// checkedTables are validated but not read (their rows are not needed).
	checkedTables = []table{
		{schemas.TableProblems + ".parquet", columnsOf[schemas.Problem]()},
		{schemas.TableSamples + ".parquet", []string{"family", "model", "reward", "step", "checkpoint", "problem_id", "correct"}},
		{schemas.TableTransitions + ".parquet", columnsOf[schemas.Transition]()},
		{schemas.TableRejects + ".parquet", columnsOf[schemas.Reject]()},
	}
)

// Load reads a history folder: every sub-folder named like a run date (see
// ParseRunName), sorted by name. Other entries are ignored. A run folder with a
// missing or corrupt table or run.json is skipped and reported in
// History.Skipped (and logged at warn level); it is never fatal. Load fails only
// when dir cannot be listed (ErrNoHistory), ctx is cancelled, or no run is
// usable (ErrNoRuns). A nil logger discards logs.
//
// Cost: the two newest usable runs' metrics and comparisons tables are read
// whole; every other table only has its footer read.
func Load(ctx context.Context, dir string, logger *slog.Logger) (*History, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNoHistory, dir)
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrNoHistory, dir, err)
	}
	var names []string
	for _, e := range entries {
		if _, err := ParseRunName(e.Name()); err != nil {
			continue
		}
		st, err := os.Stat(filepath.Join(dir, e.Name())) // follows symlinks
		if err != nil || !st.IsDir() {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)

	h := &History{Runs: make([]RunStatus, len(names))}
	var loaded []*Run // newest first
	for i := len(names) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := names[i]
		full := len(loaded) < 2
		run, rerr := loadRun(filepath.Join(dir, name), name, full)
		h.Runs[i] = RunStatus{Name: name, OK: rerr == nil}
		if rerr != nil {
			h.Runs[i].Error = rerr.Err.Error()
			if rerr.File != "" {
				h.Runs[i].Error = rerr.File + ": " + h.Runs[i].Error
			}
			h.Skipped = append(h.Skipped, rerr)
			logger.Warn("leaderboard: skipping broken run", "run", name, "file", rerr.File, "error", rerr.Err)
			continue
		}
		if full {
			loaded = append(loaded, run)
		}
	}
	// Skipped was filled newest first.
	for i, j := 0, len(h.Skipped)-1; i < j; i, j = i+1, j-1 {
		h.Skipped[i], h.Skipped[j] = h.Skipped[j], h.Skipped[i]
	}
	if len(loaded) == 0 {
		if len(names) == 0 {
			return h, fmt.Errorf("%w: %s has no folder named YYYY-MM-DD or YYYY-MM-DDTHHMM", ErrNoRuns, dir)
		}
		return h, fmt.Errorf("%w: all %d run folders in %s are broken", ErrNoRuns, len(names), dir)
	}
	h.Latest = loaded[0]
	if len(loaded) > 1 {
		h.Previous = loaded[1]
	}
	logger.Info("leaderboard: history loaded", "dir", dir, "runs", len(names),
		"skipped", len(h.Skipped), "latest", h.Latest.Name, "duration", time.Since(start))
	return h, nil
}

// loadRun validates one run folder; with full it also reads the rows the
// leaderboard needs.
func loadRun(path, name string, full bool) (*Run, *RunError) {
	t, err := ParseRunName(name)
	if err != nil {
		return nil, &RunError{Run: name, Err: err}
	}
	run := &Run{Name: name, Time: t}
	fail := func(file string, err error) (*Run, *RunError) {
		return nil, &RunError{Run: name, File: file, Err: relativeErr(path, err)}
	}
	data, err := os.ReadFile(filepath.Join(path, ManifestFile))
	if err != nil {
		return fail(ManifestFile, err)
	}
	if run.Manifest, err = ParseManifest(data); err != nil {
		return fail(ManifestFile, err)
	}
	for _, tb := range checkedTables {
		if err := checkTable(filepath.Join(path, tb.name), tb.required); err != nil {
			// A merged sharded run keeps its samples Hive-partitioned
			// (samples/family=…/reward=…/part-I-of-N.parquet) instead.
			if parts := samplesParts(path); tb.name == schemas.TableSamples+".parquet" && errors.Is(err, fs.ErrNotExist) && len(parts) > 0 {
				if err := checkTables(parts, tb.required); err != nil {
					return fail(tb.name, err)
				}
				continue
			}
			return fail(tb.name, err)
		}
	}
	if !full {
		for _, tb := range []table{metricsTable, comparisonsTable} {
			if err := checkTable(filepath.Join(path, tb.name), tb.required); err != nil {
				return fail(tb.name, err)
			}
		}
		return run, nil
	}
	ms, err := readTable[schemas.Metric](filepath.Join(path, metricsTable.name), metricsTable.required)
	if err != nil {
		return fail(metricsTable.name, err)
	}
	if len(ms) == 0 {
		return fail(metricsTable.name, errors.New("expected metric rows, found an empty table"))
	}
	cs, err := readTable[schemas.Comparison](filepath.Join(path, comparisonsTable.name), comparisonsTable.required)
	if err != nil {
		return fail(comparisonsTable.name, err)
	}
	for i := range ms {
		m := &ms[i]
		m.Value, m.Stderr, m.CILow, m.CIHigh = finite(m.Value), finite(m.Stderr), finite(m.CILow), finite(m.CIHigh)
	}
	for i := range cs {
		c := &cs[i]
		c.BaselineValue, c.Value, c.Delta = finite(c.BaselineValue), finite(c.Value), finite(c.Delta)
		c.DeltaCILow, c.DeltaCIHigh, c.PValue = finite(c.DeltaCILow), finite(c.DeltaCIHigh), finite(c.PValue)
	}
	run.Metrics, run.Comparisons = ms, cs
	if _, err := os.Stat(filepath.Join(path, boundaryTable.name)); err == nil {
		if run.Boundary, err = readTable[schemas.Boundary](filepath.Join(path, boundaryTable.name), boundaryTable.required); err != nil {
			return fail(boundaryTable.name, err)
		}
		if run.BoundaryCurves, err = readTable[schemas.BoundaryCurve](filepath.Join(path, boundaryCurvesTable.name), boundaryCurvesTable.required); err != nil {
			return fail(boundaryCurvesTable.name, err)
		}
	}
	return run, nil
}

// finite turns NaN and ±Inf into null: they cannot be plotted or written as JSON.
func finite(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	return p
}

// relativeErr removes the run folder's path from an error's text (parquet-go
// wraps *fs.PathError deep inside its own errors); see unwrapPath.
func relativeErr(dir string, err error) error {
	err = unwrapPath(err)
	msg := err.Error()
	clean := strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

// unwrapPath drops the absolute path from *fs.PathError: RunError already names
// the run and file, and absolute paths would make the site depend on where the
// history folder lives.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return errors.New("missing file")
		}
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// samplesParts lists the Hive-partitioned samples files of a merged sharded
// run folder, sorted; none for an unsharded run.
func samplesParts(run string) []string {
	parts, _ := filepath.Glob(filepath.Join(run, schemas.TableSamples, "*=*", "*=*", "*.parquet"))
	return parts
}

// checkTables checks every file of parts as checkTable does.
func checkTables(parts []string, required []string) error {
	for _, p := range parts {
		if err := checkTable(p, required); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(filepath.Dir(filepath.Dir(p)))+"/"+filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), err)
		}
	}
	return nil
}
