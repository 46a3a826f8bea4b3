// Package gradecache is the grading cache of `rlvr-eval run --cache DIR`: per
// input file, the grader's verdicts on its records, keyed by the file's content
// and everything else the verdicts depend on (see below). Its user is the
// pipeline's grade stage; nothing here knows of the other stages.
package gradecache

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// The grading cache (`rlvr-eval run --cache DIR`) keeps, per input file, the
// grader's verdicts on every record of that file that was graded, so that a
// re-run grades only what is new or changed.
//
// What is cached, and why only that. A sample row is the record (read again
// from the file on every run), its place in the run (checkpoint identity,
// sample numbering, duplicate detection: state that crosses files and is
// rebuilt by the resolver on every run) and the grader's verdicts (the
// expensive part, a pure function of response, gold, profile and grader
// version). Only the verdicts are cached; every other column is built exactly
// as in an uncached run, so a warm run's tables are byte-identical to a cold
// run's by construction, whatever changed in the other files, the config's
// checkpoint fields, no_text or the output format.
//
// Key. An entry is found by the sha256 of: the entry format version, the
// grader version (grade.Version), the schema version, the input file's sha256,
// its format name and format options (they decide which records the file
// yields, and in what order), the extraction profiles in order, and the
// evalset (its content hash; "inline" plus its name when the gold answers come
// from the records). Each record's verdicts are further stored under its
// ordinal in the file (the n-th item the reader emitted) with a 64-bit check
// of its response and gold text (Check), and are used only when both
// match: a key that collided, or a reader that changed its output, costs a
// regrade, never a wrong row.
//
// Entry. <dir>/<key[:2]>/<key>.grades, written to a temp file in the same
// folder and renamed into place (concurrent runs sharing the folder write
// identical entries; the last rename wins and readers see a whole file):
//
//	"RLVRGC01" · key (32 bytes) · uvarint profile count
//	records:  uvarint ordinal · check (8 bytes LE) · grader panics (1 byte)
//	          · per profile: flags (1: correct, 2: has answer) · method · reason
//	          · [extracted, when it has an answer]   (strings: uvarint length + bytes)
//	trailer:  record count (8 bytes LE) · CRC-32C of everything before it
//	          and the count (4 bytes LE) · "GCE1"
//
// An entry is verified in full (size, magic, key, CRC, then the record count
// while decoding) before its first verdict is used; a truncated, bit-flipped
// or foreign entry counts as invalid and its file is regraded and the entry
// rewritten. Entries hold no response text: a few dozen bytes per sample,
// read as a stream (memory stays flat).

const (
	cacheMagic      = "RLVRGC01"
	cacheTrailMagic = "GCE1"
	cacheTrailLen   = 8 + 4 + 4
	cacheExt        = ".grades"
	// cacheFormatVersion changes when the entry encoding or the key material
	// changes.
	cacheFormatVersion = "rlvr-eval grade cache v1"
	// cacheMaxString bounds a decoded string (an extracted answer is short;
	// a larger length means a corrupt entry).
	cacheMaxString = 1 << 20
)

