package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
	"gocloud.dev/blob"
)

// backend is one kind of location the store serves: root is an empty folder
// (or bucket prefix) of it.
type backend struct {
	name string
	root func(t *testing.T) Location
}

var backends = []backend{
	{"plain", func(t *testing.T) Location { return Local(t.TempDir()) }},
	{"file", func(t *testing.T) Location { return MustParse("file://" + filepath.ToSlash(t.TempDir())) }},
	{"s3", func(t *testing.T) Location { return MustParse(s3test.Bucket(t)).Join("run", "root") }},
}

func forEach(t *testing.T, fn func(t *testing.T, s *Store, root Location)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			root := b.root(t)
			s := NewStore()
			t.Cleanup(func() { s.Close() })
			fn(t, s, root)
		})
	}
}

// treeKeys is a run's worth of keys: nested folders, Hive-escaped names,
// spaces, look-alike names that a wrong pattern would catch.
var treeKeys = []string{
	"top.jsonl",
	"gens/a/step1/seed0.jsonl",
	"gens/a/step1/seed1.jsonl",
	"gens/a/step2/seed0.jsonl",
	"gens/a/step2/seed0.jsonl.bak",
	"gens/b/step10/seed0.jsonl",
	"gens/b/x/deep/er/f.jsonl",
	"gens/c d/step1/seed0.jsonl",
	"gens/ab/step3/seed5.parquet",
	"gens/x/step1/seed0.jsonl",
	"samples/family=q/reward=format%2Fboxed/part-0-of-4.parquet",
	"samples/family=q/reward=random/part-1-of-4.parquet",
	"samplesX/part.parquet",
}

var globPatterns = []string{
	"*.jsonl", "**/*.jsonl", "**", "gens/**", "gens/*/step*/seed?.jsonl", "gens/*/step1/*.jsonl",
	"gens/[ab]*/**/*.parquet", "gens/[^a]/**", "gens/**/deep/**/*.jsonl", "gens/a/step2/seed0.jsonl",
	"gens/a", "nomatch/*", "samples/**/*.parquet", "samples/family=q/reward=*/part-*-of-4.parquet",
	"gens/c d/*/*", "**/step1/**",
}

