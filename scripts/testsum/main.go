// Command testsum reads `go test -json` on stdin and prints what `go test`
// prints without -v (each failed test's output, the packages' closing lines
// "ok", "FAIL", "?"), then a summary of every skipped test with its reason,
// so that `make test` says what it did not run. It exits 1 when a test, a
// package or a build failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type key struct{ pkg, test string }

func main() { os.Exit(run(os.Stdin, os.Stdout)) }

func run(in io.Reader, out io.Writer) int {
	outputs := map[key][]string{}
	var skips []string
	failed := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not an event (go test's own error text): pass it on.
			fmt.Fprintln(out, sc.Text())
			continue
		}
		k := key{e.Package, e.Test}
		switch e.Action {
		case "build-output":
			fmt.Fprint(out, e.Output)
		case "build-fail":
			failed = true
		case "output":
			if e.Test != "" {
				outputs[k] = append(outputs[k], e.Output)
				continue
			}
			// Package-level lines: the closing ok/FAIL/? lines and whatever
			// the test binary printed outside a test; not -v's chatter.
			if t := strings.TrimSpace(e.Output); t == "PASS" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- PASS") || strings.HasPrefix(t, "--- SKIP") {
				continue
			}
			fmt.Fprint(out, e.Output)
		case "fail":
			if e.Test == "" {
				// Tests of a failed package that never ended (a panic, a
				// timeout): their output is the explanation.
				var open []key
				for k := range outputs {
					if k.pkg == e.Package {
						open = append(open, k)
					}
				}
				sort.Slice(open, func(i, j int) bool { return open[i].test < open[j].test })
				for _, k := range open {
					for _, l := range outputs[k] {
						fmt.Fprint(out, l)
					}
					delete(outputs, k)
				}
				failed = true
				continue
			}
			for _, l := range outputs[k] {
				if !strings.HasPrefix(strings.TrimSpace(l), "=== ") {
					fmt.Fprint(out, l)
				}
			}
			delete(outputs, k)
		case "skip":
			if e.Test != "" {
				skips = append(skips, fmt.Sprintf("%s %s: %s", e.Package, e.Test, skipReason(outputs[k])))
			}
			delete(outputs, k)
		case "pass":
			delete(outputs, k)
		}
	}
	if len(skips) > 0 {
		sort.Strings(skips)
		fmt.Fprintf(out, "\n%d tests skipped:\n", len(skips))
		for _, s := range skips {
			fmt.Fprintf(out, "SKIP %s\n", s)
		}
	}
	if failed {
		return 1
	}
	return 0
}

// skipReason is the message t.Skip printed: the test's output lines other
// than "=== RUN" and "--- SKIP" (the message comes before the latter).
func skipReason(lines []string) string {
	var r []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		r = append(r, t)
	}
	if len(r) == 0 {
		return "(no reason given)"
	}
	return strings.Join(r, " ")
}
