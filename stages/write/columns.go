package write

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Row is the set of row types this package writes: one per table of ../shared/spec/tables.md.
type Row interface {
	schemas.Sample | schemas.Problem | schemas.Metric | schemas.Comparison | schemas.Transition | schemas.Reject |
		schemas.Boundary | schemas.BoundaryCurve | schemas.ProblemMove
}

// TableName returns the table (file stem) that rows of type T belong to:
// "samples" for schemas.Sample, "problems" for schemas.Problem, and so on.
func TableName[T Row]() string {
	var zero T
	switch any(zero).(type) {
	case schemas.Sample:
		return schemas.TableSamples
	case schemas.Problem:
		return schemas.TableProblems
	case schemas.Metric:
		return schemas.TableMetrics
	case schemas.Comparison:
		return schemas.TableComparisons
	case schemas.Transition:
		return schemas.TableTransitions
	case schemas.Boundary:
		return schemas.TableBoundary
	case schemas.BoundaryCurve:
		return schemas.TableBoundaryCurves
	case schemas.ProblemMove:
		return schemas.TableProblemMoves
	default:
		return schemas.TableRejects
	}
}

// kind is the physical kind of a column's Go value.
type kind uint8

const (
	kindString kind = iota
	kindInt64
	kindFloat64
	kindBool
)

// column describes one leaf column of a table: its name, its value kind, whether
// it is nullable (a pointer field), whether it is dictionary-encoded, and where its
// value lives in the row struct. Columns are read through byte offsets so that
// building a row costs no reflection per value.
type column struct {
	name     string
	kind     kind
	optional bool
	dict     bool
	offset   uintptr // offset of the field in the row struct
	alt      int     // ≥ 0: the value is Sample.Alt[alt].Correct (offset unused)
	text     bool    // the response column, emptied under NoText
}

