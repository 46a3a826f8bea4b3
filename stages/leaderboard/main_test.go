package leaderboard

import (
	"os"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

// s3test.Run stops the moto_server the storage tests may have started.
func TestMain(m *testing.M) { os.Exit(s3test.Run(m)) }
