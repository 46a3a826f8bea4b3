package ingest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Accessors for JSON fields whose type varies between tool versions. Each returns
// an error "expected X, found Y" for a present value of an unusable type; absent
// and null values are "not set" (ok false), not errors.

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

// jsonString reads a JSON string.
func jsonString(raw json.RawMessage) (s string, ok bool, err error) {
	if isNull(raw) {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, fmt.Errorf("expected a string, found %s", jsonKind(raw))
	}
	return s, true, nil
}

// jsonText reads a string or a number (kept as written: golds and predictions
// such as 42 or 0.5 are stored as numbers by some tools).
func jsonText(raw json.RawMessage) (s string, ok bool, err error) {
	if isNull(raw) {
		return "", false, nil
	}
	t := strings.TrimSpace(string(raw))
	if t[0] == '"' {
		return jsonString(raw)
	}
	if t[0] == '-' || (t[0] >= '0' && t[0] <= '9') {
		return t, true, nil
	}
	return "", false, fmt.Errorf("expected a string or a number, found %s", jsonKind(raw))
}

// jsonInt reads an integer, written as a JSON number (42, 42.0) or as a decimal
// string ("42").
func jsonInt(raw json.RawMessage) (n int64, ok bool, err error) {
	if isNull(raw) {
		return 0, false, nil
	}
	t := strings.TrimSpace(string(raw))
	if t[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
				return n, true, nil
			}
		}
		return 0, false, fmt.Errorf("expected an integer, found the string %s", clip(t, 40))
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, true, nil
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && f == float64(int64(f)) {
		return int64(f), true, nil
	}
	return 0, false, fmt.Errorf("expected an integer, found %s %s", jsonKind(raw), clip(t, 40))
}

// jsonVerdict reads a peer's correctness verdict: a boolean, a number 0/1 (1.0
// counts), or the strings "true"/"false"/"True"/"False"/"1"/"0". Other numbers
// (an average over samples) are not a per-sample verdict: ok false, no error.
func jsonVerdict(raw json.RawMessage) (v bool, ok bool, err error) {
	if isNull(raw) {
		return false, false, nil
	}
	t := strings.TrimSpace(string(raw))
	switch t {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	if t[0] == '"' {
		var s string
		_ = json.Unmarshal(raw, &s)
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1", "yes", "correct":
			return true, true, nil
		case "false", "0", "no", "incorrect":
			return false, true, nil
		}
		return false, false, fmt.Errorf("expected a boolean verdict, found the string %s", clip(t, 40))
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil {
		switch f {
		case 1:
			return true, true, nil
		case 0:
			return false, true, nil
		}
		return false, false, nil
	}
	return false, false, fmt.Errorf("expected a boolean verdict, found %s", jsonKind(raw))
}

// clip shortens s for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func ptr[T any](v T) *T { return &v }

// jsonLevel reads a MATH difficulty level written as 3, "3" or "Level 3". A
// level it cannot read (MATH has "Level ?") is left unset: the level is
// auxiliary and the evalset's value wins anyway.
func jsonLevel(raw json.RawMessage) int64 {
	s, ok, err := jsonText(raw)
	if err != nil || !ok {
		return 0
	}
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "Level"), "level"))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > 5 {
		return 0
	}
	return n
}

// jsonSubject reads the first string among raws (subject, type, ...).
func jsonSubject(raws ...json.RawMessage) string {
	for _, r := range raws {
		if s, ok, err := jsonString(r); err == nil && ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