// Cache statuses of an input file, in run.json (ManifestInput.Cache).
const (
	// Hit: every graded record of the file came from the cache.
	Hit = "hit"
	// Miss: no entry; the file was graded and an entry written.
	Miss = "miss"
	// Invalid: an entry was found but failed verification (truncated,
	// corrupt, foreign); the file was regraded and the entry rewritten.
	Invalid = "invalid"
	// Partial: a valid entry lacked verdicts for some records (a record
	// that was a reject when the entry was written is a sample now); those were
	// graded, and the entry removed so that the next run writes a whole one.
	Partial = "partial"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Cache is a run's view of a cache folder.
type Cache struct {
	dir     string
	base    []byte // key material shared by every file of the run
	nprof   int
	mu      sync.Mutex
	open    map[*cacheWriter]struct{}
	written int
	failed  int
	lastErr error
}

// Run is what a run's entries are keyed by besides each file's own content.
type Run struct {
	// GraderVersion is the grader's version (grade.Version; another value
	// plays a grader upgrade).
	GraderVersion string
	// Profiles are the extraction profiles, in the run's order.
	Profiles []string
	// Evalset identifies the gold answers: "evalset/" and the evalset's
	// content hash, or "inline/" and its name when the records carry them.
	Evalset string
}

// Open opens (creating) the cache folder dir for a run keyed by r.
func Open(dir string, r Run) (*Cache, error) {
	profiles := r.Profiles
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache folder: %w", err)
	}
	var b []byte
	field := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	field(cacheFormatVersion)
	field(r.GraderVersion)
	field(schemas.Version)
	field(r.Evalset)
	b = binary.AppendUvarint(b, uint64(len(profiles)))
	for _, p := range profiles {
		field(p)
	}
	return &Cache{dir: dir, base: b, nprof: len(profiles), open: map[*cacheWriter]struct{}{}}, nil
}

// key is the entry key of one input file.
func (c *Cache) key(fileSHA256, format string, options map[string]string) [32]byte {
	h := sha256.New()
	field := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		io.WriteString(h, s)
	}
	h.Write(c.base)
	field(fileSHA256)
	field(format)
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	field(fmt.Sprint(len(keys)))
	for _, k := range keys {
		field(k)
		field(options[k])
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (c *Cache) path(key [32]byte) string {
	name := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, name[:2], name+cacheExt)
}

// Check is the check stored with a record's verdicts: the CRC-32C and
// the CRC-32 (IEEE) of its response and gold, side by side (two polynomials,
// both computed in hardware on common CPUs: hashing every response of a warm
// run costs little next to reading it).
func Check(response, gold string) uint64 {
	c, i := crc32.Update(0, crcTable, []byte(response)), crc32.Update(0, crc32.IEEETable, []byte(response))
	c, i = crc32.Update(c, crcTable, []byte{0}), crc32.Update(i, crc32.IEEETable, []byte{0})
	c, i = crc32.Update(c, crcTable, []byte(gold)), crc32.Update(i, crc32.IEEETable, []byte(gold))
	return uint64(c)<<32 | uint64(i)
}

// Verdicts are one record's verdicts, one per profile, and the number of
// grader panics grading it took (so that the run's warning counts the same).
type Verdicts struct {
	Profiles []grade.Verdict // one per profile, in the run's order
	Panics   int
}

// File is the cache state of one input file during a run. The resolve
// stage reads its entry (Lookup, Finish); the grade stage's in-order callback
// writes the new entry (Add, Commit).
type File struct {
	c      *Cache
	key    [32]byte
	status string

	// Read side.
	f      *os.File
	rd     *entryReader
	next   *cacheRecord // next undelivered record of the entry
	misses int64

	// write is set at lookup when the entry is missing or invalid (the file's
	// verdicts are to be written); read-only afterwards.
	write bool
	// Write side, used by the grading callback only: the new entry, and
	// whether writing it was given up (the folder could not be written, or
	// the run lost a batch to cancellation).
	w      *cacheWriter
	noSave bool
}

// File opens the entry of a file; a missing or invalid entry makes the
// file one to grade and write.
func (c *Cache) File(fileSHA256, format string, options map[string]string) *File {
	fc := &File{c: c, key: c.key(fileSHA256, format, options)}
	if fileSHA256 == "" {
		// The file could not be hashed (the run is failing): no cache use.
		fc.status = Miss
		return fc
	}
	f, err := os.Open(c.path(fc.key))
	if err != nil {
		fc.status, fc.write = Miss, true
		if !errors.Is(err, fs.ErrNotExist) {
			fc.status = Invalid
		}
		return fc
	}
	rd, err := openEntry(f, fc.key, c.nprof)
	if err != nil {
		f.Close()
		fc.status, fc.write = Invalid, true
		return fc
	}
	fc.f, fc.rd, fc.status = f, rd, Hit
	return fc
}

