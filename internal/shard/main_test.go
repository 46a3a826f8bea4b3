package shard

import (
	"os"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

func TestMain(m *testing.M) { os.Exit(s3test.Run(m)) }
