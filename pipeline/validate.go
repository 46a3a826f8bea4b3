package pipeline

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// ConfigError lists every problem found in a config. Each names the field, the
// value found and what was expected.
type ConfigError struct {
	Problems []FieldError
}

// FieldError is one problem of a config.
type FieldError struct {
	Field    string // e.g. "runs[2].step", "max_reject_share"
	Value    string // the value found ("" when missing)
	Expected string // what was expected
}

func (e FieldError) String() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: expected %s, found nothing", e.Field, e.Expected)
	}
	return fmt.Sprintf("%s: expected %s, found %q", e.Field, e.Expected, e.Value)
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

func (e *ConfigError) add(field, value, expected string) {
	e.Problems = append(e.Problems, FieldError{Field: field, Value: value, Expected: expected})
}

// Validate checks the config before any work starts and resolves its input
// files (Inputs). It reports every problem at once in a *ConfigError. An empty
// profile list becomes DefaultProfiles(); for a config built in code, start from
// DefaultConfig to get the other defaults.
func (c *Config) Validate() error {
	var errs ConfigError
	if c.Evalset.Name == "" && c.Evalset.Path != "" {
		errs.add("evalset.name", "", "the evalset's name (e.g. math500) beside its path")
	}
	if c.Evalset.Path == "" {
		if d, known := evalsets.LookupDefinition(c.Evalset.Name); known {
			// A known evalset without a path uses the copy that
			// `rlvr-eval evalset fetch` keeps in the evalsets directory.
			if dir, err := evalsets.DefaultDir(); err == nil {
				if p := evalsets.LocalPath(dir, d); fileExists(p) {
					c.Evalset.Path = p
				}
			}
			if c.Evalset.Path == "" {
				how := fmt.Sprintf("published at %s; `rlvr-eval evalset fetch %s` keeps a copy", d.URL, d.Name)
				if d.UserSupplied() {
					how = fmt.Sprintf("%s; save it as %s in the evalsets directory", d.Origin(), d.FileName())
				}
				errs.add("evalset.path", "", fmt.Sprintf("the local file of %s (%s)", d.Name, how))
			}
		}
	} else if storage.IsURL(c.Evalset.Path) {
		if err := urlExists(c.Evalset.Path); err != nil {
			errs.add("evalset.path", c.Evalset.Path, "an existing JSONL or Parquet object ("+err.Error()+")")
		}
	} else if st, err := os.Stat(c.Evalset.Path); err != nil || st.IsDir() {
		errs.add("evalset.path", c.Evalset.Path, "an existing JSONL or Parquet file")
	}
	checkFormat(&errs, "format", c.Format)
	if len(c.Profiles) == 0 {
		c.Profiles = DefaultProfiles()
	}
	for i, p := range c.Profiles {
		if !slices.Contains(KnownProfiles(), p) {
			errs.add(fmt.Sprintf("profiles[%d]", i), p, "one of "+strings.Join(KnownProfiles(), ", "))
		} else if slices.Index(c.Profiles, p) != i {
			errs.add(fmt.Sprintf("profiles[%d]", i), p, "each profile once")
		}
	}
	for i, k := range c.Ks {
		if k < 1 {
			errs.add(fmt.Sprintf("ks[%d]", i), fmt.Sprint(k), "an integer ≥ 1")
		}
	}
	if c.MaxRejectShare < 0 || c.MaxRejectShare > 1 {
		errs.add(KeyMaxRejectShare, fmt.Sprint(c.MaxRejectShare), "a number between 0 and 1")
	}
	if mc := c.MinCoverage; mc != nil && (*mc < 0 || *mc > 1) {
		errs.add(KeyMinCoverage, fmt.Sprint(*mc), "a number between 0 and 1")
	}
	if c.Workers < 0 {
		errs.add(KeyWorkers, fmt.Sprint(c.Workers), "0 (one per core) or a positive integer")
	}
	if _, err := write.ParseFormat(c.OutputFormat); err != nil {
		errs.add(KeyOutputFormat, c.OutputFormat, "parquet, arrow or both")
	}
	if c.Bootstrap < 0 {
		errs.add(KeyBootstrap, fmt.Sprint(c.Bootstrap), "an integer ≥ 0 (0: default)")
	}
	if c.Permutations < 0 {
		errs.add(KeyPermutations, fmt.Sprint(c.Permutations), "an integer ≥ 0 (0: default)")
	}
	for _, k := range sortedKeys(c.Baselines) {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(c.Baselines[k]) == "" {
			errs.add("baselines", k+": "+c.Baselines[k], "checkpoint id: baseline checkpoint id, both non-empty")
		}
	}
	if len(c.Runs) == 0 {
		errs.add("runs", "", "at least one entry with files or template")
	}
	c.inputs = nil
	owner := map[string]int{}
	for i := range c.Runs {
		ins := c.Runs[i].validate(&errs, i)
		for _, in := range ins {
			if j, dup := owner[in.Path]; dup {
				errs.add(fmt.Sprintf("runs[%d]", i), in.Path, fmt.Sprintf("each file in one entry only (runs[%d] matches it too)", j))
				continue
			}
			owner[in.Path] = i
			c.inputs = append(c.inputs, in)
		}
	}
	if len(errs.Problems) > 0 {
		return &errs
	}
	sort.SliceStable(c.inputs, func(i, j int) bool { return c.inputs[i].Path < c.inputs[j].Path })
	return nil
}

