package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// How a record's problem was found, counted per file in run.json.
const (
	MatchByID       = "id"
	MatchByText     = "text"
	MatchByPosition = "position"
	// MatchInline: the run has no evalset file; the record's own id (or
	// position, or text) names the problem and its own gold is used.
	MatchInline = "inline"
)

// task is one record ready to grade: its checkpoint, problem and gold
// resolved. It is all a task is: what else travels between the stages
// (checkpoints to seal, files whose cache entry is complete) rides beside the
// tasks in a resolvedBatch.
type task struct {
	rec       *ingest.Record
	id        *schemas.Identity
	problem   string
	subject   string
	level     int64
	sampleIdx int64
	gold      *grade.Gold
	file      string // source file as written in the tables

	// Grading cache (nil fc without --cache): the file's cache, the record's
	// ordinal among the file's items and its check, and the verdicts found in
	// the cache (nil: grade it).
	fc     *gradecache.File
	ord    int64
	check  uint64
	cached *gradecache.Verdicts
}

// resolver turns records into tasks in file order, on one goroutine. It holds
// the run's order-dependent state: sample numbering and duplicate detection.
type resolver struct {
	cfg    *Config
	ev     *evalsets.Evalset // nil in inline mode
	golds  []*grade.Gold     // per evalset problem
	inline map[string]*grade.Gold
	base   string // folder source paths are written relative to
	// display maps the local copy of an input given as a storage URL to
	// that URL without its query (storage_io.go).
	display map[string]string
	files   []Input

	ckpts   map[string]*schemas.Identity
	ckptIdx map[string]int32
	probIdx map[string]int32
	// seen and nextIdx are per checkpoint (by its index), so that a retired
	// checkpoint's entries go at once; live lists the checkpoints they hold.
	seen    map[int32]map[probSample]sampleLoc
	nextIdx map[int32]map[int32]int64
	live    []liveCkpt
	fileIdx int32
	// lastText and lastProb are the last problem matched by text (records
	// come in runs of one problem's samples).
	lastText string
	lastProb *evalsets.Problem
	// peerOf is the peer metric of each file (by display path) whose
	// records name one (notePeer).
	peerOf map[string]peerInfo
}

// probSample is a sample's key within its checkpoint.
type probSample struct {
	prob int32
	idx  int64
}

type liveCkpt struct {
	idx int32
	id  string
}

// sampleLoc packs where a sample was first read: the file index in the top
// 24 bits, the line in the low 40 (lines beyond 2^40 wrap; only the message
// of a duplicate reject would show it).
type sampleLoc uint64

func packLoc(file int32, line int64) sampleLoc {
	return sampleLoc(uint64(file)<<40 | uint64(line)&(1<<40-1))
}

func (l sampleLoc) file() int32 { return int32(l >> 40) }
func (l sampleLoc) line() int64 { return int64(l & (1<<40 - 1)) }

func newResolver(cfg *Config, ev *evalsets.Evalset) *resolver {
	r := &resolver{cfg: cfg, ev: ev, inline: map[string]*grade.Gold{},
		ckpts: map[string]*schemas.Identity{}, ckptIdx: map[string]int32{}, probIdx: map[string]int32{},
		seen: map[int32]map[probSample]sampleLoc{}, nextIdx: map[int32]map[int32]int64{}}
	if cfg.Path != "" {
		r.base = filepath.Dir(cfg.Path)
	}
	if ev != nil {
		r.golds = make([]*grade.Gold, ev.Len())
		for i, p := range ev.Problems {
			r.golds[i] = grade.PrepareGold(p.Answer)
		}
	}
	return r
}

// displayPath is how a source file appears in tables: relative to the config
// folder when inside it (so outputs do not depend on where the tree lives).
func (r *resolver) displayPath(p string) string {
	if d, ok := r.display[p]; ok {
		return d // a local copy of a storage URL: the URL, without its query
	}
	return displayPath(r.base, p)
}

