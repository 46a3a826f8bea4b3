package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
)

func init() { addCommand(newEvalsetCmd) }

const evalsetDirHelp = `Local copies live in one directory: --dir, else $RLVR_EVAL_EVALSETS_DIR, else
rlvr-eval/evalsets in the user cache directory ($XDG_CACHE_HOME/rlvr-eval/evalsets,
by default ~/.cache/rlvr-eval/evalsets on Linux, ~/Library/Caches/rlvr-eval/evalsets
on macOS). A copy is named <name>.jsonl.`

func newEvalsetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evalset",
		Short: "List, inspect and download the evalsets (benchmarks with gold answers)",
		Long: `evalset manages the benchmarks a run grades against. "list" shows the known
definitions, "show" summarises a local evalset file, and "fetch" downloads a
published one (MATH-500) and checks its sha256. AIME 2024, AIME 2025 and AMC 2023
files are user-supplied: export them from Hugging Face as JSONL.

` + evalsetDirHelp,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newEvalsetListCmd(), newEvalsetShowCmd(), newEvalsetFetchCmd())
	return cmd
}

// evalsetDir is --dir or the default evalsets directory.
func evalsetDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return evalsets.DefaultDir()
}

func knownNames() string {
	var names []string
	for _, d := range evalsets.Definitions() {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

func answerKind(a evalsets.AnswerType) string {
	switch a {
	case evalsets.IntegerAnswers:
		return "integers"
	case evalsets.LaTeXAnswers:
		return "LaTeX expressions"
	}
	return string(a)
}

func newEvalsetListCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "list [--dir DIR]",
		Short: "List the known evalsets and whether a local copy is present",
		Long: `list prints every known evalset definition: its name (evalset.name in a config),
what it is, its answer type, the record fields its loader reads, where its file
comes from, the published sha256 when there is one, and whether a local copy is
present in the evalsets directory (and, for a published file, whether it has the
published hash).

` + evalsetDirHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := evalsetDir(dir)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "evalsets directory: %s\n", d)
			for _, def := range evalsets.Definitions() {
				fmt.Fprintf(w, "\n%s\n", def.Name)
				fmt.Fprintf(w, "  description: %s\n", def.Description)
				fmt.Fprintf(w, "  answers:     %s; %d problems in the published split\n", answerKind(def.Answers), def.Problems)
				fmt.Fprintf(w, "  fields:      %s\n", strings.Join(def.Fields, ", "))
				fmt.Fprintf(w, "  source:      %s\n", def.Origin())
				if def.SHA256 != "" {
					fmt.Fprintf(w, "  sha256:      %s\n", def.SHA256)
				} else {
					fmt.Fprintf(w, "  sha256:      none published\n")
				}
				fmt.Fprintf(w, "  local copy:  %s\n", localState(def, evalsets.LocalPath(d, def)))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "evalsets directory (default: see above)")
	return cmd
}

// localState says whether path holds a copy of def and whether it verifies.
func localState(def evalsets.Definition, path string) string {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if def.UserSupplied() {
			return "absent (" + path + "; user-supplied: put the exported JSONL there or give its path in the config)"
		}
		return "absent (" + path + "; run: rlvr-eval evalset fetch " + def.Name + ")"
	case err != nil:
		return "unreadable: " + err.Error()
	case st.IsDir():
		return "unusable: " + path + " is a directory"
	}
	sum, err := evalsets.VerifyFile(def, path)
	var mm *evalsets.HashMismatchError
	switch {
	case errors.As(err, &mm):
		return fmt.Sprintf("present at %s, but its sha256 %s is not the published one", path, mm.Found)
	case err != nil:
		return "unreadable: " + err.Error()
	case def.SHA256 != "":
		return "present at " + path + " (sha256 matches the published file)"
	}
	return "present at " + path + " (sha256 " + sum + ")"
}

