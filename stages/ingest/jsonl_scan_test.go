package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// scanLines runs ScanJSONLines on in and returns the lines handed on and the
// rejects.
func scanLines(t testing.TB, in string) (lines []int64, data []string, rejs []schemas.Reject) {
	t.Helper()
	err := ScanJSONLines(context.Background(), "f.jsonl", strings.NewReader(in), func(it Item) error {
		if it.Reject == nil {
			t.Fatalf("ScanJSONLines emitted a non-reject item %+v", it)
		}
		rejs = append(rejs, *it.Reject)
		return nil
	}, func(line int64, b []byte) error {
		lines = append(lines, line)
		data = append(data, string(b))
		return nil
	})
	if err != nil {
		t.Fatalf("ScanJSONLines: %v", err)
	}
	return lines, data, rejs
}

func TestScanJSONLinesTable(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		lines       []int64
		rejectLines []int64
		rejectHas   string
	}{
		{name: "empty", in: ""},
		{name: "two lines", in: "{\"a\":1}\n{\"a\":2}\n", lines: []int64{1, 2}},
		{name: "blank lines keep the numbering", in: "\n{\"a\":1}\n  \n{\"a\":2}\n", lines: []int64{2, 4}},
		{name: "crlf", in: "{\"a\":1}\r\n{\"a\":2}\r\n", lines: []int64{1, 2}},
		{name: "complete last line without newline", in: "{\"a\":1}\n{\"a\":2}", lines: []int64{1, 2}},
		{name: "truncated last line", in: "{\"a\":1}\n{\"a\":2, \"b\": \"cut", lines: []int64{1}, rejectLines: []int64{2}, rejectHas: "truncated last line"},
		{name: "invalid middle line is handed on", in: "{\"a\":1}\nnot json\n{\"a\":3}\n", lines: []int64{1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines, _, rejs := scanLines(t, tc.in)
			if !equalInt64s(lines, tc.lines) {
				t.Errorf("lines %v, want %v", lines, tc.lines)
			}
			var rl []int64
			for _, r := range rejs {
				rl = append(rl, r.SourceLine)
				if r.SourceFile != "f.jsonl" || !strings.Contains(r.Error, tc.rejectHas) {
					t.Errorf("reject %+v", r)
				}
			}
			if !equalInt64s(rl, tc.rejectLines) {
				t.Errorf("reject lines %v, want %v", rl, tc.rejectLines)
			}
		})
	}
}

func TestScanJSONLinesLongLines(t *testing.T) {
	long := `{"r":"` + strings.Repeat("x", 300<<10) + `"}`
	lines, data, _ := scanLines(t, "{}\n"+long+"\n{}\n")
	if !equalInt64s(lines, []int64{1, 2, 3}) || len(data[1]) != len(long) {
		t.Fatalf("lines %v, len(data[1]) %d, want %d", lines, len(data[1]), len(long))
	}
	if testing.Short() {
		t.Skip("the over-limit case writes a 64 MiB line")
	}
	tooLong := `{"r":"` + strings.Repeat("y", MaxLineBytes) + `"}`
	lines, _, rejs := scanLines(t, "{}\n"+tooLong+"\n{}\n")
	if !equalInt64s(lines, []int64{1, 3}) || len(rejs) != 1 || rejs[0].SourceLine != 2 || !strings.Contains(rejs[0].Error, "longer") {
		t.Fatalf("lines %v rejects %+v", lines, rejs)
	}
	if len(rejs[0].Raw) > schemas.RawLimit {
		t.Fatalf("raw excerpt of %d bytes", len(rejs[0].Raw))
	}
}

func TestScanJSONLinesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ScanJSONLines(ctx, "f", strings.NewReader(strings.Repeat("{}\n", 2*cancelEvery)), func(Item) error { return nil }, func(int64, []byte) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestRawExcerptLimits(t *testing.T) {
	for _, in := range []string{"abc", strings.Repeat("a", 2000), strings.Repeat("a", schemas.RawLimit-1) + "é tail", "ab\xff\xfecd", strings.Repeat("\xff", 2000)} {
		got := RawExcerpt([]byte(in))
		if len(got) > schemas.RawLimit || !utf8.ValidString(got) {
			t.Errorf("RawExcerpt(%q…): %d bytes, valid %v", clip(in, 20), len(got), utf8.ValidString(got))
		}
		if len(in) <= schemas.RawLimit && utf8.ValidString(in) && got != in {
			t.Errorf("RawExcerpt changed a short valid input: %q", got)
		}
	}
}

func TestFirstKeysCutHead(t *testing.T) {
	for _, tc := range []struct {
		head string
		n    int
		want string
	}{
		{`{"idx": 1, "question": {"x": [1,2]}, "code": ["a"], "d": 4}`, 3, "idx,question,code"},
		{`{"a": 1, "b": "a very long value cut by the sniff li`, 8, "a,b"},
		{"{\n    \"avg@8\": 0.5,\n    \"metadata\": [", 8, "avg@8,metadata"},
		{`[1, 2]`, 3, ""},
		{``, 3, ""},
	} {
		if got := strings.Join(FirstKeys([]byte(tc.head), tc.n), ","); got != tc.want {
			t.Errorf("FirstKeys(%q) = %q, want %q", tc.head, got, tc.want)
		}
	}
}

func FuzzScanJSONLinesContract(f *testing.F) {
	f.Add("{\"a\":1}\n{\"a\":2}\n")
	f.Add("\n\r\n{\"a\":")
	f.Add("{}\n{\"x\":\"\xff\"}")
	f.Fuzz(func(t *testing.T, in string) {
		var last int64
		err := ScanJSONLines(context.Background(), "f", strings.NewReader(in), func(it Item) error {
			if it.Reject == nil || len(it.Reject.Raw) > schemas.RawLimit || !utf8.ValidString(it.Reject.Raw) {
				t.Fatalf("bad reject %+v", it.Reject)
			}
			return nil
		}, func(line int64, data []byte) error {
			if line <= last {
				t.Fatalf("line %d after %d", line, last)
			}
			last = line
			if strings.ContainsRune(string(data), '\n') {
				t.Fatalf("line %d holds a line break", line)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := int64(strings.Count(in, "\n") + 1); last > n {
			t.Fatalf("line %d beyond %d lines", last, n)
		}
	})
}

func equalInt64s(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
