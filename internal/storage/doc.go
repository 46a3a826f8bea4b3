// Package storage reads, lists and atomically writes the files of a run
// wherever the user keeps them: a plain path on the local (or a shared) file
// system, or a URL of an object store through gocloud.dev/blob — s3://,
// gs://, azblob:// and file://.
//
// A Location is one such path. A plain path is used with package os exactly
// as before this package existed; a URL names a bucket (its host), a key (its
// path) and the driver's own options (its query string, e.g.
// "?endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1" for
// an S3-compatible server), which every Location derived from it keeps: Join,
// Dir, Resolve and the results of Glob and List.
//
// A Store opens each bucket once and serves every operation:
//
//	NewReader, OpenReaderAt, ReadFile, Stat, Exists   read
//	Glob(pattern), List(prefix)                       find: a glob over keys where the scheme has no folders
//	Create → Writer.Commit, WriteFile                 atomic write: a temporary name, then rename or copy
//	WaitFor(marker)                                   wait for the marker a writer puts down last
//	Delete
//
// Credentials never come from the URL or the config: each driver reads its
// provider's usual environment (AWS_ACCESS_KEY_ID/AWS_PROFILE and the shared
// config files, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_ACCOUNT and the
// Azure identity chain).
//
// Which drivers are compiled in is decided by build tags, since each cloud's
// SDK adds megabytes to the binary: file:// and s3:// always; gs:// with
// -tags gcs; azblob:// with -tags azblob. A URL of a scheme whose driver is
// not built in is an error that names the tag to build with.
//
// Every error names the operation and the full location (URL with its
// query), and wraps fs.ErrNotExist when the file or key does not exist.
package storage
