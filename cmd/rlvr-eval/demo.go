package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
	"github.com/rlvr-eval/rlvr-eval/pipeline/demo"
	"github.com/rlvr-eval/rlvr-eval/stages/leaderboard"
)

func init() { addCommand(newDemoCmd) }

// DemoRunDate is the run folder name the demo gives its run in the history
// it publishes: a fixed synthetic date, so that the site is the same bytes on
// every run (the leaderboard reads folders named YYYY-MM-DD).
const DemoRunDate = "2025-01-01"

// demoTitle labels the demo's leaderboard page as synthetic.
const demoTitle = "rlvr-eval demo leaderboard (SYNTHETIC corpus, not real model output)"

// demoOptions are the settings of one demo run.
type demoOptions struct {
	// Out is the output folder: corpus/, the tables, history/, site/, cache/.
	Out string
	// Cache is the grading cache folder; "" disables it.
	Cache string
	// Stdout gets the summary, the headline table and the site path; Stderr
	// the cache line; Progress the progress bars (nil for none).
	Stdout, Stderr, Progress io.Writer
	Log                      *slog.Logger
}

func newDemoCmd() *cobra.Command {
	var out, cache string
	var verbose, noCache bool
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the whole pipeline on a generated SYNTHETIC corpus, print the Spurious Rewards headline table and write the leaderboard site",
		Long: `demo writes a small, deterministic, clearly labelled SYNTHETIC corpus of generations
into DIR/corpus — 44 problems written for the demo, three model families (qwen2.5-math,
llama3.1, olmo2), an untrained baseline and five reward conditions (ground_truth,
one_shot, format, incorrect, random) at three training steps, 8 samples per problem —
then runs the pipeline on it exactly as "rlvr-eval run --config DIR/corpus/eval.yaml
--out DIR --cache DIR/cache" would, and prints the run summary and the headline table
of Shao et al. (2025), "Spurious Rewards": each reward condition's accuracy change
against the untrained model, with its paired 95% CI and p-value, and the
code-reasoning rate before and after.

It then publishes the run as a nightly leaderboard would: the run's tables are
linked into DIR/history/` + DemoRunDate + ` (a fixed date, so the site is the same bytes
on every run) and "rlvr-eval leaderboard --history DIR/history --out DIR/site" writes
DIR/site/index.html, leaderboard.parquet and leaderboard.json.

The responses are made up by a latent model (see pipeline/demo); the numbers show
what the pipeline measures, not how real models behave. The same command gives the
same corpus, tables and site, byte for byte, on every run; a second run takes its
verdicts from the grading cache.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelInfo
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			o := demoOptions{Out: out, Cache: cache, Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr(), Progress: os.Stderr, Log: log}
			if o.Cache == "" {
				o.Cache = filepath.Join(out, "cache")
			}
			if noCache {
				o.Cache = ""
			}
			_, err := runDemo(cmd.Context(), o)
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", filepath.Join("out", "demo"), "output folder: the corpus goes to DIR/corpus, the tables and run.json to DIR, the site to DIR/site")
	cmd.Flags().StringVar(&cache, "cache", "", "grading cache folder (default DIR/cache)")
	cmd.Flags().BoolVar(&noCache, "no-cache", false, "grade every response, without the grading cache")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "log every stage boundary")
	return cmd
}

// runDemo generates the corpus into out/corpus, runs the pipeline on it into
// out, prints the summary and the headline table, and publishes the run as a
// one-night history (out/history/DemoRunDate) into the site out/site.
func runDemo(ctx context.Context, o demoOptions) (*pipeline.Result, error) {
	stdout, stderr := o.Stdout, o.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	corpus, err := demo.Generate(filepath.Join(o.Out, "corpus"))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "Generated the SYNTHETIC demo corpus in %s: %d problems × %d checkpoints × %d samples = %d responses.\n\n",
		corpus.Dir, corpus.Problems, len(corpus.Checkpoints), corpus.SamplesPerProblem, corpus.Samples())

	cfg, err := pipeline.LoadConfig(corpus.Config)
	if err != nil {
		return nil, fmt.Errorf("demo config: %w", err)
	}
	res, err := pipeline.Run(ctx, cfg, pipeline.RunOptions{
		Out: o.Out, Logger: o.Log, Stdout: stdout, Progress: o.Progress, Version: version, Cache: o.Cache,
	})
	if err != nil {
		return res, err
	}
	if m := res.Manifest; m.Cache != nil {
		fmt.Fprintf(stderr, "grading cache %s: %d file(s) graded, %d from the cache\n", m.Cache.Dir, m.FilesGraded, m.FilesCached)
	}
	fmt.Fprintf(stdout, "\nTables and run.json written to %s.\n\n", res.Out)
	if err := demo.WriteHeadline(stdout, res.Tables.Metrics, res.Tables.Comparisons, res.Tables.Boundary); err != nil {
		return res, err
	}
	history := filepath.Join(o.Out, "history")
	if err := linkRun(res.Out, filepath.Join(history, DemoRunDate), res.Manifest.Files); err != nil {
		return res, err
	}
	site := filepath.Join(o.Out, "site")
	if _, err := leaderboard.Generate(ctx, history, site, leaderboard.Options{Title: demoTitle, Logger: o.Log}); err != nil {
		return res, fmt.Errorf("demo leaderboard: %w", err)
	}
	fmt.Fprintf(stdout, "\nLeaderboard site written to %s (open it in a browser).\n", filepath.Join(site, "index.html"))
	return res, nil
}

// linkRun lays a run folder out as a history run folder: dst is replaced by a
// folder holding the run's table files and run.json, hard-linked (copied
// where links are not possible).
func linkRun(src, dst string, files []string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, name := range append(append([]string(nil), files...), pipeline.ManifestFile) {
		from, to := filepath.Join(src, name), filepath.Join(dst, name)
		if err := os.Link(from, to); err == nil {
			continue
		}
		if err := copyRunFile(from, to); err != nil {
			return fmt.Errorf("laying out the demo history: %w", err)
		}
	}
	return nil
}

func copyRunFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
