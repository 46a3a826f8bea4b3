// Package runjson declares run.json, the manifest a run writes beside its
// tables: one type, written by the pipeline and read by the leaderboard and
// the tests. It is a leaf: it imports nothing of the project.
package runjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ManifestFile is the name of the run manifest in the output folder.
const ManifestFile = "run.json"

// Manifest is run.json: what a run read, with which versions, and what it wrote.
type Manifest struct {
	Tool          string `json:"tool"`
	ToolVersion   string `json:"tool_version"`
	GraderVersion string `json:"grader_version"`
	SchemaVersion string `json:"schema_version"`
	// Outcome is "ok", or the first gate the run failed (Failures lists
	// them all): "too_many_rejects" when the share of samples rejected
	// exceeded max_reject_share, "incomplete" when a checkpoint's coverage
	// is below min_coverage, "missing_baseline" when the config names a
	// baseline the run does not have. The tables are written either way.
	Outcome  string   `json:"outcome"`
	Failures []string `json:"failures,omitempty"`
	// Config is the run's resolved config (after env and flags), as the
	// pipeline's Config marshals it; Profiles reads its profile list.
	Config  json.RawMessage  `json:"config"`
	Evalset *ManifestEvalset `json:"evalset,omitempty"`
	// Inputs lists every input file in the order it was read.
	Inputs []ManifestInput `json:"inputs"`
	// Tables maps each table to its row count.
	Tables map[string]int64 `json:"tables"`
	// TableFiles describes each file of Files: its table, rows, size and
	// sha256. A reader checks with it that the tables beside run.json are
	// the ones this run wrote (see pipeline/doc.go, "Run folder").
	TableFiles map[string]TableFile `json:"table_files"`
	// Files lists the files written (relative to the output folder).
	Files []string `json:"files"`
	// Records and Rejects count records read and rows of rejects (a
	// rejected line of many samples is one reject).
	Records int64 `json:"records"`
	Rejects int64 `json:"rejects"`
	// SamplesGraded is the samples table's rows; SamplesRejected the samples
	// the rejects held, of which SamplesRejectedEstimated were estimated
	// (a line rejected whole: see ManifestInput.RejectedSamplesEstimate).
	SamplesGraded            int64 `json:"samples_graded"`
	SamplesRejected          int64 `json:"samples_rejected"`
	SamplesRejectedEstimated int64 `json:"samples_rejected_estimated"`
	// RejectShare is samples_rejected / (samples_graded + samples_rejected),
	// the share max_reject_share bounds.
	RejectShare    float64 `json:"reject_share"`
	MaxRejectShare float64 `json:"max_reject_share"`
	// Coverage is each checkpoint's problems graded over the problems it
	// should have; MinCoverage the least a checkpoint may have.
	Coverage    []CheckpointCoverage `json:"coverage"`
	MinCoverage float64              `json:"min_coverage"`
	// MissingBaselines lists each checkpoint compared with no baseline, and
	// why (absent when every checkpoint has one or is a baseline).
	MissingBaselines []MissingBaseline `json:"missing_baselines,omitempty"`
	// FilesGraded counts the input files with at least one record graded in
	// this run; FilesCached those whose every verdict came from the grading
	// cache (always 0 without --cache).
	FilesGraded int `json:"files_graded"`
	FilesCached int `json:"files_cached"`
	// Cache says how the grading cache was used (absent without --cache).
	Cache *ManifestCache `json:"cache,omitempty"`
	// StageSeconds is the wall time of each stage (stages overlap: they run
	// concurrently), and WallSeconds the whole run's.
	StageSeconds map[string]float64 `json:"stage_seconds"`
	WallSeconds  float64            `json:"wall_seconds"`
	Warnings     []string           `json:"warnings,omitempty"`
}

// ManifestEvalset describes the evalset a run used.
type ManifestEvalset struct {
	Name string `json:"name"`
	Path string `json:"path,omitempty"`
	// FileSHA256 is the sha256 of the file read; Published tells whether it
	// is the published file of a known evalset (its sha256 matches).
	FileSHA256 string `json:"file_sha256,omitempty"`
	Published  bool   `json:"published"`
	// ContentHash is the evalset's content hash (evalsets.Evalset.Hash).
	ContentHash string `json:"content_hash,omitempty"`
	Problems    int    `json:"problems"`
	// Inline is true when the run had no evalset file and used the gold
	// answers carried by the records.
	Inline bool `json:"inline"`
	// Why says where Name comes from: the config, or (no evalset: in the
	// config) the files, each file's name and reason in inputs[].evalset.
	Why string `json:"why,omitempty"`
}