func newEvalsetShowCmd() *cobra.Command {
	var dir, as, problemID string
	var n int
	cmd := &cobra.Command{
		Use:   "show NAME|PATH [--problem ID] [-n N]",
		Short: "Summarise a local evalset file and print a few of its problems",
		Long: `show loads an evalset — a known name (its local copy in the evalsets directory) or
the path of a JSONL/Parquet file — and prints its problem count, subjects and
levels, the file's sha256 and whether it is the published file, then the first N
problems (-n, default 3) or the one problem given with --problem (by id, or by
0-based position when no id matches).

A path is read with the loader of the evalset named by --as, else of the known
evalset its file name is (aime2024.jsonl) or whose published file it is (by
sha256), else as MATH-500 JSONL.

` + evalsetDirHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 0 {
				return fmt.Errorf("-n: expected a number of problems >= 0, found %d", n)
			}
			name, path, def, known, err := resolveEvalset(args[0], as, dir)
			if err != nil {
				return err
			}
			layout := evalsets.LayoutMATH500
			if known {
				layout = def.Layout
			}
			ev, err := evalsets.LoadLayout(name, path, layout)
			if err != nil {
				if layout == evalsets.LayoutMATH500 && as == "" && !known {
					return fmt.Errorf("%w\n(read as MATH-500 JSONL; for an AIME or AMC file add --as aime2024, aime2025 or amc2023)", err)
				}
				return err
			}
			w := cmd.OutOrStdout()
			printSummary(w, ev, def, known)
			if problemID != "" {
				p, how := findProblem(ev, problemID)
				if p == nil {
					return fmt.Errorf("evalset %s: no problem with id %q (and it is not a position 0..%d)", name, problemID, ev.Len()-1)
				}
				fmt.Fprintf(w, "\nproblem %s (%s)\n", problemID, how)
				printProblem(w, p, true)
				return nil
			}
			for i := 0; i < n && i < ev.Len(); i++ {
				fmt.Fprintln(w)
				printProblem(w, &ev.Problems[i], false)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "evalsets directory for a NAME (default: see above)")
	cmd.Flags().StringVar(&as, "as", "", "read PATH with this known evalset's loader ("+knownNames()+")")
	cmd.Flags().StringVar(&problemID, "problem", "", "print only this problem (id, or 0-based position), in full")
	cmd.Flags().IntVarP(&n, "n", "n", 3, "number of problems to print")
	return cmd
}

// resolveEvalset turns show's argument into an evalset name, a file path and
// its definition (known reports whether there is one).
func resolveEvalset(arg, as, dir string) (name, path string, def evalsets.Definition, known bool, err error) {
	if as != "" {
		if def, known = evalsets.LookupDefinition(as); !known {
			return "", "", def, false, fmt.Errorf("--as: expected one of %s, found %q", knownNames(), as)
		}
	}
	if d, ok := evalsets.LookupDefinition(arg); ok && !fileExists(arg) {
		if as != "" && as != arg {
			return "", "", def, false, fmt.Errorf("--as %s conflicts with the evalset name %s", as, arg)
		}
		dir, err := evalsetDir(dir)
		if err != nil {
			return "", "", d, true, err
		}
		p := evalsets.LocalPath(dir, d)
		if !fileExists(p) {
			how := "run: rlvr-eval evalset fetch " + d.Name
			if d.UserSupplied() {
				how = "it is user-supplied: " + d.Source + "; save it there or pass its path"
			}
			return "", "", d, true, fmt.Errorf("evalset %s: no local copy at %s (%s)", d.Name, p, how)
		}
		return d.Name, p, d, true, nil
	}
	if !fileExists(arg) {
		return "", "", def, false, fmt.Errorf("%s: expected a known evalset (%s) or an existing file", arg, knownNames())
	}
	if known {
		return def.Name, arg, def, true, nil
	}
	base := strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
	if d, ok := evalsets.LookupDefinition(base); ok {
		return d.Name, arg, d, true, nil
	}
	if sum, err := evalsets.VerifyFile(evalsets.Definition{Name: base}, arg); err == nil {
		if d, ok := evalsets.PublishedBySHA256(sum); ok {
			return d.Name, arg, d, true, nil
		}
	}
	return base, arg, def, false, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func printSummary(w io.Writer, ev *evalsets.Evalset, def evalsets.Definition, known bool) {
	fmt.Fprintf(w, "evalset:  %s\n", ev.Name)
	if known {
		fmt.Fprintf(w, "          %s\n", def.Description)
	}
	fmt.Fprintf(w, "file:     %s\n", ev.Path)
	var verdict string
	switch {
	case !known:
		verdict = "not a known evalset"
	case def.SHA256 == "":
		verdict = "no published file to compare with"
	case def.SHA256 == ev.FileSHA256:
		verdict = "matches the published " + def.Name + " file"
	default:
		verdict = "differs from the published " + def.Name + " file " + def.SHA256
	}
	fmt.Fprintf(w, "sha256:   %s (%s)\n", ev.FileSHA256, verdict)
	fmt.Fprintf(w, "content:  %s\n", ev.Hash())
	if known && def.Problems != ev.Len() {
		fmt.Fprintf(w, "problems: %d (the published split has %d)\n", ev.Len(), def.Problems)
	} else {
		fmt.Fprintf(w, "problems: %d\n", ev.Len())
	}
	if known {
		fmt.Fprintf(w, "answers:  %s\n", answerKind(def.Answers))
	}
	subjects := map[string]int{}
	levels := map[int64]int{}
	ids := 0
	for _, p := range ev.Problems {
		if p.Subject != "" {
			subjects[p.Subject]++
		}
		if p.Level != 0 {
			levels[p.Level]++
		}
		if p.UniqueID != "" {
			ids++
		}
	}
	fmt.Fprintf(w, "ids:      %d of %d problems have one\n", ids, ev.Len())
	fmt.Fprintf(w, "subjects: %s\n", countList(subjects, func(a, b string) bool { return a < b }, func(s string) string { return s }))
	fmt.Fprintf(w, "levels:   %s\n", countList(levels, func(a, b int64) bool { return a < b }, func(l int64) string { return "level " + strconv.FormatInt(l, 10) }))
}

// countList prints "key n, key n" sorted by key, or "none".
func countList[K comparable](m map[K]int, less func(a, b K) bool, name func(K) string) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", name(k), m[k])
	}
	return strings.Join(parts, ", ")
}

