package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/batch"
)

// fastAndSlow grades one line on the fast path (when scanFast takes it) and on the
// slow path, and says whether the fast path took it.
func fastAndSlow(t testing.TB, line string, p grade.Profile) (fast, slow []byte, took bool) {
	t.Helper()
	g := lineGrader{golds: batch.NewGolds().Memo(), profile: p, maxLine: defaultMaxLine}
	fast = g.gradeRaw(3, []byte(line), nil)
	_, _, took = scanFast(bytes.TrimSpace([]byte(line)), nil)
	slow = g.slow(inputLine{n: 3, text: []byte(line), max: defaultMaxLine}, nil)
	return fast, slow, took
}

// trickyLines are lines on both sides of the fast path's edge; fast says which side.
var trickyLines = []struct {
	line string
	fast bool
}{
	{`{"id":1,"gold":"5","response":"The answer is 5."}`, true},
	{` {"id" : 1 , "gold" : "5" , "answer" : "5" } `, true},
	{"\t{\"gold\":\"5\",\"answer\":\"5\"}\r", true},
	{`{"gold":"\\frac{1}{2}","response":"so $\\boxed{\\frac12}$\n\tdone \"quoted\" \/ \b\f\r"}`, true},
	// \u escapes: BMP, a valid surrogate pair, lone and reversed surrogates, NUL.
	{`{"gold":"\u00e9","response":"\u00E9 \ud83d\ude00 \ud800 x \udc00\ud800 \ud800\u0041 \u0000 \boxed{\u00e9}"}`, true},
	{`{"gold":"5","answer":"\ud83d\ude0"}`, false},
	// Invalid UTF-8 inside strings becomes U+FFFD; in the id it stays as it is.
	{"{\"id\":\"\xff\xfe\",\"gold\":\"5\",\"response\":\"a \xc3 b \xe2\x82 c \xed\xa0\x80 \\boxed{5}\"}", true},
	{"{\"gold\":\"5\",\"answer\":\"caf\xc3\xa9 5\"}", true},
	// Every JSON value as an id or an unknown field, nested.
	{`{"id":{"a":[1,-2.5e+3,true,false,null,"x\"y",{"b":{}}],"c":[]},"gold":"1","answer":"1"}`, true},
	{`{"id":-0.0E-0,"extra":[[[[]]]],"gold":"1","answer":"1"}`, true},
	{`{"id":123456789012345678901234567890,"gold":"1","answer":"1"}`, true},
	{`{"id":01,"gold":"1","answer":"1"}`, false},
	{`{"id":1.,"gold":"1","answer":"1"}`, false},
	{`{"id":.5,"gold":"1","answer":"1"}`, false},
	{`{"id":+1,"gold":"1","answer":"1"}`, false},
	{`{"id":tru,"gold":"1","answer":"1"}`, false},
	{`{"id":[1,],"gold":"1","answer":"1"}`, false},
	{`{"id":1,"gold":"1","answer":"1",}`, false},
	{`{"id":1,"gold":"1","answer":"1"}x`, false},
	{`{"id":1,"gold":"1","answer":"1"}{}`, false},
	{`{"id":1 "gold":"1","answer":"1"}`, false},
	{"{\"id\":1,\"gold\":\"1\",\"answer\":\"a\x01b\"}", false},
	{`{"id":1,"gold":"1","answer":"\x"}`, false},
	{`{"id":1,"gold":"1","answer":"\'"}`, false},
	{`{"id":1,"gold":"1","answer":"1}`, false},
	{"{\"id\":1,\v\"gold\":\"1\",\"answer\":\"1\"}", false},
	// Nulls, absences, duplicates and keys that only fold to a field.
	{`{"id":null,"gold":"1","answer":"1","response":null,"profile":null}`, true},
	{`{"gold":"1","answer":null,"response":"\\boxed{1}"}`, true},
	{`{"gold":"1","answer":"1","response":"1"}`, false},
	{`{"gold":"1"}`, false},
	{`{"gold":null,"answer":"1"}`, false},
	{`{"gold":1,"answer":"1"}`, false},
	{`{"gold":"1","answer":1}`, false},
	{`{"gold":"1","answer":"1","gold":"2"}`, false},
	{`{"id":1,"id":2,"gold":"1","answer":"1"}`, false},
	{`{"ID":7,"gold":"1","answer":"1"}`, false},
	{`{"Gold":"2","gold":"1","answer":"1"}`, false},
	{`{"reſponse":"1","gold":"1","answer":"1"}`, false},
	{`{"\u0069d":7,"gold":"1","answer":"1"}`, false},
	{`{"golds":"2","Answers":"x","gold":"1","answer":"1"}`, true},
	{`{"":0,"gold":"1","answer":"1"}`, true},
	// Profiles: known names, the empty name (strict, not the default), unknown ones.
	{`{"gold":"7","response":"maybe 7","profile":"lenient"}`, true},
	{`{"gold":"7","response":"maybe 7","profile":"strict"}`, true},
	{`{"gold":"7","response":"maybe 7","profile":""}`, true},
	{`{"gold":"7","response":"maybe 7","profile":"Lenient"}`, false},
	{`{"gold":"7","response":"maybe 7","profile":3}`, false},
	// Numbers as gold are not strings: the slow path reports them.
	{`{"gold":5,"response":"5"}`, false},
	{`{"gold":"5.0","response":"\\boxed{5}"}`, true},
	// Not objects at all.
	{`[1,2]`, false}, {`"x"`, false}, {`null`, false}, {`{}`, false}, {`{`, false}, {`not json`, false},
	{"\u00a0{\"gold\":\"1\",\"answer\":\"1\"}\u0085", true},
}