// Lookup returns the cached verdicts of the file's item number ord, or nil
// when the entry has none for it (the record must be graded). Ordinals are
// asked for in increasing order.
func (fc *File) Lookup(ord int64, check uint64) *Verdicts {
	if fc.rd == nil {
		fc.misses++
		return nil
	}
	for fc.next == nil || fc.next.ord < ord {
		r, err := fc.rd.next()
		if err != nil {
			// io.EOF: the entry has nothing more; anything else is a corrupt
			// record that passed the CRC, treated the same way.
			fc.closeRead()
			if !errors.Is(err, io.EOF) {
				fc.status = Invalid
			}
			fc.misses++
			return nil
		}
		fc.next = r
	}
	if fc.next.ord != ord || fc.next.check != check {
		fc.misses++
		return nil
	}
	v := &fc.next.verdicts
	fc.next = nil
	return v
}

func (fc *File) closeRead() {
	if fc.f != nil {
		fc.f.Close()
	}
	fc.f, fc.rd, fc.next = nil, nil, nil
}

// Finish ends the read side once every record of the file was resolved: it
// settles the file's status and removes an entry that proved partial.
func (fc *File) Finish() {
	if fc.rd != nil && fc.status == Hit {
		// Drain the rest to check the record count of the trailer.
		for {
			if _, err := fc.rd.next(); err != nil {
				if !errors.Is(err, io.EOF) {
					fc.status = Invalid
				}
				break
			}
		}
	}
	fc.closeRead()
	if !fc.write && (fc.misses > 0 || fc.status == Invalid) {
		if fc.status == Hit {
			fc.status = Partial
		}
		os.Remove(fc.c.path(fc.key))
	}
}

// Graded reports whether any record of the file was graded in this run.
func (fc *File) Graded() bool { return fc.status != Hit || fc.misses > 0 }

// Status is the file's cache status: Hit, Miss, Invalid or Partial (settled
// by Finish).
func (fc *File) Status() string { return fc.status }

// Writes reports whether the file's verdicts go into a new entry (its entry
// was missing or invalid): Commit must then follow its last Add.
func (fc *File) Writes() bool { return fc.write }

// Stats are what a run did to the cache folder.
type Stats struct {
	Dir string
	// Written counts the entries committed, Failed those that could not be
	// written (LastErr is the last such error).
	Written, Failed int
	LastErr         error
}

// Stats returns the run's counts so far.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Dir: c.dir, Written: c.written, Failed: c.failed, LastErr: c.lastErr}
}

// Add appends a graded (or cached) sample's verdicts to the file's new entry.
func (fc *File) Add(ord int64, check uint64, s *schemas.Sample, panics int) {
	if !fc.write || fc.noSave {
		return
	}
	if fc.w == nil {
		if fc.w = fc.c.create(fc.key); fc.w == nil {
			fc.noSave = true
			return
		}
	}
	fc.w.add(ord, check, s, panics)
}

// Commit renames the file's new entry into place (an empty entry for a file
// with no graded record). With lost set (a batch of the run was dropped on
// cancellation, so the entry may lack records) the entry is discarded instead.
func (fc *File) Commit(lost bool) {
	if !fc.write || fc.noSave || lost {
		if fc.w != nil {
			fc.c.finishWriter(fc.w, nil, false)
			fc.w = nil
		}
		return
	}
	if fc.w == nil {
		if fc.w = fc.c.create(fc.key); fc.w == nil {
			return
		}
	}
	fc.c.finishWriter(fc.w, fc.w.commit(), true)
	fc.w = nil
}