// Coverage is the min_coverage the run applies: the configured one, else 1.0
// with an evalset file (every problem graded) and 0 without.
func (c *Config) Coverage() float64 {
	switch {
	case c.MinCoverage != nil:
		return *c.MinCoverage
	case c.Evalset.Path != "":
		return 1
	}
	return 0
}

// KnownProfiles lists the extraction profiles a config may name.
func KnownProfiles() []string { return []string{string(grade.Strict), string(grade.Lenient)} }

func checkFormat(errs *ConfigError, field, name string) {
	if name == "" {
		return
	}
	if _, ok := ingest.Lookup(name); !ok {
		var names []string
		for _, f := range ingest.Formats() {
			names = append(names, f.Name)
		}
		sort.Strings(names)
		errs.add(field, name, "one of "+strings.Join(names, ", ")+" (or nothing to detect it)")
	}
}

func (r *RunConfig) validate(errs *ConfigError, i int) []Input {
	field := func(s string) string { return fmt.Sprintf("runs[%d].%s", i, s) }
	checkFormat(errs, field("format"), r.Format)
	if r.Step != nil && *r.Step < 0 {
		errs.add(field("step"), fmt.Sprint(*r.Step), "an integer ≥ 0")
	}
	for _, m := range sortedKeys(r.FamilyOf) {
		if m == "" || r.FamilyOf[m] == "" {
			errs.add(field("family_of"), m+": "+r.FamilyOf[m], "model: family, both non-empty")
		}
	}
	base := CheckpointFields{Source: fmt.Sprintf("config runs[%d]", i)}
	if r.Family != "" {
		base.Family = ptr(r.Family)
	}
	if r.Model != "" {
		base.Model = ptr(r.Model)
	}
	if r.Reward != "" {
		base.Reward = ptr(r.Reward)
	}
	base.Step, base.Seed = r.Step, r.Seed
	opts := r.formatOptions(errs, i)
	mk := func(path string, f CheckpointFields) Input {
		if f.Family == nil && f.Model != nil {
			if fam, ok := r.FamilyOf[*f.Model]; ok {
				f.Family = ptr(fam)
			}
		}
		return Input{Path: path, Run: i, Format: r.Format, FormatOptions: opts, Fields: f, Baseline: r.Baseline}
	}
	var out []Input
	switch {
	case len(r.Files) > 0 && r.Template != "":
		errs.add(field("template"), r.Template, "either files or template, not both")
	case len(r.Files) == 0 && r.Template == "":
		errs.add(field("files"), "", "a glob of generation files (or a template)")
	case r.Template != "":
		t, err := parseTemplate(r.Template)
		if err != nil {
			errs.add(field("template"), r.Template, err.Error())
			return nil
		}
		for _, name := range t.fields {
			if base.has(name) {
				errs.add(field(name), base.value(name), fmt.Sprintf("no %s: the template fills {%s} from the path", name, name))
			}
		}
		paths, err := expandGlob(t.glob)
		if err != nil {
			errs.add(field("template"), r.Template, err.Error())
			return nil
		}
		if len(paths) == 0 {
			errs.add(field("template"), r.Template, "a template that matches at least one file")
		}
		for _, p := range paths {
			f, ok, err := t.fill(p, base)
			if err != nil {
				errs.add(field("template"), p, err.Error())
				continue
			}
			if ok {
				out = append(out, mk(p, f))
			}
		}
		if len(paths) > 0 && len(out) == 0 {
			errs.add(field("template"), r.Template, "a template whose fields match the paths of its files")
		}
	default:
		for j, g := range r.Files {
			paths, err := expandGlob(g)
			if err != nil {
				errs.add(fmt.Sprintf("runs[%d].files[%d]", i, j), g, err.Error())
				continue
			}
			if len(paths) == 0 {
				errs.add(fmt.Sprintf("runs[%d].files[%d]", i, j), g, "a glob that matches at least one file")
			}
			for _, p := range paths {
				out = append(out, mk(p, base))
			}
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fileExists reports whether path names an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
