package aggregate

import (
	"fmt"
	"math"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Defaults used when the corresponding Options field is zero.
const DefaultSeed uint64 = 0x5EED_2025_0A66_0001

// Defaults used when the corresponding Options field is zero (counts).
const (
	DefaultBootstrap    = 2000
	DefaultPermutations = 10000
	// MaxProfiles is how many extraction profiles one Aggregator can hold
	// (correct bits are kept in a uint32 per sample).
	MaxProfiles = 32
	// SmallSubset is the problem count below which proportion metrics use a
	// Wilson interval instead of the bootstrap.
	SmallSubset = 50
)

// Options configures an Aggregator. The zero value is usable: every field has
// a default, documented on the field.
type Options struct {
	// Ks is the k list for pass@k and maj@k. nil means 1, 2, 4, 8, … (powers of
	// two) up to the largest samples-per-problem n seen across all checkpoints.
	// Values < 1 are dropped with a warning; duplicates are removed.
	Ks []int
	// Profiles names the extraction profiles graded. Profiles[0] is the verdict
	// in Sample.Correct/Extracted; the others are looked up in Sample.Alt (by
	// position first, then by name). nil means ["strict"] and Alt is ignored.
	Profiles []string
	// Baselines maps a checkpoint id to the checkpoint id of its baseline,
	// overriding the default rule (see doc.go: same family, model and evalset,
	// reward "none", step 0; the same seed when the checkpoint has one and such
	// a baseline exists, else the seedless one, else the lowest seed). Keys
	// and values match checkpoint ids exactly, else case-insensitively, since
	// config loaders may lowercase map keys.
	Baselines map[string]string
	// Seed seeds every bootstrap and permutation draw. 0 means DefaultSeed.
	Seed uint64
	// Bootstrap is the number of bootstrap resamples. 0 means DefaultBootstrap.
	Bootstrap int
	// Permutations is the number of random sign-flip resamples of the paired
	// permutation test. 0 means DefaultPermutations. When 2^m ≤ Permutations
	// (m = problems with a nonzero difference) the test enumerates all 2^m
	// sign vectors exactly instead.
	Permutations int
}

// Tables is everything the aggregate stage produces, each slice sorted
// deterministically (see doc.go for the orders).
type Tables struct {
	Problems    []schemas.Problem
	Metrics     []schemas.Metric
	Comparisons []schemas.Comparison
	Transitions []schemas.Transition
	// Boundary, BoundaryCurves and ProblemMoves are the capability boundary
	// of each checkpoint against its baseline (doc.go).
	Boundary       []schemas.Boundary
	BoundaryCurves []schemas.BoundaryCurve
	ProblemMoves   []schemas.ProblemMove
	// Warnings are human-readable notes about the input (a checkpoint without
	// baseline, duplicate samples, varying n, missing profile verdicts), sorted
	// and de-duplicated. They do not make the tables wrong, only incomplete.
	Warnings []string
}

// Aggregator folds graded samples into compact per-sample state and computes
// the problems, metrics, comparisons and transitions tables from it.
//
// It is not safe for concurrent use: call Add (and Seal) from one goroutine,
// then Result once. State per sample is a fixed ~24 bytes plus 4 bytes per
// profile; the response text is never kept, and each distinct extracted answer
// string is stored once per problem. Seal reduces a finished checkpoint to
// per-problem scores, so a caller that feeds checkpoints one after another
// and seals each when done holds the samples of one checkpoint at a time.
type Aggregator struct {
	opts     Options
	profiles []string
	ckpts    map[ckptKey]*ckptState
	last     *ckptState // fast path: consecutive samples usually share a checkpoint

	// Checkpoints reduced by Seal, the checkpoint ids sealed and the first
	// error found while sealing (a panic, samples after the seal).
	sealed    map[ckptKey]sealedCkpt
	sealedIDs map[string]bool
	sealErr   error
	// sealLay is the layout of the last checkpoint sealed, shared by the
	// next ones with the same k list (a layout is ~3 kB).
	sealLay *layout

	done           bool             // Result was called
	missingProfile map[string]int64 // profile -> samples without its verdict
	conflicts      int64            // samples whose subject/level disagree with their problem's
}

// ckptKey identifies one checkpoint on one evalset: all identity columns.
type ckptKey struct {
	family, model, reward string
	step                  int64
	hasSeed               bool
	seed                  int64
	checkpoint, evalset   string
}

func keyOf(id *schemas.Identity) ckptKey {
	k := ckptKey{family: id.Family, model: id.Model, reward: id.Reward, step: id.Step,
		checkpoint: id.Checkpoint, evalset: id.Evalset}
	if id.Seed != nil {
		k.hasSeed, k.seed = true, *id.Seed
	}
	if k.checkpoint == "" {
		k.checkpoint = schemas.CheckpointID(id.Model, id.Reward, id.Step, id.Seed)
	}
	return k
}

func (k ckptKey) identity() schemas.Identity {
	id := schemas.Identity{Family: k.family, Model: k.model, Reward: k.reward, Step: k.step,
		Checkpoint: k.checkpoint, Evalset: k.evalset}
	if k.hasSeed {
		s := k.seed
		id.Seed = &s
	}
	return id
}

type ckptState struct {
	key      ckptKey
	problems map[string]*problemState
}

// Per-sample flags.
const (
	fTruncated uint8 = 1 << iota
	fBoxed
	fCode
	fCodeBlock
	fPeerSet
	fPeerCorrect
)

// sampleRec is the compact state of one sample (24 bytes). Its extracted
// answers, one per profile, live in problemState.answers.
type sampleRec struct {
	idx     int64
	chars   int32 // response_chars, clamped to int32
	tokens  int32 // response_tokens, -1 when absent
	correct uint32
	flags   uint8
}

type problemState struct {
	subject string
	level   int64
	samples []sampleRec
	// answers[i*P+p] is the id (index into strs) of sample i's extracted answer
	// under profile p, or -1 for no answer.
	answers []int32
	strs    []string
	strIdx  map[string]int32
}

func (p *problemState) intern(s string) int32 {
	if id, ok := p.strIdx[s]; ok {
		return id
	}
	if p.strIdx == nil {
		p.strIdx = make(map[string]int32, 4)
	}
	// A copy: the grader's extracted answer is usually a slice of the
	// response, and keeping the slice would keep the whole response text.
	s = strings.Clone(s)
	id := int32(len(p.strs))
	p.strs = append(p.strs, s)
	p.strIdx[s] = id
	return id
}

// New returns an empty Aggregator with o's defaults resolved.
func New(o Options) *Aggregator {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Bootstrap <= 0 {
		o.Bootstrap = DefaultBootstrap
	}
	if o.Permutations <= 0 {
		o.Permutations = DefaultPermutations
	}
	profiles := o.Profiles
	if len(profiles) == 0 {
		profiles = []string{"strict"}
	}
	return &Aggregator{
		opts:           o,
		profiles:       append([]string(nil), profiles...),
		ckpts:          make(map[ckptKey]*ckptState),
		missingProfile: make(map[string]int64),
	}
}

// Add folds a batch of graded samples in. It keeps only compact per-sample
// state, never the response text, and may be called any number of times with
// batches of any size; the result does not depend on batch boundaries or
// order. Not safe for concurrent use.
func (a *Aggregator) Add(batch []schemas.Sample) {
	np := len(a.profiles)
	if np > MaxProfiles {
		np = MaxProfiles // Result reports the error; keep state bounded meanwhile
	}
	for i := range batch {
		s := &batch[i]
		c := a.checkpoint(&s.Identity)
		p := c.problems[s.ProblemID]
		if p == nil {
			p = &problemState{subject: s.Subject, level: s.Level}
			c.problems[s.ProblemID] = p
		} else if p.subject != s.Subject || p.level != s.Level {
			// Keep the smaller (subject, level) so the choice does not depend
			// on arrival order.
			a.conflicts++
			if s.Subject < p.subject || (s.Subject == p.subject && s.Level < p.level) {
				p.subject, p.level = s.Subject, s.Level
			}
		}
		r := sampleRec{idx: s.SampleIdx, chars: clamp32(s.ResponseChars), tokens: -1}
		if s.ResponseTokens != nil {
			r.tokens = clamp32(*s.ResponseTokens)
			if r.tokens < 0 {
				r.tokens = -1
			}
		}
		if s.Truncated {
			r.flags |= fTruncated
		}
		if s.HasBoxed {
			r.flags |= fBoxed
		}
		if s.CodeReasoning {
			r.flags |= fCode
		}
		if s.HasCodeBlock {
			r.flags |= fCodeBlock
		}
		if s.PeerCorrect != nil {
			r.flags |= fPeerSet
			if *s.PeerCorrect {
				r.flags |= fPeerCorrect
			}
		}
		for j := 0; j < np; j++ {
			var correct bool
			var ext *string
			if j == 0 {
				correct, ext = s.Correct, s.Extracted
			} else if v := findAlt(s.Alt, j-1, a.profiles[j]); v != nil {
				correct, ext = v.Correct, v.Extracted
			} else {
				a.missingProfile[a.profiles[j]]++
			}
			if correct {
				r.correct |= 1 << uint(j)
			}
			id := int32(-1)
			if ext != nil && *ext != "" {
				id = p.intern(*ext)
			}
			p.answers = append(p.answers, id)
		}
		p.samples = append(p.samples, r)
	}
}

// findAlt returns the verdict of profile name: Alt[pos] when its name matches
// (or is empty), else the first Alt with that name, else nil.
func findAlt(alt []schemas.AltVerdict, pos int, name string) *schemas.AltVerdict {
	if pos < len(alt) && (alt[pos].Profile == name || alt[pos].Profile == "") {
		return &alt[pos]
	}
	for i := range alt {
		if alt[i].Profile == name {
			return &alt[i]
		}
	}
	return nil
}

func (a *Aggregator) checkpoint(id *schemas.Identity) *ckptState {
	if l := a.last; l != nil && sameIdentity(&l.key, id) {
		return l
	}
	k := keyOf(id)
	c := a.ckpts[k]
	if c == nil {
		c = &ckptState{key: k, problems: make(map[string]*problemState)}
		a.ckpts[k] = c
		if a.sealedIDs[k.checkpoint] {
			a.sealErr = lateErr(a.sealErr, k)
		}
	}
	a.last = c
	return c
}

func sameIdentity(k *ckptKey, id *schemas.Identity) bool {
	if k.family != id.Family || k.model != id.Model || k.reward != id.Reward ||
		k.step != id.Step || k.evalset != id.Evalset {
		return false
	}
	if (id.Seed != nil) != k.hasSeed || (id.Seed != nil && *id.Seed != k.seed) {
		return false
	}
	if id.Checkpoint == "" {
		return k.checkpoint == schemas.CheckpointID(id.Model, id.Reward, id.Step, id.Seed)
	}
	return k.checkpoint == id.Checkpoint
}

func clamp32(v int64) int32 {
	switch {
	case v > math.MaxInt32:
		return math.MaxInt32
	case v < math.MinInt32:
		return math.MinInt32
	}
	return int32(v)
}

func (a *Aggregator) validate() error {
	if len(a.profiles) > MaxProfiles {
		return fmt.Errorf("%w: %d extraction profiles configured, at most %d are supported", ErrProfiles, len(a.profiles), MaxProfiles)
	}
	seen := make(map[string]bool, len(a.profiles))
	for _, p := range a.profiles {
		if p == "" {
			return fmt.Errorf("%w %q: expected non-empty profile names, found an empty one", ErrProfiles, a.profiles)
		}
		if seen[p] {
			return fmt.Errorf("%w %q: expected distinct names, found %q twice", ErrProfiles, a.profiles, p)
		}
		seen[p] = true
	}
	return nil
}
