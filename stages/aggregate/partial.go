package aggregate

import (
	"bufio"
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"slices"
)

// PartialVersion is the version of the encoding WritePartial writes.
const PartialVersion = 1

// ErrPartial is wrapped by every error about partial state: an encoding
// that cannot be read, one of another version, two parts holding the same
// checkpoint, parts of different profile lists.
var ErrPartial = errors.New("aggregate: partial state")

// Partial is an Aggregator's state reduced to what Result needs, per
// checkpoint × profile × problem (the sealed per-problem scores, counts and
// first-correct positions, and the problems rows), never per sample. A
// sharded run writes one Partial per shard; the merge reads them all into
// one Aggregator (Merge) whose Result equals the Result of one Aggregator fed
// every sample, provided no checkpoint is split between two parts (Merge
// refuses that: per-problem state does not combine across shards).
//
// Its size is flat in the number of samples: a few hundred bytes per
// problem and checkpoint.
type Partial struct {
	profiles  []string
	ckpts     map[ckptKey]sealedCkpt
	conflicts int64
	missing   map[string]int64
}

// Partial seals every checkpoint still open and returns the state. The
// Aggregator is then done: Add, Seal and Result after it are errors or
// no-ops as after Result. It returns the first error Seal met (samples after
// a seal, a panic), as Result would.
func (a *Aggregator) Partial() (*Partial, error) {
	if a.done {
		return nil, ErrResultTwice
	}
	if err := a.validate(); err != nil {
		return nil, err
	}
	var ids []string
	for k := range a.ckpts {
		ids = append(ids, k.checkpoint)
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		a.Seal(id)
	}
	a.done = true
	if a.sealErr != nil {
		return nil, a.sealErr
	}
	if len(a.ckpts) > 0 {
		return nil, fmt.Errorf("%w: %d checkpoints could not be sealed", ErrInternal, len(a.ckpts))
	}
	p := &Partial{profiles: slices.Clone(a.profiles), ckpts: a.sealed, conflicts: a.conflicts, missing: a.missingProfile}
	if p.ckpts == nil {
		p.ckpts = map[ckptKey]sealedCkpt{}
	}
	return p, nil
}

