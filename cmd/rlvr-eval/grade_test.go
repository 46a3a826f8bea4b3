package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// runGrade runs `rlvr-eval grade args...` in-process with stdin and returns stdout.
func runGrade(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"grade"}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

type outLine struct {
	ID            json.RawMessage `json:"id"`
	Correct       bool            `json:"correct"`
	Extracted     *string         `json:"extracted"`
	ExtractMethod string          `json:"extract_method"`
	Reason        string          `json:"reason"`
	Error         string          `json:"error"`
}

func parseOut(t *testing.T, out string) []outLine {
	t.Helper()
	var lines []outLine
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		var o outLine
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("output line %d is not JSON: %v: %s", i+1, err, l)
		}
		lines = append(lines, o)
	}
	return lines
}

func TestGradeStreamOrderManyWorkers(t *testing.T) {
	var in strings.Builder
	const n = 3000
	for i := 0; i < n; i++ {
		// Responses of very different cost so that batches finish out of order.
		resp := fmt.Sprintf(`so the answer is $\boxed{%d}$`, i%7)
		if i%50 == 0 {
			resp = strings.Repeat("long reasoning 1 2 3. ", 2000) + resp
		}
		fmt.Fprintf(&in, `{"id": %d, "gold": "%d", "response": %q}`+"\n", i, i%5, resp)
	}
	one, err := runGrade(t, in.String(), "--workers", "1")
	if err != nil {
		t.Fatal(err)
	}
	many, err := runGrade(t, in.String(), "--workers", "8")
	if err != nil {
		t.Fatal(err)
	}
	if one != many {
		t.Fatal("output with 8 workers differs from output with 1 worker")
	}
	lines := parseOut(t, many)
	if len(lines) != n {
		t.Fatalf("got %d output lines for %d input lines", len(lines), n)
	}
	for i, l := range lines {
		if string(l.ID) != fmt.Sprint(i) {
			t.Fatalf("output line %d has id %s: order not kept", i, l.ID)
		}
		if want := i%7 == i%5; l.Correct != want || l.ExtractMethod != "boxed" {
			t.Fatalf("line %d: %+v, want correct=%v by boxed", i, l, want)
		}
	}
}

func TestGradeStreamMalformedLines(t *testing.T) {
	in := strings.Join([]string{
		`{"id": "a", "gold": "5", "response": "The answer is 5."}`,
		``,
		`   `,
		`not json at all`,
		`{"id": "b", "gold": "5", "response": "unterminated`,
		`[1, 2]`,
		`{"id": "c", "gold": 5, "answer": "5"}`,
		`{"id": "d", "response": "5"}`,
		`{"id": "e", "gold": "5"}`,
		`{"id": "f", "gold": "5", "answer": "5", "response": "5"}`,
		`{"id": "g", "gold": "5", "answer": "5", "profile": "loose"}`,
		`{"id": "h", "gold": "5", "answer": null, "response": "the answer is 5"}`,
		`{"id": "i", "gold": "5", "response": "5 is my guess", "profile": "lenient"}`,
		`{"id": "j", "gold": "5", "response": "<think>5"}`,
	}, "\n") // no final newline: the last line still counts
	out, err := runGrade(t, in)
	if err != nil {
		t.Fatal(err)
	}
	lines := parseOut(t, out)
	want := []struct {
		id, err, method string
		correct         bool
	}{
		{`"a"`, "", "answer_is", true},
		{`null`, "line 4: expected a JSON object, found text", "none", false},
		{`null`, "line 5: expected a JSON object, found invalid JSON", "none", false},
		{`null`, "line 6: expected a JSON object, found an array", "none", false},
		{`"c"`, `line 7: expected a "gold" string, found a number`, "none", false},
		{`"d"`, `line 8: expected a "gold" string, found no such field`, "none", false},
		{`"e"`, `line 9: expected exactly one of "response" or "answer", found neither`, "none", false},
		{`"f"`, `line 10: expected exactly one of "response" or "answer", found both`, "none", false},
		{`"g"`, `line 11: "profile": expected profile "strict" or "lenient", found "loose"`, "none", false},
		{`"h"`, "", "answer_is", true},
		{`"i"`, "", "last_number", true},
		{`"j"`, "", "none", false},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d (blank lines give none):\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		l := lines[i]
		if string(l.ID) != w.id || !strings.HasPrefix(l.Error, w.err) || l.ExtractMethod != w.method || l.Correct != w.correct {
			t.Errorf("line %d: got %+v (id %s), want id %s error %q method %s correct %v", i, l, l.ID, w.id, w.err, w.method, w.correct)
		}
		if w.err != "" && (l.Reason != "input_error" || l.Extracted != nil) {
			t.Errorf("line %d: an error line must have reason input_error and extracted null: %+v", i, l)
		}
		if w.err == "" && w.method == "none" && (l.Reason != "no_answer" || l.Extracted != nil) {
			t.Errorf("line %d: no answer must have reason no_answer and extracted null: %+v", i, l)
		}
	}
}

