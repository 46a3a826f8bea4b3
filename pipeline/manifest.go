package pipeline

import (
	"encoding/json"

	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/pipeline/runjson"
)

// run.json is declared once, in package runjson; these are its names here.
type (
	Manifest        = runjson.Manifest
	ManifestEvalset = runjson.ManifestEvalset
	ManifestCache   = runjson.ManifestCache
	ManifestInput   = runjson.ManifestInput
	ManifestSkip    = runjson.ManifestSkip
)

// ManifestFile is the name of the run manifest in the output folder.
const ManifestFile = runjson.ManifestFile

// ReadManifest reads the run.json in dir.
func ReadManifest(dir string) (*Manifest, error) { return runjson.Read(dir) }

// writeManifest writes run.json atomically, with the config as Config
// marshals it.
func writeManifest(dir string, m *Manifest, cfg *Config) error {
	b, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	m.Config = b
	return runjson.Write(dir, m)
}

// Cache statuses of an input file, in run.json (ManifestInput.Cache): see
// the gradecache package.
const (
	CacheHit     = gradecache.Hit
	CacheMiss    = gradecache.Miss
	CacheInvalid = gradecache.Invalid
	CachePartial = gradecache.Partial
)
