package write

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Test rows: deterministic, with every nullable column both set and nil.

func ptr[T any](v T) *T { return &v }

func testIdentity(i int) schemas.Identity {
	id := schemas.Identity{Family: "qwen2.5-math", Model: "Qwen2.5-Math-7B", Reward: []string{"none", "random", "python"}[i%3], Step: int64(i % 3 * 50), Evalset: "math500"}
	if i%2 == 1 {
		id.Seed = ptr(int64(i))
	}
	return id.WithCheckpoint()
}

// testSamples returns n samples; with profiles, each carries matching Alt verdicts.
func testSamples(n int, textLen int, profiles ...string) []schemas.Sample {
	text := strings.Repeat("Let x = 2. Then \\boxed{4}. python ", textLen/34+1)[:textLen]
	out := make([]schemas.Sample, n)
	for i := range out {
		s := schemas.Sample{
			Identity:      testIdentity(i / 7),
			ProblemID:     fmt.Sprintf("test/algebra/%d.json", i%50),
			Subject:       []string{"Algebra", "Geometry", "Number Theory"}[i%3],
			Level:         int64(i%5 + 1),
			SampleIdx:     int64(i % 4),
			Response:      fmt.Sprintf("%d:%s", i, text),
			Truncated:     i%11 == 0,
			ExtractMethod: "boxed",
			Gold:          "4",
			Correct:       i%3 != 0,
			Reason:        "equal",
			HasBoxed:      i%5 != 0,
			CodeReasoning: i%2 == 0,
			HasCodeBlock:  i%7 == 0,
			SourceFile:    "gens/qwen.jsonl",
			SourceLine:    int64(i + 1),
		}
		s.ResponseChars = int64(len(s.Response))
		if i%4 != 0 {
			s.ResponseTokens = ptr(int64(len(s.Response) / 4))
			s.FinishReason = ptr("stop")
			s.Extracted = ptr(fmt.Sprint(i % 9))
			s.PeerCorrect = ptr(i%2 == 0)
			s.PeerExtracted = ptr("4")
		}
		for j, p := range profiles {
			s.Alt = append(s.Alt, schemas.AltVerdict{Profile: p, Correct: (i+j)%2 == 0, ExtractMethod: "last_number", Reason: "equal"})
		}
		out[i] = s
	}
	return out
}

func testProblems() []schemas.Problem {
	return []schemas.Problem{
		{Identity: testIdentity(0), ProblemID: "test/algebra/1.json", Subject: "Algebra", Level: 2, N: 4, NCorrect: 3, NNoAnswer: 0, Accuracy: 0.75, MajAnswer: ptr("4"), MajCorrect: 1, FirstCorrect: true, CodeReasoningRate: 0.25, MeanResponseChars: 1234.5},
		{Identity: testIdentity(1), ProblemID: "test/geometry/7.json", Subject: "Geometry", Level: 5, N: 4, NCorrect: 0, NNoAnswer: 4, Accuracy: 0, MajCorrect: 0.5, CodeReasoningRate: 1, MeanResponseChars: 17},
	}
}

func testMetrics() []schemas.Metric {
	return []schemas.Metric{
		{Identity: testIdentity(0), Profile: "strict", Subset: "all", Metric: "accuracy", N: 4, Value: ptr(0.5), Stderr: ptr(0.01), CILow: ptr(0.48), CIHigh: ptr(0.52), CIMethod: "bootstrap", NProblems: 500, PeerAccuracy: ptr(0.51)},
		{Identity: testIdentity(1), Profile: "strict", Subset: "level=5", Metric: "pass@k", K: ptr(int64(8)), N: 4, CIMethod: "wilson (n<50)", NProblems: 12},
	}
}

func testComparisons() []schemas.Comparison {
	return []schemas.Comparison{
		{Identity: testIdentity(2), Subset: "all", Metric: "accuracy", BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", BaselineValue: ptr(0.5), Value: ptr(0.6), Delta: ptr(0.1), DeltaCILow: ptr(0.05), DeltaCIHigh: ptr(0.15), PValue: ptr(0.001), NProblems: 500, Wins: 80, Losses: 30, Ties: 390},
		{Identity: testIdentity(3), Subset: "subject=Algebra", Metric: "pass@k", K: ptr(int64(4)), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", NProblems: 0},
	}
}

func testTransitions() []schemas.Transition {
	return []schemas.Transition{
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Bucket: "code->lang", NProblems: 40, AccuracyBefore: ptr(0.4), AccuracyAfter: ptr(0.7), ShareOfGain: ptr(0.3)},
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Bucket: "lang->code", NProblems: 0},
	}
}