// displayPath is p relative to base when p lies inside base (a folder named
// "..gens" inside it included), else p as given; with forward slashes.
func displayPath(base, p string) string {
	if base != "" {
		if rel, err := filepath.Rel(base, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(p)
}

// fileState is the resolver's per-file state.
type fileState struct {
	in      *Input
	display string
	fields  CheckpointFields
	family  map[string]string
	matches map[string]int64

	// evalset is the evalset name of the file's checkpoints: the config's,
	// else the one the file suggests (ingest.FileResult.Evalset), set by the
	// resolve stage before the file's first record (setEvalset).
	evalset string

	// The identity of records without inline checkpoint fields, per
	// sampling config (ingest.Record.Sampling; "" for most files).
	plain map[string]plainIdentity
}

type plainIdentity struct {
	id  *schemas.Identity
	msg string
}

// setEvalset names the evalset of the file's checkpoints: the config's name,
// else guess, the name the file suggests (custom when it suggests none).
func (fs *fileState) setEvalset(cfgName string, guess ingest.EvalsetGuess) {
	switch {
	case cfgName != "":
		fs.evalset = cfgName
	case guess.Name != "":
		fs.evalset = guess.Name
	default:
		fs.evalset = ingest.EvalsetCustom
	}
}

func (r *resolver) startFile(in *Input, idx int) *fileState {
	r.fileIdx = int32(idx)
	fs := &fileState{in: in, display: r.displayPath(in.Path), fields: in.Fields, matches: map[string]int64{}, evalset: r.cfg.Evalset.Name,
		plain: map[string]plainIdentity{}}
	if in.Run >= 0 && in.Run < len(r.cfg.Runs) {
		fs.family = r.cfg.Runs[in.Run].FamilyOf
	}
	return fs
}

// resolve turns a record into a task, or into a reject saying why it cannot be used.
func (r *resolver) resolve(fs *fileState, rec *ingest.Record) (*task, *schemas.Reject) {
	rej := func(format string, args ...any) *schemas.Reject {
		return &schemas.Reject{SourceFile: fs.display, SourceLine: rec.SourceLine, Error: fmt.Sprintf(format, args...), Raw: recordExcerpt(rec)}
	}
	if rec.Response == "" {
		return nil, rej("record without response: expected a non-empty response text, found none (sample %s)", idxText(rec.SampleIdx))
	}
	id, msg := r.identity(fs, rec)
	if msg != "" {
		return nil, rej("%s", msg)
	}
	j := &task{rec: rec, id: id, file: fs.display}
	var matched string
	if r.ev != nil {
		p, how, msg := r.findProblem(rec)
		if p == nil {
			return nil, rej("%s", msg)
		}
		matched = how
		j.problem, j.subject, j.level, j.gold = p.UniqueID, p.Subject, p.Level, r.golds[p.Position]
		if j.problem == "" {
			j.problem = strconv.Itoa(p.Position)
		}
		// The record's subject and level (an lm-eval subtask's subject) where
		// the evalset has none.
		if j.subject == "" {
			j.subject = rec.Subject
		}
		if j.level == 0 {
			j.level = rec.Level
		}
	} else {
		if rec.Gold == nil {
			return nil, rej("no gold answer: the record carries none and the config names no evalset file (evalset.path)")
		}
		j.problem = inlineProblem(rec)
		if j.problem == "" {
			return nil, rej("record without problem: expected a problem id, position or text, found none")
		}
		matched = MatchInline
		j.subject, j.level = rec.Subject, rec.Level
		g, ok := r.inline[*rec.Gold]
		if !ok {
			g = grade.PrepareGold(*rec.Gold)
			r.inline[*rec.Gold] = g
		}
		j.gold = g
	}
	// A checkpoint on one evalset: without evalset: in the config, one
	// entry's files may name several (an lm-eval run of gsm8k and
	// hendrycks_math), each its own rows in every table.
	ck := r.intern(r.ckptIdx, ckptEvalsetKey(id))
	pk := r.intern(r.probIdx, j.problem)
	seen := r.seen[ck]
	if seen == nil {
		seen = map[probSample]sampleLoc{}
		r.seen[ck] = seen
		r.live = append(r.live, liveCkpt{ck, id.Checkpoint})
	}
	j.sampleIdx = rec.SampleIdx
	if j.sampleIdx < 0 {
		next := r.nextIdx[ck]
		if next == nil {
			next = map[int32]int64{}
			r.nextIdx[ck] = next
		}
		j.sampleIdx = next[pk]
		next[pk] = j.sampleIdx + 1
	}
	key := probSample{pk, j.sampleIdx}
	if prev, dup := seen[key]; dup {
		where := fmt.Sprintf("line %d", prev.line())
		if prev.file() != r.fileIdx {
			where = fmt.Sprintf("%s line %d", r.displayPath(r.files[prev.file()].Path), prev.line())
		}
		return nil, rej("duplicate sample: checkpoint %s, problem %s, sample_idx %d was already read at %s", id.Checkpoint, j.problem, j.sampleIdx, where)
	}
	seen[key] = packLoc(r.fileIdx, rec.SourceLine)
	fs.matches[matched]++
	r.notePeer(fs.display, rec)
	return j, nil
}

// retireBefore forgets the duplicate index of every checkpoint whose id sorts
// before next, the checkpoint a file fully names, and returns those ids in
// order. It is called when such a file starts: the sources are ordered with
// the files that leave the checkpoint open (key "") first, then by the
// checkpoint they name (see prepareSources), and every record of a file that
// names checkpoint K gets an id that is K or K with a "/seed…" suffix (a seed
// the record adds; any other inline field that disagrees is a conflict
// reject), so an id ≥ K. No later record can belong to a retired checkpoint.
// A retired checkpoint read again (impossible by the above) would pass
// duplicate detection here and fail the run in the aggregate stage.
func (r *resolver) retireBefore(next string) []string {
	var out []string
	keep := r.live[:0]
	for _, c := range r.live {
		if c.id < next {
			delete(r.seen, c.idx)
			delete(r.nextIdx, c.idx)
			out = append(out, c.id)
			continue
		}
		keep = append(keep, c)
	}
	clear(r.live[len(keep):])
	r.live = keep
	sort.Strings(out)
	return slices.Compact(out) // a checkpoint on several evalsets is sealed once
}

func (r *resolver) intern(m map[string]int32, s string) int32 {
	if i, ok := m[s]; ok {
		return i
	}
	i := int32(len(m))
	m[s] = i
	return i
}

// findProblem looks a record's problem up in the evalset: by id, then by text,
// then (only when the record has neither) by position.
func (r *resolver) findProblem(rec *ingest.Record) (*evalsets.Problem, string, string) {
	if rec.ProblemID != "" {
		if p, ok := r.ev.ByID(rec.ProblemID); ok {
			return p, MatchByID, ""
		}
	}
	if rec.ProblemText != "" {
		if rec.ProblemText == r.lastText && r.lastProb != nil {
			return r.lastProb, MatchByText, ""
		}
		if p, ok := r.ev.ByText(rec.ProblemText); ok {
			r.lastText, r.lastProb = rec.ProblemText, p
			return p, MatchByText, ""
		}
	}
	if rec.ProblemID == "" && rec.ProblemText == "" && rec.Position >= 0 && rec.Task == "" {
		if p, ok := r.ev.ByPosition(rec.Position); ok {
			return p, MatchByPosition, ""
		}
		return nil, "", fmt.Sprintf("problem not in evalset %s: position %d is beyond its %d problems", r.ev.Name, rec.Position, r.ev.Len())
	}
	var parts []string
	if rec.Task != "" && rec.ProblemID == "" && rec.ProblemText == "" {
		// A task's positions (lm-eval doc_id) number that task's documents,
		// not the evalset's problems: matching them would pair a record
		// with another task's problem.
		return nil, "", fmt.Sprintf("problem not in evalset %s: the %s record names its problem only by its position %d in task %s, which is not a position in the evalset (give the records' own gold with no evalset path, or an evalset whose problems match by text)",
			r.ev.Name, rec.Task, rec.Position, rec.Task)
	}
	if rec.ProblemID != "" {
		parts = append(parts, fmt.Sprintf("no unique_id %q", rec.ProblemID))
	}
	if rec.ProblemText != "" {
		parts = append(parts, fmt.Sprintf("no problem with the text %q", shorten(rec.ProblemText, 80)))
	}
	if len(parts) == 0 {
		return nil, "", "record without problem: expected a problem id, text or position, found none"
	}
	return nil, "", fmt.Sprintf("problem not in evalset %s: %s", r.ev.Name, strings.Join(parts, ", "))
}

// identity merges the file's checkpoint fields (from the config) with the
// record's inline ones: inline fields fill only what the config leaves open;
// a disagreement is a conflict naming both sources.
func (r *resolver) identity(fs *fileState, rec *ingest.Record) (*schemas.Identity, string) {
	plain := rec.Family == nil && rec.Model == nil && rec.Reward == nil && rec.Step == nil && rec.Seed == nil
	if plain {
		if p, ok := fs.plain[rec.Sampling]; ok {
			return p.id, p.msg
		}
	}
	id, msg := r.mergeIdentity(fs, rec)
	if plain {
		// Records without inline fields all get the file's identity (one per
		// sampling config): computed once.
		fs.plain[rec.Sampling] = plainIdentity{id, msg}
	}
	return id, msg
}

func (r *resolver) mergeIdentity(fs *fileState, rec *ingest.Record) (*schemas.Identity, string) {
	f := fs.fields
	var conflicts []string
	str := func(name string, cfg **string, inl *string) {
		if inl == nil {
			return
		}
		if *cfg == nil {
			*cfg = inl
			return
		}
		if **cfg != *inl {
			conflicts = append(conflicts, fmt.Sprintf("%s: %s says %q, the record says %q", name, f.Source, **cfg, *inl))
		}
	}
	num := func(name string, cfg **int64, inl *int64) {
		if inl == nil {
			return
		}
		if *cfg == nil {
			*cfg = inl
			return
		}
		if **cfg != *inl {
			conflicts = append(conflicts, fmt.Sprintf("%s: %s says %d, the record says %d", name, f.Source, **cfg, *inl))
		}
	}
	str("model", &f.Model, rec.Model)
	str("family", &f.Family, rec.Family)
	str("reward", &f.Reward, rec.Reward)
	num("step", &f.Step, rec.Step)
	num("seed", &f.Seed, rec.Seed)
	if len(conflicts) > 0 {
		return nil, "checkpoint conflict: " + strings.Join(conflicts, "; ")
	}
	if f.Family == nil && f.Model != nil {
		if fam, ok := fs.family[*f.Model]; ok {
			f.Family = &fam
		}
	}
	var missing []string
	if f.Family == nil {
		missing = append(missing, "family")
	}
	if f.Model == nil {
		missing = append(missing, "model")
	}
	if f.Reward == nil {
		missing = append(missing, "reward")
	}
	if f.Step == nil {
		missing = append(missing, "step")
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("checkpoint unknown: %s open in %s and absent from the record", strings.Join(missing, ", "), f.Source)
		if f.Family == nil && f.Model != nil && len(fs.family) > 0 {
			msg += fmt.Sprintf("; family_of has no key for model %q%s", *f.Model, closest(*f.Model, sortedKeys(fs.family)))
		}
		return nil, msg
	}
	id := schemas.Identity{Family: *f.Family, Model: *f.Model, Reward: *f.Reward, Step: *f.Step, Seed: f.Seed, Evalset: fs.evalset}.WithCheckpoint()
	id.Checkpoint += samplingSuffix(rec.Sampling)
	if prev, ok := r.ckpts[ckptEvalsetKey(&id)]; ok {
		if prev.Family != id.Family {
			return nil, fmt.Sprintf("checkpoint conflict: %s was read before with family %q, now %q", id.Checkpoint, prev.Family, id.Family)
		}
		return prev, ""
	}
	r.ckpts[ckptEvalsetKey(&id)] = &id
	return &id, ""
}

// recordExcerpt is the raw column of a reject made after reading: the record's
// identifying fields and the start of its response, as JSON.
func recordExcerpt(rec *ingest.Record) string {
	m := map[string]any{"sample_idx": rec.SampleIdx, "response": shorten(rec.Response, 200)}
	if rec.ProblemID != "" {
		m["problem_id"] = rec.ProblemID
	}
	if rec.ProblemText != "" {
		m["problem"] = shorten(rec.ProblemText, 120)
	}
	b, _ := json.Marshal(m)
	return ingest.RawExcerpt(b)
}

func idxText(i int64) string {
	if i < 0 {
		return "without sample_idx"
	}
	return strconv.FormatInt(i, 10)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// samplingSuffix is what a record's sampling config adds to its checkpoint
// id: nothing for most records; for a lighteval file read with sampling: all,
// "/sampling=<config>", so that the greedy and the sampled rows of the same
// model are graded as two checkpoints (the suffix sorts after the id the
// config names, as retireBefore needs).
func samplingSuffix(sampling string) string {
	if sampling == "" {
		return ""
	}
	return "/sampling=" + sampling
}

// inlineProblem is a record's problem id when the run has no evalset file:
// its id, else its position, else a hash of its text; prefixed by its task
// where it has one ("hendrycks_math_algebra/12"), since an lm-eval doc_id
// restarts at 0 in every task's file. "" when the record has none.
func inlineProblem(rec *ingest.Record) string {
	var p string
	switch {
	case rec.ProblemID != "":
		p = rec.ProblemID
	case rec.Position >= 0:
		p = "idx/" + strconv.FormatInt(rec.Position, 10)
		if rec.Task != "" {
			p = strconv.FormatInt(rec.Position, 10)
		}
	case rec.ProblemText != "":
		sum := sha256.Sum256([]byte(evalsets.NormalizeText(rec.ProblemText)))
		p = "text/" + hex.EncodeToString(sum[:6])
	default:
		return ""
	}
	if rec.Task != "" {
		p = rec.Task + "/" + p
	}
	return p
}

// ckptEvalsetKey identifies a checkpoint on one evalset (the aggregate
// tables' unit): the duplicate index and the identities are kept per key.
func ckptEvalsetKey(id *schemas.Identity) string { return id.Checkpoint + "\x00" + id.Evalset }
