package pipeline

import (
	"strings"
	"unicode/utf8"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/batch"

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

// verdict is task t's verdict under profiles[k]: from the cache when it has
// one, else from the grader.
func (t *task) verdict(k int, p grade.Profile, panicked *int) grade.Verdict {
	if t.cached != nil {
		if k == 0 {
			*panicked += t.cached.Panics
		}
		return t.cached.Profiles[k]
	}
	v, failure := batch.Response(t.gold, t.rec.Response, p)
	if failure != nil {
		*panicked++
		return grade.Verdict{ExtractMethod: "none", Reason: "unparsable"}
	}
	return v
}

// buildSample grades task j under every profile (or takes its cached
// verdicts) and builds its sample row. A grader panic on the response becomes
// the verdict "unparsable", counted in panicked.
func buildSample(j *task, profiles []grade.Profile, noText bool, panicked *int) schemas.Sample {
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
