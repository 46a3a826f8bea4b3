package safeparquet

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// thriftWalker checks a thrift compact-protocol value without decoding it:
// every length and element count must fit in the bytes that follow.
type thriftWalker struct {
	b        []byte
	pos      int
	elements int
	lim      Limits
}

// errThriftShort marks every error that says the bytes ran out: with more
// bytes the value might be valid (readPageHeader then reads a larger window).
var errThriftShort = errors.New("thrift: expected more bytes, found the end")

// shortError is an error that says the bytes ran out; it matches errThriftShort.
type shortError struct{ msg string }

func (e shortError) Error() string        { return e.msg }
func (e shortError) Is(target error) bool { return target == errThriftShort }

// walkThriftStruct checks the struct at the start of b and returns its length.
func walkThriftStruct(b []byte, lim Limits) (int, error) {
	w := &thriftWalker{b: b, lim: lim.withDefaults()}
	if err := w.value(12, 0); err != nil {
		return 0, err
	}
	return w.pos, nil
}

func (w *thriftWalker) byte() (byte, error) {
	if w.pos >= len(w.b) {
		return 0, errThriftShort
	}
	c := w.b[w.pos]
	w.pos++
	return c, nil
}

func (w *thriftWalker) uvarint() (uint64, error) {
	v, k := binary.Uvarint(w.b[w.pos:])
	if k <= 0 {
		if k == 0 {
			return 0, errThriftShort
		}
		return 0, errors.New("thrift: varint overflows 64 bits")
	}
	w.pos += k
	return v, nil
}

func (w *thriftWalker) skip(n uint64) error {
	if n > uint64(len(w.b)-w.pos) {
		return shortError{fmt.Sprintf("thrift: expected %d more bytes, found %d", n, len(w.b)-w.pos)}
	}
	w.pos += int(n)
	return nil
}

// count vets a claimed element count: each element takes at least one byte.
func (w *thriftWalker) count(n uint64) error {
	if n > uint64(w.lim.ThriftElements) || w.elements+int(n) > w.lim.ThriftElements {
		return fmt.Errorf("thrift: expected at most %d collection elements, found more", w.lim.ThriftElements)
	}
	if n > uint64(len(w.b)-w.pos) {
		return shortError{fmt.Sprintf("thrift: a collection claims %d elements in %d bytes", n, len(w.b)-w.pos)}
	}
	w.elements += int(n)
	return nil
}

// value checks one value of compact type t (12 = struct).
func (w *thriftWalker) value(t byte, depth int) error {
	if depth > w.lim.ThriftDepth {
		return fmt.Errorf("thrift: nesting deeper than %d", w.lim.ThriftDepth)
	}
	switch t {
	case 1, 2: // bool inside a field header: no payload
		return nil
	case 3: // i8
		return w.skip(1)
	case 4, 5, 6: // zigzag varints
		_, err := w.uvarint()
		return err
	case 7: // double
		return w.skip(8)
	case 8: // binary
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		return w.skip(n)
	case 9, 10: // list, set
		h, err := w.byte()
		if err != nil {
			return err
		}
		n, et := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		if err := w.count(n); err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if err := w.element(et, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11: // map
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		if err := w.count(n); err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if err := w.element(kv>>4, depth+1); err != nil {
				return err
			}
			if err := w.element(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12: // struct: fields until STOP
		for {
			h, err := w.byte()
			if err != nil {
				return err
			}
			if h == 0 {
				return nil
			}
			if h>>4 == 0 { // long form: the field id follows as a zigzag varint
				if _, err := w.uvarint(); err != nil {
					return err
				}
			}
			if err := w.value(h&0x0f, depth+1); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("thrift: unknown compact type %d at byte %d", t, w.pos)
}

// element checks one element of a list, set or map: a bool element is one
// byte, unlike a bool field, whose value is in its header.
func (w *thriftWalker) element(t byte, depth int) error {
	if t == 1 || t == 2 {
		return w.skip(1)
	}
	return w.value(t, depth)
}
