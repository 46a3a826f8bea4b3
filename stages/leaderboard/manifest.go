package leaderboard

import "github.com/rlvr-eval/rlvr-eval/pipeline/runjson"

// Manifest is what the leaderboard takes from a run's run.json (type
// runjson.Manifest, declared once) and publishes in leaderboard.json.
type Manifest struct {
	ToolVersion   string   `json:"tool_version,omitempty"`
	GraderVersion string   `json:"grader_version,omitempty"`
	SchemaVersion string   `json:"schema_version,omitempty"`
	Outcome       string   `json:"outcome,omitempty"`  // "ok", or why the run failed although its tables are complete
	Profiles      []string `json:"profiles,omitempty"` // extraction profiles in run order, first = headline
}

// ParseManifest decodes a run.json with runjson.Parse: exactly one JSON
// object, whose fields have run.json's types (unknown fields are ignored, so
// a manifest from a newer tool still loads). The profiles are the run
// config's (config.profiles), the one place run.json has them.
func ParseManifest(data []byte) (Manifest, error) {
	m, err := runjson.Parse(data)
	if err != nil {
		return Manifest{}, err
	}
	profiles, err := m.Profiles()
	if err != nil {
		return Manifest{}, err
	}
	return Manifest{ToolVersion: m.ToolVersion, GraderVersion: m.GraderVersion, SchemaVersion: m.SchemaVersion,
		Outcome: m.Outcome, Profiles: profiles}, nil
}
