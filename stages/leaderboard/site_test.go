package leaderboard

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// buildSynthSite writes the synthetic history and generates its site.
func buildSynthSite(t *testing.T) (*Leaderboard, string) {
	t.Helper()
	root := t.TempDir()
	writeSynthHistory(t, filepath.Join(root, "runs"))
	site := filepath.Join(root, "site")
	lb, err := Generate(context.Background(), filepath.Join(root, "runs"), site, Options{Title: "Test <leaderboard>"})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return lb, site
}

func TestGenerateModel(t *testing.T) {
	lb, _ := buildSynthSite(t)
	if lb.Latest != "2026-11-26" || lb.Changes.Previous != "2026-11-25" {
		t.Fatalf("latest/previous = %s/%s, want 2026-11-26/2026-11-25", lb.Latest, lb.Changes.Previous)
	}
	if len(lb.Skipped) != 1 || lb.Skipped[0].Run != "2026-11-27" || lb.Skipped[0].File != "metrics.parquet" {
		t.Fatalf("skipped = %v, want the broken 2026-11-27 metrics", lb.Skipped)
	}
	if lb.Profile != "strict" {
		t.Errorf("profile = %q, want strict (run.json's first)", lb.Profile)
	}
	// Night two: 2 baselines + qwen 3 rewards × 3 steps + llama 2 rewards × 3 steps.
	if len(lb.Rows) != 2+9+6 {
		t.Errorf("rows = %d, want 17", len(lb.Rows))
	}
	var newIDs []string
	for _, id := range lb.Changes.NewCheckpoints {
		newIDs = append(newIDs, id.Checkpoint)
	}
	if len(newIDs) != 5 || !contains(newIDs, newCheckpoint) {
		t.Errorf("new checkpoints = %v, want the five step-150 ones including %s", newIDs, newCheckpoint)
	}
	if len(lb.Changes.Moved) != 1 {
		t.Fatalf("moved = %+v, want exactly one", lb.Changes.Moved)
	}
	m := lb.Changes.Moved[0]
	if m.Checkpoint != movedCheckpoint || m.Metric != schemas.MetricAccuracy || m.Subset != "all" || m.Profile != "strict" || !m.Increase {
		t.Errorf("moved = %+v, want %s strict/all accuracy, up", m, movedCheckpoint)
	}
	for _, r := range lb.Rows {
		if r.Seed != nil { // parquet-go reads null embedded pointers as zero; Load must not
			t.Fatalf("row %s has seed %d, want null as written", r.Checkpoint, *r.Seed)
		}
	}
	if lb.Rows[0].Reward != "none" || lb.Rows[0].Delta != nil || lb.Rows[0].Family != "llama3" {
		t.Errorf("first row = %+v, want the llama3 baseline without delta", lb.Rows[0])
	}
	if want := []int64{4, 8, 16}; !equalInts(lb.PassKs, want) || lb.MajK != 16 {
		t.Errorf("table ks = %v maj %d, want %v maj 16", lb.PassKs, lb.MajK, want)
	}
	for _, g := range lb.Groups {
		if g.Family != "qwen2.5-math" {
			continue
		}
		// three reward lines + the baseline marker, each reward line starting at step 0.
		if len(g.Accuracy) != 4 {
			t.Fatalf("qwen accuracy lines = %d, want 4", len(g.Accuracy))
		}
		for _, s := range g.Accuracy[:3] {
			if s.Points[0].X != 0 || len(s.Points) != 4 {
				t.Errorf("line %s points = %+v, want step 0 then 50, 100, 150", s.Label, s.Points)
			}
		}
		// baseline + 3 rewards' step 150.
		if len(g.PassCurves) != 4 || g.PassCurves[0].Label != "baseline (step 0)" || g.PassCurves[1].Label != "ground_truth (step 150)" {
			t.Errorf("pass curves = %v", labels(g.PassCurves))
		}
	}
}

