package shard

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ManifestVersion is the version of the Manifest layout.
const ManifestVersion = 1

// Manifest is what a finished shard writes last, at ManifestPath: the marker
// the merge waits for. A shard that is killed before writing it has not
// finished, whatever part files it left; a shard that is re-run removes its
// manifest first and writes it again only after all its files are in place.
type Manifest struct {
	ManifestVersion int `json:"manifest_version"`
	Shard           int `json:"shard"`
	Count           int `json:"count"`
	// ConfigHash identifies the resolved config the shard ran (without the
	// shard index and output location); PlanHash the input list it split
	// (PlanHash). Every shard of a run has the same two values.
	ConfigHash    string `json:"config_hash"`
	PlanHash      string `json:"plan_hash"`
	ToolVersion   string `json:"tool_version"`
	GraderVersion string `json:"grader_version"`
	SchemaVersion string `json:"schema_version"`
	// Checkpoints are the checkpoint keys the shard graded, sorted.
	Checkpoints []string `json:"checkpoints"`
	// Inputs are the input files the shard read, in the order it read them.
	Inputs []ManifestInput `json:"inputs"`
	// Files are the files the shard wrote, relative to the run folder.
	Files   []ManifestFile `json:"files"`
	Records int64          `json:"records"`
	Rejects int64          `json:"rejects"`
}

// ManifestInput is one input file a shard read.
type ManifestInput struct {
	Path       string `json:"path"`
	Checkpoint string `json:"checkpoint,omitempty"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256,omitempty"`
}

// ManifestFile is one file a shard wrote.
type ManifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Spec is the shard m describes.
func (m *Manifest) Spec() Spec { return Spec{m.Shard, m.Count} }

// Found is one manifest the merge found in the run folder: Name is its path
// relative to the run folder, Manifest the decoded manifest or nil with Err
// saying why it could not be read or decoded.
type Found struct {
	Name     string
	Manifest *Manifest
	Err      error
}

// Expect is what the merge requires of every shard. Empty fields are taken
// from the shards themselves, which must then agree with each other.
type Expect struct {
	Count         int
	ConfigHash    string
	GraderVersion string
	SchemaVersion string
}

// Set is a run's complete set of shards, ordered by index.
type Set struct {
	Count     int
	Manifests []*Manifest
}

