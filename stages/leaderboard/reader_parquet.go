package leaderboard

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// readBatch is how many rows readTable asks parquet-go for at a time; reading
// in batches keeps a corrupt row count in a footer from turning into a huge
// allocation.
const readBatch = 1024

// openTable opens a Parquet file and checks that its footer parses and that it
// has every column in required. The caller closes the returned *os.File.
// parquet-go panics on some corrupt inputs; those panics come back as errors.
func openTable(path string, required []string) (f *os.File, pf *parquet.File, err error) {
	f, err = os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt Parquet file: %v", r)
		}
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
	pf, err = parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
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

// readTable reads every row of a Parquet file as T, after checking that the
// file has the required columns (parquet-go would otherwise fill a missing
// column with zero values, silently).
func readTable[T any](path string, required []string) (rows []T, err error) {
	f, pf, err := openTable(path, required)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, fmt.Errorf("corrupt Parquet file: %v", r)
		}
	}()
	r := parquet.NewGenericReader[T](pf)
	defer r.Close()
	buf := make([]T, readBatch)
	for {
		n, rerr := r.Read(buf)
		rows = append(rows, buf[:n]...)
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("reading row %d: %w", len(rows), rerr)
		}
		if n == 0 {
			return nil, fmt.Errorf("reading row %d: reader made no progress", len(rows))
		}
	}
	if int64(len(rows)) != pf.NumRows() {
		return nil, fmt.Errorf("expected %d rows (footer), read %d", pf.NumRows(), len(rows))
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
