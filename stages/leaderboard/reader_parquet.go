package leaderboard

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/internal/safeparquet"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// openTable opens a Parquet file with safeparquet (every size its footer and
// page headers claim checked before parquet-go allocates it, parquet-go's
// panics as errors) and checks that it has every column in required. The
// caller closes the returned *os.File.
func openTable(path string, required []string) (f *os.File, pf *parquet.File, err error) {
	f, err = os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			f, pf = nil, nil
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return f, nil, err
	}
	if st.IsDir() {
		return f, nil, errors.New("expected a Parquet file, found a folder")
	}
	pf, err = safeparquet.Open(f, st.Size(), safeparquet.DefaultLimits())
	if err != nil {
		return f, nil, fmt.Errorf("corrupt Parquet file: %v", unwrapPath(err))
	}
	var missing []string
	for _, col := range required {
		if _, ok := pf.Schema().Lookup(col); !ok {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		return f, nil, fmt.Errorf("expected columns %s, not found in the file's schema", strings.Join(missing, ", "))
	}
	return f, pf, nil
}

// checkTable validates a table without reading its rows (footer and columns).
func checkTable(path string, required []string) error {
	f, _, err := openTable(path, required)
	if err != nil {
		return err
	}
	return f.Close()
}

// readTable reads every row of a Parquet file as T, after checking its footer
// and that it has the required columns (a missing column would otherwise read
// as zero values, silently). The rows are read by write.ReadParquet: unlike
// parquet-go v0.32.0's own reader, it reads a null optional field of an
// embedded struct (Identity.Seed) as nil, not as a pointer to zero, and it
// opens the file with safeparquet too.
func readTable[T any](path string, required []string) ([]T, error) {
	if err := checkTable(path, required); err != nil {
		return nil, err
	}
	rows, err := write.ReadParquet[T](path)
	if err != nil {
		return nil, fmt.Errorf("corrupt Parquet file: %w", err)
	}
	return rows, nil
}

// columnsOf lists the top-level column names of T's Parquet schema, minus the
// optional ones (columns a writer may leave out).
func columnsOf[T any](optional ...string) []string {
	var zero T
	var out []string
	for _, fld := range parquet.SchemaOf(zero).Fields() {
		if name := fld.Name(); !slices.Contains(optional, name) {
			out = append(out, name)
		}
	}
	return out
}
