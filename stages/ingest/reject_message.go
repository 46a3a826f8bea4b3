package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// rejectAt builds the reject item of an unusable record at file:line; msg says
// what was expected and what was found. Raw keeps an excerpt of raw.
func rejectAt(file string, line int64, raw []byte, msg string) Item {
	return Item{Reject: &schemas.Reject{SourceFile: file, SourceLine: line, Error: msg, Raw: RawExcerpt(raw)}}
}

// describeJSONError turns an encoding/json error into "expected X, found Y".
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return fmt.Sprintf("expected %s, found %s", goTypeName(typeErr.Type.String()), jsonKindName(typeErr.Value))
		}
		return fmt.Sprintf("field %q: expected %s, found %s", typeErr.Field, goTypeName(typeErr.Type.String()), jsonKindName(typeErr.Value))
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Sprintf("expected a JSON object, found invalid JSON (%v at byte %d)", err, syntaxErr.Offset)
	}
	return fmt.Sprintf("expected a JSON object, found %v", err)
}

// jsonKind names the kind of a raw JSON value for messages ("a JSON string",
// "null", "nothing" when absent).
func jsonKind(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" {
		return "nothing"
	}
	switch s[0] {
	case '"':
		return "a JSON string"
	case '{':
		return "a JSON object"
	case '[':
		return "a JSON array"
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "null"
	}
	return "a JSON number"
}

// jsonKindName names an encoding/json UnmarshalTypeError value kind.
func jsonKindName(v string) string {
	switch v {
	case "string", "number", "bool", "array", "object":
		return "a JSON " + v
	case "":
		return "nothing"
	}
	if strings.HasPrefix(v, "number ") {
		return "the number " + strings.TrimPrefix(v, "number ")
	}
	return v
}

// goTypeName names the Go type a field decodes into in words a user reads.
func goTypeName(t string) string {
	t = strings.TrimPrefix(t, "*")
	switch t {
	case "string":
		return "a string"
	case "int64", "int":
		return "an integer"
	case "float64":
		return "a number"
	case "bool":
		return "a boolean"
	}
	switch {
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "map"):
		return "an object"
	case strings.HasPrefix(t, "struct") || strings.Contains(t, "."):
		return "an object"
	}
	return t
}