// TestScanFastAgrees: on every tricky line the fast path writes the same bytes as the
// slow path (encoding/json), and takes exactly the lines it is meant to take.
func TestScanFastAgrees(t *testing.T) {
	for _, p := range []grade.Profile{grade.Strict, grade.Lenient} {
		for i, tc := range trickyLines {
			fast, slow, took := fastAndSlow(t, tc.line, p)
			if !bytes.Equal(fast, slow) {
				t.Errorf("%s line %d %q:\nfast %s\nslow %s", p, i, tc.line, fast, slow)
			}
			if took != tc.fast {
				t.Errorf("%s line %d %q: fast path taken %v, want %v", p, i, tc.line, took, tc.fast)
			}
		}
	}
}

// TestScanFastHugeAndDeep: a line of megabytes with escapes throughout, and values
// nested past the fast path's depth limit, agree with the slow path.
func TestScanFastHugeAndDeep(t *testing.T) {
	var r strings.Builder
	for r.Len() < 3<<20 {
		r.WriteString(`step \\frac{a}{b} é \u00e9 \ud83d\ude00 "\n`)
	}
	resp := strings.ReplaceAll(r.String(), `"`, `\"`) + ` \\boxed{7}`
	huge := `{"id":"big","gold":"7","response":"` + resp + `"}`
	deep := func(n int) string {
		return `{"id":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `,"gold":"1","answer":"1"}`
	}
	for _, tc := range []struct {
		name, line string
		fast       bool
	}{{"huge", huge, true}, {"deep", deep(maxFastDepth), true}, {"deeper", deep(maxFastDepth + 1), false}} {
		fast, slow, took := fastAndSlow(t, tc.line, grade.Strict)
		if !bytes.Equal(fast, slow) || took != tc.fast {
			t.Errorf("%s: fast path taken %v (want %v); fast %.200s, slow %.200s", tc.name, took, tc.fast, fast, slow)
		}
	}
}

// checkScanDifferential checks scanFast's parts against encoding/json on one input:
// the string decoder accepts exactly the strings json accepts, with the same result;
// the value checker accepts exactly the values json.Valid accepts (within its depth);
// and where scanFast takes a line, json reads the same fields from it and the
// output bytes are the slow path's.
func checkScanDifferential(t *testing.T, in []byte) {
	var want string
	jsonErr := json.Unmarshal(in, &want)
	s := scanner{b: in}
	got, ok := s.decode()
	s.ws()
	if ok && s.i != len(in) {
		ok = false // decode read a string followed by more: not a JSON string as a whole
	}
	if ok != (jsonErr == nil && len(in) > 0 && in[0] == '"') {
		t.Fatalf("decode %q: ok %v, encoding/json: %v", in, ok, jsonErr)
	}
	if ok && string(got) != want {
		t.Fatalf("decode %q: %q, encoding/json %q", in, got, want)
	}

	v := scanner{b: in}
	v.ws()
	valid := v.value(0)
	v.ws()
	valid = valid && v.i == len(in)
	if bytes.Count(in, []byte("[")) < maxFastDepth && bytes.Count(in, []byte("{")) < maxFastDepth {
		if valid != json.Valid(in) {
			t.Fatalf("value %q: valid %v, json.Valid %v", in, valid, json.Valid(in))
		}
	} else if valid && !json.Valid(in) {
		t.Fatalf("value %q accepted, json.Valid rejects it", in)
	}

	trimmed := bytes.TrimSpace(in)
	f, _, took := scanFast(trimmed, nil)
	if !took {
		return
	}
	var rec gradeRecord
	if err := json.Unmarshal(trimmed, &rec); err != nil {
		t.Fatalf("scanFast took %q, encoding/json rejects it: %v", in, err)
	}
	gold, _ := stringField("gold", rec.Gold)
	inputRaw := rec.Response
	if f.answer {
		inputRaw = rec.Answer
	}
	input, _ := stringField("", inputRaw)
	if (f.id == nil) != (rec.ID == nil) || !bytes.Equal(f.id, rec.ID) || f.gold != gold || f.input != input {
		t.Fatalf("scanFast %q: id %s gold %q input %q; encoding/json: id %s gold %q input %q",
			in, f.id, f.gold, f.input, rec.ID, gold, input)
	}
	if present(rec.Profile) {
		name, _ := stringField("profile", rec.Profile)
		if p, _ := grade.ParseProfile(name); p != f.profile {
			t.Fatalf("scanFast %q: profile %q, encoding/json %q", in, f.profile, name)
		}
	} else if f.profile != "" {
		t.Fatalf("scanFast %q: profile %q for none", in, f.profile)
	}
	fast, slow, _ := fastAndSlow(t, string(in), grade.Strict)
	if !bytes.Equal(fast, slow) {
		t.Fatalf("%q:\nfast %s\nslow %s", in, fast, slow)
	}
}

// FuzzScanFast is the differential fuzz target of the fast line scanner against
// encoding/json (see checkScanDifferential).
func FuzzScanFast(f *testing.F) {
	for _, tc := range trickyLines {
		f.Add([]byte(tc.line))
	}
	for _, s := range []string{`"a\u00e9\ud83d\ude00"`, `"\ud800\udbff"`, "\"\xff\"", `"\u12"`, `""`, `"a\"`,
		`-0.5e10`, `[1,{"a":[]}]`, `{"a":1,}`, `1e`, `--1`, `"abcdefgh\\ijklmnop"`, "\"abcdefg\x1f\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkScanDifferential)
}

