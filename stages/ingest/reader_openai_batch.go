package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The openai-batch format is the output file of the OpenAI Batch API, and of the
// compatible batch runners of vLLM (vllm run-batch) and Groq: JSONL, one request
// per line, lines in any order:
//
//	{"id": "batch_req_...", "custom_id": "...",
//	 "response": {"status_code": 200, "request_id": "...",
//	              "body": {"choices": [{"index": 0,
//	                                    "message": {"role": "assistant", "content": "..."},
//	                                    "finish_reason": "stop"}],
//	                       "usage": {"prompt_tokens": 80, "completion_tokens": 412, ...}}},
//	 "error": null}
//
// (/v1/completions bodies carry choices[].text instead of message.content.) The
// problem and the sample are encoded in custom_id, by default as
// "{problem_id}#{sample_idx}"; opts["custom_id_pattern"] sets another pattern
// with the same two placeholders ({sample_idx} optional). An id that does not
// match the pattern is the problem id itself and its choices are samples
// 0..n-1 (one request with n>1). When an id names sample s and the request has
// n>1 choices, choice i is sample s*n+i. A numeric problem id is a position in
// the evalset, anything else an evalset id.
//
// usage.completion_tokens counts the tokens of all choices of a request, so it
// becomes ResponseTokens only when the request has exactly one choice.
//
// A failed request (error set, or a status_code other than 200) is a reject
// carrying the API's message; a choice without text is a reject too.
var openAIBatchFormat = Format{
	Name:   "openai-batch",
	Detect: detectOpenAIBatch,
	Fields: [][]string{{"custom_id"}, {"response", "error"}},
	New:    newOpenAIBatchReader,
}

func detectOpenAIBatch(_ string, head []byte) bool {
	k := keySet(FirstKeys(head, 16))
	return k["custom_id"] && (k["response"] || k["error"])
}

// DefaultCustomIDPattern is the custom_id layout assumed when the config does
// not give one.
const DefaultCustomIDPattern = "{problem_id}#{sample_idx}"

type openAIBatchReader struct {
	pattern *regexp.Regexp
	err     error // a bad custom_id_pattern, reported on Read
}

func newOpenAIBatchReader(opts map[string]string) Reader {
	p := opts["custom_id_pattern"]
	if p == "" {
		p = DefaultCustomIDPattern
	}
	re, err := compileCustomIDPattern(p)
	return wrap("openai-batch", openAIBatchReader{pattern: re, err: err})
}

