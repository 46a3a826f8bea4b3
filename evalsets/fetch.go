package evalsets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// DefaultFetchTimeout bounds a whole download when FetchOptions.Timeout is 0.
const DefaultFetchTimeout = 5 * time.Minute

// maxFetchBytes refuses a response larger than any known evalset file by far
// (MATH-500 is under 0.5 MB), so a wrong mirror cannot fill the disk.
const maxFetchBytes = 256 << 20

// FetchOptions tune Fetch. The zero value downloads from the definition's URL
// with http.DefaultClient's transport and DefaultFetchTimeout.
type FetchOptions struct {
	// URL overrides the definition's URL (a mirror). The file must still have
	// the definition's sha256.
	URL string
	// Client does the request; nil means http.DefaultClient.
	Client *http.Client
	// Timeout bounds the whole download (connect, headers, body); 0 means
	// DefaultFetchTimeout.
	Timeout time.Duration
}

// FetchResult says what Fetch did.
type FetchResult struct {
	// Path is the verified local file.
	Path string
	// SHA256 is its hex sha256 (the definition's).
	SHA256 string
	// Bytes is its size.
	Bytes int64
	// Downloaded is false when a verified copy was already present and nothing
	// was downloaded.
	Downloaded bool
}

// Fetch downloads d's published file into dir (created when missing) as
// d.FileName() and checks its sha256 against d.SHA256. The file is written to a
// temporary file in dir and renamed into place only once verified, so dir never
// holds a partial or wrong file: a download that fails, is cut short or has
// another hash leaves an existing copy untouched. A copy already present with
// the right hash is kept and nothing is downloaded.
//
// Errors: ErrUserSupplied for a definition without URL; a *HashMismatchError
// naming the expected and found hash; ErrOffline (wrapped) when the server
// cannot be reached; the HTTP status for a non-200 answer; ctx.Err() when ctx is
// cancelled. Fetch blocks until done and is safe for concurrent use with other
// directories.
func Fetch(ctx context.Context, d Definition, dir string, opt FetchOptions) (FetchResult, error) {
	if d.UserSupplied() {
		return FetchResult{}, fmt.Errorf("fetch %s: %w: get it from %s, then pass its path as evalset.path", d.Name, ErrUserSupplied, d.Source)
	}
	if d.SHA256 == "" {
		return FetchResult{}, fmt.Errorf("fetch %s: the definition has no published sha256 to check the download against", d.Name)
	}
	dest := LocalPath(dir, d)
	if sum, n, err := fileSHA256(dest); err == nil && sum == d.SHA256 {
		return FetchResult{Path: dest, SHA256: sum, Bytes: n}, nil
	}
	url := d.URL
	if opt.URL != "" {
		url = opt.URL
	}
	client := opt.Client
	if client == nil {
		client = http.DefaultClient
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	req.Header.Set("User-Agent", "rlvr-eval")
	resp, err := client.Do(req)
	if err != nil {
		return FetchResult{}, fetchError(ctx, d, url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return FetchResult{}, fmt.Errorf("fetch %s: GET %s: expected 200 OK, found %s", d.Name, url, resp.Status)
	}
	if resp.ContentLength > maxFetchBytes {
		return FetchResult{}, fmt.Errorf("fetch %s: GET %s: expected at most %d bytes, found Content-Length %d", d.Name, url, maxFetchBytes, resp.ContentLength)
	}

	tmp, err := os.CreateTemp(dir, "."+d.FileName()+".*.part")
	if err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(resp.Body, maxFetchBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return FetchResult{}, fmt.Errorf("fetch %s: GET %s: download stopped after %d bytes: %w", d.Name, url, n, ctx.Err())
		}
		return FetchResult{}, fmt.Errorf("fetch %s: GET %s: download cut short after %d of %s: %w", d.Name, url, n, expectedSize(resp.ContentLength), err)
	}
	if n > maxFetchBytes {
		return FetchResult{}, fmt.Errorf("fetch %s: GET %s: expected at most %d bytes, found more", d.Name, url, maxFetchBytes)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return FetchResult{}, fmt.Errorf("fetch %s: GET %s: download cut short after %d of %d bytes", d.Name, url, n, resp.ContentLength)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if sum != d.SHA256 {
		return FetchResult{}, &HashMismatchError{Name: d.Name, Source: url, Expected: d.SHA256, Found: sum}
	}
	if err := tmp.Sync(); err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	if err := tmp.Close(); err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return FetchResult{}, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	keep = true
	return FetchResult{Path: dest, SHA256: sum, Bytes: n, Downloaded: true}, nil
}

func expectedSize(n int64) string {
	if n < 0 {
		return "an unknown number of bytes"
	}
	return fmt.Sprintf("%d bytes", n)
}

// fetchError explains a failed request: cancellation, timeout, or an
// unreachable server.
func fetchError(ctx context.Context, d Definition, url string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("fetch %s: GET %s: %w", d.Name, url, ctx.Err())
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial") {
		return fmt.Errorf("fetch %s: GET %s: %w: %v; check the network, use --url for a reachable mirror, or download the file by hand and pass its path", d.Name, url, ErrOffline, err)
	}
	return fmt.Errorf("fetch %s: GET %s: %w", d.Name, url, err)
}

// VerifyFile computes the sha256 of the file at path and compares it with d's
// published hash. It returns the hash found and a *HashMismatchError when d has
// a published hash and the file's differs; a definition without a published
// hash verifies nothing (nil error).
func VerifyFile(d Definition, path string) (string, error) {
	sum, _, err := fileSHA256(path)
	if err != nil {
		return "", fmt.Errorf("evalset %s: %w", d.Name, err)
	}
	if d.SHA256 != "" && sum != d.SHA256 {
		return sum, &HashMismatchError{Name: d.Name, Source: path, Expected: d.SHA256, Found: sum}
	}
	return sum, nil
}

func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
