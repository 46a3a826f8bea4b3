package shard

import (
	"fmt"
	"path"
	"strings"
)

// Folders of a run that shards write into; everything else in a run folder is
// written by the merge (or by an unsharded run).
const (
	ManifestDir = "_shards"
	SamplesDir  = "samples"
	RejectsDir  = "rejects"
	PartialDir  = "partial"
)

// HiveDefault is the partition value Hive, Spark and DuckDB read as NULL; an
// empty family or reward is written as it.
const HiveDefault = "__HIVE_DEFAULT_PARTITION__"

// PartName is "part-I-of-N": the base name of shard s's file in a folder, with
// I zero-padded to the width of N-1 so that names sort in shard order.
func PartName(s Spec) string {
	w := len(fmt.Sprint(s.Count - 1))
	return fmt.Sprintf("part-%0*d-of-%d", w, s.Index, s.Count)
}

// PartPath is dir/part-I-of-N.ext, relative to the run folder (slashes).
func PartPath(dir string, s Spec, ext string) string {
	return path.Join(dir, PartName(s)+ext)
}

// SamplesPath is where shard s writes the samples of one family and reward,
// relative to the run folder:
//
//	samples/family=<family>/reward=<reward>/part-I-of-N.parquet
//
// which DuckDB (hive_partitioning), Spark and pyarrow/polars read as columns
// family and reward. Values are escaped as Hive escapes partition values (%XX
// for '/', '=', '%', control bytes and the other characters Hive's
// FileUtils.escapePathName lists), so any reward name maps to one folder and
// back; an empty value is HiveDefault.
func SamplesPath(family, reward string, s Spec) string {
	return path.Join(SamplesDir, "family="+HiveEscape(family), "reward="+HiveEscape(reward), PartName(s)+".parquet")
}

// ManifestPath is _shards/shard-I-of-N.json, relative to the run folder.
func ManifestPath(s Spec) string {
	return path.Join(ManifestDir, "shard"+strings.TrimPrefix(PartName(s), "part")+".json")
}

// hiveEscaped are the bytes Hive's FileUtils.escapePathName escapes besides
// control characters.
const hiveEscaped = "\"#%'*/:=?\\\x7f{[]^"

// HiveEscape escapes a partition value as Hive does; "" becomes HiveDefault.
func HiveEscape(v string) string {
	if v == "" {
		return HiveDefault
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || strings.IndexByte(hiveEscaped, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// HiveUnescape reverses HiveEscape (HiveDefault gives ""). A '%' not followed
// by two hex digits is kept as written, as Hive does.
func HiveUnescape(v string) string {
	if v == HiveDefault {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && i+2 < len(v) {
			if h, ok := unhex(v[i+1]); ok {
				if l, ok := unhex(v[i+2]); ok {
					b.WriteByte(h<<4 | l)
					i += 2
					continue
				}
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