// compileCustomIDPattern turns "{problem_id}#{sample_idx}" into an anchored
// regular expression with groups named problem and sample.
func compileCustomIDPattern(p string) (*regexp.Regexp, error) {
	if strings.Count(p, "{problem_id}") != 1 || strings.Count(p, "{sample_idx}") > 1 {
		return nil, fmt.Errorf("custom_id_pattern %q: expected {problem_id} once and {sample_idx} at most once", p)
	}
	var b strings.Builder
	b.WriteString("^")
	rest := p
	for rest != "" {
		i := strings.Index(rest, "{")
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		rest = rest[i:]
		switch {
		case strings.HasPrefix(rest, "{problem_id}"):
			b.WriteString(`(?P<problem>.+)`)
			rest = rest[len("{problem_id}"):]
		case strings.HasPrefix(rest, "{sample_idx}"):
			b.WriteString(`(?P<sample>\d+)`)
			rest = rest[len("{sample_idx}"):]
		default:
			b.WriteString(regexp.QuoteMeta("{"))
			rest = rest[1:]
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

type openAIBatchLine struct {
	CustomID json.RawMessage `json:"custom_id"`
	Response *struct {
		StatusCode json.RawMessage `json:"status_code"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error json.RawMessage `json:"error"`
}

type openAIBatchBody struct {
	Choices []struct {
		Index   json.RawMessage `json:"index"`
		Message *struct {
			Content json.RawMessage `json:"content"`
		} `json:"message"`
		Text         json.RawMessage `json:"text"`
		FinishReason json.RawMessage `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		CompletionTokens json.RawMessage `json:"completion_tokens"`
	} `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// Read implements Reader.
func (rd openAIBatchReader) read(ctx context.Context, src Source, _ *FileResult, emit func(Item) error) error {
	path := src.Path
	if rd.err != nil {
		return rd.err
	}
	return readJSONL(ctx, src, emit, func(line int64, data []byte) error {
		for _, it := range rd.items(path, line, data) {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	})
}

func (rd openAIBatchReader) items(path string, line int64, data []byte) []Item {
	one := func(msg string, args ...any) []Item {
		return []Item{rejectAt(path, line, data, fmt.Sprintf(msg, args...))}
	}
	var l openAIBatchLine
	if it := decodeLine(path, line, data, &l); it != nil {
		return []Item{*it}
	}
	id, ok, err := jsonText(l.CustomID)
	if err != nil {
		return one(`field "custom_id": %v`, err)
	}
	if !ok || id == "" {
		return one(`field "custom_id": expected a string, found %s`, jsonKind(l.CustomID))
	}
	if !isNull(l.Error) {
		return one("request %s failed: %s", id, apiErrorMessage(l.Error))
	}
	if l.Response == nil {
		return one(`request %s: expected a "response" object, found none`, id)
	}
	status, ok, err := jsonInt(l.Response.StatusCode)
	if err != nil {
		return one(`request %s: field "response.status_code": %v`, id, err)
	}
	var body openAIBatchBody
	bodyErr := json.Unmarshal(l.Response.Body, &body)
	if ok && status != 200 {
		msg := ""
		if bodyErr == nil && !isNull(body.Error) {
			msg = ": " + apiErrorMessage(body.Error)
		}
		return one("request %s failed: expected status_code 200, found %d%s", id, status, msg)
	}
	if isNull(l.Response.Body) || bodyErr != nil {
		what := jsonKind(l.Response.Body)
		if bodyErr != nil && !isNull(l.Response.Body) {
			what = describeJSONError(bodyErr)
		}
		return one(`request %s: field "response.body": expected a completion object, found %s`, id, what)
	}
	if len(body.Choices) == 0 {
		return one(`request %s: field "response.body.choices": expected at least one choice, found none`, id)
	}

	base := newRecord(path, line)
	problem, sample, hasSample := id, int64(0), false
	if m := rd.pattern.FindStringSubmatch(id); m != nil {
		for i, name := range rd.pattern.SubexpNames() {
			switch name {
			case "problem":
				problem = m[i]
			case "sample":
				n, err := strconv.ParseInt(m[i], 10, 64)
				if err != nil {
					return one(`field "custom_id": expected a sample index, found %q`, m[i])
				}
				sample, hasSample = n, true
			}
		}
	}
	setProblemKey(&base, problem)
	n := int64(len(body.Choices))
	var tokens *int64
	if n == 1 && body.Usage != nil {
		if t, ok, err := jsonInt(body.Usage.CompletionTokens); err != nil {
			return one(`request %s: field "response.body.usage.completion_tokens": %v`, id, err)
		} else if ok {
			tokens = &t
		}
	}
	var items []Item
	for i, c := range body.Choices {
		idx := int64(i)
		if v, ok, err := jsonInt(c.Index); err == nil && ok {
			idx = v
		}
		r := base
		switch {
		case hasSample && n == 1:
			r.SampleIdx = sample
		case hasSample:
			r.SampleIdx = sample*n + idx
		default:
			r.SampleIdx = idx
		}
		content := c.Text
		field := "text"
		if c.Message != nil {
			content, field = c.Message.Content, "message.content"
		}
		text, ok, err := jsonString(content)
		if err != nil || !ok {
			items = append(items, rejectAt(path, line, data, fmt.Sprintf(`request %s: field "response.body.choices[%d].%s": expected a string, found %s`, id, i, field, jsonKind(content))))
			continue
		}
		r.Response = text
		if s, ok, err := jsonString(c.FinishReason); err == nil && ok {
			r.FinishReason = &s
		}
		r.ResponseTokens = tokens
		items = append(items, Item{Record: &r})
	}
	return items
}

// apiErrorMessage renders an API error value: {"code": ..., "message": ...}, a
// string, or anything else as JSON.
func apiErrorMessage(raw json.RawMessage) string {
	var e struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Type    string          `json:"type"`
	}
	if json.Unmarshal(raw, &e) == nil && (e.Message != "" || !isNull(e.Code)) {
		code, _, _ := jsonText(e.Code)
		switch {
		case code != "" && e.Message != "":
			return code + ": " + e.Message
		case e.Message != "":
			return e.Message
		default:
			return code
		}
	}
	if s, ok, err := jsonString(raw); err == nil && ok {
		return s
	}
	return clip(strings.TrimSpace(string(raw)), 200)
}