// oracle turns a glob into a regexp independently of matchSegments.
func oracle(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i, seg := range strings.Split(p, "/") {
		last := i == len(strings.Split(p, "/"))-1
		if seg == "**" {
			if last {
				b.WriteString(`.*`)
			} else {
				b.WriteString(`(?:[^/]+/)*`)
			}
			continue
		}
		for j := 0; j < len(seg); j++ {
			switch c := seg[j]; c {
			case '*':
				b.WriteString(`[^/]*`)
			case '?':
				b.WriteString(`[^/]`)
			case '[':
				k := strings.IndexByte(seg[j:], ']')
				b.WriteString(seg[j : j+k+1])
				j += k
			default:
				b.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		if !last {
			b.WriteString("/")
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// TestGlob writes the same tree to every backend and checks each pattern's
// matches against the regexp oracle: the file-system walk and the key
// listing agree with it, and so with each other.
func TestGlob(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store, root Location) {
		ctx := context.Background()
		for _, k := range treeKeys {
			if err := s.WriteFile(ctx, root.Join(k), []byte(k)); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range globPatterns {
			got, err := s.Glob(ctx, root.Join(p))
			if err != nil {
				t.Fatalf("Glob(%q): %v", p, err)
			}
			var rels []string
			for _, e := range got {
				rel, ok := e.Loc.Rel(root)
				if !ok {
					t.Fatalf("Glob(%q): %q is not below %q", p, e.Loc, root)
				}
				if e.Loc.Query() != root.Query() {
					t.Fatalf("Glob(%q): %q lost the query", p, e.Loc)
				}
				if e.Size != int64(len(rel)) {
					t.Errorf("Glob(%q): %s has size %d, want %d", p, rel, e.Size, len(rel))
				}
				rels = append(rels, rel)
			}
			re := oracle(p)
			var want []string
			for _, k := range treeKeys {
				if re.MatchString(k) {
					want = append(want, k)
				}
			}
			slices.Sort(want)
			if !slices.Equal(rels, want) {
				t.Errorf("Glob(%q):\n got %q\nwant %q", p, rels, want)
			}
		}
		if _, err := s.Glob(ctx, root.Join("gens/[a/*.jsonl")); err == nil || !strings.Contains(err.Error(), "[a") {
			t.Errorf("a malformed pattern: want an error naming it, got %v", err)
		}
		// List: every file below a folder.
		all, err := s.List(ctx, root.Join("gens"))
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 9 {
			t.Errorf("List(gens): %d files, want 9", len(all))
		}
		none, err := s.List(ctx, root.Join("absent"))
		if err != nil || len(none) != 0 {
			t.Errorf("List of a missing folder: %v, %v", none, err)
		}
	})
}

// rawNames lists every name below root, temporary ones included.
func rawNames(t *testing.T, s *Store, root Location) []string {
	t.Helper()
	var out []string
	if root.IsLocal() || root.Scheme() == "file" {
		filepath.WalkDir(root.Path(), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				r, _ := filepath.Rel(root.Path(), p)
				out = append(out, filepath.ToSlash(r))
			}
			return nil
		})
		return out
	}
	b, err := s.bucket(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	it := b.List(&blob.ListOptions{Prefix: root.Key() + "/"})
	for {
		o, err := it.Next(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimPrefix(o.Key, root.Key()+"/"))
	}
}

func TestAtomicWrite(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store, root Location) {
		ctx := context.Background()
		target := root.Join("out", "metrics.parquet")
		if err := s.WriteFile(ctx, target, []byte("old")); err != nil {
			t.Fatal(err)
		}
		w, err := s.Create(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		payload := bytes.Repeat([]byte("new content "), 100000) // 1.2 MB: more than one upload part buffer
		if _, err := w.Write(payload); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ReadFile(ctx, target); string(got) != "old" {
			t.Fatalf("before Commit the target reads %d bytes, want the old content", len(got))
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := w.Abort(); err != nil {
			t.Errorf("Abort after Commit: %v", err)
		}
		if err := w.Commit(); err == nil {
			t.Error("a second Commit succeeded")
		}
		if got, _ := s.ReadFile(ctx, target); !bytes.Equal(got, payload) {
			t.Fatalf("after Commit the target reads %d bytes, want %d", len(got), len(payload))
		}
		// An aborted write changes nothing and leaves nothing.
		w, err = s.Create(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("discarded"))
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("x")); err == nil {
			t.Error("Write after Abort succeeded")
		}
		if got, _ := s.ReadFile(ctx, target); !bytes.Equal(got, payload) {
			t.Fatal("Abort changed the target")
		}
		if names := rawNames(t, s, root); !slices.Equal(names, []string{"out/metrics.parquet"}) {
			t.Errorf("after commit and abort the folder holds %q, want only the target", names)
		}
		// A writer never committed (its process died) is invisible to Glob,
		// List and Stat of the target.
		fresh := root.Join("out", "fresh.json")
		w, err = s.Create(ctx, fresh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("{}"))
		if !root.IsLocal() {
			// Objects are uploaded at Commit or as parts: flush one part.
			w.Write(bytes.Repeat([]byte{' '}, 6<<20))
		}
		if ok, err := s.Exists(ctx, fresh); ok || err != nil {
			t.Errorf("an uncommitted write exists: %v, %v", ok, err)
		}
		got, err := s.List(ctx, root.Join("out"))
		if err != nil || len(got) != 1 {
			t.Errorf("List shows an uncommitted write: %v, %v", got, err)
		}
		w.Abort()
		if err := s.Delete(ctx, fresh); err != nil {
			t.Errorf("Delete of a missing file: %v", err)
		}
		if err := s.Delete(ctx, target); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Exists(ctx, target); ok {
			t.Error("Delete left the target")
		}
	})
}

// TestKilledWriter runs a writer in a child process and SIGKILLs it mid-way:
// the target keeps its old content (or stays absent) and listings show no
// temporary name.
func TestKilledWriter(t *testing.T) {
	if os.Getenv("STORAGE_TEST_CHILD") != "" {
		return
	}
	forEach(t, func(t *testing.T, s *Store, root Location) {
		ctx := context.Background()
		target := root.Join("shard", "part-0-of-2.parquet")
		if err := s.WriteFile(ctx, target, []byte("previous try")); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterChild$")
		cmd.Env = append(os.Environ(), "STORAGE_TEST_CHILD="+target.String())
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line := make([]byte, 8)
		if _, err := io.ReadFull(out, line); err != nil || string(line) != "writing\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %q %v", line, err)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if got, err := s.ReadFile(ctx, target); err != nil || string(got) != "previous try" {
			t.Fatalf("after a killed write the target reads %q, %v", got, err)
		}
		listed, err := s.List(ctx, root)
		if err != nil || len(listed) != 1 {
			t.Fatalf("after a killed write List gives %v, %v; want only the target", listed, err)
		}
	})
}

// TestKilledWriterChild is the child of TestKilledWriter: it writes to the
// location in STORAGE_TEST_CHILD until killed.
func TestKilledWriterChild(t *testing.T) {
	loc := os.Getenv("STORAGE_TEST_CHILD")
	if loc == "" {
		t.Skip("child of TestKilledWriter")
	}
	s := NewStore()
	w, err := s.Create(context.Background(), MustParse(loc))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for i := 0; ; i++ {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
		if i == 12 { // past two upload parts
			os.Stdout.WriteString("writing\n")
		}
		if i > 12 {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func TestErrorsNameTheLocation(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store, root Location) {
		ctx := context.Background()
		missing := root.Join("no", "such.jsonl")
		_, err1 := s.ReadFile(ctx, missing)
		_, err2 := s.Stat(ctx, missing)
		_, err3 := s.OpenReaderAt(ctx, missing)
		for i, err := range []error{err1, err2, err3} {
			if !IsNotExist(err) {
				t.Errorf("op %d on a missing key: want fs.ErrNotExist, got %v", i, err)
			}
			if err == nil || !strings.Contains(err.Error(), missing.String()) {
				t.Errorf("op %d: error %v does not name %s", i, err, missing)
			}
			var e *Error
			if !errors.As(err, &e) || e.Loc != missing.String() {
				t.Errorf("op %d: want a *storage.Error for %s, got %T", i, missing, err)
			}
		}
		if root.Query() != "" && !strings.Contains(err1.Error(), "?"+root.Query()) {
			t.Errorf("error %v does not keep the query", err1)
		}
		if ok, err := s.Exists(ctx, missing); ok || err != nil {
			t.Errorf("Exists(missing) = %v, %v", ok, err)
		}
	})
}

func TestMissingDriver(t *testing.T) {
	s := NewStore()
	defer s.Close()
	for scheme, tag := range Schemes {
		if tag == "" || blob.DefaultURLMux().ValidBucketScheme(scheme) {
			continue
		}
		l := MustParse(scheme + "://bucket/key")
		_, err := s.ReadFile(context.Background(), l)
		if !errors.Is(err, ErrNoDriver) || !strings.Contains(err.Error(), "-tags "+tag) || !strings.Contains(err.Error(), l.String()) {
			t.Errorf("%s without its driver: %v", scheme, err)
		}
	}
}

func TestReaderAt(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store, root Location) {
		ctx := context.Background()
		data := make([]byte, 10000)
		for i := range data {
			data[i] = byte(i * 7)
		}
		l := root.Join("blob.bin")
		if err := s.WriteFile(ctx, l, data); err != nil {
			t.Fatal(err)
		}
		r, err := s.OpenReaderAt(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if r.Size() != int64(len(data)) {
			t.Fatalf("Size %d", r.Size())
		}
		for _, c := range []struct{ off, n int }{{0, 10}, {9990, 10}, {5000, 3000}, {9995, 10}, {10000, 5}} {
			p := make([]byte, c.n)
			n, err := r.ReadAt(p, int64(c.off))
			wantN := min(c.n, len(data)-c.off)
			if n != wantN || !bytes.Equal(p[:n], data[c.off:c.off+wantN]) {
				t.Errorf("ReadAt(%d, %d): %d bytes, want %d", c.off, c.n, n, wantN)
			}
			if (wantN < c.n) != (err == io.EOF) || err != nil && err != io.EOF {
				t.Errorf("ReadAt(%d, %d): err %v", c.off, c.n, err)
			}
		}
	})
}

type row struct {
	Checkpoint string  `parquet:"checkpoint,dict"`
	Problem    int64   `parquet:"problem"`
	Accuracy   float64 `parquet:"accuracy"`
}

// TestParquetRoundTrip writes a Parquet file through a Writer and reads it
// back through OpenReaderAt, as tables and lighteval inputs will be.
func TestParquetRoundTrip(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store, root Location) {
		ctx := context.Background()
		var rows []row
		for i := 0; i < 5000; i++ {
			rows = append(rows, row{fmt.Sprint("m/r/step", i%7), int64(i), float64(i%13) / 13})
		}
		l := root.Join("problems.parquet")
		w, err := s.Create(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		if err := parquet.Write(w, rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		r, err := s.OpenReaderAt(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		got, err := parquet.Read[row](r, r.Size())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, rows) {
			t.Fatalf("read back %d rows, wrote %d (or they differ)", len(got), len(rows))
		}
	})
}

func TestWaitFor(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store, root Location) {
		marker := root.Join("_shards", "shard-0-of-1.json")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.WaitFor(ctx, marker, time.Millisecond); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), marker.String()) {
			t.Errorf("WaitFor a marker that never comes: %v", err)
		}
		done := make(chan error, 1)
		wctx, wcancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer wcancel()
		go func() {
			_, err := s.WaitFor(wctx, marker, 20*time.Millisecond)
			done <- err
		}()
		if err := s.WriteFile(context.Background(), marker, []byte("{}")); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Errorf("WaitFor after the marker was written: %v", err)
		}
	})
}

func TestTempNames(t *testing.T) {
	for name, want := range map[string]bool{
		".tmp-part-0-of-4.parquet-0123456789abcdef": true,
		".metrics.parquet.tmp-123456":               true,
		"part-0-of-4.parquet.18a2b3c4d5e6f708.tmp":  true,
		"part-0-of-4.parquet":                       false,
		"notes.tmp":                                 false,
		"tmp-x.jsonl":                               false,
		".hidden.jsonl":                             false,
	} {
		if isTemp(name) != want {
			t.Errorf("isTemp(%q) = %v, want %v", name, !want, want)
		}
	}
}
