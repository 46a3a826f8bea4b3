package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

func TestResolveProblem(t *testing.T) {
	ev, err := evalsets.ReadJSONL("tiny", strings.NewReader(tinyEvalset))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Evalset: EvalsetConfig{Name: "tiny"}}
	model, reward, fam := "M", "none", "F"
	step := int64(0)
	fields := CheckpointFields{Model: &model, Reward: &reward, Family: &fam, Step: &step, Source: "config runs[0]"}
	tests := []struct {
		name    string
		rec     ingest.Record
		problem string
		how     string
		reject  string
	}{
		{name: "by id", rec: ingest.Record{ProblemID: "p/2", Position: -1}, problem: "p/2", how: MatchByID},
		{name: "by text", rec: ingest.Record{ProblemText: "What is \\(1+1\\)?", Position: 7}, problem: "p/1", how: MatchByText},
		{name: "unknown id, known text", rec: ingest.Record{ProblemID: "zz", ProblemText: "What is $2+2$?", Position: -1}, problem: "p/2", how: MatchByText},
		{name: "by position", rec: ingest.Record{Position: 1}, problem: "p/2", how: MatchByPosition},
		{name: "position beyond", rec: ingest.Record{Position: 2}, reject: "problem not in evalset tiny: position 2 is beyond its 2 problems"},
		{name: "text not found", rec: ingest.Record{ProblemText: "What is 3+3?", Position: 0}, reject: `problem not in evalset tiny: no problem with the text "What is 3+3?"`},
		{name: "nothing", rec: ingest.Record{Position: -1}, reject: "record without problem"},
		{name: "no response", rec: ingest.Record{ProblemID: "p/1", Position: -1, Response: "-"}, reject: "record without response"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newResolver(cfg, ev)
			in := Input{Path: "/x/f.jsonl", Fields: fields}
			r.files = []Input{in}
			fs := r.startFile(&in, 0)
			rec := tc.rec
			rec.SourceLine = int64(i + 1)
			rec.SampleIdx = -1
			rec.Response = "\\boxed{2}"
			if tc.rec.Response == "-" {
				rec.Response = ""
			}
			j, rej := r.resolve(fs, &rec)
			if tc.reject != "" {
				if rej == nil || !strings.Contains(rej.Error, tc.reject) || rej.SourceLine != rec.SourceLine {
					t.Fatalf("reject = %+v, want %q", rej, tc.reject)
				}
				return
			}
			if rej != nil {
				t.Fatalf("reject %+v", rej)
			}
			if j.problem != tc.problem || fs.matches[tc.how] != 1 || j.sampleIdx != 0 || j.gold.Raw() == "" {
				t.Fatalf("job problem %q sample %d, matches %v", j.problem, j.sampleIdx, fs.matches)
			}
		})
	}
}

