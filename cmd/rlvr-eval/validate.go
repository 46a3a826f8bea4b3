package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { addCommand(newValidateCmd) }

func newValidateCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "validate --config eval.yaml",
		Short: "Check a config and the files it names without grading anything",
		Long: `validate loads the config (with RLVR_EVAL_* environment overrides), checks every
setting, expands the file globs and templates, and detects each file's format. It
prints the files and the checkpoint fields the config gives them, or every problem
found, and exits non-zero when there is one.`,
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
				format, detected, err := cfg.InputFormat(in)
				if err != nil {
					fmt.Fprintf(w, "ERROR %v\n", err)
					bad++
					continue
				}
				how := "configured"
				if detected {
					how = "detected"
				}
				fl := in.Fields
				fmt.Fprintf(w, "%s\t%s (%s)\tfamily=%s model=%s reward=%s step=%s seed=%s\n", in.Path, format.Name, how,
					orOpen(fl.Family), orOpen(fl.Model), orOpen(fl.Reward), orOpenInt(fl.Step), orOpenInt(fl.Seed))
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d files cannot be read", bad, len(cfg.Inputs()))
			}
			fmt.Fprintf(w, "config ok: %d files, evalset %s, profiles %v\n", len(cfg.Inputs()), cfg.Evalset.Name, cfg.Profiles)
			return nil
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "eval.yaml", "the run's YAML config")
	return cmd
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
