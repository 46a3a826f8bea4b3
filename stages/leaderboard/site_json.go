package leaderboard

import (
	"bytes"
	"encoding/json"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// siteJSON is the document written to leaderboard.json.
type siteJSON struct {
	Version        string        `json:"leaderboard_version"`
	SchemaVersion  string        `json:"schema_version"`
	Title          string        `json:"title"`
	LatestRun      string        `json:"latest_run"`
	Profile        string        `json:"profile"`
	Subset         string        `json:"subset"`
	Manifest       Manifest      `json:"manifest"`
	Rows           []TableRow    `json:"rows"`
	SeedPooled     []PooledDelta `json:"seed_pooled"`
	SinceLastNight Changes       `json:"since_last_night"`
	Runs           []RunStatus   `json:"runs"`
}

// encodeJSON renders leaderboard.json: the rows of leaderboard.parquet, the
// "since last night" changes (all of them, not only those shown on the page)
// and the status of every run folder in the history.
func encodeJSON(lb *Leaderboard) ([]byte, error) {
	doc := siteJSON{
		Version: LeaderboardVersion, SchemaVersion: schemas.Version, Title: lb.Title,
		LatestRun: lb.Latest, Profile: lb.Profile, Subset: lb.Subset, Manifest: lb.Manifest,
		Rows: lb.TableRows(), SeedPooled: lb.Pooled, SinceLastNight: lb.Changes, Runs: lb.Runs,
	}
	if doc.SeedPooled == nil {
		doc.SeedPooled = []PooledDelta{}
	}
	if doc.Runs == nil {
		doc.Runs = []RunStatus{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
