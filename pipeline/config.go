package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// Config is a run's configuration, declared once and typed: the YAML file, with
// RLVR_EVAL_* environment variables and command-line flags overriding its
// scalar settings (in that order of precedence: flag > env > file > default).
//
// Paths in it are absolute once LoadConfig returns: relative ones resolve
// against the folder of the config file.
type Config struct {
	// Path is the config file ("" for a config built in code).
	Path string `json:"path,omitempty"`
	// Evalset names the benchmark and its local file. With a path, every
	// record's problem must be in it (by id, text or position). Without a path
	// (and a name that is not a published evalset), records must carry their own
	// gold answers ("inline" mode) and are identified by their own ids. With
	// no evalset at all, inline mode too, and each file's checkpoints take the
	// evalset name the file suggests (the lm-eval task family, the lighteval
	// task, the toolkit's data folder; else custom), said in run.json.
	Evalset EvalsetConfig `json:"evalset"`
	// Format is the input format of every run that does not name one; "" means
	// auto-detect each file.
	Format string `json:"format,omitempty"`
	// Runs lists the generation files and the checkpoint each belongs to.
	Runs []RunConfig `json:"runs"`
	// Baselines maps a checkpoint id to the checkpoint id of its baseline
	// (case-sensitive, read from the YAML directly, never through viper).
	Baselines map[string]string `json:"baselines,omitempty"`
	// Profiles are the extraction profiles to grade under; the first gives the
	// correct/extracted columns. Default [strict].
	Profiles []string `json:"profiles"`
	// Ks are the k of pass@k and maj@k; nil means powers of two up to n.
	Ks []int `json:"ks,omitempty"`
	// MaxRejectShare is the share of rejected records (rejects / (samples +
	// rejects)) above which a run fails after writing everything. Default 0.05.
	MaxRejectShare float64 `json:"max_reject_share"`
	// MinCoverage is the least share of its problems (evalset problems, or
	// the largest checkpoint's without an evalset file) every checkpoint must
	// have graded, else the run fails after writing everything; nil: 1.0 with
	// an evalset file, 0 without (see Config.Coverage).
	MinCoverage *float64 `json:"min_coverage,omitempty"`
	// Workers bounds the concurrent readers and grading workers; 0 means
	// GOMAXPROCS.
	Workers int `json:"workers"`
	// NoText drops the response text from samples (the column stays, empty).
	NoText bool `json:"no_text"`
	// OutputFormat is parquet, arrow or both.
	OutputFormat string `json:"output_format"`
	// Bootstrap and Permutations are the resample counts of the statistics
	// (0: the aggregate stage's defaults); Seed seeds them (0: default seed).
	Bootstrap    int    `json:"bootstrap"`
	Permutations int    `json:"permutations"`
	Seed         uint64 `json:"seed"`

	inputs []Input
}

// EvalsetConfig names the evalset.
type EvalsetConfig struct {
	Name string `json:"name" yaml:"name"`
	Path string `json:"path,omitempty" yaml:"path"`
}

// RunConfig is one entry of runs: which files, and which checkpoint they hold.
// Either Files (globs; "**" matches any number of folders) or Template (a path
// with {model}, {reward}, {step}, {seed}, {family} fields filled from each
// matching file's path) is set. Fields given here win; fields left open are
// filled from the template, then from FamilyOf (family by model), then from the
// records themselves (canonical inline fields).
type RunConfig struct {
	Files    StringList        `json:"files,omitempty" yaml:"files"`
	Template string            `json:"template,omitempty" yaml:"template"`
	Family   string            `json:"family,omitempty" yaml:"family"`
	Model    string            `json:"model,omitempty" yaml:"model"`
	Reward   string            `json:"reward,omitempty" yaml:"reward"`
	Step     *int64            `json:"step,omitempty" yaml:"step"`
	Seed     *int64            `json:"seed,omitempty" yaml:"seed"`
	FamilyOf map[string]string `json:"family_of,omitempty" yaml:"family_of"`
	// Format overrides detection for these files.
	Format string `json:"format,omitempty" yaml:"format"`
	// FormatOptions are passed to the format's reader (e.g. openai-batch's
	// custom_id pattern).
	FormatOptions map[string]string `json:"format_options,omitempty" yaml:"format_options"`
	// Filter picks the lm-eval filter whose rows are graded (lm-eval writes
	// one row per document and filter, e.g. strict-match and
	// flexible-extract); default the file's first. The other filters' rows
	// are counted in run.json (inputs[].skipped), never rejected. Same as
	// format_options.filter.
	Filter string `json:"filter,omitempty" yaml:"filter"`
	// Sampling picks the lighteval sampling config whose rows are graded
	// (lighteval writes one row per document and config, e.g. a greedy
	// extractive_match row and a math_pass@1:32_samples row); default the
	// file's first row's. "all" grades every config, each as its own
	// checkpoint (the config appended to the checkpoint id,
	// ".../sampling=<config>"). Same as format_options.sampling.
	Sampling string `json:"sampling,omitempty" yaml:"sampling"`
	// Baseline is the checkpoint id every checkpoint of this entry is compared
	// with (overrides the default same-model reward=none step=0 rule).
	Baseline string `json:"baseline,omitempty" yaml:"baseline"`
}

