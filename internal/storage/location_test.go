package storage

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in                         string
		scheme, bucket, key, query string
		path                       string
	}{
		{in: "gens/a.jsonl", key: "gens/a.jsonl", path: "gens/a.jsonl"},
		{in: "/abs/gens/**/*.jsonl", key: "/abs/gens/**/*.jsonl", path: "/abs/gens/**/*.jsonl"},
		{in: "", key: ""},
		{in: "weird:name/x", key: "weird:name/x", path: "weird:name/x"},
		{in: "file:///data/gens/x.jsonl", scheme: "file", key: "data/gens/x.jsonl", path: "/data/gens/x.jsonl"},
		{in: "file://localhost/data/x", scheme: "file", key: "data/x", path: "/data/x"},
		{in: "s3://bucket", scheme: "s3", bucket: "bucket"},
		{in: "s3://bucket/", scheme: "s3", bucket: "bucket"},
		{in: "s3://bucket/runs/2026-12-02/", scheme: "s3", bucket: "bucket", key: "runs/2026-12-02"},
		{in: "S3://bucket//a/./b/../c", scheme: "s3", bucket: "bucket", key: "a/c"},
		{in: "s3://bucket/prefix?endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1",
			scheme: "s3", bucket: "bucket", key: "prefix", query: "endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1"},
		{in: "gs://b/gens/{model}/{reward}/step{step}.jsonl", scheme: "gs", bucket: "b", key: "gens/{model}/{reward}/step{step}.jsonl"},
		{in: "azblob://container/a/b?protocol=http&domain=127.0.0.1:10000", scheme: "azblob", bucket: "container", key: "a/b", query: "protocol=http&domain=127.0.0.1:10000"},
		{in: "s3://b/samples/reward=format%252Fboxed/p.parquet", scheme: "s3", bucket: "b", key: "samples/reward=format%2Fboxed/p.parquet"},
		{in: "s3://b/gens/[ab]*/**", scheme: "s3", bucket: "b", key: "gens/[ab]*/**"},
	}
	for _, c := range cases {
		l, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if l.Scheme() != c.scheme || l.Bucket() != c.bucket || l.Key() != c.key || l.Query() != c.query || l.Path() != c.path {
			t.Errorf("Parse(%q) = scheme %q bucket %q key %q query %q path %q; want %q %q %q %q %q",
				c.in, l.Scheme(), l.Bucket(), l.Key(), l.Query(), l.Path(), c.scheme, c.bucket, c.key, c.query, c.path)
		}
		if l.IsLocal() != (c.scheme == "") {
			t.Errorf("Parse(%q).IsLocal() = %v", c.in, l.IsLocal())
		}
		// The String of a Location parses back to it.
		back, err := Parse(l.String())
		if err != nil || back != l {
			t.Errorf("Parse(%q).String() = %q, which parses to %+v, %v", c.in, l.String(), back, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for in, want := range map[string]string{
		"hdfs://nn/x":                "found hdfs://",
		"http://example.com/x":       "found http://",
		"s3:///key":                  "found no bucket",
		"file://host/x":              `found host "host"`,
		"s3://b/k#frag":              "#fragment",
		"s3://user:secret@b/k":       "credentials come from the driver's environment",
		"s3://b/k%zz":                "invalid URL escape",
		"gs://b/x\x00":               "invalid control character",
		"azblob://c/a b?x=1#section": "#fragment",
	} {
		_, err := Parse(in)
		if !errors.Is(err, ErrLocation) || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q): want ErrLocation containing %q, got %v", in, want, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("Parse(%q): the error shows the password: %v", in, err)
		}
	}
}

