package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/sourcegraph/conc/panics"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/batch"
)

// gradeRecord is one input line as read: every field kept raw so that its JSON type
// can be checked and the id echoed verbatim.
type gradeRecord struct {
	ID       json.RawMessage `json:"id"`
	Gold     json.RawMessage `json:"gold"`
	Response json.RawMessage `json:"response"`
	Answer   json.RawMessage `json:"answer"`
	Profile  json.RawMessage `json:"profile"`
}

// verdictLine is one output line: {"id", "correct", "extracted", "extract_method",
// "reason"} and "error" for a malformed input line.
type verdictLine struct {
	ID            json.RawMessage
	Correct       bool
	HasExtracted  bool // false: "extracted" is null (no answer)
	Extracted     string
	ExtractMethod string
	Reason        string
	Error         string
}

// reasonInputError is the reason of an output line for a malformed input line.
const reasonInputError = "input_error"

var jsonNull = json.RawMessage("null")

// lineGrader grades the lines of one chunk of input after another. It is not safe for
// concurrent use: each chunk in flight has its own (the gold memo behind golds is
// shared).
type lineGrader struct {
	golds   *batch.Memo
	profile grade.Profile // for lines without a "profile"
	maxLine int
	scratch []byte // decoded strings of the current line
}

// gradeChunk appends the output lines of the input lines in data, the first of which
// is line number first, to out. Every line ends in '\n' except perhaps the last one.
func (g *lineGrader) gradeChunk(data []byte, first int, out []byte) []byte {
	n := first
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			line, data = data, nil
		}
		out = g.gradeRaw(n, line, out)
		n++
	}
	return out
}

// gradeRaw appends the output line of raw, input line n with its line ending, to out;
// a blank line has none.
func (g *lineGrader) gradeRaw(n int, raw, out []byte) []byte {
	text := raw
	if k := len(text); k > 0 && text[k-1] == '\n' {
		text = text[:k-1]
	}
	if k := len(text); k > 0 && text[k-1] == '\r' {
		text = text[:k-1]
	}
	if len(text) > g.maxLine {
		return g.slow(inputLine{n: n, tooLong: len(raw), max: g.maxLine}, out)
	}
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 {
		return out
	}
	f, scratch, ok := scanFast(trimmed, g.scratch)
	g.scratch = scratch
	if !ok {
		return g.slow(inputLine{n: n, text: text, max: g.maxLine}, out)
	}
	v := verdictLine{ID: jsonNull, ExtractMethod: grade.MethodNone, Reason: reasonInputError}
	if f.id != nil {
		v.ID = f.id
	}
	p := f.profile
	if p == "" {
		p = g.profile
	}
	return v.graded(n, g.golds, f.gold, f.input, f.answer, p).appendJSON(out)
}

// slow grades a line on the slow path.
func (g *lineGrader) slow(l inputLine, out []byte) []byte {
	return gradeLine(l, g.profile, g.golds).appendJSON(out)
}

