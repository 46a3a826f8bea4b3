package main

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:3: boom\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"--- FAIL: TestA (0.00s)\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: needs chromium\n"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"--- PASS: TestC (0.00s)\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestC"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\n"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.01s\n"}`,
		`{"Action":"fail","Package":"p"}`,
		`{"Action":"output","Package":"q","Output":"ok  \tq\t0.01s\n"}`,
		`{"Action":"pass","Package":"q"}`,
		`# q/broken`,
	}, "\n")
	var out strings.Builder
	if code := run(strings.NewReader(in), &out); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := "    a_test.go:3: boom\n--- FAIL: TestA (0.00s)\nFAIL\nFAIL\tp\t0.01s\nok  \tq\t0.01s\n# q/broken\n\n1 tests skipped:\nSKIP p TestB: b_test.go:9: needs chromium\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	// A test that never ended (the binary panicked): its output is shown.
	out.Reset()
	panicked := `{"Action":"output","Package":"r","Test":"TestP","Output":"panic: boom\n"}` + "\n" + `{"Action":"fail","Package":"r"}`
	if code := run(strings.NewReader(panicked), &out); code != 1 || out.String() != "panic: boom\n" {
		t.Errorf("exit %d, output %q", code, out.String())
	}
	out.Reset()
	if code := run(strings.NewReader(`{"Action":"pass","Package":"q"}`), &out); code != 0 {
		t.Errorf("exit %d on a pass", code)
	}
}
