package runjson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestWriteRead: a manifest written is read back equal, the file ends in a
// newline, and no temp file is left beside it.
func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{Tool: "rlvr-eval", ToolVersion: "1", Outcome: "ok", Config: json.RawMessage(`{"profiles":["strict","lenient"],"workers":2}`),
		Evalset: &ManifestEvalset{Name: "e", Problems: 3}, Inputs: []ManifestInput{{Path: "a.jsonl", MatchedBy: map[string]int64{"id": 2}}},
		Tables: map[string]int64{"samples": 2}, Files: []string{"samples.parquet"}, Records: 2, StageSeconds: map[string]float64{"read": 0.5}}
	if err := Write(dir, m); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), "}\n") || !strings.Contains(string(b), "\n    \"profiles\": [\n") {
		t.Errorf("run.json not indented JSON ending in a newline:\n%s", b)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The config comes back indented as written: compare it decoded.
	var gc, wc any
	json.Unmarshal(got.Config, &gc)
	json.Unmarshal(m.Config, &wc)
	if !reflect.DeepEqual(gc, wc) {
		t.Errorf("config %s, want %s", got.Config, m.Config)
	}
	got.Config, m.Config = nil, nil
	if !reflect.DeepEqual(got, m) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, m)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// TestParse: exactly one JSON object with run.json's field types; unknown
// fields are ignored; the profiles are config.profiles and only that.
func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in       string
		ok       bool
		profiles []string
	}{
		{`{"tool_version":"2","config":{"profiles":["lenient","strict"]},"future":1}`, true, []string{"lenient", "strict"}},
		{`{"profiles":["x"],"config":{"grade":{"profiles":["y"]}}}`, true, nil},
		{`{}`, true, nil},
		{`{"config":null}`, true, nil},
		{`{"tool_version":3}`, false, nil},
		{`null`, false, nil},
		{`[]`, false, nil},
		{`{} {}`, false, nil},
		{`PAR1`, false, nil},
	} {
		m, err := Parse([]byte(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("Parse(%s): err %v, want ok %v", tc.in, err, tc.ok)
			continue
		}
		if err != nil {
			continue
		}
		p, err := m.Profiles()
		if err != nil || !reflect.DeepEqual(p, tc.profiles) {
			t.Errorf("Parse(%s).Profiles() = %q, %v; want %q", tc.in, p, err, tc.profiles)
		}
	}
	m, err := Parse([]byte(`{"config":{"profiles":[{"name":"strict"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Profiles(); err == nil {
		t.Error("profiles given as objects: no error")
	}
}
