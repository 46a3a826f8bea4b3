package ingest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestFormatsList checks the explicit list of formats against the reader files:
// every reader_<name>.go declares a Format that is listed exactly once, under a
// unique name, with a Detect and a New.
func TestFormatsList(t *testing.T) {
	names := map[string]bool{}
	for _, f := range Formats() {
		if f.Name == "" || f.Detect == nil || f.New == nil {
			t.Errorf("format %+v lacks a name, a Detect or a New", f.Name)
		}
		if names[f.Name] {
			t.Errorf("format %q listed twice", f.Name)
		}
		names[f.Name] = true
		if g, ok := Lookup(f.Name); !ok || g.Name != f.Name {
			t.Errorf("Lookup(%q) = %q, %v", f.Name, g.Name, ok)
		}
	}
	if last := formats[len(formats)-1].Name; last != "canonical" {
		t.Errorf("the last format is %q; canonical (the loosest signature) must be tried last", last)
	}
	decl := regexp.MustCompile(`(?m)^var (\w+Format) = Format\{\n\tName:\s+"([^"]+)"`)
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	for _, e := range files {
		n := e.Name()
		if !strings.HasPrefix(n, "reader_") || strings.HasSuffix(n, "_test.go") || !strings.HasSuffix(n, ".go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			declared++
			if !names[m[2]] {
				t.Errorf("%s declares %s (%q), which the formats list in format.go does not hold", n, m[1], m[2])
			}
		}
	}
	if declared != len(formats) {
		t.Errorf("%d formats declared in reader files, %d listed", declared, len(formats))
	}
}
