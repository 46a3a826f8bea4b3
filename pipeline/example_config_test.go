package pipeline_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
)

// A program that builds its run in code starts from DefaultConfig, fills in the
// evalset and the runs, and lets Validate (or Run) resolve the inputs.
func ExampleDefaultConfig() {
	cfg := pipeline.DefaultConfig()
	fmt.Println(cfg.Profiles, cfg.MaxRejectShare, cfg.OutputFormat)
	// Output: [strict] 0.05 parquet
}
