package pipeline

import (
	"os"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

// TestMain stops the moto_server the S3 tests may start (s3test.Run).
func TestMain(m *testing.M) { os.Exit(s3test.Run(m)) }