// create starts a new entry in a temp file; nil when the folder cannot be
// written (the run goes on uncached for that file).
func (c *Cache) create(key [32]byte) *cacheWriter {
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		c.fail(err)
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp-*")
	if err != nil {
		c.fail(err)
		return nil
	}
	w := &cacheWriter{f: f, path: p, crc: crc32.New(crcTable)}
	w.bw = bufio.NewWriterSize(io.MultiWriter(f, w.crc), 64<<10)
	w.bw.WriteString(cacheMagic)
	w.bw.Write(key[:])
	w.uvarint(uint64(c.nprof))
	c.mu.Lock()
	c.open[w] = struct{}{}
	c.mu.Unlock()
	return w
}

func (c *Cache) fail(err error) {
	c.mu.Lock()
	c.failed++
	c.lastErr = err
	c.mu.Unlock()
}

// finishWriter records the end of an entry: committed (err is commit's
// result) or, without committed, aborted.
func (c *Cache) finishWriter(w *cacheWriter, err error, committed bool) {
	if !committed {
		w.abort()
	}
	c.mu.Lock()
	delete(c.open, w)
	switch {
	case !committed:
	case err != nil:
		c.failed++
		c.lastErr = err
	default:
		c.written++
	}
	c.mu.Unlock()
}

// AbortOpen removes the temp files of entries a failed or cancelled run left
// unfinished.
func (c *Cache) AbortOpen() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for w := range c.open {
		w.abort()
		delete(c.open, w)
	}
}

// cacheWriter writes one entry.
type cacheWriter struct {
	f     *os.File
	path  string
	bw    *bufio.Writer
	crc   hash.Hash32
	count uint64
	buf   [binary.MaxVarintLen64]byte
}

func (w *cacheWriter) uvarint(x uint64) {
	w.bw.Write(w.buf[:binary.PutUvarint(w.buf[:], x)])
}

func (w *cacheWriter) str(s string) {
	w.uvarint(uint64(len(s)))
	w.bw.WriteString(s)
}

func (w *cacheWriter) verdict(correct bool, extracted *string, method, reason string) {
	var flags byte
	if correct {
		flags |= 1
	}
	if extracted != nil {
		flags |= 2
	}
	w.bw.WriteByte(flags)
	w.str(method)
	w.str(reason)
	if extracted != nil {
		w.str(*extracted)
	}
}

func (w *cacheWriter) add(ord int64, check uint64, s *schemas.Sample, panics int) {
	w.uvarint(uint64(ord))
	var c [8]byte
	binary.LittleEndian.PutUint64(c[:], check)
	w.bw.Write(c[:])
	w.bw.WriteByte(byte(min(panics, 255)))
	w.verdict(s.Correct, s.Extracted, s.ExtractMethod, s.Reason)
	for i := range s.Alt {
		a := &s.Alt[i]
		w.verdict(a.Correct, a.Extracted, a.ExtractMethod, a.Reason)
	}
	w.count++
}

// commit writes the trailer and renames the entry into place.
func (w *cacheWriter) commit() error {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], w.count)
	w.bw.Write(n[:])
	if err := w.bw.Flush(); err != nil {
		w.abort()
		return err
	}
	var t [8]byte
	binary.LittleEndian.PutUint32(t[:4], w.crc.Sum32())
	copy(t[4:], cacheTrailMagic)
	if _, err := w.f.Write(t[:]); err != nil {
		w.abort()
		return err
	}
	if err := w.f.Chmod(0o644); err != nil {
		w.abort()
		return err
	}
	if err := w.f.Close(); err != nil {
		os.Remove(w.f.Name())
		return err
	}
	if err := os.Rename(w.f.Name(), w.path); err != nil {
		os.Remove(w.f.Name())
		return err
	}
	return nil
}

func (w *cacheWriter) abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}

// cacheRecord is one decoded record of an entry.
type cacheRecord struct {
	ord      int64
	check    uint64
	verdicts Verdicts
}

// entryReader decodes a verified entry as a stream.
type entryReader struct {
	br      *bufio.Reader
	left    int64 // bytes of records left
	count   uint64
	decoded uint64
	nprof   int
	lastOrd int64
}

var errCorruptEntry = errors.New("corrupt cache entry")