// ManifestCache is the grading cache's part of run.json.
type ManifestCache struct {
	Dir string `json:"dir"`
	// SamplesGraded and SamplesCached split the samples table's rows by where
	// their verdicts came from.
	SamplesGraded int64 `json:"samples_graded"`
	SamplesCached int64 `json:"samples_cached"`
	// EntriesInvalid counts entries found truncated, corrupt or partial (their
	// files were regraded); EntriesWritten the entries this run wrote;
	// WriteErrors the entries it could not write (the run goes on).
	EntriesInvalid int `json:"entries_invalid"`
	EntriesWritten int `json:"entries_written"`
	WriteErrors    int `json:"write_errors"`
}

// ManifestInput is one input file.
type ManifestInput struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	// Detected is true when the format was detected, false when configured.
	Detected bool   `json:"detected"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Records  int64  `json:"records"`
	Rejects  int64  `json:"rejects"`
	// MatchedBy counts how the file's records found their problem: by "id",
	// "text", "position", or "inline" (no evalset file).
	MatchedBy map[string]int64 `json:"matched_by"`
	// RejectedSamples is the samples this file's rejects held: a record
	// rejected after reading is one sample, a line rejected whole (unreadable,
	// truncated) holds the samples the file's other lines hold, estimated as
	// RejectedSamplesEstimate says (RejectedSamplesEstimated of them).
	RejectedSamples          int64  `json:"rejected_samples"`
	RejectedSamplesEstimated int64  `json:"rejected_samples_estimated"`
	RejectedSamplesEstimate  string `json:"rejected_samples_estimate,omitempty"`
	// Cache is the file's grading-cache status with --cache: hit, miss,
	// invalid or partial (see CacheHit and the others).
	Cache string `json:"cache,omitempty"`
	// Task is the evaluation tool's task the file holds (lm-eval, lighteval).
	Task string `json:"task,omitempty"`
	// Selected names the lm-eval filter or lighteval sampling configs whose
	// rows were read.
	Selected []string `json:"selected,omitempty"`
	// Skipped lists the well-formed rows (or the whole file) not read on
	// purpose: another filter or sampling config, a results JSON. Never rejects.
	Skipped []ManifestSkip `json:"skipped,omitempty"`
	// Evalset is the evalset name the file's checkpoints got, and
	// EvalsetWhy where it comes from (the config, or the file).
	Evalset    string `json:"evalset,omitempty"`
	EvalsetWhy string `json:"evalset_why,omitempty"`
}

// ManifestSkip counts the rows of an input skipped for one reason and value.
type ManifestSkip struct {
	// Reason is "filter" (another lm-eval filter), "sampling" (another
	// lighteval sampling config) or "not-samples" (a results JSON).
	Reason    string `json:"reason"`
	Value     string `json:"value,omitempty"`
	Rows      int64  `json:"rows"`
	Responses int64  `json:"responses"`
	FirstLine int64  `json:"first_line"`
	Why       string `json:"why"`
}

// TableFile is one table file of a run.
type TableFile struct {
	Table  string `json:"table"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// CheckpointCoverage is one checkpoint's coverage: Problems graded of Of,
// the problems of the evalset (Against "evalset") or, without an evalset
// file, of the run's checkpoint with the most (Against "largest checkpoint").
type CheckpointCoverage struct {
	Checkpoint string  `json:"checkpoint"`
	Evalset    string  `json:"evalset"`
	Problems   int64   `json:"problems"`
	Of         int64   `json:"of"`
	Coverage   float64 `json:"coverage"`
	Against    string  `json:"against"`
}

// MissingBaseline is a checkpoint without a comparison, and why.
type MissingBaseline struct {
	Checkpoint string `json:"checkpoint"`
	Evalset    string `json:"evalset"`
	// Configured is the baseline the config names ("" when none: the default
	// baseline, same model with reward none and step 0, was looked for).
	Configured string `json:"configured,omitempty"`
	Reason     string `json:"reason"`
}

// Write writes m as dir/run.json atomically (temp file + rename).
func Write(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+ManifestFile+".tmp-*")
	if err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, ManifestFile)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Read reads the run.json in dir.
func Read(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	m, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}

// Parse decodes a run.json: exactly one JSON object (unknown fields are
// ignored, so that a manifest from a newer tool still loads; a field of the
// wrong type is an error).
func Parse(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var m *Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("expected a JSON object: %w", err)
	}
	if m == nil {
		return nil, errors.New("expected a JSON object, found null")
	}
	if dec.More() {
		return nil, fmt.Errorf("expected one JSON object, found more data at byte %d", dec.InputOffset())
	}
	return m, nil
}

// Profiles is the run's extraction profiles in order, the first the
// headline's (config.profiles); nil when the manifest has no config.
func (m *Manifest) Profiles() ([]string, error) {
	if len(m.Config) == 0 || string(m.Config) == "null" {
		return nil, nil
	}
	var c struct {
		Profiles []string `json:"profiles"`
	}
	if err := json.Unmarshal(m.Config, &c); err != nil {
		return nil, fmt.Errorf("config.profiles: %w", err)
	}
	return c.Profiles, nil
}