// Check is the merge's gate. found are the manifests under ManifestDir; files
// maps every file of the run folder (path relative to it, slashes) to its
// size. It returns the complete set, or a *CheckError listing every problem,
// each naming the shard or the file:
//
//   - a shard with no manifest (missing), or one whose manifest cannot be
//     read, has a name that disagrees with its content, or appears twice;
//   - a manifest of another shard count than the run's, or whose config hash,
//     plan hash, grader, schema or manifest version differs from the others'
//     (or from expect);
//   - a checkpoint graded by two shards;
//   - a file a manifest lists that is absent or of another size (a shard
//     killed while re-running);
//   - a file under samples/, rejects/ or partial/ that no manifest lists (a
//     part of an earlier run with another shard count, which readers of
//     samples/**/*.parquet would count twice).
func Check(found []Found, files map[string]int64, expect Expect) (*Set, error) {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	var ms []*Manifest
	for _, f := range found {
		switch {
		case f.Err != nil:
			bad("%s: unreadable manifest: %v", f.Name, f.Err)
		case f.Manifest == nil:
			bad("%s: unreadable manifest: empty", f.Name)
		case f.Manifest.Count < 1 || f.Manifest.Shard < 0 || f.Manifest.Shard >= f.Manifest.Count:
			bad("%s: expected shard I/N with 0 <= I < N, found %d/%d", f.Name, f.Manifest.Shard, f.Manifest.Count)
		case ManifestPath(f.Manifest.Spec()) != f.Name:
			bad("%s: holds the manifest of shard %s (expected at %s)", f.Name, f.Manifest.Spec(), ManifestPath(f.Manifest.Spec()))
		default:
			ms = append(ms, f.Manifest)
		}
	}
	count := expect.Count
	if count == 0 {
		counts := map[int]int{}
		for _, m := range ms {
			counts[m.Count]++
		}
		if len(counts) == 1 {
			count = ms[0].Count
		} else if len(counts) > 1 {
			var cs []string
			for _, m := range ms {
				cs = append(cs, ManifestPath(m.Spec()))
			}
			slices.Sort(cs)
			bad("manifests of different shard counts (%s): pass the run's shard count", strings.Join(cs, ", "))
		}
	}
	if count == 0 {
		if len(probs) == 0 {
			bad("no shard manifest in %s/", ManifestDir)
		}
		return nil, &CheckError{Problems: probs}
	}
	var keep []*Manifest
	for _, m := range ms {
		if m.Count != count {
			bad("shard %s: from a run of %d shards, expected %d (delete %s)", m.Spec(), m.Count, count, ManifestPath(m.Spec()))
			continue
		}
		keep = append(keep, m)
	}
	slices.SortFunc(keep, func(a, b *Manifest) int { return cmp.Compare(a.Shard, b.Shard) })
	// The reference for fields expect leaves open: the lowest shard.
	want := expect
	if len(keep) > 0 {
		ref := keep[0]
		want.ConfigHash = cmp.Or(want.ConfigHash, ref.ConfigHash)
		want.GraderVersion = cmp.Or(want.GraderVersion, ref.GraderVersion)
		want.SchemaVersion = cmp.Or(want.SchemaVersion, ref.SchemaVersion)
	}
	plan := ""
	if len(keep) > 0 {
		plan = keep[0].PlanHash
	}
	byShard := make([]*Manifest, count)
	owner := map[string]int{}
	listed := map[string]bool{}
	for _, m := range keep {
		s := m.Spec()
		if byShard[m.Shard] != nil {
			bad("shard %s: two manifests", s)
			continue
		}
		byShard[m.Shard] = m
		mism := func(what, found, want string) {
			bad("shard %s: %s %s, expected %s (from %s)", s, what, orNone(found), orNone(want), refName(expect, what, keep[0]))
		}
		if m.ManifestVersion != ManifestVersion {
			bad("shard %s: manifest version %d, expected %d", s, m.ManifestVersion, ManifestVersion)
		}
		if m.ConfigHash != want.ConfigHash {
			mism("config hash", m.ConfigHash, want.ConfigHash)
		}
		if m.GraderVersion != want.GraderVersion {
			mism("grader version", m.GraderVersion, want.GraderVersion)
		}
		if m.SchemaVersion != want.SchemaVersion {
			mism("schema version", m.SchemaVersion, want.SchemaVersion)
		}
		if m.PlanHash != plan {
			bad("shard %s: plan hash %s, expected %s (from shard %s): the tasks saw different input files; re-run every shard", s, orNone(m.PlanHash), orNone(plan), keep[0].Spec())
		}
		for _, c := range m.Checkpoints {
			if o, dup := owner[c]; dup {
				bad("shard %s: checkpoint %s also graded by shard %d/%d", s, c, o, count)
			} else {
				owner[c] = m.Shard
			}
		}
		for _, f := range m.Files {
			listed[f.Path] = true
			size, ok := files[f.Path]
			switch {
			case !ok:
				bad("shard %s: %s is missing", s, f.Path)
			case size != f.Size:
				bad("shard %s: %s has %d bytes, expected %d", s, f.Path, size, f.Size)
			}
		}
	}
	for i, m := range byShard {
		if m == nil {
			bad("shard %d/%d: missing (no %s)", i, count, ManifestPath(Spec{i, count}))
		}
	}
	var stale []string
	for p := range files {
		if listed[p] {
			continue
		}
		for _, d := range []string{SamplesDir, RejectsDir, PartialDir} {
			if strings.HasPrefix(p, d+"/") {
				stale = append(stale, p)
			}
		}
	}
	slices.Sort(stale)
	for _, p := range stale {
		bad("%s: written by no shard of this run (a leftover of an earlier run?): delete it", p)
	}
	if len(probs) > 0 {
		return nil, &CheckError{Problems: probs}
	}
	return &Set{Count: count, Manifests: byShard}, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func refName(e Expect, what string, ref *Manifest) string {
	given := map[string]string{"config hash": e.ConfigHash, "grader version": e.GraderVersion, "schema version": e.SchemaVersion}[what]
	if given != "" {
		return "the merge"
	}
	return "shard " + ref.Spec().String()
}
