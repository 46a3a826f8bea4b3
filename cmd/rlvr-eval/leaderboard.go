package main

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/stages/leaderboard"
)

func init() { addCommand(newLeaderboardCmd) }

func newLeaderboardCmd() *cobra.Command {
	var history, out, title string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "leaderboard --history RUNS_DIR --out SITE_DIR",
		Short: "Publish the nightly leaderboard (HTML with charts, Parquet, JSON) from a folder of dated runs",
		Long: `leaderboard reads RUNS_DIR, a folder with one run folder per night named
YYYY-MM-DD or YYYY-MM-DDTHHMM (each written by "rlvr-eval run"), and writes into
SITE_DIR a self-contained index.html (the latest run's leaderboard table, per-family
charts of accuracy and code reasoning vs training step and pass@k curves, and what
changed since the previous night), leaderboard.parquet (one row per checkpoint) and
leaderboard.json (the same rows plus the changes). Files are replaced atomically.

RUNS_DIR and SITE_DIR may be storage URLs (s3://, gs://, azblob://, file://; the
query string is the driver's, e.g. ?endpoint=...&use_path_style=true&region=...).
In a bucket a run folder counts only once its run.json exists (a run writes it
last); its run.json and tables are copied to a temporary folder and the site is
built there. A URL SITE_DIR gets the files by atomic writes, index.html last.

A run folder with a missing or corrupt table or run.json is skipped with a warning;
it is never fatal. The exit status is 1 only when no run is usable or the site
cannot be written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if history == "" || out == "" {
				return fmt.Errorf("--history and --out are required")
			}
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelInfo
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			lb, err := leaderboard.Publish(cmd.Context(), history, out, leaderboard.Options{Title: title, Logger: log})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "leaderboard: run %s, %d checkpoint(s), %d new, %d metric(s) moved beyond their CI, %d run folder(s) skipped -> %s\n",
				lb.Latest, len(lb.Rows), len(lb.Changes.NewCheckpoints), len(lb.Changes.Moved), len(lb.Skipped), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&history, "history", "", "folder or storage URL of dated run folders (required)")
	f.StringVar(&out, "out", "", "site folder or storage URL to write index.html, leaderboard.parquet and leaderboard.json into (required)")
	f.StringVar(&title, "title", leaderboard.DefaultTitle, "page title")
	f.BoolVarP(&verbose, "verbose", "v", false, "log stage boundaries")
	return cmd
}
