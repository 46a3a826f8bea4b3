package leaderboard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// sweepDriver is appended to a copy of index.html: it drives the page's
// controls as a reader would (through their change and click events) and
// writes what it saw as JSON into <pre id="driver-out">. With #shot in the
// address it leaves the page in a state worth a screenshot instead.
const sweepDriver = `<script>
(function(){
  var out={errors:[]};
  function shown(){return Array.prototype.filter.call(document.querySelectorAll("#leaderboard-table tbody tr"),function(r){return !r.hidden;}).length;}
  function set(id,v){var e=document.getElementById(id);e.value=v;e.dispatchEvent(new Event("change",{bubbles:true}));}
  function fig(title){return Array.prototype.filter.call(document.querySelectorAll("figure.chart"),function(f){var t=f.querySelector("svg title");return t&&t.textContent.indexOf(title)!==-1;})[0];}
  function visibleSeries(f){return Array.prototype.filter.call(f.querySelectorAll("svg g.series"),function(g){return g.getAttribute("display")!=="none";}).length;}
  function ticked(f){return f.querySelectorAll(".lines input:checked").length;}
  try{
    if(location.hash==="#shot"){
      set("f-family","sweep");
      var c=document.querySelector('input.f-collapse[value="sweep"]');c.checked=true;c.dispatchEvent(new Event("change",{bubbles:true}));
      return;
    }
    out.total=shown();
    set("f-family","qwen2.5-math");out.family=shown();
    out.familySections=Array.prototype.filter.call(document.querySelectorAll(".family-charts"),function(s){return !s.hidden;}).length;
    set("f-family","");
    set("f-step-min","100");set("f-step-max","120");out.steps=shown();
    set("f-step-min","");set("f-step-max","");
    set("f-search","sharpen_31");out.search=shown();
    set("f-search","");
    var c=document.querySelector('input.f-collapse[value="sweep"]');
    c.checked=true;c.dispatchEvent(new Event("change",{bubbles:true}));out.collapsed=shown();
    c.checked=false;c.dispatchEvent(new Event("change",{bubbles:true}));out.uncollapsed=shown();
    out.count=document.getElementById("f-count").textContent;

    var acc=fig("sweep · math500: accuracy vs training step");
    out.accLines=acc.querySelectorAll(".lines input").length;
    out.accSeries=acc.querySelectorAll("svg g.series").length;
    out.accVisible=visibleSeries(acc);out.accTicked=ticked(acc);
    var off=acc.querySelector(".lines input:not(:checked)");
    var g=acc.querySelector('svg g.series[data-series="'+off.dataset.series+'"]');
    out.hiddenBefore=g.getAttribute("display");
    off.click();
    out.hiddenAfter=g.getAttribute("display");out.accVisibleAfterTick=visibleSeries(acc);
    acc.querySelector('.lines button[data-act="all"]').click();out.accAll=visibleSeries(acc);
    acc.querySelector('.lines button[data-act="none"]').click();out.accNone=visibleSeries(acc);
    acc.querySelector('.lines button[data-act="default"]').click();out.accDefault=visibleSeries(acc);

    set("f-reward","sharpen_31");out.reward=shown();out.accRewardVisible=visibleSeries(acc);
    set("f-reward","");out.accRewardCleared=visibleSeries(acc);

    var b=fig("sweep · math500: capability boundary");
    out.boundarySeries=b?b.querySelectorAll("svg g.series").length:-1;
    out.boundaryLabels=b?Array.prototype.map.call(b.querySelectorAll(".lines label"),function(l){return l.textContent;}):[];
    var cov=fig("sweep · math500: coverage gained and lost");
    out.coverage=cov?cov.querySelector("svg").textContent:"";
  }catch(e){out.errors.push(String(e));}
  var pre=document.createElement("pre");pre.id="driver-out";pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();
</script>`

// driverResult is what sweepDriver reports.
type driverResult struct {
	Errors                                     []string
	Total, Family, FamilySections, Steps       int
	Search, Collapsed, Uncollapsed, Reward     int
	Count                                      string
	AccLines, AccSeries, AccVisible, AccTicked int
	HiddenBefore, HiddenAfter                  *string
	AccVisibleAfterTick, AccAll, AccNone       int
	AccDefault, AccRewardVisible               int
	AccRewardCleared                           int
	BoundarySeries                             int
	BoundaryLabels                             []string
	Coverage                                   string
}