func TestResolveInlineAndNumbering(t *testing.T) {
	cfg := &Config{Evalset: EvalsetConfig{Name: "inline"}}
	r := newResolver(cfg, nil)
	in := Input{Path: "/x/f.jsonl", Fields: CheckpointFields{Source: "config runs[0]"}}
	r.files = []Input{in}
	fs := r.startFile(&in, 0)
	fs.family = map[string]string{"M": "fam"}
	model, reward := "M", "random"
	step := int64(5)
	gold := "7"
	mk := func(line int64, id string, pos int64) *ingest.Record {
		return &ingest.Record{SourceLine: line, ProblemID: id, Position: pos, SampleIdx: -1, Response: "r", Gold: &gold, Model: &model, Reward: &reward, Step: &step}
	}
	var got []string
	for i, rec := range []*ingest.Record{mk(1, "a", -1), mk(2, "a", -1), mk(3, "", 4), mk(4, "a", -1)} {
		j, rej := r.resolve(fs, rec)
		if rej != nil {
			t.Fatalf("record %d: %+v", i, rej)
		}
		got = append(got, j.problem+"#"+string(rune('0'+j.sampleIdx)))
		if j.id.Family != "fam" || j.id.Checkpoint != "M/random/step5" {
			t.Fatalf("identity %+v", j.id)
		}
	}
	if strings.Join(got, " ") != "a#0 a#1 idx/4#0 a#2" {
		t.Fatalf("numbering = %v", got)
	}
	// The same sample in a second file is a duplicate naming the first place.
	in2 := Input{Path: "/x/g.jsonl", Fields: in.Fields}
	r.files = append(r.files, in2)
	fs2 := r.startFile(&in2, 1)
	fs2.family = fs.family
	dup := mk(9, "a", -1)
	dup.SampleIdx = 1
	if _, rej := r.resolve(fs2, dup); rej == nil || !strings.Contains(rej.Error, "sample_idx 1 was already read at /x/f.jsonl line 2") || rej.SourceFile != "/x/g.jsonl" {
		t.Fatalf("reject = %+v", rej)
	}
	fs = r.startFile(&in, 0)
	fs.family = map[string]string{"M": "fam"}
	noGold := mk(5, "b", -1)
	noGold.Gold = nil
	if _, rej := r.resolve(fs, noGold); rej == nil || !strings.Contains(rej.Error, "no gold answer") {
		t.Fatalf("reject = %+v", rej)
	}
	noStep := mk(6, "b", -1)
	noStep.Step = nil
	if _, rej := r.resolve(fs, noStep); rej == nil || !strings.Contains(rej.Error, "checkpoint unknown: step open in config runs[0] and absent from the record") {
		t.Fatalf("reject = %+v", rej)
	}
}

// panicReader emits one record, then panics like a buggy reader on hostile input.
type panicReader struct{}

func (panicReader) ReadSource(_ context.Context, src ingest.Source, emit func(ingest.Item) error) (ingest.FileResult, error) {
	if err := emit(ingest.Item{Record: &ingest.Record{SourceFile: src.Path, SourceLine: 1, Response: "r"}}); err != nil {
		return ingest.FileResult{}, err
	}
	panic("index out of range")
}

func TestReaderPanicBecomesReject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.jsonl")
	os.WriteFile(path, []byte("{}\n"), 0o644)
	// Read once, and read twice (a first read for the digest and the
	// FileResult, with a cache or without an evalset name): the same items.
	for _, prepass := range []bool{false, true} {
		s := &source{in: Input{Path: path}, format: ingest.Format{Name: "buggy"}, reader: panicReader{}}
		ch := make(chan []ingest.Item, 4)
		if err := readSource(context.Background(), s, ch, 10, prepass); err != nil {
			t.Fatal(err)
		}
		close(ch)
		var items []ingest.Item
		for b := range ch {
			items = append(items, b...)
		}
		if len(items) != 2 || items[0].Record == nil || items[1].Reject == nil ||
			!strings.Contains(items[1].Reject.Error, "the buggy reader failed after line 1 (rest of the file skipped): index out of range") ||
			items[1].Reject.SourceLine != 2 || s.sha256 == "" || s.size != 3 {
			t.Fatalf("prepass %v: items = %+v, sha %q, size %d", prepass, items, s.sha256, s.size)
		}
	}
}

func TestDisplayPath(t *testing.T) {
	tests := []struct{ base, p, want string }{
		{"/data/cfg", "/data/cfg/gens/a.jsonl", "gens/a.jsonl"},
		{"/data/cfg", "/data/cfg/..gens/a.jsonl", "..gens/a.jsonl"},
		{"/data/cfg", "/data/other/a.jsonl", "/data/other/a.jsonl"},
		{"/data/cfg", "/data", "/data"},
		{"", "/data/cfg/a.jsonl", "/data/cfg/a.jsonl"},
	}
	for _, tc := range tests {
		if got := displayPath(tc.base, tc.p); got != tc.want {
			t.Errorf("displayPath(%q, %q) = %q, want %q", tc.base, tc.p, got, tc.want)
		}
	}
}
