package main

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// fastLine is an input line as scanFast read it: the raw id and the decoded strings.
// The strings are views of the line or of the scratch buffer, valid until either is
// reused.
type fastLine struct {
	id      []byte // the id value byte for byte; nil when absent
	gold    string
	input   string // the response, or the answer when answer is set
	answer  bool
	profile grade.Profile
}

// maxFastDepth bounds the nesting scanFast follows inside a value; deeper lines take
// the slow path (encoding/json's own limit is far higher).
const maxFastDepth = 256

// scanFast reads one trimmed input line in a single pass, without reflection, when
// it has the common shape: a valid JSON object whose keys are plain ASCII without
// escapes, with "gold" a string, exactly one of "response" or "answer" a string (the
// other absent or null), "profile" absent, null or a known profile name, no key given
// twice and no key that encoding/json would match to a field only by case folding.
// Other keys and the id may hold any JSON value. Strings are decoded as
// encoding/json decodes them (invalid UTF-8 and lone surrogates become U+FFFD).
//
// For any other line it returns ok false, and the caller grades the line on the slow
// path (encoding/json), which then decides what the line is; where scanFast returns
// true, the slow path reads the same fields (TestScanFastAgrees, FuzzScanFast). The
// decoded strings are appended to scratch, which is returned for reuse.
func scanFast(text, scratch []byte) (f fastLine, _ []byte, ok bool) {
	s := scanner{b: text, buf: scratch[:0]}
	var seen uint8 // bit per known key
	const (
		kID = 1 << iota
		kGold
		kResponse
		kAnswer
		kProfile
	)
	var resp, ans, prof []byte
	var respNull, ansNull, profNull bool
	if !s.eat('{') {
		return f, s.buf, false
	}
	s.ws()
	if s.eat('}') {
		return f, s.buf, false // no gold
	}
	for {
		s.ws()
		key, ok := s.plainKey()
		if !ok {
			return f, s.buf, false
		}
		s.ws()
		if !s.eat(':') {
			return f, s.buf, false
		}
		s.ws()
		var bit uint8
		switch string(key) {
		case "id":
			bit = kID
			start := s.i
			if !s.value(0) {
				return f, s.buf, false
			}
			f.id = s.b[start:s.i]
		case "gold":
			bit = kGold
			g, ok := s.str()
			if !ok {
				return f, s.buf, false
			}
			f.gold = g
		case "response":
			bit = kResponse
			if resp, respNull, ok = s.strOrNull(); !ok {
				return f, s.buf, false
			}
		case "answer":
			bit = kAnswer
			if ans, ansNull, ok = s.strOrNull(); !ok {
				return f, s.buf, false
			}
		case "profile":
			bit = kProfile
			if prof, profNull, ok = s.strOrNull(); !ok {
				return f, s.buf, false
			}
		default:
			if foldsToField(key) || !s.value(0) {
				return f, s.buf, false
			}
		}
		if seen&bit != 0 {
			return f, s.buf, false // last one wins in encoding/json: leave it to it
		}
		seen |= bit
		s.ws()
		if s.eat(',') {
			continue
		}
		if !s.eat('}') || s.i != len(s.b) {
			return f, s.buf, false
		}
		break
	}
	if seen&kGold == 0 {
		return f, s.buf, false
	}
	hasResp := seen&kResponse != 0 && !respNull
	hasAns := seen&kAnswer != 0 && !ansNull
	if hasResp == hasAns {
		return f, s.buf, false
	}
	f.answer = hasAns
	if hasResp {
		f.input = view(resp)
	} else {
		f.input = view(ans)
	}
	f.profile = ""
	if seen&kProfile != 0 && !profNull {
		p, err := grade.ParseProfile(view(prof))
		if err != nil {
			return f, s.buf, false
		}
		f.profile = p
	}
	return f, s.buf, true
}