// TestDerivedKeepQuery: every location derived from a URL keeps its query
// (and bucket), whatever the derivation.
func TestDerivedKeepQuery(t *testing.T) {
	const q = "endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1"
	base := MustParse("s3://bucket/out/run?" + q)
	derived := map[string]Location{
		"Join":          base.Join("samples", "family=x", "part-0-of-4.parquet"),
		"Join ..":       base.Join("..", "cache"),
		"Dir":           base.Dir(),
		"Dir of root":   base.Dir().Dir().Dir(),
		"WithKey":       base.WithKey("gens/a/step1.jsonl"),
		"Resolve rel":   mustResolve(t, base, "gens/{model}/step{step}.jsonl"),
		"Resolve ../":   mustResolve(t, base, "../../evalsets/math500.jsonl"),
		"Resolve ./dot": mustResolve(t, base, "./x"),
	}
	for name, l := range derived {
		if l.Query() != q || l.Bucket() != "bucket" || l.Scheme() != "s3" {
			t.Errorf("%s: %q lost the query or bucket", name, l)
		}
		if !strings.HasSuffix(l.String(), "?"+q) {
			t.Errorf("%s: String %q does not end with the query", name, l)
		}
	}
	if got := derived["Join"].Key(); got != "out/run/samples/family=x/part-0-of-4.parquet" {
		t.Errorf("Join key %q", got)
	}
	if got := derived["Resolve ../"].Key(); got != "evalsets/math500.jsonl" {
		t.Errorf("Resolve ../ key %q", got)
	}
	if got := derived["Dir of root"].Key(); got != "" {
		t.Errorf("Dir of the root: key %q", got)
	}
	if rel, ok := derived["Join"].Rel(base); !ok || rel != "samples/family=x/part-0-of-4.parquet" {
		t.Errorf("Rel = %q, %v", rel, ok)
	}
	if _, ok := base.WithKey("outside").Rel(base); ok {
		t.Error("Rel: a key outside base is inside")
	}
	if _, ok := MustParse("s3://bucket/out/run/x").Rel(base); ok {
		t.Error("Rel: a location without base's query is inside it")
	}
}

func mustResolve(t *testing.T, base Location, p string) Location {
	t.Helper()
	l, err := Resolve(base, p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestPlainPathsAsBefore: plain paths resolve, join and relativise exactly
// as the filepath functions the pipeline used before.
func TestPlainPathsAsBefore(t *testing.T) {
	for _, c := range []struct{ base, p string }{
		{"/cfg", "gens/x.jsonl"}, {"/cfg", "/abs/x.jsonl"}, {"cfg", "../x"}, {"", "x/y"}, {"/cfg/", "./a//b"},
	} {
		l := mustResolve(t, Local(c.base), c.p)
		want := c.p
		if c.base != "" && !filepath.IsAbs(c.p) {
			want = filepath.Join(c.base, c.p)
		}
		if !l.IsLocal() || l.Path() != want || l.String() != want {
			t.Errorf("Resolve(%q, %q) = %q, want %q", c.base, c.p, l, want)
		}
	}
	l := Local("/a/b").Join("c", "../d.json")
	if l.Path() != filepath.Join("/a/b", "c", "../d.json") || l.Base() != "d.json" || l.Dir().Path() != "/a/b" {
		t.Errorf("Join/Base/Dir of a plain path: %q %q %q", l, l.Base(), l.Dir())
	}
	if rel, ok := Local("/a/b/c/d").Rel(Local("/a/b")); !ok || rel != "c/d" {
		t.Errorf("Rel = %q %v", rel, ok)
	}
	if _, ok := Local("/a/bc").Rel(Local("/a/b")); ok {
		t.Error("Rel: /a/bc inside /a/b")
	}
}

func FuzzLocationRoundTrip(f *testing.F) {
	for _, s := range []string{"a/b", "reward=format%2Fboxed/p.parquet", "sp ace/ü", "x?y", "[ab]*", "a/../b", "%"} {
		f.Add(s, "endpoint=http://127.0.0.1:9000&region=us-east-1")
	}
	f.Fuzz(func(t *testing.T, key, query string) {
		if strings.ContainsAny(query, "#") || strings.ContainsFunc(key+query, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return
		}
		l := MustParse("s3://bucket").WithKey(key)
		l.query = query
		back, err := Parse(l.String())
		if err != nil {
			if strings.Contains(query, "%") { // a query the URL syntax rejects
				return
			}
			t.Fatalf("Parse(%q): %v", l.String(), err)
		}
		if back.Key() != l.Key() || back.Query() != l.Query() && !strings.Contains(query, "%") {
			t.Fatalf("key %q query %q: String %q parses to key %q query %q", l.Key(), l.Query(), l.String(), back.Key(), back.Query())
		}
	})
}

func TestWithoutQuery(t *testing.T) {
	l := MustParse("s3://b/gens/a.jsonl?endpoint=http://127.0.0.1:9000&region=us-east-1")
	if got := l.WithoutQuery().String(); got != "s3://b/gens/a.jsonl" {
		t.Errorf("WithoutQuery = %q", got)
	}
	if l.Query() == "" {
		t.Error("WithoutQuery changed its receiver")
	}
	if got := Local("gens/a.jsonl").WithoutQuery().String(); got != "gens/a.jsonl" {
		t.Errorf("plain WithoutQuery = %q", got)
	}
}