func TestGradeStreamIDsVerbatim(t *testing.T) {
	ids := []string{
		`"plain"`, `"with \"quotes\" and <tags> & \u00e9"`, `"é"`, `0`, `-17`, `1.50`, `1e3`,
		`123456789012345678901234567890`, `true`, `false`, `null`, `[1,"two",[3]]`,
		`{"problem":"p1","sample":3}`, `""`,
	}
	var in strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&in, `{"id":%s,"gold":"1","answer":"1"}`+"\n", id)
	}
	in.WriteString(`{"gold":"1","answer":"1"}` + "\n") // no id at all
	out, err := runGrade(t, in.String())
	if err != nil {
		t.Fatal(err)
	}
	lines := parseOut(t, out)
	if len(lines) != len(ids)+1 {
		t.Fatalf("got %d lines, want %d", len(lines), len(ids)+1)
	}
	for i, id := range ids {
		if string(lines[i].ID) != id {
			t.Errorf("id %s came back as %s", id, lines[i].ID)
		}
	}
	if string(lines[len(ids)].ID) != "null" {
		t.Errorf("a missing id came back as %s, want null", lines[len(ids)].ID)
	}
}

func TestGradeStreamLongLine(t *testing.T) {
	// A 17 MiB response (over the 16 MiB the command must accept) is graded.
	resp := strings.Repeat("x", 17<<20) + ` so \boxed{3}`
	in := fmt.Sprintf(`{"id":1,"gold":"3","response":%q}`+"\n"+`{"id":2,"gold":"3","answer":"3"}`+"\n", resp)
	out, err := runGrade(t, in, "--workers", "2")
	if err != nil {
		t.Fatal(err)
	}
	lines := parseOut(t, out)
	if len(lines) != 2 || !lines[0].Correct || !lines[1].Correct {
		t.Fatalf("long line: %s", out)
	}
}

func TestGradeExplain(t *testing.T) {
	out, err := runGrade(t, "", "--gold", `\frac{1}{2}`, "--response", `Half is left: $\boxed{0.5}$.`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`gold:       \frac{1}{2}`, "parsed:", "extracted:  0.5", `\boxed{…}`, "[boxed]", "rule:", "verdict:    CORRECT"} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
	out, err = runGrade(t, "", "--gold", "7", "--response", "maybe 7", "--profile", "lenient")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "[last_number]") || !strings.Contains(out, "profile lenient") {
		t.Errorf("lenient explanation:\n%s", out)
	}
	out, err = runGrade(t, "", "--gold", "7", "--answer", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "INCORRECT (reason no_answer)") {
		t.Errorf("blank answer explanation:\n%s", out)
	}
	if _, err := runGrade(t, "", "--gold", "7"); err == nil || !strings.Contains(err.Error(), "exactly one of --response or --answer") {
		t.Errorf("--gold alone: %v", err)
	}
	if _, err := runGrade(t, "", "--response", "7"); err == nil || !strings.Contains(err.Error(), "--gold") {
		t.Errorf("--response alone: %v", err)
	}
	if _, err := runGrade(t, "", "--profile", "fuzzy"); err == nil || !strings.Contains(err.Error(), `found "fuzzy"`) {
		t.Errorf("bad --profile: %v", err)
	}
	if _, err := runGrade(t, "", "--workers", "0"); err == nil {
		t.Error("--workers 0 accepted")
	}
}

