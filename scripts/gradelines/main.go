// Command gradelines writes input for `rlvr-eval grade` built from the 400 real
// Qwen2.5-Math responses of the shared qwen-eval file: one
// {"id":"<idx>-<k>","gold":"<gt>","response":"..."} line per response, the 400
// lines repeated until -n lines are written (consecutive lines of a problem share
// its gold, as a user's file of samples does). The grade-stream benchmark
// (scripts/bench-grade.sh) measures on it.
//
//	go run ./scripts/gradelines -n 80000 > /tmp/grade-80k.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	src := flag.String("src", "../shared/data/gens/qwen25-math-cot-8x50.jsonl", "the qwen-eval file of real responses")
	n := flag.Int("n", 80000, "lines to write")
	flag.Parse()
	if err := write(*src, *n); err != nil {
		fmt.Fprintln(os.Stderr, "gradelines:", err)
		os.Exit(1)
	}
}

func write(src string, n int) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var lines [][]byte
	for i, text := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var p struct {
			Idx  int      `json:"idx"`
			Gt   string   `json:"gt"`
			Code []string `json:"code"`
		}
		if err := json.Unmarshal(text, &p); err != nil {
			return fmt.Errorf("%s line %d: expected a qwen-eval record, found invalid JSON (%v)", src, i+1, err)
		}
		for k, r := range p.Code {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(struct {
				ID       string `json:"id"`
				Gold     string `json:"gold"`
				Response string `json:"response"`
			}{fmt.Sprintf("%d-%d", p.Idx, k), p.Gt, r}); err != nil {
				return err
			}
			lines = append(lines, b.Bytes())
		}
	}
	if len(lines) == 0 {
		return fmt.Errorf("%s: expected responses, found none", src)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	for i := 0; i < n; i++ {
		if _, err := w.Write(lines[i%len(lines)]); err != nil {
			return err
		}
	}
	return w.Flush()
}
