package storage

import (
	// file:// and s3:// are always built in.
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob"
)

// Schemes lists the URL schemes a Location may have, each with the build tag
// that compiles its driver in ("" when it always is).
var Schemes = map[string]string{
	"file":   "",
	"s3":     "",
	"gs":     "gcs",
	"azblob": "azblob",
}
