package write

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Format selects which files a writer produces for a table.
type Format int

const (
	// Parquet writes <table>.parquet only (the default).
	Parquet Format = iota
	// Arrow writes <table>.arrow (Arrow IPC file format) only.
	Arrow
	// Both writes <table>.parquet and <table>.arrow.
	Both
)

// ParseFormat maps the --format flag values "parquet", "arrow" and "both" to a Format.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "parquet", "":
		return Parquet, nil
	case "arrow":
		return Arrow, nil
	case "both":
		return Both, nil
	}
	return 0, fmt.Errorf("%w: format %q: expected parquet, arrow or both", ErrOptions, s)
}

func (f Format) String() string {
	switch f {
	case Parquet:
		return "parquet"
	case Arrow:
		return "arrow"
	case Both:
		return "both"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

func (f Format) parquet() bool { return f == Parquet || f == Both }
func (f Format) arrow() bool   { return f == Arrow || f == Both }

// Compression selects the codec of data pages (Parquet) and record-batch
// buffers (Arrow).
type Compression int

const (
	// Zstd is the default: zstd at its default level ("pretty fast", ≈ level 3).
	Zstd Compression = iota
	// ZstdFastest writes Parquet about 25% faster for files about 8% larger
	// (measured on real responses). Arrow files use arrow-go's one zstd
	// level either way.
	ZstdFastest
	// Uncompressed writes raw pages and buffers.
	Uncompressed
)

// Options configures the writers of one run.
type Options struct {
	// Dir is the existing output folder. Files are created there as
	// <table>.parquet / <table>.arrow through a hidden temp file.
	Dir string
	// Format selects Parquet, Arrow or Both.
	Format Format
	// NoText keeps the samples' response column but writes it as empty strings
	// (--no-text): the column set stays the same with or without text;
	// response_chars still counts the original text.
	NoText bool
	// Profiles are the run's extraction profiles after the first one, in run
	// order. The samples table gets a bool column correct_<profile> for each,
	// and every Sample must carry matching Alt verdicts. Must be empty for the
	// other tables.
	Profiles []string
	// Metadata holds extra key-value pairs for every file's metadata (Parquet
	// key-value metadata, Arrow schema metadata). Keys starting with
	// "rlvr_eval." are reserved and rejected. Written sorted by key.
	Metadata map[string]string
	// Compression is the codec (default Zstd).
	Compression Compression
	// RowGroupRows is the number of rows per Parquet row group (and per Arrow
	// record batch, up to MaxArrowBatchRows); 0 means DefaultRowGroupRows. It
	// bounds the writer's memory: one row group of compressed pages is held
	// until it is complete.
	RowGroupRows int
}

// DefaultRowGroupRows is the row-group size used when Options.RowGroupRows is 0.
const DefaultRowGroupRows = 1 << 16

// Metadata keys written to every file.
const (
	MetaSchemaVersion = "rlvr_eval.schema_version"
	MetaTable         = "rlvr_eval.table"
)

// CreatedBy is the Parquet created_by string of every file, in the
// "<application> version <version> (build <build>)" form of the Parquet spec.
// It carries the schema version and nothing that changes from run to run (no
// tool version, no build hash), so that the same rows give the same bytes.
const CreatedBy = "rlvr-eval version schema-" + schemas.Version + " (build none)"

func (o *Options) validate() error {
	if o.Dir == "" {
		return fmt.Errorf("%w: Dir is empty", ErrOptions)
	}
	if o.Format < Parquet || o.Format > Both {
		return fmt.Errorf("%w: Format %d: expected Parquet, Arrow or Both", ErrOptions, int(o.Format))
	}
	if o.Compression < Zstd || o.Compression > Uncompressed {
		return fmt.Errorf("%w: Compression %d: expected Zstd, ZstdFastest or Uncompressed", ErrOptions, int(o.Compression))
	}
	if o.RowGroupRows < 0 {
		return fmt.Errorf("%w: RowGroupRows %d: expected ≥ 0", ErrOptions, o.RowGroupRows)
	}
	for k := range o.Metadata {
		if strings.HasPrefix(k, "rlvr_eval.") {
			return fmt.Errorf("%w: Metadata key %q: the rlvr_eval. prefix is reserved", ErrOptions, k)
		}
	}
	return nil
}

func (o *Options) rowGroupRows() int {
	if o.RowGroupRows == 0 {
		return DefaultRowGroupRows
	}
	return o.RowGroupRows
}

// metadata returns the file metadata of table, sorted by key.
func (o *Options) metadata(table string) (keys, values []string) {
	m := maps.Clone(o.Metadata)
	if m == nil {
		m = map[string]string{}
	}
	m[MetaSchemaVersion] = schemas.Version
	m[MetaTable] = table
	keys = slices.Sorted(maps.Keys(m))
	values = make([]string, len(keys))
	for i, k := range keys {
		values[i] = m[k]
	}
	return keys, values
}