// columnsOf lists the parquet columns of struct type t in field order, flattening
// embedded structs (Identity) and skipping fields tagged `parquet:"-"`.
// It returns an error for a field type it does not know.
func columnsOf(t reflect.Type, base uintptr) ([]column, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("type %s is not a struct", t)
	}
	var cols []column
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("parquet")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			sub, err := columnsOf(f.Type, base+f.Offset)
			if err != nil {
				return nil, err
			}
			cols = append(cols, sub...)
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		c := column{name: name, offset: base + f.Offset, alt: -1, text: name == "response"}
		optionalTag := false
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "dict":
				c.dict = true
			case "optional":
				optionalTag = true
			}
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			c.optional = true
			ft = ft.Elem()
		} else if optionalTag {
			return nil, fmt.Errorf("field %s.%s is tagged optional but is not a pointer", t.Name(), f.Name)
		}
		switch ft.Kind() {
		case reflect.String:
			c.kind = kindString
		case reflect.Int64:
			c.kind = kindInt64
		case reflect.Float64:
			c.kind = kindFloat64
		case reflect.Bool:
			c.kind = kindBool
		default:
			return nil, fmt.Errorf("field %s.%s has type %s, expected string, int64, float64, bool or a pointer to one", t.Name(), f.Name, f.Type)
		}
		if name == "" {
			c.name = f.Name
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// layout is the column list of one table as written: the struct's columns, then
// one correct_<profile> column per extra profile (samples only).
type layout struct {
	table    string
	cols     []column
	profiles []string // extra profiles, in column order
}

// newLayout builds the layout of T's table with the given extra profiles.
func newLayout[T Row](profiles []string) (*layout, error) {
	var zero T
	table := TableName[T]()
	cols, err := columnsOf(reflect.TypeOf(zero), 0)
	if err != nil {
		return nil, err // unreachable: the Row types are all supported (tested)
	}
	if len(profiles) > 0 {
		if table != schemas.TableSamples {
			return nil, fmt.Errorf("%w: table %s has no per-profile columns, got profiles %q", ErrOptions, table, profiles)
		}
		seen := make(map[string]bool, len(cols)+len(profiles))
		for _, c := range cols {
			seen[c.name] = true
		}
		for i, p := range profiles {
			if !validProfile(p) {
				return nil, fmt.Errorf("%w: profile %q: expected a snake_case name ([a-z0-9_], starting with a letter)", ErrOptions, p)
			}
			name := "correct_" + p
			if seen[name] {
				return nil, fmt.Errorf("%w: profile %q: column %s appears twice", ErrOptions, p, name)
			}
			seen[name] = true
			cols = append(cols, column{name: name, kind: kindBool, alt: i})
		}
	}
	return &layout{table: table, cols: cols, profiles: profiles}, nil
}

func validProfile(p string) bool {
	if p == "" || p[0] < 'a' || p[0] > 'z' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// checkAlt reports an error when the sample at row has Alt verdicts that do not
// match the layout's profiles (count and order). row must point at a
// schemas.Sample.
func (l *layout) checkAlt(row unsafe.Pointer) error {
	s := (*schemas.Sample)(row)
	if len(s.Alt) != len(l.profiles) {
		return fmt.Errorf("%w: sample %s:%d has %d alternative verdicts, expected %d (profiles %q)",
			ErrAltMismatch, s.SourceFile, s.SourceLine, len(s.Alt), len(l.profiles), l.profiles)
	}
	for i, a := range s.Alt {
		if a.Profile != l.profiles[i] {
			return fmt.Errorf("%w: sample %s:%d alternative verdict %d is for profile %q, expected %q",
				ErrAltMismatch, s.SourceFile, s.SourceLine, i, a.Profile, l.profiles[i])
		}
	}
	return nil
}

// Field readers: p points at the row struct.

func strAt(p unsafe.Pointer, c *column) string     { return *(*string)(unsafe.Add(p, c.offset)) }
func i64At(p unsafe.Pointer, c *column) int64      { return *(*int64)(unsafe.Add(p, c.offset)) }
func f64At(p unsafe.Pointer, c *column) float64    { return *(*float64)(unsafe.Add(p, c.offset)) }
func boolAt(p unsafe.Pointer, c *column) bool      { return *(*bool)(unsafe.Add(p, c.offset)) }
func strPtrAt(p unsafe.Pointer, c *column) *string { return *(**string)(unsafe.Add(p, c.offset)) }
func i64PtrAt(p unsafe.Pointer, c *column) *int64  { return *(**int64)(unsafe.Add(p, c.offset)) }
func f64PtrAt(p unsafe.Pointer, c *column) *float64 {
	return *(**float64)(unsafe.Add(p, c.offset))
}
func boolPtrAt(p unsafe.Pointer, c *column) *bool { return *(**bool)(unsafe.Add(p, c.offset)) }

func altAt(p unsafe.Pointer, c *column) bool { return (*schemas.Sample)(p).Alt[c.alt].Correct }

// validUTF8 reports whether every string of the row at p is valid UTF-8 (the
// response column is skipped when skipText: it is written empty).
func (l *layout) validUTF8(p unsafe.Pointer, skipText bool) bool {
	for ci := range l.cols {
		c := &l.cols[ci]
		if c.kind != kindString || c.alt >= 0 || (c.text && skipText) {
			continue
		}
		if c.optional {
			if x := strPtrAt(p, c); x != nil && !utf8.ValidString(*x) {
				return false
			}
		} else if !utf8.ValidString(strAt(p, c)) {
			return false
		}
	}
	return true
}

// repairUTF8 replaces each invalid byte sequence of the row's strings with
// U+FFFD. p must point at the writer's own copy of the row: pointer fields get
// new pointers, the caller's strings are never touched.
func (l *layout) repairUTF8(p unsafe.Pointer) {
	for ci := range l.cols {
		c := &l.cols[ci]
		if c.kind != kindString || c.alt >= 0 {
			continue
		}
		fp := unsafe.Add(p, c.offset)
		if c.optional {
			if x := *(**string)(fp); x != nil && !utf8.ValidString(*x) {
				fixed := strings.ToValidUTF8(*x, "\uFFFD")
				*(**string)(fp) = &fixed
			}
		} else if x := *(*string)(fp); !utf8.ValidString(x) {
			*(*string)(fp) = strings.ToValidUTF8(x, "\uFFFD")
		}
	}
}