func TestSiteParquet(t *testing.T) {
	lb, site := buildSynthSite(t)
	path := filepath.Join(site, ParquetFile)
	rows, err := parquet.ReadFile[TableRow](path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(lb.Rows) {
		t.Fatalf("parquet rows = %d, want %d", len(rows), len(lb.Rows))
	}
	var found bool
	for _, r := range rows {
		if r.Checkpoint == newCheckpoint {
			found = true
			if !r.IsNew || r.Accuracy == nil || r.PassK == nil || *r.PassK != 16 || len(r.PassCurve) != 5 || r.Delta == nil || !r.Significant {
				t.Errorf("new checkpoint row = %+v", r)
			}
		}
		if r.Run != "2026-11-26" || r.Profile != "strict" || r.Subset != "all" {
			t.Errorf("row %s run/profile/subset = %s/%s/%s", r.Checkpoint, r.Run, r.Profile, r.Subset)
		}
	}
	if !found {
		t.Errorf("no row for %s", newCheckpoint)
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, nNew int
	var maxAcc float64
	q := "SELECT count(*), count(*) FILTER (WHERE is_new), max(accuracy) FROM read_parquet(?)"
	if err := db.QueryRow(q, path).Scan(&n, &nNew, &maxAcc); err != nil {
		t.Fatalf("duckdb: %v", err)
	}
	if n != len(lb.Rows) || nNew != 5 || maxAcc < 0.7 || maxAcc > 0.8 {
		t.Errorf("duckdb: rows %d new %d max accuracy %v, want %d, 5, ~0.78", n, nNew, maxAcc, len(lb.Rows))
	}
	var k int64
	var v float64
	q = "SELECT p.k, p.value FROM (SELECT unnest(pass_curve) AS p FROM read_parquet(?) WHERE checkpoint = ?) ORDER BY p.k DESC LIMIT 1"
	if err := db.QueryRow(q, path, newCheckpoint).Scan(&k, &v); err != nil {
		t.Fatalf("duckdb unnest(pass_curve): %v", err)
	}
	if k != 16 || v <= 0.9 {
		t.Errorf("duckdb pass@16 of %s = k %d value %v", newCheckpoint, k, v)
	}
}

func TestSiteJSON(t *testing.T) {
	_, site := buildSynthSite(t)
	b, err := os.ReadFile(filepath.Join(site, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		LatestRun string     `json:"latest_run"`
		Rows      []TableRow `json:"rows"`
		Since     struct {
			Previous string `json:"previous_run"`
			New      []struct {
				Checkpoint string `json:"checkpoint"`
			} `json:"new_checkpoints"`
			Moved []struct {
				Checkpoint string `json:"checkpoint"`
				Metric     string `json:"metric"`
				Previous   struct {
					Value, CILow, CIHigh *float64
				} `json:"previous"`
				Latest struct {
					Value *float64 `json:"value"`
				} `json:"latest"`
			} `json:"moved"`
		} `json:"since_last_night"`
		Runs []RunStatus `json:"runs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.LatestRun != "2026-11-26" || doc.Since.Previous != "2026-11-25" || len(doc.Rows) != 17 {
		t.Fatalf("latest %s previous %s rows %d", doc.LatestRun, doc.Since.Previous, len(doc.Rows))
	}
	var newIDs []string
	for _, n := range doc.Since.New {
		newIDs = append(newIDs, n.Checkpoint)
	}
	if !contains(newIDs, newCheckpoint) {
		t.Errorf("new checkpoints %v lack %s", newIDs, newCheckpoint)
	}
	if len(doc.Since.Moved) != 1 || doc.Since.Moved[0].Checkpoint != movedCheckpoint || doc.Since.Moved[0].Latest.Value == nil {
		t.Errorf("moved = %+v", doc.Since.Moved)
	}
	if len(doc.Runs) != 3 || doc.Runs[2].OK || !strings.Contains(doc.Runs[2].Error, "metrics.parquet") {
		t.Errorf("runs = %+v, want the third skipped for its metrics.parquet", doc.Runs)
	}
}

// htmlDoc is what the HTML checks need from index.html.
type htmlDoc struct {
	svgs       int
	svgTitles  []string
	tableRows  map[string]int // table id -> body rows
	texts      string         // all text content
	badURLs    []string
	scripts    int
	styleLinks int
}

// parseHTML walks index.html with encoding/xml in HTML mode (non-strict,
// HTML entities and void elements), which also proves the page is well nested.
func parseHTML(t *testing.T, page []byte) htmlDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	doc := htmlDoc{tableRows: map[string]int{}}
	var stack []string
	var table string
	var inTbody, inSVGTitle bool
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("index.html does not parse: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(tk.Name.Local)
			stack = append(stack, name)
			for _, a := range tk.Attr {
				an := strings.ToLower(a.Name.Local)
				if (an == "src" || an == "href") && regexp.MustCompile(`^\s*(https?:)?//`).MatchString(a.Value) {
					doc.badURLs = append(doc.badURLs, a.Value)
				}
				if name == "table" && an == "id" {
					table = a.Value
				}
			}
			switch name {
			case "svg":
				doc.svgs++
			case "tbody":
				inTbody = true
			case "tr":
				if inTbody {
					doc.tableRows[table]++
				}
			case "title":
				inSVGTitle = contains(stack, "svg")
			case "script":
				doc.scripts++
			case "link":
				doc.styleLinks++
			}
		case xml.EndElement:
			name := strings.ToLower(tk.Name.Local)
			if name == "tbody" {
				inTbody = false
			}
			if name == "title" {
				inSVGTitle = false
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if inSVGTitle {
				doc.svgTitles = append(doc.svgTitles, string(tk))
			}
			text.Write(tk)
			text.WriteByte(' ')
		}
	}
	doc.texts = text.String()
	return doc
}

func TestSiteHTML(t *testing.T) {
	lb, site := buildSynthSite(t)
	page, err := os.ReadFile(filepath.Join(site, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, page)
	if got := doc.tableRows["leaderboard-table"]; got != len(lb.Rows) {
		t.Errorf("leaderboard rows = %d, want %d", got, len(lb.Rows))
	}
	// Two families × five charts.
	if doc.svgs != 10 {
		t.Errorf("svg elements = %d, want 10 (one per chart)", doc.svgs)
	}
	wantTitles := []string{
		"llama3 · math500: accuracy vs training step",
		"llama3 · math500: pass@k, baseline vs latest checkpoints",
		"llama3 · math500: capability boundary, pass@k at every k",
		"llama3 · math500: coverage gained and lost vs baseline",
		"llama3 · math500: code reasoning vs training step",
		"qwen2.5-math · math500: accuracy vs training step",
		"qwen2.5-math · math500: pass@k, baseline vs latest checkpoints",
		"qwen2.5-math · math500: capability boundary, pass@k at every k",
		"qwen2.5-math · math500: coverage gained and lost vs baseline",
		"qwen2.5-math · math500: code reasoning vs training step",
	}
	if strings.Join(doc.svgTitles, "|") != strings.Join(wantTitles, "|") {
		t.Errorf("chart titles = %q, want %q", doc.svgTitles, wantTitles)
	}
	for _, want := range []string{"training step (RL updates)", "k (samples per problem, log scale)", "pass@k (%)", "accuracy, avg@n (%)",
		"baseline (step 0)", "ground_truth", "random", "incorrect", "Since last night", "New checkpoints (5)", "Metrics that moved beyond their CI (1)",
		"2026-11-27: skipped", "Test <leaderboard>", "random (step 150): crossover k=", "ground_truth (step 150): ahead through k=16",
		"q-value", "Crossover k", "Coverage Δ", "Latest checkpoints only:"} {
		if !strings.Contains(doc.texts, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	if doc.tableRows["new-checkpoints"] != 5 || doc.tableRows["moved-metrics"] != 1 {
		t.Errorf("since-last-night rows: new %d moved %d, want 5 and 1", doc.tableRows["new-checkpoints"], doc.tableRows["moved-metrics"])
	}
	if !bytes.Contains(page, []byte(newCheckpoint)) || !bytes.Contains(page, []byte(movedCheckpoint)) {
		t.Errorf("since-last-night section does not name %s and %s", newCheckpoint, movedCheckpoint)
	}
	if len(doc.badURLs) > 0 || doc.styleLinks > 0 || bytes.Contains(page, []byte("<?xml")) {
		t.Errorf("page is not self-contained: urls %v, <link> %d, xml prolog %v", doc.badURLs, doc.styleLinks, bytes.Contains(page, []byte("<?xml")))
	}
	if doc.scripts != 1 {
		t.Errorf("scripts = %d, want the one inline sort script", doc.scripts)
	}
	if bytes.Contains(page, []byte("<leaderboard>")) {
		t.Error("title not escaped")
	}
}

func TestSiteDeterministic(t *testing.T) {
	root := t.TempDir()
	runs := filepath.Join(root, "runs")
	writeSynthHistory(t, runs)
	for i, dir := range []string{"a", "b"} {
		if _, err := Generate(context.Background(), runs, filepath.Join(root, dir), Options{}); err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
	}
	for _, name := range []string{IndexFile, ParquetFile, JSONFile} {
		a, _ := os.ReadFile(filepath.Join(root, "a", name))
		b, _ := os.ReadFile(filepath.Join(root, "b", name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two builds of the same history (%d vs %d bytes)", name, len(a), len(b))
		}
	}
	// No temporary files left behind.
	entries, _ := os.ReadDir(filepath.Join(root, "a"))
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("site folder holds %v, want exactly the three site files", names)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func labels(ss []Series) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Label)
	}
	return out
}

func TestWriteSiteReplacesOnlyItsFiles(t *testing.T) {
	root := t.TempDir()
	runs := filepath.Join(root, "runs")
	writeSynthHistory(t, runs)
	site := filepath.Join(root, "site")
	os.MkdirAll(site, 0o755)
	writeFile(t, filepath.Join(site, "keep.txt"), "not ours")
	writeFile(t, filepath.Join(site, IndexFile), "old page")
	if _, err := Generate(context.Background(), runs, site, Options{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(site, "keep.txt")); string(b) != "not ours" {
		t.Error("WriteSite touched a file that is not part of the site")
	}
	if b, _ := os.ReadFile(filepath.Join(site, IndexFile)); !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
		t.Error("index.html was not replaced")
	}
	// A site path that is a file: an error naming it, no panic.
	blocked := filepath.Join(root, "blocked")
	writeFile(t, blocked, "a file")
	if _, err := Generate(context.Background(), runs, blocked, Options{}); err == nil || !strings.Contains(err.Error(), "site folder") {
		t.Errorf("writing into a file: err = %v, want a site folder error", err)
	}
}

func TestSiteEscapesHostileNames(t *testing.T) {
	evil := `<script>alert("x")</script>`
	cps := []synthCheckpoint{
		{family: evil, model: `M"><img src=x onerror=alert(1)>`, reward: "none", acc: 0.4, code: 0.1},
		{family: evil, model: `M"><img src=x onerror=alert(1)>`, reward: evil, step: 10, acc: 0.5, code: 0.2},
	}
	lb, err := Build(&History{Latest: memRun("2026-11-25", cps)}, Options{Title: evil})
	if err != nil {
		t.Fatal(err)
	}
	files, err := lb.Files()
	if err != nil {
		t.Fatal(err)
	}
	page := files[IndexFile]
	doc := parseHTML(t, page)
	if doc.scripts != 1 {
		t.Errorf("page has %d <script> elements, want only the sort script", doc.scripts)
	}
	if bytes.Contains(page, []byte("<img")) || bytes.Contains(page, []byte(evil)) {
		t.Error("a hostile name reached the page unescaped")
	}
	if doc.svgs != 3 {
		t.Errorf("svgs = %d, want 3", doc.svgs)
	}
}

// TableRow spells out the identity columns (see its doc): they must stay the
// columns of schemas.Identity, in order, right after run.
func TestTableRowIdentityColumns(t *testing.T) {
	var names []string
	for _, f := range parquet.SchemaOf(TableRow{}).Fields() {
		names = append(names, f.Name())
	}
	var id []string
	for _, f := range parquet.SchemaOf(schemas.Identity{}).Fields() {
		id = append(id, f.Name())
	}
	if len(names) < 1+len(id) || names[0] != "run" || !slices.Equal(names[1:1+len(id)], id) {
		t.Fatalf("leaderboard.parquet columns start %v, expected run then %v", names[:min(len(names), 1+len(id))], id)
	}
}
