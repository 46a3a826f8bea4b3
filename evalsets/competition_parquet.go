package evalsets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/parquet-go/parquet-go"
	"github.com/sourcegraph/conc/panics"
)

// parseCompetitionParquet reads LayoutCompetition rows from a Parquet file, as
// the Hugging Face Hub stores these datasets (data/train-00000-of-00001.parquet).
// Only top-level scalar columns are read (others, such as lists, are ignored);
// each row is checked exactly as a JSONL record is, and a bad row is reported by
// its 0-based index.
func parseCompetitionParquet(src string, data []byte) (probs []Problem, err error) {
	if err := checkParquet(src, data); err != nil {
		return nil, err
	}
	r := panics.Try(func() { probs, err = readCompetitionParquet(src, data) })
	if r != nil {
		return nil, fmt.Errorf("%s: reading Parquet: %v", src, r.Value)
	}
	return probs, err
}

func readCompetitionParquet(src string, data []byte) ([]Problem, error) {
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: reading Parquet: %w", src, err)
	}
	// The column index of every top-level scalar field.
	names := map[int]string{}
	for i, path := range f.Schema().Columns() {
		if len(path) != 1 {
			continue
		}
		for _, fld := range f.Schema().Fields() {
			if fld.Name() == path[0] && fld.Leaf() && !fld.Repeated() {
				names[i] = path[0]
			}
		}
	}
	rd := parquet.NewReader(f)
	defer rd.Close()
	var out []Problem
	var bad badRecords
	index := 0
	buf := make([]parquet.Row, 64)
	for {
		n, err := rd.ReadRows(buf)
		for _, row := range buf[:n] {
			rec := map[string]json.RawMessage{}
			for _, v := range row {
				name, ok := names[v.Column()]
				if !ok {
					continue
				}
				if raw, ok := parquetValueJSON(v); ok {
					rec[name] = raw
				}
			}
			line, _ := json.Marshal(rec)
			p, le := parseCompetitionRecord(line)
			if le != nil {
				le.File, le.Row = src, index
				bad.add(le)
			} else {
				out = append(out, p)
			}
			index++
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: reading Parquet row %d: %w", src, index, err)
		}
	}
	if err := bad.err(src, "rows"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: expected at least one problem, found none", src)
	}
	return out, nil
}

// parquetValueJSON is a scalar Parquet value as JSON; false for a null or a
// value no evalset field can be (an int96 timestamp, a non-finite float).
func parquetValueJSON(v parquet.Value) (json.RawMessage, bool) {
	if v.IsNull() {
		return nil, false
	}
	var x any
	switch v.Kind() {
	case parquet.Boolean:
		x = v.Boolean()
	case parquet.Int32:
		x = v.Int32()
	case parquet.Int64:
		x = v.Int64()
	case parquet.Float:
		x = float64(v.Float())
	case parquet.Double:
		x = v.Double()
	case parquet.ByteArray, parquet.FixedLenByteArray:
		x = string(bytes.ToValidUTF8(v.ByteArray(), []byte("\ufffd")))
	default:
		return nil, false
	}
	if f, ok := x.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return nil, false
	}
	raw, err := json.Marshal(x)
	return raw, err == nil
}
