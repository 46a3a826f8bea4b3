// Command rlvr-eval evaluates RL-trained checkpoints: it grades MATH-style answers,
// computes pass@k, maj@k and behaviour metrics with paired confidence intervals, and
// writes Parquet/Arrow tables and a leaderboard. The CLI is thin: every subcommand is
// wiring over the pipeline/ and stages/ packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; "dev" otherwise.
var version = "dev"

// subcommands are added by each command's file in its init function.
var subcommands []func() *cobra.Command

func addCommand(f func() *cobra.Command) { subcommands = append(subcommands, f) }

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "rlvr-eval",
		Short:         "Grade and compare RL-trained checkpoints on MATH-style benchmarks",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmds := make([]*cobra.Command, 0, len(subcommands))
	for _, f := range subcommands {
		cmds = append(cmds, f())
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name() < cmds[j].Name() })
	root.AddCommand(cmds...)
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rlvr-eval:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}