// Defaults.
const (
	DefaultMaxRejectShare = 0.05
	DefaultOutputFormat   = "parquet"
)

// DefaultProfiles returns the profile list of a config that names none (a
// new slice each call: no caller can change another's default).
func DefaultProfiles() []string { return []string{"strict"} }

// DefaultConfig returns a config with every default set (profiles, reject
// share, output format), for programs that build their run in code: fill in
// Evalset and Runs, then call Validate (Run validates too when it was not).
func DefaultConfig() *Config {
	return &Config{Profiles: DefaultProfiles(), MaxRejectShare: DefaultMaxRejectShare, OutputFormat: DefaultOutputFormat}
}

// Keys that viper resolves from file, env and flags (scalar settings). The
// env variable of a key is RLVR_EVAL_ + upper(key with "." → "_"), e.g.
// RLVR_EVAL_MAX_REJECT_SHARE, RLVR_EVAL_OUTPUT_FORMAT.
const (
	KeyEvalsetName    = "evalset.name"
	KeyEvalsetPath    = "evalset.path"
	KeyFormat         = "format"
	KeyProfiles       = "profiles"
	KeyKs             = "ks"
	KeyMaxRejectShare = "max_reject_share"
	KeyMinCoverage    = "min_coverage"
	KeyWorkers        = "workers"
	KeyNoText         = "no_text"
	KeyOutputFormat   = "output.format"
	KeyBootstrap      = "bootstrap"
	KeyPermutations   = "permutations"
	KeySeed           = "seed"
)

// EnvPrefix prefixes the environment variables that override the config.
const EnvPrefix = "RLVR_EVAL"

// LoadOption adjusts how LoadConfig resolves settings.
type LoadOption func(*loader)

type loader struct {
	flags map[string]*pflag.Flag
	sets  map[string]any
}

// WithFlag binds a command-line flag to a config key (one of the Key*
// constants): when the flag was set on the command line, its value overrides
// the env and the file.
func WithFlag(key string, f *pflag.Flag) LoadOption {
	return func(l *loader) {
		if f != nil {
			l.flags[key] = f
		}
	}
}

// WithSet overrides a config key with a value, above flags, env and file (for
// programs such as the demo command that build their run in code).
func WithSet(key string, value any) LoadOption {
	return func(l *loader) { l.sets[key] = value }
}

// fileConfig is the YAML document. Unknown keys are errors (a typo must not be
// ignored silently).
type fileConfig struct {
	Evalset        *EvalsetConfig    `yaml:"evalset"`
	Format         string            `yaml:"format"`
	Runs           []RunConfig       `yaml:"runs"`
	Baselines      map[string]string `yaml:"baselines"`
	Profiles       yaml.Node         `yaml:"profiles"`
	Ks             yaml.Node         `yaml:"ks"`
	MaxRejectShare yaml.Node         `yaml:"max_reject_share"`
	MinCoverage    yaml.Node         `yaml:"min_coverage"`
	Workers        yaml.Node         `yaml:"workers"`
	NoText         yaml.Node         `yaml:"no_text"`
	Output         *struct {
		Format string `yaml:"format"`
	} `yaml:"output"`
	Bootstrap    yaml.Node `yaml:"bootstrap"`
	Permutations yaml.Node `yaml:"permutations"`
	Seed         yaml.Node `yaml:"seed"`
}

// StringList is a list of strings that YAML may also give as one string.
type StringList []string

