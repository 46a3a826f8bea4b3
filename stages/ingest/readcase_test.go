package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// readerCase is one table case of a reader test: a file's content, what must come
// out of it.
type readerCase struct {
	name    string
	file    string // file name; "input.jsonl" when empty
	in      string
	opts    map[string]string
	records int      // how many records
	rejects []string // one substring per reject, in emit order
	check   func(t *testing.T, recs []Record)
}

func runReaderCases(t *testing.T, format string, cases []readerCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.file
			if name == "" {
				name = "input.jsonl"
			}
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			recs, rejs := collectItems(t, format, p, tc.opts)
			if len(recs) != tc.records {
				t.Errorf("%d records, want %d:\n%s", len(recs), tc.records, dumpItems(recs, rejs))
			}
			if len(rejs) != len(tc.rejects) {
				t.Errorf("%d rejects, want %d:\n%s", len(rejs), len(tc.rejects), dumpItems(nil, rejs))
			} else {
				for i, r := range rejs {
					if !strings.Contains(r.Error, tc.rejects[i]) {
						t.Errorf("reject %d = %q, want it to contain %q", i, r.Error, tc.rejects[i])
					}
					if r.SourceFile != p {
						t.Errorf("reject %d names file %q, want %q", i, r.SourceFile, p)
					}
				}
			}
			for _, r := range recs {
				if r.SourceFile != p {
					t.Errorf("record names file %q, want %q", r.SourceFile, p)
				}
			}
			if tc.check != nil && !t.Failed() {
				tc.check(t, recs)
			}
		})
	}
}

// fuzzRead reads data as a file named name with the format's reader and checks
// the contract: no panic, no error, every item exactly one of record/reject,
// rejects within the raw limit and valid UTF-8, and (for line formats, when
// lines is true) every non-blank line accounted for by an item.
func fuzzReaderContract(t *testing.T, format, name string, data []byte, lines bool) {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, ok := Lookup(format)
	if !ok {
		t.Fatalf("format %q not registered", format)
	}
	seen := map[int64]bool{}
	note := false
	err := f.New(nil).Read(context.Background(), p, func(it Item) error {
		if (it.Record == nil) == (it.Reject == nil) {
			t.Fatalf("item with record %v and reject %v", it.Record, it.Reject)
		}
		if it.Reject != nil {
			r := it.Reject
			if len(r.Raw) > schemas.RawLimit || !utf8.ValidString(r.Raw) {
				t.Fatalf("reject raw: %d bytes, valid %v", len(r.Raw), utf8.ValidString(r.Raw))
			}
			if r.Error == "" {
				t.Fatal("reject without a message")
			}
			if r.SourceLine == 0 {
				note = true
			}
			seen[r.SourceLine] = true
			return nil
		}
		seen[it.Record.SourceLine] = true
		return nil
	})
	if err != nil {
		t.Fatalf("Read returned %v on bad data (must be rejects)", err)
	}
	if !lines || note {
		return
	}
	for i, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 && !seen[int64(i+1)] {
			t.Fatalf("line %d (%q) gave neither a record nor a reject", i+1, clip(string(l), 80))
		}
	}
}
