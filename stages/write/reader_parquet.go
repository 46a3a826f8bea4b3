package write

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unsafe"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/internal/safeparquet"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// ReadParquet reads every row of the Parquet file at path into a []T.
//
// T is a struct whose fields are string, int64, float64, bool or pointers to
// them, named by parquet tags, like the row types of package schemas (embedded
// structs such as schemas.Identity are flattened). Columns are matched by name:
// a column T lacks is skipped, a field the file lacks stays zero, a column whose
// type differs from its field is an error naming both. A null becomes a nil
// pointer (or the zero value for a non-pointer field). For schemas.Sample, each
// correct_<profile> column comes back as an Alt verdict with Profile and Correct
// set (the other AltVerdict fields are not stored).
//
// The file is opened with safeparquet.OpenPath, so a corrupt or hostile file is
// an error, never a panic or a huge allocation. It loads the whole table in
// memory and is safe for concurrent use. (It does
// not use parquet.ReadFile: parquet-go v0.32.0 reads a null optional field of
// an embedded struct, such as Identity.Seed, as a pointer to zero.)
func ReadParquet[T any](path string) (rows []T, err error) {
	cols, err := columnsOf(reflect.TypeFor[T](), 0)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	_, isSample := any(*new(T)).(schemas.Sample)
	err = try("reading "+path, func() error {
		rows, err = readParquet[T](path, cols, isSample)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return rows, nil
}

// target says where one file column goes: a field (col), an Alt verdict (alt ≥ 0),
// or nowhere (col == nil and alt < 0).
type target struct {
	col *column
	alt int
}

// maxPreallocRows bounds the rows readParquet allocates before it has read any.
const maxPreallocRows = 1 << 16

func readParquet[T any](path string, cols []column, isSample bool) ([]T, error) {
	f, pf, err := safeparquet.OpenPath(path, safeparquet.DefaultLimits())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byName := make(map[string]*column, len(cols))
	for i := range cols {
		byName[cols[i].name] = &cols[i]
	}
	var profiles []string
	leaves := pf.Schema().Columns()
	targets := make([]target, len(leaves))
	for i, path := range leaves {
		targets[i].alt = -1
		if len(path) != 1 {
			continue // a nested column: not one of ours
		}
		name := path[0]
		leaf, _ := pf.Schema().Lookup(path...)
		c := byName[name]
		if c == nil {
			if p, ok := strings.CutPrefix(name, "correct_"); ok && isSample && leaf.Node.Type().Kind() == parquet.Boolean {
				targets[i].alt = len(profiles)
				profiles = append(profiles, p)
			}
			continue
		}
		if want := parquetKind(c.kind); leaf.Node.Type().Kind() != want {
			return nil, fmt.Errorf("column %s is %s, expected %s", name, leaf.Node.Type().Kind(), want)
		}
		targets[i].col = c
	}

	// The footer's row count only sizes the first allocation up to
	// maxPreallocRows: a corrupt count must come back as an error, not as a
	// fatal out-of-memory that no recover catches.
	out := make([]T, 0, min(pf.NumRows(), maxPreallocRows))
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 256)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			out = append(out, *new(T))
			p := unsafe.Pointer(&out[len(out)-1])
			if len(profiles) > 0 {
				alt := make([]schemas.AltVerdict, len(profiles))
				for j, prof := range profiles {
					alt[j].Profile = prof
				}
				(*schemas.Sample)(p).Alt = alt
			}
			for _, v := range row {
				tg := targets[v.Column()]
				switch {
				case tg.col != nil:
					setField(p, tg.col, v)
				case tg.alt >= 0 && !v.IsNull():
					(*schemas.Sample)(p).Alt[tg.alt].Correct = v.Boolean()
				}
			}
		}
		if errors.Is(err, io.EOF) {
			if int64(len(out)) != pf.NumRows() {
				return nil, fmt.Errorf("expected %d rows (footer), read %d", pf.NumRows(), len(out))
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func parquetKind(k kind) parquet.Kind {
	switch k {
	case kindString:
		return parquet.ByteArray
	case kindInt64:
		return parquet.Int64
	case kindFloat64:
		return parquet.Double
	}
	return parquet.Boolean
}

// setField stores v in the field of c in the struct at p. A null leaves the
// field at its zero value.
func setField(p unsafe.Pointer, c *column, v parquet.Value) {
	if v.IsNull() {
		return
	}
	fp := unsafe.Add(p, c.offset)
	switch c.kind {
	case kindString:
		s := string(v.ByteArray())
		if c.optional {
			*(**string)(fp) = &s
		} else {
			*(*string)(fp) = s
		}
	case kindInt64:
		x := v.Int64()
		if c.optional {
			*(**int64)(fp) = &x
		} else {
			*(*int64)(fp) = x
		}
	case kindFloat64:
		x := v.Double()
		if c.optional {
			*(**float64)(fp) = &x
		} else {
			*(*float64)(fp) = x
		}
	case kindBool:
		x := v.Boolean()
		if c.optional {
			*(**bool)(fp) = &x
		} else {
			*(*bool)(fp) = x
		}
	}
}