// UnmarshalYAML accepts a YAML string or a list of strings.
func (s *StringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

// LoadConfig reads the YAML config at path, applies RLVR_EVAL_* environment
// variables and the given options (flags, explicit settings), resolves relative
// paths against the config file's folder and validates the result (see
// Validate). Every problem found is reported at once in a *ConfigError.
func LoadConfig(path string, opts ...LoadOption) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	cfg, err := parseConfig(path, data, opts...)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+): field (\S+) not found in type \S+`)

// parseConfig decodes and resolves a config without validating it.
func parseConfig(path string, data []byte, opts ...LoadOption) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	var fc fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) {
		msg := yamlLineRE.ReplaceAllString(err.Error(), "line $1: unknown key $2")
		return nil, fmt.Errorf("config %s: %s", path, msg)
	}

	l := &loader{flags: map[string]*pflag.Flag{}, sets: map[string]any{}}
	for _, o := range opts {
		o(l)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	v.SetDefault(KeyMaxRejectShare, DefaultMaxRejectShare)
	v.SetDefault(KeyOutputFormat, DefaultOutputFormat)
	for key, f := range l.flags {
		if err := v.BindPFlag(key, f); err != nil {
			return nil, err
		}
	}
	for key, val := range l.sets {
		v.Set(key, val)
	}

	cfg := &Config{Path: abs, Baselines: fc.Baselines}
	var errs ConfigError
	cfg.Evalset.Name = v.GetString(KeyEvalsetName)
	cfg.Evalset.Path = v.GetString(KeyEvalsetPath)
	cfg.Format = v.GetString(KeyFormat)
	cfg.Profiles = listSetting(v.Get(KeyProfiles))
	for _, s := range listSetting(v.Get(KeyKs)) {
		k, err := strconv.Atoi(s)
		if err != nil {
			errs.add(KeyKs, s, "a list of positive integers")
			continue
		}
		cfg.Ks = append(cfg.Ks, k)
	}
	cfg.MaxRejectShare = floatSetting(&errs, v, KeyMaxRejectShare, "a number between 0 and 1")
	if strings.TrimSpace(v.GetString(KeyMinCoverage)) != "" {
		mc := floatSetting(&errs, v, KeyMinCoverage, "a number between 0 and 1")
		cfg.MinCoverage = &mc
	}
	cfg.Workers = intSetting(&errs, v, KeyWorkers)
	cfg.NoText = boolSetting(&errs, v, KeyNoText)
	cfg.OutputFormat = v.GetString(KeyOutputFormat)
	cfg.Bootstrap = intSetting(&errs, v, KeyBootstrap)
	cfg.Permutations = intSetting(&errs, v, KeyPermutations)
	if s := v.GetString(KeySeed); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			errs.add(KeySeed, s, "a non-negative integer")
		}
		cfg.Seed = seed
	}
	dir := filepath.Dir(abs)
	if cfg.Evalset.Path != "" {
		cfg.Evalset.Path = resolvePath(dir, cfg.Evalset.Path)
	}
	for _, r := range fc.Runs {
		rc := r
		rc.Files = nil
		for _, f := range r.Files {
			rc.Files = append(rc.Files, resolvePath(dir, f))
		}
		if rc.Template != "" {
			rc.Template = resolvePath(dir, rc.Template)
		}
		cfg.Runs = append(cfg.Runs, rc)
	}
	if len(errs.Problems) > 0 {
		return nil, &errs
	}
	return cfg, nil
}

func resolvePath(dir, p string) string {
	if storage.IsURL(p) {
		return p // a storage URL (internal/storage) is absolute
	}
	if p == "" || filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// listSetting reads a list setting given as a YAML list, or as a
// comma-separated string (env, flags).
func listSetting(v any) []string {
	var out []string
	switch x := v.(type) {
	case nil:
	case string:
		for _, s := range strings.Split(x, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case []string:
		for _, s := range x {
			out = append(out, listSetting(s)...)
		}
	case []any:
		for _, s := range x {
			out = append(out, listSetting(fmt.Sprint(s))...)
		}
	default:
		out = listSetting(fmt.Sprint(x))
	}
	return out
}

func intSetting(errs *ConfigError, v *viper.Viper, key string) int {
	s := strings.TrimSpace(v.GetString(key))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs.add(key, s, "an integer")
	}
	return n
}

func floatSetting(errs *ConfigError, v *viper.Viper, key, expected string) float64 {
	s := strings.TrimSpace(v.GetString(key))
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		errs.add(key, s, expected)
	}
	return f
}

func boolSetting(errs *ConfigError, v *viper.Viper, key string) bool {
	s := strings.TrimSpace(v.GetString(key))
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		errs.add(key, s, "true or false")
	}
	return b
}

// formatOptions are the reader options of the entry's files: format_options
// with filter: and sampling: added; a value given both ways and differently
// is a config problem.
func (r *RunConfig) formatOptions(errs *ConfigError, i int) map[string]string {
	if r.Filter == "" && r.Sampling == "" {
		return r.FormatOptions
	}
	out := make(map[string]string, len(r.FormatOptions)+2)
	for k, v := range r.FormatOptions {
		out[k] = v
	}
	for _, o := range []struct{ key, v string }{{"filter", r.Filter}, {"sampling", r.Sampling}} {
		if o.v == "" {
			continue
		}
		if prev, ok := out[o.key]; ok && prev != o.v {
			errs.add(fmt.Sprintf("runs[%d].%s", i, o.key), o.v, fmt.Sprintf("the same value as format_options.%s (%q), or one of the two", o.key, prev))
		}
		out[o.key] = o.v
	}
	return out
}