// foldsToField reports whether an ASCII key that is not one of the field names
// equals one of them but for case (encoding/json would then fill that field).
func foldsToField(key []byte) bool {
	for _, name := range [...]string{"id", "gold", "response", "answer", "profile"} {
		if len(key) == len(name) && equalFoldASCII(key, name) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a []byte, b string) bool {
	for i := range a {
		if a[i]|0x20 != b[i] {
			return false
		}
	}
	return true
}

// view is b as a string without copying; b must not change while the string is used.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// scanner reads JSON from b at i, decoding strings into buf.
type scanner struct {
	b   []byte
	i   int
	buf []byte
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// plainKey reads an object key made only of printable ASCII other than '"' and '\'.
func (s *scanner) plainKey() ([]byte, bool) {
	if !s.eat('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c < 0x20 || c >= 0x80 || c == '\\':
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// strOrNull reads a string (decoded) or null.
func (s *scanner) strOrNull() (v []byte, null, ok bool) {
	if s.i < len(s.b) && s.b[s.i] == 'n' {
		return nil, true, s.lit("null")
	}
	v, ok = s.decode()
	return v, false, ok
}

// str reads a string value and returns it decoded.
func (s *scanner) str() (string, bool) {
	v, ok := s.decode()
	return view(v), ok
}

// decode reads a JSON string at i and returns its content, decoded and appended to
// buf. It copies eight bytes at a time, stopping at the first byte that needs a look
// ('"', '\\', a control character, a byte of non-ASCII UTF-8): on the real
// responses, with an escape every dozen bytes, that is several times faster than
// copying each plain run with append.
func (s *scanner) decode() ([]byte, bool) {
	b := s.b
	if s.i >= len(b) || b[s.i] != '"' {
		return nil, false
	}
	i := s.i + 1
	// Invariant: len(dst)-w >= len(b)-i+8, room for the rest of the line and one word.
	// It holds at the start and after every step: a decoded string is never longer
	// than its source, except where invalid UTF-8 becomes U+FFFD (grown there). It
	// lets the word loop read and write without bounds checks.
	from := len(s.buf)
	s.buf = slices.Grow(s.buf, len(b)-i+8)
	dst := s.buf[:cap(s.buf)]
	w := from
	for {
		if i+8 <= len(b) {
			i, w = copyPlain(unsafe.Pointer(unsafe.SliceData(b)), unsafe.Pointer(unsafe.SliceData(dst)), i, w, len(b))
		}
		if i >= len(b) {
			return nil, false
		}
		c := b[i]
		switch {
		case c == '\\':
			if i+1 >= len(b) {
				return nil, false
			}
			e := b[i+1]
			switch e {
			case '"', '\\', '/':
			case 'b':
				e = '\b'
			case 'f':
				e = '\f'
			case 'n':
				e = '\n'
			case 'r':
				e = '\r'
			case 't':
				e = '\t'
			case 'u':
				r, ok := hex4(b, i+2)
				if !ok {
					return nil, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// A valid pair is one character; anything else is U+FFFD and the
					// next escape is read on its own, as encoding/json does.
					d := utf8.RuneError
					if i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if r2, ok := hex4(b, i+2); ok {
							if d = utf16.DecodeRune(r, r2); d != utf8.RuneError {
								i += 6
							}
						}
					}
					r = d
				}
				w += utf8.EncodeRune(dst[w:], r) // 6 or 12 bytes read, at most 4 written
				continue
			default:
				return nil, false
			}
			dst[w] = e
			w++
			i += 2
		case c == '"':
			s.i = i + 1
			s.buf = dst[:w]
			return dst[from:w:w], true
		case c < 0x20:
			return nil, false
		case c < utf8.RuneSelf:
			dst[w] = c // in the last eight bytes of the line
			w++
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				// One byte read, three written: make room for what is left plus that.
				if len(dst)-w < 3+len(b)-i+8 {
					s.buf = slices.Grow(dst[:w], 3+len(b)-i+8)
					dst = s.buf[:cap(s.buf)]
				}
				w += copy(dst[w:], "\uFFFD")
			} else {
				w += copy(dst[w:], b[i:i+size])
			}
			i += size
		}
	}
}

// copyPlain copies words from src+i to dst+w while they hold no byte that
// specialBytes finds, then the bytes before the first one that does. A one-letter
// escape there (\\, \n, \" ...) it decodes itself and goes on; at anything else
// ('"', \u, an invalid escape, a control or non-ASCII byte) or when fewer than eight
// bytes are left before n it stops and returns the new positions, for decode to go
// on from. The caller guarantees that dst has room for every word read: keeping
// the escapes here, in a loop whose state stays in registers, halves the cost of an
// escape, of which the real responses have one every ~18 bytes.
func copyPlain(src, dst unsafe.Pointer, i, w, n int) (int, int) {
	for i+8 <= n {
		x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(src, i))[:])
		binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dst, w))[:], x)
		m := specialBytes(x)
		if m == 0 {
			i += 8
			w += 8
			continue
		}
		k := bits.TrailingZeros64(m) >> 3
		i += k
		w += k
		// i+1 < n: the special byte is within the word read, so i+1 <= n; equal
		// only when it is the last byte of the line.
		if *(*byte)(unsafe.Add(src, i)) != '\\' || i+1 >= n {
			return i, w
		}
		e := unescape[*(*byte)(unsafe.Add(src, i+1))]
		if e == 0 {
			return i, w
		}
		*(*byte)(unsafe.Add(dst, w)) = e
		i += 2
		w++
	}
	return i, w
}