// Checkpoints are the checkpoint ids p holds, sorted and distinct.
func (p *Partial) Checkpoints() []string {
	var out []string
	for k := range p.ckpts {
		out = append(out, k.checkpoint)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Merge returns an Aggregator holding every part's checkpoints, sealed, as
// if their samples had been added to it: its Result is the tables of the
// whole run. o must be the Options every part was built with (the merge
// takes them from the run's config; Ks nil means the powers of two up to
// the largest n of all parts, as in a single run). Parts must have the
// same profile list as o and disjoint checkpoints; a checkpoint in two parts
// is an error naming it and both parts (by their position in parts).
func Merge(o Options, parts []*Partial) (*Aggregator, error) {
	a := New(o)
	if err := a.validate(); err != nil {
		return nil, err
	}
	a.sealed = map[ckptKey]sealedCkpt{}
	a.sealedIDs = map[string]bool{}
	from := map[ckptKey]int{}
	for i, p := range parts {
		if !slices.Equal(p.profiles, a.profiles) {
			return nil, fmt.Errorf("%w: part %d has profiles %q, expected %q", ErrPartial, i, p.profiles, a.profiles)
		}
		for k, sc := range p.ckpts {
			if j, dup := from[k]; dup {
				return nil, fmt.Errorf("%w: checkpoint %s (evalset %s) is in parts %d and %d: a checkpoint's samples must all be graded by one shard",
					ErrPartial, k.checkpoint, k.evalset, j, i)
			}
			from[k] = i
			a.sealed[k] = sc
			a.sealedIDs[k.checkpoint] = true
		}
		a.conflicts += p.conflicts
		for prof, n := range p.missing {
			a.missingProfile[prof] += n
		}
	}
	return a, nil
}

// The encoding: gob of the wire types below, which have no pointers (gob
// drops a pointer to a zero value, and a seed of 0 must survive) and no
// maps (so that the same state gives the same bytes).
type wirePartial struct {
	Version   int
	Profiles  []string
	Conflicts int64
	Missing   []wireCount
	Ckpts     []wireCkpt
}

type wireCount struct {
	Profile string
	N       int64
}

type wireCkpt struct {
	Family, Model, Reward string
	Step                  int64
	HasSeed               bool
	Seed                  int64
	Checkpoint, Evalset   string
	Ks                    []int
	NMin, NMax, Dups      int
	Probs                 []wireProb
	Scores                []float64
}

type wireProb struct {
	ID, Subject    string
	Level          int64
	N              int
	Code           bool
	Correct, First []int32
	// The problems row's fields that are not in the above.
	// The problems row's fields that are not scores (accuracy, code rate and
	// mean length are columns of Scores).
	NNoAnswer    int64
	HasMaj       bool
	MajAnswer    string
	MajCorrect   float64
	FirstCorrect bool
}

// WritePartial encodes p to w.
func WritePartial(w io.Writer, p *Partial) error {
	wp := wirePartial{Version: PartialVersion, Profiles: p.profiles, Conflicts: p.conflicts}
	for prof, n := range p.missing {
		wp.Missing = append(wp.Missing, wireCount{prof, n})
	}
	slices.SortFunc(wp.Missing, func(a, b wireCount) int { return cmp.Compare(a.Profile, b.Profile) })
	keys := make([]ckptKey, 0, len(p.ckpts))
	for k := range p.ckpts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y ckptKey) int {
		if lessKey(x, y) {
			return -1
		}
		if lessKey(y, x) {
			return 1
		}
		return 0
	})
	for _, k := range keys {
		sc := p.ckpts[k]
		d := sc.d
		wc := wireCkpt{Family: k.family, Model: k.model, Reward: k.reward, Step: k.step, HasSeed: k.hasSeed, Seed: k.seed,
			Checkpoint: k.checkpoint, Evalset: k.evalset, Ks: sc.lay.ks, NMin: d.nMin, NMax: d.nMax, Dups: d.dups, Scores: d.scores}
		wc.Probs = make([]wireProb, len(d.probs))
		for i, pi := range d.probs {
			wb := wireProb{ID: pi.id, Subject: pi.subject, Level: pi.level, N: pi.n, Code: pi.code, Correct: pi.correct, First: pi.first,
				NNoAnswer: int64(pi.nNoAnswer), MajCorrect: pi.majCorrect, FirstCorrect: pi.firstCorrect}
			if pi.majAnswer != nil {
				wb.HasMaj, wb.MajAnswer = true, *pi.majAnswer
			}
			wc.Probs[i] = wb
		}
		wp.Ckpts = append(wp.Ckpts, wc)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := gob.NewEncoder(bw).Encode(&wp); err != nil {
		return fmt.Errorf("encoding partial state: %w", err)
	}
	return bw.Flush()
}

// ReadPartial decodes what WritePartial wrote. name (a file name) is only
// for errors.
func ReadPartial(r io.Reader, name string) (*Partial, error) {
	var wp wirePartial
	if err := gob.NewDecoder(bufio.NewReaderSize(r, 1<<16)).Decode(&wp); err != nil {
		return nil, fmt.Errorf("%w: %s: expected an encoding of version %d, cannot decode it: %v", ErrPartial, name, PartialVersion, err)
	}
	if wp.Version != PartialVersion {
		return nil, fmt.Errorf("%w: %s: expected version %d, found %d", ErrPartial, name, PartialVersion, wp.Version)
	}
	p := &Partial{profiles: wp.Profiles, conflicts: wp.Conflicts, missing: map[string]int64{}, ckpts: map[ckptKey]sealedCkpt{}}
	if p.profiles == nil {
		p.profiles = []string{}
	}
	for _, m := range wp.Missing {
		p.missing[m.Profile] = m.N
	}
	nprof := len(wp.Profiles)
	for ci, wc := range wp.Ckpts {
		k := ckptKey{family: wc.Family, model: wc.Model, reward: wc.Reward, step: wc.Step, hasSeed: wc.HasSeed, seed: wc.Seed,
			checkpoint: wc.Checkpoint, evalset: wc.Evalset}
		lay := newLayout(nprof, wc.Ks)
		M := len(lay.cols)
		if len(wc.Scores) != len(wc.Probs)*M {
			return nil, fmt.Errorf("%w: %s: checkpoint %d (%s): expected %d scores (%d problems × %d columns), found %d",
				ErrPartial, name, ci, wc.Checkpoint, len(wc.Probs)*M, len(wc.Probs), M, len(wc.Scores))
		}
		if _, dup := p.ckpts[k]; dup {
			return nil, fmt.Errorf("%w: %s: checkpoint %s (evalset %s) twice", ErrPartial, name, wc.Checkpoint, wc.Evalset)
		}
		d := &ckptData{key: k, id: k.identity(), nMin: wc.NMin, nMax: wc.NMax, dups: wc.Dups, scores: wc.Scores}
		if d.scores == nil {
			d.scores = []float64{}
		}
		d.probs = make([]probInfo, len(wc.Probs))
		for i, wb := range wc.Probs {
			if len(wb.Correct) != nprof || len(wb.First) != nprof {
				return nil, fmt.Errorf("%w: %s: checkpoint %s, problem %s: expected %d profiles' counts, found %d and %d",
					ErrPartial, name, wc.Checkpoint, wb.ID, nprof, len(wb.Correct), len(wb.First))
			}
			if i > 0 && wc.Probs[i-1].ID >= wb.ID {
				return nil, fmt.Errorf("%w: %s: checkpoint %s: problems out of order (%s after %s)", ErrPartial, name, wc.Checkpoint, wb.ID, wc.Probs[i-1].ID)
			}
			pi := probInfo{id: wb.ID, subject: wb.Subject, level: wb.Level, n: wb.N, code: wb.Code, correct: wb.Correct, first: wb.First,
				majCorrect: wb.MajCorrect, nNoAnswer: int32(wb.NNoAnswer), firstCorrect: wb.FirstCorrect}
			if wb.HasMaj {
				s := wb.MajAnswer
				pi.majAnswer = &s
			}
			d.probs[i] = pi
		}
		d.subsets = buildSubsets(d.probs)
		p.ckpts[k] = sealedCkpt{d: d, lay: lay}
	}
	return p, nil
}