// findProblem finds --problem by id, then by position.
func findProblem(ev *evalsets.Evalset, id string) (*evalsets.Problem, string) {
	if p, ok := ev.ByID(id); ok {
		return p, "by id"
	}
	if i, err := strconv.ParseInt(id, 10, 64); err == nil {
		if p, ok := ev.ByPosition(i); ok {
			return p, "by position"
		}
	}
	return nil, ""
}

func printProblem(w io.Writer, p *evalsets.Problem, full bool) {
	id := p.UniqueID
	if id == "" {
		id = "(no id)"
	}
	var meta []string
	if p.Subject != "" {
		meta = append(meta, p.Subject)
	}
	if p.Level != 0 {
		meta = append(meta, "level "+strconv.FormatInt(p.Level, 10))
	}
	head := fmt.Sprintf("[%d] %s", p.Position, id)
	if len(meta) > 0 {
		head += "  " + strings.Join(meta, ", ")
	}
	fmt.Fprintln(w, head)
	if full {
		fmt.Fprintf(w, "  problem:  %s\n", indent(p.Problem))
		if p.Solution != "" {
			fmt.Fprintf(w, "  solution: %s\n", indent(p.Solution))
		}
	} else {
		fmt.Fprintf(w, "  problem:  %s\n", oneLine(p.Problem, 160))
	}
	fmt.Fprintf(w, "  answer:   %s\n", p.Answer)
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n            ") }

// oneLine collapses whitespace and cuts s to max runes with an ellipsis.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

func newEvalsetFetchCmd() *cobra.Command {
	var dir, url string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "fetch NAME [--dir DIR] [--url URL]",
		Short: "Download a published evalset (math500) and check its sha256",
		Long: `fetch downloads the published file of a known evalset into the evalsets directory
as <name>.jsonl and checks its sha256 against the published hash. The file is
written to a temporary file and renamed into place only once verified: a download
that fails, is cut short or has another hash leaves nothing behind (an earlier
copy is kept as it was). A copy already present with the right hash is kept and
nothing is downloaded.

Only math500 (HuggingFaceH4/MATH-500 test.jsonl) is published; aime2024, aime2025
and amc2023 are user-supplied, and fetch explains where to get them.

` + evalsetDirHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			def, ok := evalsets.LookupDefinition(args[0])
			if !ok {
				return fmt.Errorf("fetch %s: expected one of %s", args[0], knownNames())
			}
			d, err := evalsetDir(dir)
			if err != nil {
				return err
			}
			if def.UserSupplied() {
				return fmt.Errorf("fetch %s: %s is user-supplied, not downloadable; get it from %s; save it as %s (or anywhere) and name it in the config: evalset: {name: %s, path: FILE}",
					def.Name, def.Name, def.Source, evalsets.LocalPath(d, def), def.Name)
			}
			res, err := evalsets.Fetch(cmd.Context(), def, d, evalsets.FetchOptions{URL: url, Timeout: timeout})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if res.Downloaded {
				from := def.URL
				if url != "" {
					from = url
				}
				fmt.Fprintf(w, "%s: downloaded %d bytes from %s\n", def.Name, res.Bytes, from)
			} else {
				fmt.Fprintf(w, "%s: already present, nothing downloaded\n", def.Name)
			}
			fmt.Fprintf(w, "%s: %s (sha256 %s verified)\n", def.Name, res.Path, res.SHA256)
			fmt.Fprintf(w, "config:  evalset: {name: %s, path: %s}\n", def.Name, res.Path)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "directory to write <name>.jsonl into (default: see above)")
	cmd.Flags().StringVar(&url, "url", "", "download from this mirror instead of the published URL (the sha256 must still match)")
	cmd.Flags().DurationVar(&timeout, "timeout", evalsets.DefaultFetchTimeout, "give up when the download takes longer")
	return cmd
}