func testBoundary() []schemas.Boundary {
	k := int64(3)
	return []schemas.Boundary{
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Profile: "strict", Subset: "all", N: 8, NCheckpoint: 8, NBaseline: 16, CommonN: true, NProblems: 500,
			PassAt1: ptr(0.6), BaselinePassAt1: ptr(0.5), PassAtN: ptr(0.8), BaselinePassAtN: ptr(0.85), CrossoverK: &k, Crossover: "crossover",
			AreaLogK: ptr(0.01), AreaCILow: ptr(-0.02), AreaCIHigh: ptr(0.04), AreaPValue: ptr(0.4), AreaQValue: ptr(0.6),
			Coverage: 0.8, BaselineCoverage: 0.85, CoverageDelta: -0.05, CoverageCILow: ptr(-0.09), CoverageCIHigh: ptr(-0.01), CoveragePValue: ptr(0.01), CoverageQValue: ptr(0.02),
			Gained: 10, Lost: 35, Method: "signflip-midp95"},
		{Identity: testIdentity(3), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Profile: "strict", Subset: "level=5", N: 1, NCheckpoint: 1, NBaseline: 1, NProblems: 3, Crossover: "none: not ahead at k=1"},
	}
}

func testBoundaryCurves() []schemas.BoundaryCurve {
	return []schemas.BoundaryCurve{
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Profile: "strict", Subset: "all", K: 1, N: 8, PassAtK: 0.6, BaselinePassAtK: 0.5, Delta: 0.1},
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Profile: "strict", Subset: "all", K: 2, N: 8, PassAtK: 0.7, BaselinePassAtK: 0.65, Delta: 0.05},
	}
}

func testProblemMoves() []schemas.ProblemMove {
	return []schemas.ProblemMove{
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Profile: "strict", ProblemID: "test/algebra/1.json", Subject: "Algebra", Level: 5, Move: "gained", N: 8, NCorrect: 2, StrategyBefore: "lang", StrategyAfter: "code", StrategySwitch: true},
		{Identity: testIdentity(2), BaselineCheckpoint: "Qwen2.5-Math-7B/none/step0", Profile: "strict", ProblemID: "test/geometry/7.json", Subject: "Geometry", Level: 2, Move: "lost", N: 8, BaselineNCorrect: 1, StrategyBefore: "lang", StrategyAfter: "lang"},
	}
}

func testRejects() []schemas.Reject {
	return []schemas.Reject{
		{SourceFile: "gens/bad.jsonl", SourceLine: 3, Error: "line 3: expected '}', found EOF", Raw: `{"prompt": "x"`},
		{SourceFile: "gens/bad.jsonl", SourceLine: 9, Error: "line 9: missing field response", Raw: ""},
	}
}

// expectedColumns walks rows by reflection (independently of the writer's
// offset-based code) and returns each column's name and values in order; nil
// pointers are nil, other values are string, int64, float64 or bool.
// Extra profiles become correct_<profile> columns read from Sample.Alt.
func expectedColumns(rows any, noText bool, profiles ...string) (names []string, cols [][]any) {
	rv := reflect.ValueOf(rows)
	var walk func(v reflect.Value, emit func(name string, val any))
	walk = func(v reflect.Value, emit func(string, any)) {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("parquet")
			if tag == "-" {
				continue
			}
			if f.Anonymous {
				walk(v.Field(i), emit)
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			fv := v.Field(i)
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					emit(name, nil)
					continue
				}
				fv = fv.Elem()
			}
			val := fv.Interface()
			if name == "response" && noText {
				val = ""
			}
			emit(name, val)
		}
	}
	for r := 0; r < rv.Len(); r++ {
		ci := 0
		emit := func(name string, val any) {
			if r == 0 {
				names = append(names, name)
				cols = append(cols, nil)
			}
			cols[ci] = append(cols[ci], val)
			ci++
		}
		walk(rv.Index(r), emit)
		if s, ok := rv.Index(r).Interface().(schemas.Sample); ok {
			for j, p := range profiles {
				emit("correct_"+p, s.Alt[j].Correct)
			}
		}
	}
	return names, cols
}
