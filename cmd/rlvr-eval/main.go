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

// interrupted is the cause of the context cancelled by a signal.
type interrupted struct{ sig syscall.Signal }

func (i interrupted) Error() string { return "interrupted by " + signalName(i.sig) }

// status is the conventional exit status of a process ended by the signal:
// 128 + its number (SIGINT 130, SIGTERM 143).
func (i interrupted) status() int { return 128 + int(i.sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// withSignals returns a context cancelled, with an interrupted cause, by the
// first SIGINT or SIGTERM; a second one ends the process at once.
func withSignals() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			sig, _ := s.(syscall.Signal)
			cancel(interrupted{sig})
			select {
			case s2 := <-ch:
				sig2, _ := s2.(syscall.Signal)
				fmt.Fprintf(os.Stderr, "rlvr-eval: %s again: stopping now\n", signalName(sig2))
				os.Exit(interrupted{sig2}.status())
			case <-done:
			}
		case <-done:
		}
	}()
	return ctx, func() { signal.Stop(ch); close(done); cancel(nil) }
}

func main() {
	ctx, stop := withSignals()
	err := newRootCmd().ExecuteContext(ctx)
	var sig interrupted
	gotSignal := errors.As(context.Cause(ctx), &sig)
	stop()
	switch {
	case gotSignal && err == nil:
		// The command finished before the signal took effect.
		fmt.Fprintf(os.Stderr, "rlvr-eval: %v as the command ended: its work was completed and written\n", sig)
		os.Exit(sig.status())
	case gotSignal:
		// One message: what the command wrote and did not (its error says).
		fmt.Fprintln(os.Stderr, "rlvr-eval:", err)
		os.Exit(sig.status())
	case err != nil:
		fmt.Fprintln(os.Stderr, "rlvr-eval:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}
