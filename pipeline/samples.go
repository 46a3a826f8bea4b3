package pipeline

import (
	"strings"
	"unicode/utf8"

	"github.com/sourcegraph/conc/panics"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// truncationReasons are the finish_reason values that mean the response was cut
// by a length limit: "length" (OpenAI, vLLM, Qwen toolkit), "max_tokens"
// (Anthropic-style, some vLLM forks), "max_length" (HF generate wrappers) and
// "truncated". A sample is truncated when its finish_reason is one of them
// (case-insensitive); without a finish_reason it is not counted as truncated.
var truncationReasons = []string{"length", "max_tokens", "max_length", "truncated"}

// IsTruncated reports whether a finish_reason is a known truncation signal.
func IsTruncated(finishReason *string) bool {
	if finishReason == nil {
		return false
	}
	for _, t := range truncationReasons {
		if strings.EqualFold(*finishReason, t) {
			return true
		}
	}
	return false
}

// HasCodeReasoning is the Spurious Rewards paper's definition of code
// reasoning: the response contains "python", case-insensitive. It looks at each
// 'y' or 'Y' (found with the vectorised strings.IndexByte) and compares the
// six bytes around it, so a response without "python" costs two fast scans.
func HasCodeReasoning(response string) bool {
	for _, y := range []byte{'y', 'Y'} {
		for from := 1; from < len(response); {
			i := strings.IndexByte(response[from:], y)
			if i < 0 {
				break
			}
			i += from
			if i+5 <= len(response) && strings.EqualFold(response[i-1:i+5], "python") {
				return true
			}
			from = i + 1
		}
	}
	return false
}

// HasCodeBlock reports whether the response contains a Markdown fenced code
// block: a line that starts (after spaces or tabs) with ``` .
func HasCodeBlock(response string) bool {
	for from := 0; ; {
		i := strings.Index(response[from:], "```")
		if i < 0 {
			return false
		}
		i += from
		j := i
		for j > 0 && (response[j-1] == ' ' || response[j-1] == '\t') {
			j--
		}
		if j == 0 || response[j-1] == '\n' {
			return true
		}
		from = i + 3
	}
}

// HasBoxed reports whether the response contains \boxed or \fbox.
func HasBoxed(response string) bool {
	return strings.Contains(response, `\boxed`) || strings.Contains(response, `\fbox`)
}

// gradeBatch grades every job under every profile and builds its sample rows.
// A grader panic on one response becomes that sample's verdict with reason
// "unparsable" (counted in panics), never a crash.
//
// A job with cached verdicts is not graded again: its verdicts (and the count
// of grader panics they took) come from the cache. Markers (end of file,
// seal: jobs without a record) make no sample.
func gradeBatch(jobs []*job, profiles []grade.Profile, noText bool) (out []schemas.Sample, panicked int) {
	out = make([]schemas.Sample, 0, len(jobs))
	for _, j := range jobs {
		if j.marker() {
			continue
		}
		before := panicked
		out = append(out, buildSample(j, profiles, noText, &panicked))
		j.panics = panicked - before
	}
	return out, panicked
}

// verdict is job j's verdict under profiles[k]: from the cache when it has
// one, else from the grader.
func (j *job) verdict(k int, p grade.Profile, panicked *int) grade.Verdict {
	if j.cached != nil {
		if k == 0 {
			*panicked += j.cached.panics
		}
		return j.cached.v[k]
	}
	return safeGrade(j.gold, j.rec.Response, p, panicked)
}

func safeGrade(g *grade.Gold, response string, p grade.Profile, panicked *int) (v grade.Verdict) {
	if r := panics.Try(func() { v = grade.GradeResponse(g, response, p) }); r != nil {
		*panicked++
		return grade.Verdict{ExtractMethod: "none", Reason: "unparsable"}
	}
	return v
}

func buildSample(j *job, profiles []grade.Profile, noText bool, panicked *int) schemas.Sample {
	rec := j.rec
	v := j.verdict(0, profiles[0], panicked)
	s := schemas.Sample{
		Identity:       *j.id,
		ProblemID:      j.problem,
		Subject:        j.subject,
		Level:          j.level,
		SampleIdx:      j.sampleIdx,
		Response:       rec.Response,
		ResponseChars:  int64(utf8.RuneCountInString(rec.Response)),
		ResponseTokens: rec.ResponseTokens,
		FinishReason:   rec.FinishReason,
		Truncated:      IsTruncated(rec.FinishReason),
		ExtractMethod:  v.ExtractMethod,
		Gold:           j.gold.Raw(),
		Correct:        v.Correct,
		Reason:         v.Reason,
		HasBoxed:       HasBoxed(rec.Response),
		CodeReasoning:  HasCodeReasoning(rec.Response),
		HasCodeBlock:   HasCodeBlock(rec.Response),
		SourceFile:     j.file,
		SourceLine:     rec.SourceLine,
		PeerCorrect:    rec.PeerCorrect,
		PeerExtracted:  rec.PeerExtracted,
	}
	if v.HasAnswer {
		e := v.Extracted
		s.Extracted = &e
	}
	if noText {
		s.Response = ""
	}
	if len(profiles) > 1 {
		s.Alt = make([]schemas.AltVerdict, len(profiles)-1)
		for k, p := range profiles[1:] {
			av := j.verdict(k+1, p, panicked)
			a := schemas.AltVerdict{Profile: string(p), Correct: av.Correct, ExtractMethod: av.ExtractMethod, Reason: av.Reason}
			if av.HasAnswer {
				e := av.Extracted
				a.Extracted = &e
			}
			s.Alt[k] = a
		}
	}
	return s
}