// unescape maps the letter after '\\' in a one-letter JSON escape to the byte it
// stands for; 0 for \u and for letters that are no escape.
var unescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// specialBytes returns a word whose lowest set bit is the high bit of the first byte
// of x (read little-endian: the lowest byte is the first in memory) that is '"',
// '\\', below 0x20 or 0x80 and above; zero if there is none. A byte subtraction
// below wraps only at such a byte, so a borrow can mark bytes after the first one
// but never before: only the lowest bit is exact. (The usual has-zero test also
// masks with ^q; here a byte with its high bit set is special anyway.)
func specialBytes(x uint64) uint64 {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	q := x ^ (ones * '"')
	bs := x ^ (ones * '\\')
	return ((q - ones) | (bs - ones) | (x - ones*0x20) | x) & highs
}

// plainRun returns the index of the first byte at or after i in b that is '"', '\\',
// a control character or not ASCII (len(b) if none).
func plainRun(b []byte, i int) int {
	for i+8 <= len(b) {
		if m := specialBytes(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(b) {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return i
		}
		i++
	}
	return i
}

// hex4 reads four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skipString checks a JSON string at i without decoding it.
func (s *scanner) skipString() bool {
	b := s.b
	if s.i >= len(b) || b[s.i] != '"' {
		return false
	}
	i := s.i + 1
	for {
		i = plainRun(b, i)
		if i >= len(b) {
			return false
		}
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return true
		case c == '\\':
			if i+1 >= len(b) {
				return false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := hex4(b, i+2); !ok {
					return false
				}
				i += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			i++ // any byte of 0x80 and above: encoding/json does not check UTF-8 here
		}
	}
}

// value checks any JSON value at i.
func (s *scanner) value(depth int) bool {
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		return s.skipString()
	case c == '{':
		if depth >= maxFastDepth {
			return false
		}
		s.i++
		s.ws()
		if s.eat('}') {
			return true
		}
		for {
			s.ws()
			if !s.skipString() {
				return false
			}
			s.ws()
			if !s.eat(':') {
				return false
			}
			s.ws()
			if !s.value(depth + 1) {
				return false
			}
			s.ws()
			if s.eat('}') {
				return true
			}
			if !s.eat(',') {
				return false
			}
		}
	case c == '[':
		if depth >= maxFastDepth {
			return false
		}
		s.i++
		s.ws()
		if s.eat(']') {
			return true
		}
		for {
			s.ws()
			if !s.value(depth + 1) {
				return false
			}
			s.ws()
			if s.eat(']') {
				return true
			}
			if !s.eat(',') {
				return false
			}
		}
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return s.number()
	}
	return false
}

func (s *scanner) lit(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

// number checks a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	s.i = i
	return true
}
