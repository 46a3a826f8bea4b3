package main

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
	"github.com/rlvr-eval/rlvr-eval/pipeline"
)

func init() { addCommand(newMergeCmd) }

func newMergeCmd() *cobra.Command {
	var o pipeline.MergeOptions
	cmd := &cobra.Command{
		Use:   "merge --run DIR [--shard-count N] [--wait 1h]",
		Short: "Write a sharded run's tables and run.json from its shards' partial state",
		Long: `merge checks that every shard of the run in --run (a folder or a storage URL)
finished: each wrote its manifest (_shards/shard-I-of-N.json) with the same
config hash, input plan, grader and schema versions, every file it lists is
there, and no part of another run is left in samples/, rejects/ or partial/.
It then writes problems, metrics, comparisons and transitions and run.json from
the shards' partial state alone, without reading a response again: the tables
are byte-identical to those of a single run of the same config.

A missing or mismatched shard is an error that names it; nothing is written.
Re-run that shard alone (same config, same --shard I/N) and merge again.

--wait D waits up to D for every shard's manifest (needs --shard-count), for a
merge started next to its shards (a Kubernetes Job); a Slurm merge queued with
--dependency=afterok needs none.

Exit status: 0 when the tables are complete, 2 when more records were rejected
than max_reject_share allows (the tables are written anyway), 3 when the shards
cannot be merged, 1 on any other error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelInfo}))
			o.Stdout, o.Version = cmd.OutOrStdout(), version
			_, err := pipeline.Merge(cmd.Context(), o)
			var ce *shard.CheckError
			if errors.As(err, &ce) {
				return &exitError{code: 3, err: fmt.Errorf("merge refused, no table written: %w", err)}
			}
			var rs *pipeline.RejectShareError
			if errors.As(err, &rs) {
				return &exitError{code: 2, err: err}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Run, "run", "", "the run folder (path or s3://, gs://, azblob://, file:// URL) the shards wrote into")
	f.IntVar(&o.Count, "shard-count", 0, "the run's shard count (default: the count the manifests agree on)")
	f.DurationVar(&o.Wait, "wait", 0, "wait up to this long for every shard's manifest (needs --shard-count)")
	f.DurationVar(&o.Poll, "poll", 5*time.Second, "with --wait, how often to look for the manifests")
	cmd.MarkFlagRequired("run")
	return cmd
}
