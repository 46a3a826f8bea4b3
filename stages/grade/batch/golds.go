package batch

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// Default limits of a Golds memo: beyond them the memo is emptied and starts again,
// so that a stream of ever new golds keeps memory bounded (a gold prepared after a
// reset is prepared again; verdicts do not change, PrepareGold being pure).
const (
	DefaultMaxGolds     = 1 << 16
	DefaultMaxGoldBytes = 64 << 20
)

// Golds prepares each distinct gold text once and keeps the prepared gold for reuse.
// It is safe for concurrent use by any number of goroutines; the zero value is not
// usable, call NewGolds.
type Golds struct {
	m        sync.Map // string → *grade.Gold
	n, bytes atomic.Int64
	maxN     int64
	maxBytes int64
	prepared atomic.Int64
}

// NewGolds returns an empty memo with the default limits.
func NewGolds() *Golds { return NewGoldsLimited(DefaultMaxGolds, DefaultMaxGoldBytes) }

// NewGoldsLimited returns an empty memo that holds at most maxGolds golds of at most
// maxBytes bytes of gold text in all (each at least 1).
func NewGoldsLimited(maxGolds, maxBytes int) *Golds {
	return &Golds{maxN: int64(max(maxGolds, 1)), maxBytes: int64(max(maxBytes, 1))}
}

// Get returns the prepared gold for text, preparing it on first use. text may be
// transient (a view of a buffer the caller reuses): the memo keeps its own copy.
// Two goroutines asking for a new gold at once may both prepare it; one result is
// kept. Get panics if grade.PrepareGold does; Memo.Response and Memo.Answer recover.
func (gs *Golds) Get(text string) *grade.Gold {
	if g, ok := gs.m.Load(text); ok {
		return g.(*grade.Gold)
	}
	key := strings.Clone(text)
	g := grade.PrepareGold(key)
	gs.prepared.Add(1)
	if gs.n.Add(1) > gs.maxN || gs.bytes.Add(int64(len(key))) > gs.maxBytes {
		gs.m.Clear()
		gs.n.Store(1)
		gs.bytes.Store(int64(len(key)))
	}
	if prev, loaded := gs.m.LoadOrStore(key, g); loaded {
		return prev.(*grade.Gold)
	}
	return g
}

// Prepared is how many times Get prepared a gold (for tests and statistics).
func (gs *Golds) Prepared() int64 { return gs.prepared.Load() }

// Memo is one goroutine's view of a Golds memo: it remembers the last gold it was
// asked for, so that a run of inputs with the same gold costs one string comparison
// each. It is not safe for concurrent use; give each goroutine (or batch) its own.
type Memo struct {
	golds    *Golds
	lastText string // the memo's own copy, never a caller's transient view
	last     *grade.Gold
}

// Memo returns a new per-goroutine view of gs.
func (gs *Golds) Memo() *Memo { return &Memo{golds: gs} }

// Gold returns the prepared gold for text (see Golds.Get; text may be transient).
func (m *Memo) Gold(text string) *grade.Gold {
	if m.last != nil && text == m.lastText {
		return m.last
	}
	g := m.golds.Get(text)
	m.last, m.lastText = g, g.Raw()
	return g
}
