package evalsets

import (
	"bytes"
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/internal/safeparquet"
)

// evalsetLimits bounds what an evalset's Parquet file may claim. An evalset is
// at most a few thousand problems; these are far above any real one and far
// below what would exhaust memory. (The file is read whole into memory, hence
// the small file size.)
func evalsetLimits() safeparquet.Limits {
	return safeparquet.Limits{
		FileBytes:      256 << 20,
		Rows:           1 << 17,
		ChunkValues:    1 << 20,
		PageBytes:      64 << 20,
		ThriftElements: 1 << 16,
	}
}

// checkParquet vets an evalset file's framing, footer and page headers before
// parquet-go reads it (safeparquet.Check).
func checkParquet(src string, data []byte) error {
	if err := safeparquet.Check(bytes.NewReader(data), int64(len(data)), evalsetLimits()); err != nil {
		return fmt.Errorf("%s: reading Parquet: %w", src, err)
	}
	return nil
}