// TestBrowserSweepControls builds the site from a generated sweep-scale
// history (the 10 checkpoints of qwen2.5-math plus a 513-checkpoint sweep:
// a baseline and 32 reward conditions × 16 steps) and drives its controls
// in headless Chromium: the family, step, search and reward filters and the
// "latest checkpoints only" collapse hide exactly the rows they should, every
// line is drawn with a chooser that shows and hides it (none dropped), the
// boundary chart marks crossovers and the coverage chart has its bars; no
// console message. A screenshot of the filtered page is saved
// (RLVR_EVAL_SCREENSHOT_DIR, default $TMPDIR/rlvr-eval-leaderboard-test).
func TestBrowserSweepControls(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := findChromium()
	if bin == "" {
		t.Skip("chromium not found on PATH: install the Debian package `chromium` to run the browser test")
	}
	root := t.TempDir()
	cps := append(synthCheckpoints(150), sweepCheckpoints(32, 16)...)
	writeRun(t, filepath.Join(root, "runs", "2026-11-26"), cps)
	site := filepath.Join(root, "site")
	lb, err := Generate(context.Background(), filepath.Join(root, "runs"), site, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// What each filter must keep, counted here from the model.
	var sweep, qwen, steps, search, reward, collapsed, wantCross, wantAhead int
	for _, r := range lb.Rows {
		if r.Family == "sweep" && r.Step == 160 && r.Boundary != nil {
			switch r.Boundary.Crossover {
			case schemas.CrossoverFound:
				wantCross++
			case schemas.CrossoverNever:
				wantAhead++
			}
		}
		if r.Family == "sweep" {
			sweep++
		}
		if r.Family == "qwen2.5-math" {
			qwen++
		}
		if r.Step >= 100 && r.Step <= 120 {
			steps++
		}
		if strings.Contains(r.Checkpoint, "sharpen_31") {
			search++
		}
		if r.Reward == "sharpen_31" {
			reward++
		}
		if r.Family != "sweep" || r.Reward == "none" || r.Step == 160 {
			collapsed++
		}
	}
	if sweep != 513 || len(lb.Rows) < 513 {
		t.Fatalf("%d checkpoints, %d in the sweep; want the 513-checkpoint sweep", len(lb.Rows), sweep)
	}
	total := len(lb.Rows)
	page, err := os.ReadFile(filepath.Join(site, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	driven := filepath.Join(site, "driven.html")
	if err := os.WriteFile(driven, bytes.Replace(page, []byte("</body>"), []byte(sweepDriver+"</body>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	target := (&url.URL{Scheme: "file", Path: driven}).String()
	dom, logs := runChromium(t, bin, []string{"--dump-dom", "--virtual-time-budget=8000"}, target)
	if msgs := consoleLine.FindAll(logs, -1); len(msgs) > 0 {
		t.Errorf("console messages while driving the page:\n%s", bytes.Join(msgs, []byte("\n")))
	}
	m := regexp.MustCompile(`(?s)<pre id="driver-out">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the driver script wrote no result; DOM tail: %s", tail(string(dom), 1500))
	}
	var got driverResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatalf("driver result %s: %v", m[1], err)
	}
	t.Logf("driver: total %d family %d steps %d search %d collapsed %d reward %d; accuracy chart %d lines, %d drawn, %d visible",
		got.Total, got.Family, got.Steps, got.Search, got.Collapsed, got.Reward, got.AccLines, got.AccSeries, got.AccVisible)
	if len(got.Errors) > 0 {
		t.Fatalf("the driver failed: %v", got.Errors)
	}
	want := map[string][2]int{
		"total": {got.Total, total}, "family": {got.Family, qwen}, "family sections": {got.FamilySections, 1},
		"steps 100-120": {got.Steps, steps}, "search": {got.Search, search}, "collapsed": {got.Collapsed, collapsed},
		"uncollapsed": {got.Uncollapsed, total}, "reward filter rows": {got.Reward, reward},
		// The sweep's accuracy chart: 32 reward lines and the baseline, all
		// drawn and listed; 8 ticked (the baseline first) when the page opens.
		"lines listed": {got.AccLines, 33}, "series drawn": {got.AccSeries, 33}, "visible": {got.AccVisible, DefaultMaxLines},
		"ticked": {got.AccTicked, DefaultMaxLines}, "visible after ticking one": {got.AccVisibleAfterTick, DefaultMaxLines + 1},
		"all": {got.AccAll, 33}, "baselines only": {got.AccNone, 1}, "default": {got.AccDefault, DefaultMaxLines},
		"reward filter lines": {got.AccRewardVisible, 2}, "reward filter cleared": {got.AccRewardCleared, DefaultMaxLines},
		"boundary series": {got.BoundarySeries, 33},
	}
	for name, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s: %d, want %d", name, v[0], v[1])
		}
	}
	if search != 16 || reward != 16 || collapsed != total-sweep+33 {
		t.Errorf("model counts: search %d, reward %d, collapsed %d; want 16, 16, %d", search, reward, collapsed, total-sweep+33)
	}
	if got.Count != fmt.Sprintf("%d of %d checkpoints shown", total, total) {
		t.Errorf("count text %q", got.Count)
	}
	if got.HiddenBefore == nil || *got.HiddenBefore != "none" || got.HiddenAfter != nil {
		t.Errorf("an unticked line: display %v before ticking, %v after; want none, then shown", got.HiddenBefore, got.HiddenAfter)
	}
	crossovers, ahead := 0, 0
	for _, l := range got.BoundaryLabels {
		crossovers += strings.Count(l, ": crossover k=")
		ahead += strings.Count(l, ": ahead through k=16")
	}
	if crossovers != wantCross || ahead != wantAhead || wantCross < 10 || wantCross+wantAhead != 32 {
		t.Errorf("boundary chart labels: %d crossovers, %d ahead through n; the tables have %d and %d of 32: %q", crossovers, ahead, wantCross, wantAhead, got.BoundaryLabels)
	}
	if !strings.Contains(got.Coverage, "gained") || !strings.Contains(got.Coverage, "lost") || !strings.Contains(got.Coverage, "sharpen_31") {
		t.Errorf("coverage chart text %.300q lacks its legend or bars' labels", got.Coverage)
	}

	dir := os.Getenv("RLVR_EVAL_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "rlvr-eval-leaderboard-test")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "leaderboard-sweep.png")
	os.Remove(shot)
	_, logs = runChromium(t, bin, []string{"--screenshot=" + shot, "--window-size=1400,3200", "--virtual-time-budget=5000"}, target+"#shot")
	if msgs := consoleLine.FindAll(logs, -1); len(msgs) > 0 {
		t.Errorf("console messages while taking the screenshot:\n%s", bytes.Join(msgs, []byte("\n")))
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 50_000 {
		t.Fatalf("screenshot %s missing or suspiciously small (%v, %v)", shot, st, err)
	}
	t.Logf("screenshot: %s", shot)
}
