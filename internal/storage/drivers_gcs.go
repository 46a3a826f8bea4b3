//go:build gcs

package storage

import _ "gocloud.dev/blob/gcsblob"