// TestScanFastRealResponses: every real response line takes the fast path and agrees
// with the slow path.
func TestScanFastRealResponses(t *testing.T) {
	lines := realGradeLines(t)
	for i, l := range lines {
		fast, slow, took := fastAndSlow(t, l, grade.Strict)
		if !took || !bytes.Equal(fast, slow) {
			t.Fatalf("real line %d: fast path taken %v; fast %s slow %s", i, took, fast, slow)
		}
	}
	if len(lines) != 400 {
		t.Fatalf("read %d real lines, want 400", len(lines))
	}
}

// realGradeLines builds grade-stream input lines from the 400 real Qwen2.5-Math
// responses in ../shared/data, one {"id", "gold", "response"} line each.
func realGradeLines(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile(realdata.Path(tb, "gens/qwen25-math-cot-8x50.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for n, text := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var p struct {
			Idx  int      `json:"idx"`
			Gt   string   `json:"gt"`
			Code []string `json:"code"`
		}
		if err := json.Unmarshal(text, &p); err != nil {
			tb.Fatalf("gens line %d: %v", n+1, err)
		}
		for k, r := range p.Code {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false) // as scripts/gradelines writes them
			if err := enc.Encode(struct {
				ID       string `json:"id"`
				Gold     string `json:"gold"`
				Response string `json:"response"`
			}{fmt.Sprintf("%d-%d", p.Idx, k), p.Gt, r}); err != nil {
				tb.Fatal(err)
			}
			lines = append(lines, strings.TrimSuffix(b.String(), "\n"))
		}
	}
	return lines
}
