package pipeline

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// Input is one generation file of a run and what the config says about it.
type Input struct {
	// Path is the absolute file path.
	Path string `json:"path"`
	// Run is the index of the runs entry that matched it.
	Run int `json:"run"`
	// Format is the configured format ("" to detect).
	Format        string            `json:"format,omitempty"`
	FormatOptions map[string]string `json:"format_options,omitempty"`
	// Fields are the checkpoint fields the config (entry, template, family_of)
	// gives for the file; nil fields are open (records may fill them).
	Fields CheckpointFields `json:"fields"`
	// Baseline is the entry's baseline checkpoint id, if any.
	Baseline string `json:"baseline,omitempty"`
}

// CheckpointFields are the identity fields known for a file or record; nil is
// open.
type CheckpointFields struct {
	Family, Model, Reward *string
	Step, Seed            *int64
	// Source names where the fields come from, for conflict messages.
	Source string `json:"-"`
}

func (f CheckpointFields) has(name string) bool { return f.value(name) != "" }

func (f CheckpointFields) value(name string) string {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	i := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	switch name {
	case "family":
		return s(f.Family)
	case "model":
		return s(f.Model)
	case "reward":
		return s(f.Reward)
	case "step":
		return i(f.Step)
	case "seed":
		return i(f.Seed)
	}
	return ""
}

// Inputs returns the files the config reads, sorted by path. It is filled by
// Validate (LoadConfig validates).
func (c *Config) Inputs() []Input { return c.inputs }

// InputFormat is the format in is read with: the one its runs entry names,
// else the config's top-level format, else the one detected from the file's
// content (detected is then true). The error names the file: an unknown
// format name, a failure to read the file's head, or an *ingest.DetectError.
func (c *Config) InputFormat(in Input) (f ingest.Format, detected bool, err error) {
	name := in.Format
	if name == "" {
		name = c.Format
	}
	if name == "" {
		f, err = ingest.DetectFile(in.Path)
		return f, err == nil, err
	}
	f, ok := ingest.Lookup(name)
	if !ok {
		return f, false, fmt.Errorf("%s: unknown format %q", in.Path, name)
	}
	return f, false, nil
}

// template is a parsed runs[].template.
type template struct {
	glob   string
	re     *regexp.Regexp
	fields []string // field names in order of appearance
}

var templateFields = map[string]bool{"family": true, "model": true, "reward": true, "step": true, "seed": true}

// parseTemplate turns "gens/{model}/{reward}/step{step}/seed{seed}.jsonl" into a
// glob (each field a "*") and a regexp that captures the fields. Glob
// metacharacters (*, ?, **) may appear outside fields.
func parseTemplate(t string) (*template, error) {
	if loc, key, ok, err := urlTemplate(t); err != nil {
		return nil, err
	} else if ok {
		out, err := parseTemplate(key)
		if err != nil {
			return nil, err
		}
		out.glob = loc.WithKey(filepath.ToSlash(out.glob)).String()
		return out, nil
	}
	var glob, re strings.Builder
	re.WriteString("^")
	out := &template{}
	seen := map[string]bool{}
	s := filepath.ToSlash(t)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return nil, fmt.Errorf("a template whose { is closed by }")
			}
			name := s[i+1 : i+j]
			if !templateFields[name] {
				return nil, fmt.Errorf("fields among {family}, {model}, {reward}, {step}, {seed}, not {%s}", name)
			}
			if seen[name] {
				return nil, fmt.Errorf("each field once, not {%s} twice", name)
			}
			seen[name] = true
			out.fields = append(out.fields, name)
			glob.WriteString("*")
			if name == "step" || name == "seed" {
				re.WriteString(`(\d+)`)
			} else {
				re.WriteString(`([^/]+?)`)
			}
			i += j + 1
		case c == '*' && i+1 < len(s) && s[i+1] == '*':
			glob.WriteString("**")
			re.WriteString(`.*`)
			i += 2
		case c == '*':
			glob.WriteByte('*')
			re.WriteString(`[^/]*`)
			i++
		case c == '?':
			glob.WriteByte('?')
			re.WriteString(`[^/]`)
			i++
		default:
			glob.WriteByte(c)
			re.WriteString(regexp.QuoteMeta(string(c)))
			i++
		}
	}
	re.WriteString("$")
	if len(out.fields) == 0 {
		return nil, fmt.Errorf("a template with at least one {field}")
	}
	var err error
	if out.re, err = regexp.Compile(re.String()); err != nil {
		return nil, err
	}
	out.glob = filepath.FromSlash(glob.String())
	return out, nil
}

// fill returns base with the template's fields read from p; ok is false when p
// does not have the template's shape (e.g. "stepX" where a number is due).
func (t *template) fill(p string, base CheckpointFields) (CheckpointFields, bool, error) {
	m := t.re.FindStringSubmatch(filepath.ToSlash(templateKey(p)))
	if m == nil {
		return base, false, nil
	}
	f := base
	f.Source = base.Source + " template"
	for i, name := range t.fields {
		v := m[i+1]
		switch name {
		case "family":
			f.Family = ptr(v)
		case "model":
			f.Model = ptr(v)
		case "reward":
			f.Reward = ptr(v)
		case "step", "seed":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return base, false, fmt.Errorf("a number for {%s}, found %q", name, v)
			}
			if name == "step" {
				f.Step = ptr(n)
			} else {
				f.Seed = ptr(n)
			}
		}
	}
	return f, true, nil
}

// expandGlob returns the regular files matching pattern, sorted. Besides the
// path.Match syntax of each segment, a "**" segment matches any number of
// folders (zero included).
func expandGlob(pattern string) ([]string, error) {
	if storage.IsURL(pattern) {
		return globURL(pattern)
	}
	// The pattern's syntax is checked here so that a config error says what
	// a glob must be; the walk is storage's, the one glob of the project.
	for _, seg := range strings.Split(filepath.ToSlash(filepath.Clean(pattern)), "/") {
		if strings.ContainsAny(seg, "*?[") {
			if _, err := path.Match(seg, ""); err != nil {
				return nil, fmt.Errorf("a valid glob (%v in %q)", err, seg)
			}
		}
	}
	entries, err := storage.NewStore().Glob(context.Background(), storage.Local(pattern))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Loc.Path()
	}
	return out, nil
}
