package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
)

func init() { addCommand(newValidateCmd) }

func newValidateCmd() *cobra.Command {
	var configPath string
	var records int
	cmd := &cobra.Command{
		Use:   "validate --config eval.yaml",
		Short: "Check a config and what run would do with the first records of every file, without grading",
		Long: `validate loads the config (with RLVR_EVAL_* environment overrides), checks every
setting, expands the file globs and templates, detects each file's format, then
reads the first --records records of every file and resolves them exactly as run
does (checkpoint from the config and the records, family_of, problem in the
evalset, duplicates). It prints per file what run would grade and reject, with
the first reasons, and the gates run would fail: max_reject_share (counted in
samples), and, when every file was read whole (--records -1), min_coverage and
the configured baselines.

Exit status: 0 when run would pass, 2 when it would fail a gate on the records
read, 1 when the config or a file cannot be used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfigFromFlags(cmd, configPath)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			var bad int
			for _, in := range cfg.Inputs() {
				// The format run would read the file with.
				if _, _, err := cfg.InputFormat(in); err != nil {
					fmt.Fprintf(w, "ERROR %v\n", err)
					bad++
				}
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d files cannot be read", bad, len(cfg.Inputs()))
			}
			rep, err := pipeline.Check(cmd.Context(), cfg, pipeline.CheckOptions{Records: records})
			if err != nil {
				return err
			}
			printCheck(w, cfg, rep)
			if len(rep.Failures) > 0 {
				return &exitError{code: 2, err: fmt.Errorf("run would fail: %d gate(s) on the records read", len(rep.Failures))}
			}
			fmt.Fprintf(w, "config ok: %d files, evalset %s, profiles %v\n", len(cfg.Inputs()), cfg.Evalset.Name, cfg.Profiles)
			return nil
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "eval.yaml", "the run's YAML config")
	cmd.Flags().IntVar(&records, "records", pipeline.DefaultCheckRecords, "records read from the start of each file (-1: the whole file)")
	return cmd
}

func printCheck(w io.Writer, cfg *pipeline.Config, rep *pipeline.CheckReport) {
	for _, f := range rep.Files {
		how := "configured"
		if f.Detected {
			how = "detected"
		}
		fl := f.Input.Fields
		fmt.Fprintf(w, "%s\t%s (%s)\tfamily=%s model=%s reward=%s step=%s seed=%s\n", f.Path, f.Format, how,
			orOpen(fl.Family), orOpen(fl.Model), orOpen(fl.Reward), orOpenInt(fl.Step), orOpenInt(fl.Seed))
		part := "whole file"
		if !f.Complete {
			part = "first records"
		}
		fmt.Fprintf(w, "  %d items read (%s): %d records would be graded, %d rejected", f.Graded+f.Rejects, part, f.Graded, f.Rejects)
		if f.SamplesRejected > 0 {
			fmt.Fprintf(w, " holding %d samples", f.SamplesRejected)
			if f.SamplesEstimated > 0 {
				fmt.Fprintf(w, " (%d estimated)", f.SamplesEstimated)
			}
		}
		fmt.Fprintln(w)
		for _, c := range f.Checkpoints {
			fmt.Fprintf(w, "  checkpoint %s\n", c)
		}
		for _, r := range f.Reasons {
			fmt.Fprintf(w, "  reject line %d: %s\n", r.SourceLine, r.Error)
		}
	}
	fmt.Fprintf(w, "%d samples would be graded, %d rejected (%.2f%%; max_reject_share %.2f%%)\n",
		rep.Graded, rep.SamplesRejected, 100*rep.RejectShare, 100*cfg.MaxRejectShare)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "FAIL: %s\n", f)
	}
}

func orOpen(s *string) string {
	if s == nil {
		return "(from records)"
	}
	return *s
}

func orOpenInt(n *int64) string {
	if n == nil {
		return "(from records)"
	}
	return fmt.Sprint(*n)
}