// TestGradeStreamInteractive: a caller that writes one line and waits for its verdict
// before writing the next gets it (the command does not wait for a full batch or EOF;
// without that, this test would hang).
func TestGradeStreamInteractive(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		root := newRootCmd()
		root.SetIn(inR)
		root.SetOut(outW)
		root.SetArgs([]string{"grade", "--workers", "2"})
		err := root.ExecuteContext(context.Background())
		outW.Close()
		done <- err
	}()
	out := bufio.NewReader(outR)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(inW, `{"id":%d,"gold":"%d","answer":"%d"}`+"\n", i, i, i)
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("reading verdict %d: %v", i, err)
		}
		if !strings.HasPrefix(line, fmt.Sprintf(`{"id":%d,"correct":true`, i)) {
			t.Fatalf("verdict %d: %s", i, line)
		}
	}
	inW.Close()
	if rest, _ := io.ReadAll(out); len(rest) != 0 {
		t.Errorf("unexpected output after the last line: %q", rest)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestGradeStreamTooLongLine(t *testing.T) {
	long := fmt.Sprintf(`{"id":1,"gold":"3","response":"%s"}`, strings.Repeat("x", 300))
	in := long + "\r\n" + `{"id":2,"gold":"3","answer":"3"}` + "\r\n"
	var buf bytes.Buffer
	if err := gradeStream(context.Background(), strings.NewReader(in), &buf, streamConfig{profile: grade.Strict, workers: 1, maxLine: 100}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := parseOut(t, out)
	if len(lines) != 2 {
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	want := fmt.Sprintf("line 1: expected a line of at most 100 bytes, found %d bytes", len(long)+2)
	if lines[0].Error != want || string(lines[0].ID) != "null" {
		t.Errorf("too long line: %+v, want error %q", lines[0], want)
	}
	if !lines[1].Correct || string(lines[1].ID) != "2" {
		t.Errorf("the line after a too long line: %+v", lines[1])
	}
}

// TestGradeStreamReadSplits: the output does not depend on how the input arrives —
// whole, a byte per read, half of what was asked for, or with the last data
// returned together with io.EOF — nor on the number of workers, including lines that
// straddle the 1 MiB blocks, lines too long to keep (skipped across many reads), a
// line exactly at the limit, CRLF endings and no final newline.
func TestGradeStreamReadSplits(t *testing.T) {
	const maxLine = 3000
	var in strings.Builder
	for i := 0; in.Len() < 3*chunkBytes; i++ {
		resp := fmt.Sprintf(`step %d \\frac{1}{2} so \\boxed{%d}`, i, i%3)
		switch i % 97 {
		case 5:
			resp = strings.Repeat("x", 2*maxLine) // too long
		case 11:
			resp = strings.Repeat("y", maxLine-len(`{"id":11,"gold":"1","response":""}`)) // exactly maxLine
		case 13:
			resp = strings.Repeat("z", chunkBytes+100) // too long, longer than a block
		}
		ending := "\n"
		if i%7 == 0 {
			ending = "\r\n"
		}
		if i%53 == 0 {
			in.WriteString("   \n") // blank: no output, but counted
		}
		fmt.Fprintf(&in, `{"id":%d,"gold":"1","response":"%s"}%s`, i%97, resp, ending)
	}
	in.WriteString(`{"id":"last","gold":"1","answer":"1"}`) // no final newline
	input := in.String()

	run := func(r io.Reader, workers int) string {
		var out bytes.Buffer
		if err := gradeStream(context.Background(), r, &out, streamConfig{profile: grade.Strict, workers: workers, maxLine: maxLine}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	want := run(strings.NewReader(input), 1)
	lines := parseOut(t, want)
	var tooLong, exact int
	for _, l := range lines {
		if strings.Contains(l.Error, "expected a line of at most 3000 bytes") {
			tooLong++
		}
		if string(l.ID) == "11" && l.Error == "" {
			exact++
		}
	}
	if tooLong == 0 || exact == 0 || string(lines[len(lines)-1].ID) != `"last"` {
		t.Fatalf("the input lacks a case: %d too long, %d at the limit, last id %s", tooLong, exact, lines[len(lines)-1].ID)
	}
	for name, r := range map[string]func() io.Reader{
		"one byte per read": func() io.Reader { return iotest.OneByteReader(strings.NewReader(input)) },
		"half reads":        func() io.Reader { return iotest.HalfReader(strings.NewReader(input)) },
		"data with EOF":     func() io.Reader { return iotest.DataErrReader(strings.NewReader(input)) },
	} {
		for _, workers := range []int{1, 3} {
			if name == "one byte per read" && workers == 3 {
				continue // the same reads; one run of 3 MiB single-byte reads is enough
			}
			if got := run(r(), workers); got != want {
				t.Errorf("%s, %d workers: the output differs from reading the input whole", name, workers)
			}
		}
	}
}

// TestGradeStreamReadError: a failing read is reported with the line it was in, after
// the verdicts of the whole lines read before it.
func TestGradeStreamReadError(t *testing.T) {
	in := `{"id":1,"gold":"1","answer":"1"}` + "\n" + `{"id":2,"gold":"1","answer":"1"}` + "\n" + `{"id":3,"go`
	r := io.MultiReader(strings.NewReader(in), iotest.ErrReader(errors.New("disk on fire")))
	var out bytes.Buffer
	err := gradeStream(context.Background(), r, &out, streamConfig{profile: grade.Strict, workers: 2, maxLine: defaultMaxLine})
	if err == nil || !strings.Contains(err.Error(), "reading stdin line 3: disk on fire") {
		t.Fatalf("error %v, want one naming line 3", err)
	}
	if lines := parseOut(t, out.String()); len(lines) != 2 || string(lines[1].ID) != "2" {
		t.Fatalf("output before the error: %s", out.String())
	}
}
