package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pythonLiteralToJSON converts the repr of a Python literal made of str, int,
// float, bool, None, list, tuple and dict into JSON text. Old lighteval versions
// fall back to str(v) for every column when a details row does not fit a
// dataset schema, so a list of predictions arrives as "['...', '...']".
func pythonLiteralToJSON(s string) (string, error) {
	p := pyParser{s: s}
	var b strings.Builder
	if err := p.value(&b, 0); err != nil {
		return "", err
	}
	p.space()
	if p.i != len(p.s) {
		return "", fmt.Errorf("expected the end of the literal at byte %d, found %q", p.i, clip(p.s[p.i:], 20))
	}
	return b.String(), nil
}

type pyParser struct {
	s string
	i int
}

const pyMaxDepth = 64

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *pyParser) value(b *strings.Builder, depth int) error {
	if depth > pyMaxDepth {
		return fmt.Errorf("expected at most %d nested levels, found more", pyMaxDepth)
	}
	p.space()
	if p.i >= len(p.s) {
		return fmt.Errorf("expected a value at byte %d, found the end", p.i)
	}
	switch c := p.s[p.i]; {
	case c == '\'' || c == '"':
		return p.str(b)
	case c == '[':
		return p.seq(b, depth, ']')
	case c == '(':
		return p.seq(b, depth, ')')
	case c == '{':
		return p.dict(b, depth)
	}
	for _, w := range []struct{ py, js string }{{"None", "null"}, {"True", "true"}, {"False", "false"}, {"nan", "null"}, {"inf", "null"}} {
		if strings.HasPrefix(p.s[p.i:], w.py) {
			p.i += len(w.py)
			b.WriteString(w.js)
			return nil
		}
	}
	j := p.i
	for j < len(p.s) && strings.ContainsRune("+-0123456789.eE", rune(p.s[j])) {
		j++
	}
	if j == p.i {
		return fmt.Errorf("expected a Python literal at byte %d, found %q", p.i, clip(p.s[p.i:], 20))
	}
	num := p.s[p.i:j]
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		p.i = j
		b.WriteString(strconv.FormatInt(n, 10))
		return nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return fmt.Errorf("expected a number at byte %d, found %q", p.i, num)
	}
	p.i = j
	b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	return nil
}

func (p *pyParser) seq(b *strings.Builder, depth int, close byte) error {
	p.i++
	b.WriteByte('[')
	for n := 0; ; n++ {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == close {
			p.i++
			b.WriteByte(']')
			return nil
		}
		if n > 0 {
			b.WriteByte(',')
		}
		if err := p.value(b, depth+1); err != nil {
			return err
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == close {
			continue
		}
		return fmt.Errorf("expected ',' or %q at byte %d, found the end or %q", close, p.i, clip(p.s[min(p.i, len(p.s)):], 10))
	}
}

func (p *pyParser) dict(b *strings.Builder, depth int) error {
	p.i++
	b.WriteByte('{')
	for n := 0; ; n++ {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			b.WriteByte('}')
			return nil
		}
		if n > 0 {
			b.WriteByte(',')
		}
		var key strings.Builder
		if err := p.value(&key, depth+1); err != nil {
			return err
		}
		k := key.String()
		if !strings.HasPrefix(k, `"`) {
			k = strconv.Quote(k)
		}
		b.WriteString(k)
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return fmt.Errorf("expected ':' at byte %d, found the end or another character", p.i)
		}
		p.i++
		b.WriteByte(':')
		if err := p.value(b, depth+1); err != nil {
			return err
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

// str converts a Python string literal ('...' or "...", with backslash escapes)
// into a JSON string.
func (p *pyParser) str(b *strings.Builder) error {
	q := p.s[p.i]
	p.i++
	var out []rune
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			b.WriteString(strconv.Quote(string(out)))
			return nil
		case c == '\\' && p.i+1 < len(p.s):
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'r':
				out = append(out, '\r')
			case '\\', '\'', '"':
				out = append(out, rune(e))
			case 'x', 'u', 'U':
				n := 2 // hex digits: \xhh, \uhhhh, \Uhhhhhhhh
				switch e {
				case 'u':
					n = 4
				case 'U':
					n = 8
				}
				if p.i+n > len(p.s) {
					return fmt.Errorf("expected %d hex digits at byte %d, found the end", n, p.i)
				}
				v, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
				if err != nil {
					return fmt.Errorf("expected %d hex digits at byte %d, found %q", n, p.i, p.s[p.i:p.i+n])
				}
				out = append(out, rune(v))
				p.i += n
			default:
				out = append(out, '\\', rune(e))
			}
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			out = append(out, r)
			p.i += size
		}
	}
	return fmt.Errorf("expected a closing %q, found the end", q)
}