// appendJSON writes v as one JSON line. The id is written byte for byte as it was read.
func (v verdictLine) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = append(b, v.ID...)
	b = append(b, `,"correct":`...)
	b = strconv.AppendBool(b, v.Correct)
	b = append(b, `,"extracted":`...)
	if v.HasExtracted {
		b = appendJSONString(b, v.Extracted)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"extract_method":`...)
	b = appendJSONString(b, v.ExtractMethod)
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, v.Reason)
	if v.Error != "" {
		b = append(b, `,"error":`...)
		b = appendJSONString(b, v.Error)
	}
	return append(b, "}\n"...)
}

// appendJSONString writes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, everything else as is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			b = append(b, `\u202`...)
			b = append(b, hex[r&0xf])
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// gradeLine grades one line on the slow path: the line decoded with encoding/json
// into raw fields, each field's type checked, every problem reported in the line's
// error. It is the reference for the fast path (gradeFast), which leaves to it every
// line that is not of the common shape.
func gradeLine(l inputLine, p grade.Profile, golds *batch.Memo) (v verdictLine) {
	v = verdictLine{ID: jsonNull, ExtractMethod: grade.MethodNone, Reason: reasonInputError}
	fail := func(format string, args ...any) verdictLine {
		v.Error = fmt.Sprintf("line %d: ", l.n) + fmt.Sprintf(format, args...)
		return v
	}
	if l.tooLong > 0 {
		return fail("expected a line of at most %d bytes, found %d bytes", l.max, l.tooLong)
	}
	text := bytes.TrimSpace(l.text)
	if text[0] != '{' {
		return fail("expected a JSON object, found %s", describeJSON(text))
	}
	var rec gradeRecord
	if err := json.Unmarshal(text, &rec); err != nil {
		return fail("expected a JSON object, found invalid JSON (%v)", err)
	}
	if len(rec.ID) > 0 {
		v.ID = rec.ID
	}
	gold, err := stringField("gold", rec.Gold)
	if err != "" {
		return fail("%s", err)
	}
	hasResp, hasAns := present(rec.Response), present(rec.Answer)
	if hasResp == hasAns {
		which := "neither"
		if hasResp {
			which = "both"
		}
		return fail(`expected exactly one of "response" or "answer", found %s`, which)
	}
	prof := p
	if present(rec.Profile) {
		name, err := stringField("profile", rec.Profile)
		if err != "" {
			return fail("%s", err)
		}
		pp, perr := grade.ParseProfile(name)
		if perr != nil {
			return fail(`"profile": %v`, perr)
		}
		prof = pp
	}
	var input string
	if hasResp {
		input, err = stringField("response", rec.Response)
	} else {
		input, err = stringField("answer", rec.Answer)
	}
	if err != "" {
		return fail("%s", err)
	}
	return v.graded(l.n, golds, gold, input, hasAns, prof)
}

// graded fills v with the verdict on input against gold, or with the error of a
// grader panic.
func (v verdictLine) graded(n int, golds *batch.Memo, gold, input string, answer bool, p grade.Profile) verdictLine {
	var verdict grade.Verdict
	var failure *panics.Recovered
	if answer {
		verdict, failure = golds.Answer(gold, input)
	} else {
		verdict, failure = golds.Response(gold, input, p)
	}
	if failure != nil {
		return verdictLine{ID: v.ID, ExtractMethod: grade.MethodNone, Reason: reasonInputError,
			Error: fmt.Sprintf("line %d: the grader failed on this input (a bug, please report): %v", n, failure.Value)}
	}
	v.Correct, v.ExtractMethod, v.Reason, v.Error = verdict.Correct, verdict.ExtractMethod, verdict.Reason, ""
	v.HasExtracted, v.Extracted = verdict.HasAnswer, verdict.Extracted
	return v
}

// present reports whether a field was given with a value other than null.
func present(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(raw, jsonNull)
}

// stringField decodes a required string field, or says what was found instead.
func stringField(name string, raw json.RawMessage) (string, string) {
	if !present(raw) {
		return "", fmt.Sprintf("expected a %q string, found %s", name, map[bool]string{true: "null", false: "no such field"}[len(raw) > 0])
	}
	if raw[0] != '"' {
		return "", fmt.Sprintf("expected a %q string, found %s", name, describeJSON(raw))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Sprintf("expected a %q string, found an invalid string (%v)", name, err)
	}
	return s, ""
}

// describeJSON names the kind of JSON value (or text) that starts data, for messages.
func describeJSON(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	switch c := data[0]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		if json.Valid(data) {
			return "a boolean"
		}
	case c == 'n':
		if json.Valid(data) {
			return "null"
		}
	case c == '-' || (c >= '0' && c <= '9'):
		if json.Valid(data) {
			return "a number"
		}
	}
	snippet := data
	if len(snippet) > 40 {
		snippet = snippet[:40]
	}
	return fmt.Sprintf("text %q", bytes.ToValidUTF8(snippet, []byte("\uFFFD")))
}
