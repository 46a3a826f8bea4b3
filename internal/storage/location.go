package storage

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Location is a plain path or an object-store URL. The zero Location is the
// empty plain path. Locations are values: every method returns a new one.
type Location struct {
	scheme string // "" for a plain path
	bucket string // the URL's host: bucket or container ("" for file://)
	key    string // plain: the OS path as given; URL: slash-separated, no leading "/"
	query  string // the URL's raw query, the driver's own, kept as written
}

var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)

// IsURL reports whether s is written as a URL (scheme://...) rather than a
// plain path.
func IsURL(s string) bool { return schemeRE.MatchString(s) }

// Parse reads a user's path. A string without "scheme://" is a plain path,
// kept exactly as written (relative paths stay relative; see Resolve). A URL
// must have one of the Schemes; its host is the bucket (s3, gs: the bucket;
// azblob: the container; file: empty or "localhost"), its path the key, and
// its query string is kept for the driver. In a URL, "?" starts the query: a
// glob's one-character wildcard is written "[^/]" there.
func Parse(s string) (Location, error) {
	if !IsURL(s) {
		return Location{key: s}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return Location{}, fmt.Errorf("%w: %q: %v", ErrLocation, s, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if _, ok := Schemes[scheme]; !ok {
		return Location{}, fmt.Errorf("%w: %q: expected a plain path or a URL of scheme s3://, gs://, azblob:// or file://, found %s://", ErrLocation, s, u.Scheme)
	}
	if u.Fragment != "" || strings.Contains(s, "#") {
		return Location{}, fmt.Errorf("%w: %q: expected no #fragment in a storage URL (write # in a key as %%23)", ErrLocation, s)
	}
	if u.User != nil {
		return Location{}, fmt.Errorf("%w: %q: expected no user or password in the URL: credentials come from the driver's environment", ErrLocation, redact(u))
	}
	l := Location{scheme: scheme, bucket: u.Host, query: u.RawQuery}
	if scheme == "file" {
		if u.Host != "" && u.Host != "localhost" {
			return Location{}, fmt.Errorf("%w: %q: expected file:///absolute/path, found host %q", ErrLocation, s, u.Host)
		}
		l.bucket = ""
	} else if u.Host == "" {
		return Location{}, fmt.Errorf("%w: %q: expected %s://BUCKET/key, found no bucket", ErrLocation, s, scheme)
	}
	l.key = cleanKey(u.Path)
	return l, nil
}

func redact(u *url.URL) string {
	c := *u
	c.User = url.User("REDACTED")
	return c.String()
}

// MustParse is Parse for locations known to be valid; it panics otherwise.
func MustParse(s string) Location {
	l, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return l
}

// Local is the plain path p.
func Local(p string) Location { return Location{key: p} }

// cleanKey is a URL path as a key: slash-cleaned, without leading "/", "" for
// the bucket's root. A trailing "/" is kept off: keys name objects or folders.
func cleanKey(p string) string {
	if p == "" || p == "/" {
		return ""
	}
	c := path.Clean("/" + p)
	return strings.TrimPrefix(c, "/")
}

// IsLocal reports whether l is a plain path (not a URL, file:// included).
func (l Location) IsLocal() bool { return l.scheme == "" }

// Scheme is the URL's scheme ("s3", "gs", "azblob", "file"), "" for a plain path.
func (l Location) Scheme() string { return l.scheme }

// Bucket is the URL's bucket or container ("" for plain paths and file://).
func (l Location) Bucket() string { return l.bucket }

// Key is the object key within the bucket (slashes, no leading "/"); for a
// plain path, the path as given.
func (l Location) Key() string { return l.key }

// Query is the URL's raw query string, the driver's options ("" if none).
func (l Location) Query() string { return l.query }

// Path is the OS path of a plain path, or of a file:// URL; "" otherwise.
func (l Location) Path() string {
	switch l.scheme {
	case "":
		return l.key
	case "file":
		return filepath.FromSlash("/" + l.key)
	}
	return ""
}

// String is the location as a user would write it: the plain path, or the
// URL with its key escaped as a URL path and its query as given. Parse of the
// String of a URL gives the same Location.
func (l Location) String() string {
	if l.scheme == "" {
		return l.key
	}
	u := url.URL{Scheme: l.scheme, Host: l.bucket, Path: "/" + l.key, RawQuery: l.query}
	if l.scheme == "file" {
		return u.String()
	}
	if l.key == "" {
		u.Path = ""
	}
	return u.String()
}

// Join appends slash-separated elements to the path or key, like
// filepath.Join (plain paths) or path.Join (keys). The query is kept.
func (l Location) Join(elem ...string) Location {
	if l.scheme == "" {
		l.key = filepath.Join(append([]string{l.key}, elem...)...)
		return l
	}
	l.key = cleanKey(path.Join(append([]string{l.key}, elem...)...))
	return l
}

// WithKey is l with another key (a plain path: another path), keeping its
// scheme, bucket and query. Templates use it: the pattern is matched on
// keys, and each match becomes a Location of the template's bucket.
func (l Location) WithKey(key string) Location {
	if l.scheme == "" {
		l.key = key
		return l
	}
	l.key = cleanKey(key)
	return l
}

// Dir is l's parent folder (or key prefix), query kept.
func (l Location) Dir() Location {
	if l.scheme == "" {
		l.key = filepath.Dir(l.key)
		return l
	}
	d := path.Dir("/" + l.key)
	l.key = cleanKey(d)
	return l
}

// Base is the last element of the path or key.
func (l Location) Base() string {
	if l.scheme == "" {
		return filepath.Base(l.key)
	}
	return path.Base("/" + l.key)
}

// Rel is l's path below base, with slashes, and whether l lies inside base
// (same scheme, bucket and query; for plain paths, filepath.Rel without
// leaving base). It names the files of a run folder in manifests and tables.
func (l Location) Rel(base Location) (string, bool) {
	if l.scheme != base.scheme || l.bucket != base.bucket || l.query != base.query {
		return "", false
	}
	if l.scheme == "" {
		r, err := filepath.Rel(base.key, l.key)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "", false
		}
		return filepath.ToSlash(r), true
	}
	switch {
	case base.key == "":
		return cmpDot(l.key), true
	case l.key == base.key:
		return ".", true
	case strings.HasPrefix(l.key, base.key+"/"):
		return l.key[len(base.key)+1:], true
	}
	return "", false
}

func cmpDot(k string) string {
	if k == "" {
		return "."
	}
	return k
}

// Resolve reads p as Parse does and, when p is a relative plain path,
// resolves it against base (the folder of the config that names p): under a
// plain base, p joined to it as today (filepath.Join); under a URL base, a key
// below the base's key, in its bucket and with its query. Absolute paths and
// URLs are returned as they are. An empty base leaves p relative to the
// working directory.
func Resolve(base Location, p string) (Location, error) {
	l, err := Parse(p)
	if err != nil || !l.IsLocal() || filepath.IsAbs(p) {
		return l, err
	}
	if base.scheme == "" {
		if base.key == "" {
			return l, nil
		}
		return Local(filepath.Join(base.key, p)), nil
	}
	return base.Join(filepath.ToSlash(p)), nil
}

// WithoutQuery is l without its query string: how a URL appears in tables
// (source_file) and summaries, where the driver's options (an endpoint, a
// region) would only make two runs over the same keys look different.
func (l Location) WithoutQuery() Location {
	l.query = ""
	return l
}
