package gradecache

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// TestCacheEntryNilVersusEmpty: an empty extracted answer stays an empty
// answer and a missing one stays missing, in the main verdict and in Alt.
func TestCacheEntryNilVersusEmpty(t *testing.T) {
	c, err := Open(t.TempDir(), Run{GraderVersion: grade.Version, Profiles: []string{"strict", "lenient", "x"}, Evalset: "test"})
	if err != nil {
		t.Fatal(err)
	}
	empty, text := "", "x = 1"
	in := []schemas.Sample{
		{Correct: true, Extracted: &empty, ExtractMethod: "boxed", Reason: "text",
			Alt: []schemas.AltVerdict{{Profile: "lenient", ExtractMethod: "none", Reason: "no_answer"}, {Profile: "x", Correct: true, Extracted: &text, ExtractMethod: "", Reason: ""}}},
		{ExtractMethod: "none", Reason: "no_answer",
			Alt: []schemas.AltVerdict{{Profile: "lenient", Extracted: &empty, ExtractMethod: "last_number", Reason: "mismatch"}, {Profile: "x", Extracted: &text}}},
	}
	key := c.key("sha", "f", nil)
	w := c.create(key)
	for i := range in {
		w.add(int64(i), uint64(i), &in[i], 0)
	}
	c.finishWriter(w, w.commit(), true)
	fc := c.File("sha", "f", nil)
	for i, s := range in {
		cv := fc.Lookup(int64(i), uint64(i))
		if cv == nil {
			t.Fatalf("record %d not found", i)
		}
		want := []grade.Verdict{{Correct: s.Correct, HasAnswer: s.Extracted != nil, ExtractMethod: s.ExtractMethod, Reason: s.Reason}}
		if s.Extracted != nil {
			want[0].Extracted = *s.Extracted
		}
		for _, a := range s.Alt {
			v := grade.Verdict{Correct: a.Correct, HasAnswer: a.Extracted != nil, ExtractMethod: a.ExtractMethod, Reason: a.Reason}
			if a.Extracted != nil {
				v.Extracted = *a.Extracted
			}
			want = append(want, v)
		}
		if !reflect.DeepEqual(cv.Profiles, want) {
			t.Errorf("record %d: %+v, want %+v", i, cv.Profiles, want)
		}
	}
	fc.Finish()
	if fc.status != Hit || fc.Graded() {
		t.Errorf("status %q, graded %v", fc.status, fc.Graded())
	}
}

// TestCacheKeyFields: every part of the key changes it; option order does not.
func TestCacheKeyFields(t *testing.T) {
	gv := grade.Version
	base := func(profiles []string, ev string) *Cache {
		c, err := Open(t.TempDir(), Run{GraderVersion: gv, Profiles: profiles, Evalset: ev})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := base([]string{"strict"}, "evalset/abc")
	k := c.key("f", "canonical", map[string]string{"x": "1", "y": "2"})
	if k != c.key("f", "canonical", map[string]string{"y": "2", "x": "1"}) {
		t.Error("option order changed the key")
	}
	others := map[string][32]byte{
		"file":       c.key("g", "canonical", map[string]string{"x": "1", "y": "2"}),
		"format":     c.key("f", "jsonl", map[string]string{"x": "1", "y": "2"}),
		"option":     c.key("f", "canonical", map[string]string{"x": "1", "y": "3"}),
		"option key": c.key("f", "canonical", map[string]string{"x": "1", "z": "2"}),
		"ambiguity":  c.key("f", "canonical", map[string]string{"x": "1y", "": "2"}),
		"profiles":   base([]string{"strict", "lenient"}, "evalset/abc").key("f", "canonical", map[string]string{"x": "1", "y": "2"}),
		"evalset":    base([]string{"strict"}, "evalset/abd").key("f", "canonical", map[string]string{"x": "1", "y": "2"}),
	}
	gv = "0.0.0-test"
	others["grader"] = base([]string{"strict"}, "evalset/abc").key("f", "canonical", map[string]string{"x": "1", "y": "2"})
	for name, o := range others {
		if o == k {
			t.Errorf("a different %s gives the same key", name)
		}
	}
}

// entryBytes returns a valid entry holding n records under nprof profiles.
func entryBytes(t testing.TB, key [32]byte, nprof, n int) []byte {
	dir := t.TempDir()
	names := make([]string, nprof)
	for i := range names {
		names[i] = "strict"
	}
	c, err := Open(dir, Run{GraderVersion: grade.Version, Profiles: names, Evalset: "x"})
	if err != nil {
		t.Fatal(err)
	}
	w := c.create(key)
	ex := "42"
	for i := 0; i < n; i++ {
		s := schemas.Sample{Correct: i%3 == 0, ExtractMethod: "boxed", Reason: "numeric", Extracted: &ex}
		for k := 1; k < nprof; k++ {
			s.Alt = append(s.Alt, schemas.AltVerdict{Profile: "strict", ExtractMethod: "none", Reason: "no_answer"})
		}
		w.add(int64(2*i), uint64(i)*0x9e3779b97f4a7c15, &s, 0)
	}
	if err := w.commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzCacheEntry: no entry content, raw or with a valid CRC around a fuzzed
// body, makes the decoder panic, loop or return a record of the wrong shape.
func FuzzCacheEntry(f *testing.F) {
	var key [32]byte
	copy(key[:], "fuzz-key-fuzz-key-fuzz-key-fuzz!")
	valid := entryBytes(f, key, 2, 3)
	body := valid[len(cacheMagic)+32+1 : len(valid)-cacheTrailLen]
	f.Add(valid, uint64(0), true)
	f.Add(valid[:len(valid)-5], uint64(0), true)
	f.Add(body, uint64(3), false)
	f.Add(body, uint64(2), false)
	f.Add(body[:len(body)/2], uint64(1), false)
	f.Add([]byte{0x80, 0x80, 0x80}, uint64(1), false)
	f.Add([]byte{}, uint64(0), false)
	f.Fuzz(func(t *testing.T, data []byte, count uint64, raw bool) {
		file := data
		if !raw {
			var b bytes.Buffer
			b.WriteString(cacheMagic)
			b.Write(key[:])
			b.WriteByte(2)
			b.Write(data)
			binary.Write(&b, binary.LittleEndian, count)
			binary.Write(&b, binary.LittleEndian, crc32.Checksum(b.Bytes(), crcTable))
			b.WriteString(cacheTrailMagic)
			file = b.Bytes()
		}
		p := filepath.Join(t.TempDir(), "e")
		if err := os.WriteFile(p, file, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		r, err := openEntry(fh, key, 2)
		if err != nil {
			return
		}
		last := int64(-1)
		for i := 0; i <= len(file); i++ {
			rec, err := r.next()
			if err != nil {
				if err != io.EOF && err != errCorruptEntry {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if len(rec.verdicts.Profiles) != 2 || rec.ord <= last {
				t.Fatalf("record %+v after ordinal %d", rec, last)
			}
			last = rec.ord
		}
		t.Fatal("the decoder returned more records than the entry has bytes")
	})
}

// BenchmarkCacheEntryRead decodes an entry of 10,000 records (two profiles),
// the per-file cost of a warm run besides reading the file itself.
func BenchmarkCacheEntryRead(b *testing.B) {
	var key [32]byte
	data := entryBytes(b, key, 2, 10000)
	p := filepath.Join(b.TempDir(), "e")
	os.WriteFile(p, data, 0o644)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		r, err := openEntry(f, key, 2)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.next(); err != nil {
				break
			}
			n++
		}
		f.Close()
		if n != 10000 {
			b.Fatalf("%d records", n)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "records/s")
}
