package ingest

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeCanonicalFast decodes the common canonical shape — one flat JSON object
// per line whose values are strings, integers, booleans or null under the known
// keys — in a single pass, about twice as fast as encoding/json (which
// validates the whole line before decoding it). It returns false, having
// possibly filled part of l, for anything else (the responses list, an unknown
// key, a float, an escape in a key, invalid UTF-8, invalid JSON); the caller
// then decodes the line with encoding/json, which decides. Where it returns
// true the result equals encoding/json's (FuzzCanonicalFastPath checks this).
func decodeCanonicalFast(data []byte, l *canonicalLine) bool {
	d := fastDecoder{b: data}
	d.ws()
	if !d.eat('{') {
		return false
	}
	d.ws()
	if d.eat('}') {
		return d.end()
	}
	for {
		d.ws()
		key, ok := d.rawKey()
		if !ok {
			return false
		}
		d.ws()
		if !d.eat(':') {
			return false
		}
		d.ws()
		switch key {
		case "problem_id":
			if !d.flex(&l.ProblemID) {
				return false
			}
		case "gold":
			var f flexString
			if !d.flex(&f) {
				return false
			}
			if f.set {
				l.Gold = &f
			} else {
				l.Gold = nil
			}
		case "response":
			if !d.optString(&l.Response) {
				return false
			}
		case "problem":
			if !d.optString(&l.Problem) {
				return false
			}
		case "finish_reason":
			if !d.optString(&l.FinishReason) {
				return false
			}
		case "family":
			if !d.optString(&l.Family) {
				return false
			}
		case "model":
			if !d.optString(&l.Model) {
				return false
			}
		case "reward":
			if !d.optString(&l.Reward) {
				return false
			}
		case "sample_idx":
			if !d.optInt(&l.SampleIdx) {
				return false
			}
		case "response_tokens":
			if !d.optInt(&l.ResponseTokens) {
				return false
			}
		case "step":
			if !d.optInt(&l.Step) {
				return false
			}
		case "seed":
			if !d.optInt(&l.Seed) {
				return false
			}
		case "correct":
			switch {
			case d.lit("true"):
				t := true
				l.Correct = &t
			case d.lit("false"):
				f := false
				l.Correct = &f
			case d.lit("null"):
				l.Correct = nil
			default:
				return false
			}
		default:
			return false
		}
		d.ws()
		if d.eat(',') {
			continue
		}
		if d.eat('}') {
			return d.end()
		}
		return false
	}
}

// stringSpecial marks the bytes that end a plain run inside a JSON string.
var stringSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *fastDecoder) end() bool {
	d.ws()
	return d.i == len(d.b)
}

func (d *fastDecoder) lit(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// rawKey reads a key without escapes (anything else: not the fast path).
func (d *fastDecoder) rawKey() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			k := string(d.b[start:d.i])
			d.i++
			return k, true
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return "", false
		}
		d.i++
	}
	return "", false
}

// str reads a JSON string value.
func (d *fastDecoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			raw := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(raw) {
				return "", false
			}
			return string(raw), true
		case c == '\\':
			return d.strEscaped(start)
		case c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// strEscaped finishes a string that has escapes, from its first byte at start.
func (d *fastDecoder) strEscaped(start int) (string, bool) {
	out := make([]byte, 0, d.i-start+64)
	out = append(out, d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(out) {
				return "", false
			}
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			// Copy the run up to the next quote, backslash or control byte at once.
			j := d.i + 1
			for j < len(d.b) && !stringSpecial[d.b[j]] {
				j++
			}
			out = append(out, d.b[d.i:j]...)
			d.i = j
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				// A pair must follow; a lone surrogate is left to encoding/json.
				if d.i+1 >= len(d.b) || d.b[d.i] != '\\' || d.b[d.i+1] != 'u' {
					return "", false
				}
				d.i += 2
				r2, ok := d.hex4()
				if !ok {
					return "", false
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", false
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (d *fastDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	d.i += 4
	return r, true
}

func (d *fastDecoder) optString(dst **string) bool {
	if d.lit("null") {
		*dst = nil
		return true
	}
	s, ok := d.str()
	if !ok {
		return false
	}
	*dst = &s
	return true
}

// integer reads a JSON integer (no fraction or exponent) that fits int64.
func (d *fastDecoder) integer() (int64, bool) {
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || (d.b[digits] == '0' && d.i-digits > 1) {
		return 0, false
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
	return n, err == nil
}

func (d *fastDecoder) optInt(dst **int64) bool {
	if d.lit("null") {
		*dst = nil
		return true
	}
	n, ok := d.integer()
	if !ok {
		return false
	}
	*dst = &n
	return true
}

// flex reads a string or a number into f, the way flexString.UnmarshalJSON
// does; null leaves it unset.
func (d *fastDecoder) flex(f *flexString) bool {
	if d.lit("null") {
		return true // like flexString.UnmarshalJSON: null leaves f as it was
	}
	if d.i < len(d.b) && d.b[d.i] == '"' {
		s, ok := d.str()
		if !ok {
			return false
		}
		*f = flexString{s: s, set: true}
		return true
	}
	start := d.i
	if _, ok := d.integer(); !ok {
		return false
	}
	*f = flexString{s: string(d.b[start:d.i]), set: true}
	return true
}
