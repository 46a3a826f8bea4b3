package main

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

func init() { addCommand(newGradeCmd) }

// gradeOptions are the flags of `rlvr-eval grade`.
type gradeOptions struct {
	profile  string
	workers  int
	gold     string
	response string
	answer   string
}

func newGradeCmd() *cobra.Command {
	var o gradeOptions
	cmd := &cobra.Command{
		Use:   "grade",
		Short: "Grade answers: a JSONL stream on stdin, or one verdict explained in words",
		Long: `Grade model answers against gold answers with the rules of spec/grading.md
(grader version ` + grade.Version + `).

Stream mode (no --gold): reads JSONL on stdin, one object per line,
  {"id": any, "gold": "...", "response": "..."}   a whole model output (response mode), or
  {"id": any, "gold": "...", "answer": "..."}     an already extracted answer (answer mode),
with an optional "profile": "strict"|"lenient" (default: --profile). It writes one JSONL
line per input line, in input order:
  {"id": <the input id, verbatim>, "correct": bool, "extracted": string|null,
   "extract_method": "...", "reason": "..."}
A malformed line gets a line with "correct": false, "extracted": null, "extract_method":
"none", "reason": "input_error" and "error": "line N: expected ..., found ..." (id null
when it could not be read); grading goes on. Blank lines (only whitespace) carry no
record and produce no output line; line numbers still count them. Lines may be up to
64 MiB. Work is spread over --workers goroutines; output order is input order.

Explain mode: --gold G with --response R or --answer A prints how the verdict was
reached: what was extracted and by which strategy, how both sides parsed, which rule
decided, and the verdict.`,
		Example: `  rlvr-eval grade --gold '\frac{1}{2}' --response 'so the answer is $\boxed{0.5}$'
  rlvr-eval grade --profile lenient --workers 4 < pairs.jsonl > verdicts.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := grade.ParseProfile(o.profile)
			if err != nil {
				return fmt.Errorf("--profile: %w", err)
			}
			explain := cmd.Flags().Changed("gold") || cmd.Flags().Changed("response") || cmd.Flags().Changed("answer")
			if explain {
				return runExplain(cmd, o, p)
			}
			if o.workers < 1 {
				return fmt.Errorf("--workers: expected a number of at least 1, found %d", o.workers)
			}
			cfg := streamConfig{profile: p, workers: o.workers, maxLine: defaultMaxLine}
			return gradeStream(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.profile, "profile", string(grade.Strict), `extraction profile for lines without a "profile": strict or lenient`)
	f.IntVar(&o.workers, "workers", runtime.GOMAXPROCS(0), "grading goroutines (default: all cores)")
	f.StringVar(&o.gold, "gold", "", "explain mode: the gold answer")
	f.StringVar(&o.response, "response", "", "explain mode: a whole model response (response mode)")
	f.StringVar(&o.answer, "answer", "", "explain mode: an already extracted answer (answer mode)")
	return cmd
}

// runExplain prints one verdict in words.
func runExplain(cmd *cobra.Command, o gradeOptions, p grade.Profile) error {
	fl := cmd.Flags()
	switch {
	case !fl.Changed("gold"):
		return errors.New("explain mode: expected --gold with --response or --answer, found no --gold")
	case fl.Changed("response") == fl.Changed("answer"):
		return errors.New("explain mode: expected exactly one of --response or --answer, found both or neither")
	}
	var e grade.Explanation
	if fl.Changed("response") {
		e = grade.ExplainResponse(o.gold, o.response, p)
	} else {
		e = grade.ExplainAnswer(o.gold, o.answer)
	}
	_, err := fmt.Fprint(cmd.OutOrStdout(), e.String())
	return err
}
