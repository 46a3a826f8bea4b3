package leaderboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Manifest is what the leaderboard reads from a run's run.json. The file is
// written by the pipeline; only a few fields matter here and all of them are
// optional, so a manifest from an older or newer tool still loads. The file
// must be one JSON object.
type Manifest struct {
	ToolVersion   string   `json:"tool_version,omitempty"`
	GraderVersion string   `json:"grader_version,omitempty"`
	SchemaVersion string   `json:"schema_version,omitempty"`
	Outcome       string   `json:"outcome,omitempty"`  // "ok", or why the run failed although its tables are complete
	Profiles      []string `json:"profiles,omitempty"` // extraction profiles in run order, first = headline
}

// ParseManifest decodes a run.json. It fails when the data is not exactly one
// JSON object; unknown fields are ignored. The profile list is looked up as
// "profiles" at the top level or inside "config" (or one level below it), as
// strings or as objects with a "name".
func ParseManifest(data []byte) (Manifest, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil {
		return Manifest{}, fmt.Errorf("expected a JSON object: %w", err)
	}
	if top == nil {
		return Manifest{}, fmt.Errorf("expected a JSON object, found null")
	}
	if dec.More() {
		return Manifest{}, fmt.Errorf("expected one JSON object, found more data at byte %d", dec.InputOffset())
	}
	var m Manifest
	m.ToolVersion = scalarString(top["tool_version"])
	m.GraderVersion = scalarString(top["grader_version"])
	m.SchemaVersion = scalarString(top["schema_version"])
	m.Outcome = scalarString(top["outcome"])
	m.Profiles = profileList(top["profiles"])
	if m.Profiles == nil {
		m.Profiles = findProfiles(top["config"], 2)
	}
	return m, nil
}

// scalarString renders a JSON string or number as text; anything else is "".
func scalarString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return ""
}

// findProfiles looks for a "profiles" key in obj and, up to depth levels down,
// in its object-valued fields, in sorted key order (deterministic).
func findProfiles(raw json.RawMessage, depth int) []string {
	var obj map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	keys := slices.Sorted(maps.Keys(obj))
	for _, k := range keys {
		if strings.EqualFold(k, "profiles") {
			if p := profileList(obj[k]); p != nil {
				return p
			}
		}
	}
	if depth <= 1 {
		return nil
	}
	for _, k := range keys {
		if p := findProfiles(obj[k], depth-1); p != nil {
			return p
		}
	}
	return nil
}

// profileList decodes ["strict","lenient"] or [{"name":"strict"},...].
func profileList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil && s != "" {
			out = append(out, s)
			continue
		}
		var o struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(it, &o) == nil && o.Name != "" {
			out = append(out, o.Name)
		}
	}
	return out
}
