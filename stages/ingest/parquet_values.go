package ingest

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Accessors over a Parquet row reconstructed into Go values by parquet-go
// (groups and maps become map[string]any, lists []any, strings string or
// []byte, numbers int32/int64/float32/float64). Each tolerates the variants seen
// in lighteval details: a column cast to str by the tool's fallback (JSON or
// Python repr text) decodes like the typed one.

// pqField walks nested groups: pqField(row, "doc", "query").
func pqField(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// pqKind names the type of a value for messages.
func pqKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string, []byte:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "a struct"
	case bool:
		return "a boolean"
	case int32, int64, int, uint32, uint64, float32, float64:
		return "a number"
	}
	return fmt.Sprintf("a %T", v)
}

func pqString(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case []byte:
		return string(s), true
	}
	return "", false
}

func pqInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	case float32:
		return pqInt(float64(n))
	case string, []byte:
		s, _ := pqString(n)
		if i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

func pqFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case bool:
		if n {
			return 1, true
		}
		return 0, true
	}
	if i, ok := pqInt(v); ok {
		return float64(i), true
	}
	return 0, false
}

// pqDecodeText turns a str-cast column back into values: JSON first, then a
// Python literal.
func pqDecodeText(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if t == "" || !strings.ContainsRune("[({", rune(t[0])) {
		return nil, false
	}
	var v any
	if json.Unmarshal([]byte(t), &v) == nil {
		return v, true
	}
	if j, err := pythonLiteralToJSON(t); err == nil && json.Unmarshal([]byte(j), &v) == nil {
		return v, true
	}
	return nil, false
}

// pqList returns a list value, decoding a str-cast list.
func pqList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case string, []byte:
		s, _ := pqString(l)
		if d, ok := pqDecodeText(s); ok {
			if l, ok := d.([]any); ok {
				return l, true
			}
		}
	}
	return nil, false
}

// pqMap returns a struct or map value, decoding a str-cast dict.
func pqMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case string, []byte:
		s, _ := pqString(m)
		if d, ok := pqDecodeText(s); ok {
			if m, ok := d.(map[string]any); ok {
				return m, true
			}
		}
	}
	return nil, false
}

// pqStrings flattens a list (or list of lists) of strings, in order. ok is false
// when v is not a list or an element is not a string.
func pqStrings(v any) (out []string, ok bool) {
	out, bad := pqStringList(v)
	return out, bad == ""
}

// pqStringList is pqStrings that says what is wrong: bad is "" when v is a
// list of strings, else a description such as "a list whose element 2 is null".
func pqStringList(v any) (out []string, bad string) {
	l, ok := pqList(v)
	if !ok {
		return nil, pqKind(v)
	}
	for i, e := range l {
		if s, ok := pqString(e); ok {
			out = append(out, s)
			continue
		}
		inner, ok := e.([]any)
		if !ok {
			return nil, fmt.Sprintf("a list whose element %d is %s", i, pqKind(e))
		}
		for j, x := range inner {
			s, ok := pqString(x)
			if !ok {
				return nil, fmt.Sprintf("a list whose element %d.%d is %s", i, j, pqKind(x))
			}
			out = append(out, s)
		}
	}
	return out, ""
}

// pqVerdict picks a per-sample correctness verdict, and the metric it is read
// from, from a metric struct/map:
// the first correctness metric (extractive_match, exact_match, quasi_exact_match,
// pass@..., maj@1, acc, em; in name order) whose value is exactly 0 or 1.
func pqVerdict(v any) (*bool, string) {
	m, ok := pqMap(v)
	if !ok {
		return nil, ""
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		if !isCorrectnessMetric(n) {
			continue
		}
		if f, ok := pqFloat(m[n]); ok && (f == 0 || f == 1) {
			b := f == 1
			return &b, n
		}
	}
	return nil, ""
}

func isCorrectnessMetric(name string) bool {
	n := strings.ToLower(name)
	for _, p := range []string{"extractive_match", "exact_match", "pass@", "maj@1"} {
		if strings.Contains(n, p) {
			return true
		}
	}
	return n == "em" || n == "acc" || strings.HasPrefix(n, "acc,") || strings.HasPrefix(n, "em,")
}
