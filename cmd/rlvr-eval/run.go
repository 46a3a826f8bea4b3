package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

func init() { addCommand(newRunCmd) }

// configFlags are the flags that override config settings, by config key.
var configFlags = []struct {
	key, flag string
}{
	{pipeline.KeyOutputFormat, "format"},
	{pipeline.KeyWorkers, "workers"},
	{pipeline.KeyProfiles, "profiles"},
	{pipeline.KeyNoText, "no-text"},
	{pipeline.KeyMaxRejectShare, "max-reject-share"},
	{pipeline.KeyMinCoverage, "min-coverage"},
}

// loadConfigFromFlags loads --config with the override flags that were set.
func loadConfigFromFlags(cmd *cobra.Command, path string) (*pipeline.Config, error) {
	var opts []pipeline.LoadOption
	for _, cf := range configFlags {
		if f := cmd.Flags().Lookup(cf.flag); f != nil && f.Changed {
			opts = append(opts, pipeline.WithFlag(cf.key, f))
		}
	}
	return pipeline.LoadConfig(path, opts...)
}

func newRunCmd() *cobra.Command {
	var configPath, out, cache, cpuProfile, memProfile string
	var verbose, quiet bool
	var shards shardFlags
	cmd := &cobra.Command{
		Use:   "run --config eval.yaml --out DIR",
		Short: "Grade generation files and write the tables (Parquet/Arrow) and run.json",
		Long: `run reads every generation file the config lists, grades each response against
the evalset's gold answer under each extraction profile, computes the metrics and
paired comparisons, and writes samples, problems, metrics, comparisons, transitions
and rejects tables plus run.json into --out, atomically.

With --cache DIR, the grader's verdicts are kept in DIR per input file (keyed by
the file's content, its format, the grader version, the evalset and the profiles),
and a re-run grades only the files that are new or changed; the tables are
byte-identical to an uncached run's. run.json says how many files were graded
and how many came from the cache. Runs may share one cache folder.

Settings come from the config file, then RLVR_EVAL_* environment variables (e.g.
RLVR_EVAL_WORKERS, RLVR_EVAL_OUTPUT_FORMAT), then the flags below.

--cpuprofile and --memprofile write pprof profiles for 'go tool pprof' (the
heap profile is taken when the streaming stages end, the run's fullest point
besides the batches in flight; e.g. go tool pprof -sample_index=inuse_space
-top rlvr-eval mem.pprof). Peak memory stays about flat in the input size when
the config names each file's checkpoint (files are then read checkpoint by
checkpoint, and a finished checkpoint keeps only per-problem scores); the Go
runtime's GOMEMLIMIT (a soft limit, e.g. GOMEMLIMIT=512MiB) and GOGC (e.g.
GOGC=50: less memory, more CPU) environment variables tune it further.

Losses are counted in samples and problems: max_reject_share bounds the share of
samples the rejects held (a line rejected whole, e.g. truncated, counts the samples
the file's other lines hold: an estimate run.json says it made), and min_coverage
(default 1 with an evalset file) the share of its problems each checkpoint graded.

--out is one unit: the run is written into a hidden folder beside it and switched
into place at the end (one atomic exchange on Linux), so --out holds the previous
complete run until the new one is complete; entries of --out a run does not write
(the demo's corpus/, site/) are kept. A killed run's leftovers are removed by the
next run into the same place.

With --shard I/N (or as task I of a Slurm array or a Kubernetes Indexed Job),
run grades only shard I's share of the inputs (whole checkpoints, balanced by
bytes) and writes into --out its Hive-partitioned samples, its rejects, its
partial state and, last, its manifest; 'rlvr-eval merge --run DIR' then writes
the tables. See the README's "More than one machine".

Exit status: 0 when the tables are complete; 2 when they are written but incomplete
(more samples rejected than max_reject_share allows, a checkpoint below min_coverage,
or a configured baseline that is not in the run); 130 on SIGINT and 143 on SIGTERM
(nothing written: --out is unchanged, as the message says); 1 on any other error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfigFromFlags(cmd, configPath)
			if err != nil {
				return err
			}
			// On a terminal the progress bars show the stages; elsewhere (CI,
			// batch jobs) plain log lines at each stage boundary do.
			level := slog.LevelWarn
			if verbose || !pipeline.IsTerminal(os.Stderr) {
				level = slog.LevelInfo
			}
			if quiet {
				level = slog.LevelError
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			opts := pipeline.RunOptions{
				Out: out, Logger: log, Stdout: cmd.OutOrStdout(), Progress: os.Stderr, Version: version, Cache: cache,
			}
			if quiet {
				// Only the final line (below) and errors (main prints them).
				opts.Stdout, opts.Progress = nil, nil
			}
			if opts.Shard, _, err = shards.resolve(cmd); err != nil {
				return err
			}
			stop, err := startProfiles(cpuProfile, memProfile, &opts)
			if err != nil {
				return err
			}
			res, err := pipeline.Run(cmd.Context(), cfg, opts)
			if perr := stop(); perr != nil && err == nil {
				err = perr
			}
			if quiet && res != nil {
				m := res.Manifest
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d samples graded, %d rejected (%.2f%%), %d checkpoints, outcome %s\n",
					out, m.SamplesGraded, m.SamplesRejected, 100*m.RejectShare, len(m.Coverage), m.Outcome)
			}
			if err != nil && cmd.Context().Err() != nil {
				return fmt.Errorf("%w; %s", err, outState(out))
			}
			if errors.Is(err, pipeline.ErrIncomplete) {
				return &exitError{code: 2, err: err}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&configPath, "config", "eval.yaml", "the run's YAML config")
	f.StringVar(&out, "out", "out", "output folder for the tables and run.json")
	f.StringVar(&cache, "cache", "", "grading cache folder: grade only files that are new or changed since a run that used it")
	f.String("format", "parquet", "table file format: parquet, arrow or both")
	f.Int("workers", 0, "concurrent readers and grading workers (0: one per core)")
	f.String("profiles", "strict", "extraction profiles, comma-separated; the first gives the correct column")
	f.Bool("no-text", false, "drop the response text from samples (the column stays, empty)")
	f.Float64("max-reject-share", pipeline.DefaultMaxRejectShare, "fail (exit 2) when a larger share of samples is rejected")
	f.Float64("min-coverage", 1, "fail (exit 2) when a checkpoint graded a smaller share of its problems (default 1 with an evalset file, 0 without)")
	f.BoolVarP(&verbose, "verbose", "v", false, "log every stage boundary even on a terminal")
	f.BoolVarP(&quiet, "quiet", "q", false, "print only the final line and errors (no progress, logs or summary)")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (for go tool pprof)")
	shards.add(f)
	f.StringVar(&memProfile, "memprofile", "", "write a heap profile to this file when the streaming stages end (for go tool pprof)")
	return cmd
}

// outState says what --out holds after a run that wrote nothing.
func outState(out string) string {
	if m, err := pipeline.ReadManifest(out); err == nil {
		return fmt.Sprintf("%s still holds the previous run (%d samples, outcome %s), unchanged", out, m.Tables[schemas.TableSamples], m.Outcome)
	}
	return out + " was not written"
}

// startProfiles creates the profile files asked for (before the run, so a
// bad path fails at once), starts the CPU profile and hands the heap profile's
// file to the run. stop ends the CPU profile and closes both files.
func startProfiles(cpuPath, memPath string, o *pipeline.RunOptions) (stop func() error, err error) {
	var files []*os.File
	closeAll := func() error {
		var errs []error
		for _, f := range files {
			if err := f.Close(); err != nil {
				errs = append(errs, fmt.Errorf("writing profile: %w", err))
			}
		}
		return errors.Join(errs...)
	}
	if memPath != "" {
		f, err := os.Create(memPath)
		if err != nil {
			return nil, fmt.Errorf("--memprofile: %w", err)
		}
		files = append(files, f)
		o.HeapProfile = f
	}
	if cpuPath == "" {
		return closeAll, nil
	}
	f, err := os.Create(cpuPath)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	files = append(files, f)
	if err := pprof.StartCPUProfile(f); err != nil {
		closeAll()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return closeAll()
	}, nil
}
