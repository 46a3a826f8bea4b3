package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
)

// envShardCount is the shard count of a Kubernetes Indexed Job's tasks (its
// completions), when --shard-count is not given.
const envShardCount = "RLVR_EVAL_SHARD_COUNT"

// shardFlags are run's --shard and --shard-count.
type shardFlags struct {
	spec  string
	count int
}

func (sf *shardFlags) add(f *pflag.FlagSet) {
	f.StringVar(&sf.spec, "shard", "", "grade only shard I of N (0-based, e.g. 3/8) and write its part of --out; default from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX")
	f.IntVar(&sf.count, "shard-count", 0, "the run's shard count, for a scheduler's task index (also "+envShardCount+")")
}

// resolve is the shard this process runs (ok false: an unsharded run).
func (sf *shardFlags) resolve(cmd *cobra.Command) (shard.Spec, bool, error) {
	count := sf.count
	if f := cmd.Flags().Lookup("shard-count"); f == nil || !f.Changed {
		if v, ok := os.LookupEnv(envShardCount); ok && strings.TrimSpace(v) != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 {
				return shard.Spec{}, false, fmt.Errorf("%w: expected a positive number in %s, found %q", shard.ErrSpec, envShardCount, v)
			}
			count = n
		}
	}
	return shard.Resolve(sf.spec, count, os.LookupEnv)
}
