//go:build azblob

package storage

import _ "gocloud.dev/blob/azureblob"
