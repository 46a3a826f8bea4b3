package ingest

import (
	"context"
	"encoding/json"
)

// readJSONL streams src through ScanJSONLines: fn is called with every
// non-blank line. It returns an error only when src cannot be read, ctx is
// cancelled, or emit or fn fails.
func readJSONL(ctx context.Context, src Source, emit func(Item) error, fn func(line int64, data []byte) error) error {
	return ScanJSONLines(ctx, src.Path, src.R, emit, fn)
}

// decodeLine decodes one JSONL line into v (a pointer to a struct). It returns
// the reject of the line when it is not a JSON object of the expected shape.
func decodeLine(file string, line int64, data []byte, v any) *Item {
	if json.Valid(data) && firstNonSpace(data) != '{' {
		it := rejectAt(file, line, data, "expected a JSON object, found "+jsonKind(json.RawMessage(data)))
		return &it
	}
	if err := json.Unmarshal(data, v); err != nil {
		it := rejectAt(file, line, data, describeJSONError(err))
		return &it
	}
	return nil
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