// openEntry verifies an entry (size, magic, key, profile count, CRC) and
// returns a reader positioned at its first record.
func openEntry(f *os.File, key [32]byte, nprof int) (*entryReader, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	head := int64(len(cacheMagic) + len(key))
	if size < head+1+cacheTrailLen {
		return nil, errCorruptEntry
	}
	var trail [cacheTrailLen]byte
	if _, err := f.ReadAt(trail[:], size-cacheTrailLen); err != nil {
		return nil, err
	}
	if string(trail[12:]) != cacheTrailMagic {
		return nil, errCorruptEntry
	}
	crc := crc32.New(crcTable)
	if _, err := io.Copy(crc, io.NewSectionReader(f, 0, size-8)); err != nil {
		return nil, err
	}
	if crc.Sum32() != binary.LittleEndian.Uint32(trail[8:12]) {
		return nil, errCorruptEntry
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, size-cacheTrailLen), 64<<10)
	var hd [len(cacheMagic) + 32]byte
	if _, err := io.ReadFull(br, hd[:]); err != nil {
		return nil, err
	}
	if string(hd[:len(cacheMagic)]) != cacheMagic || [32]byte(hd[len(cacheMagic):]) != key {
		return nil, errCorruptEntry
	}
	r := &entryReader{br: br, left: size - cacheTrailLen - head, count: binary.LittleEndian.Uint64(trail[:8]), nprof: nprof, lastOrd: -1}
	n, err := r.uvarint()
	if err != nil || n != uint64(nprof) {
		return nil, errCorruptEntry
	}
	return r, nil
}

func (r *entryReader) byte() (byte, error) {
	if r.left <= 0 {
		return 0, errCorruptEntry
	}
	b, err := r.br.ReadByte()
	if err != nil {
		return 0, errCorruptEntry
	}
	r.left--
	return b, nil
}

func (r *entryReader) uvarint() (uint64, error) {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x, nil
		}
	}
	return 0, errCorruptEntry
}

func (r *entryReader) str() (string, error) {
	n, err := r.uvarint()
	if err != nil || n > cacheMaxString || int64(n) > r.left {
		return "", errCorruptEntry
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.br, b); err != nil {
		return "", errCorruptEntry
	}
	r.left -= int64(n)
	return string(b), nil
}

// next decodes the next record; io.EOF after the last one (when the count
// matches the trailer's), errCorruptEntry on anything malformed.
func (r *entryReader) next() (*cacheRecord, error) {
	if r.left == 0 {
		if r.decoded != r.count {
			return nil, errCorruptEntry
		}
		return nil, io.EOF
	}
	ord, err := r.uvarint()
	if err != nil || int64(ord) <= r.lastOrd || ord > 1<<62 {
		return nil, errCorruptEntry
	}
	rec := &cacheRecord{ord: int64(ord)}
	r.lastOrd = rec.ord
	var c [8]byte
	for i := range c {
		if c[i], err = r.byte(); err != nil {
			return nil, err
		}
	}
	rec.check = binary.LittleEndian.Uint64(c[:])
	p, err := r.byte()
	if err != nil {
		return nil, err
	}
	rec.verdicts.Panics = int(p)
	rec.verdicts.Profiles = make([]grade.Verdict, r.nprof)
	for i := range rec.verdicts.Profiles {
		v := &rec.verdicts.Profiles[i]
		flags, err := r.byte()
		if err != nil || flags&^3 != 0 {
			return nil, errCorruptEntry
		}
		v.Correct, v.HasAnswer = flags&1 != 0, flags&2 != 0
		if v.ExtractMethod, err = r.str(); err != nil {
			return nil, err
		}
		if v.Reason, err = r.str(); err != nil {
			return nil, err
		}
		if v.HasAnswer {
			if v.Extracted, err = r.str(); err != nil {
				return nil, err
			}
		}
	}
	r.decoded++
	if r.decoded > r.count {
		return nil, errCorruptEntry
	}
	return rec, nil
}
