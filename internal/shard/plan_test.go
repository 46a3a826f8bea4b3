package shard

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// genItems makes a run's inputs: checkpoints with 1..4 files each of random
// sizes (a few huge), plus some files without a checkpoint key.
func genItems(r *rand.Rand) []Item {
	var items []Item
	nc := r.IntN(30)
	for c := 0; c < nc; c++ {
		key := fmt.Sprintf("m%d/r%d/step%d", r.IntN(3), r.IntN(4), c)
		for f := 0; f < 1+r.IntN(4); f++ {
			size := int64(r.IntN(1000))
			if r.IntN(10) == 0 {
				size *= 1000
			}
			items = append(items, Item{Checkpoint: key, Path: fmt.Sprintf("gens/%s/seed%d.jsonl", key, f), Size: size})
		}
	}
	for f := 0; f < r.IntN(4); f++ {
		items = append(items, Item{Path: fmt.Sprintf("extra/%d.jsonl", f), Size: int64(r.IntN(5000))})
	}
	r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items
}

func unitOf(it Item) string {
	if it.Checkpoint == "" {
		return "file " + it.Path
	}
	return it.Checkpoint
}

// TestAssignRules checks the assignment's rules over generated runs: a
// partition of the items, checkpoints whole, the greedy balance bound, and the
// same result for any order of the same items.
func TestAssignRules(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 500; trial++ {
		items := genItems(r)
		n := 1 + r.IntN(9)
		got := Assign(items, n)
		if len(got) != n {
			t.Fatalf("%d shards, want %d", len(got), n)
		}
		seen := make([]int, len(items))
		shardOf := map[string]int{}
		load := make([]int64, n)
		var largest int64
		unitBytes := map[string]int64{}
		for _, it := range items {
			unitBytes[unitOf(it)] += it.Size
		}
		for _, b := range unitBytes {
			largest = max(largest, b)
		}
		for s, idx := range got {
			if !slices.IsSorted(idx) {
				t.Fatalf("shard %d: indexes not ascending: %v", s, idx)
			}
			for _, i := range idx {
				seen[i]++
				load[s] += items[i].Size
				u := unitOf(items[i])
				if o, ok := shardOf[u]; ok && o != s {
					t.Fatalf("trial %d: %s split over shards %d and %d", trial, u, o, s)
				}
				shardOf[u] = s
			}
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("trial %d: item %d (%s) in %d shards", trial, i, items[i].Path, c)
			}
		}
		if d := slices.Max(load) - slices.Min(load); d > largest {
			t.Fatalf("trial %d: loads %v differ by %d, more than the largest checkpoint (%d bytes)", trial, load, d, largest)
		}
		// Same items in another order: each path lands on the same shard.
		perm := slices.Clone(items)
		r.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		where := map[string]int{}
		for s, idx := range got {
			for _, i := range idx {
				where[items[i].Path] = s
			}
		}
		for s, idx := range Assign(perm, n) {
			for _, i := range idx {
				if where[perm[i].Path] != s {
					t.Fatalf("trial %d: %s moves from shard %d to %d when the inputs are listed in another order", trial, perm[i].Path, where[perm[i].Path], s)
				}
			}
		}
		for k := 0; k < n; k++ {
			if sel := Select(items, Spec{k, n}); !slices.Equal(sel, got[k]) {
				t.Fatalf("Select(%d/%d) = %v, Assign gave %v", k, n, sel, got[k])
			}
		}
	}
}

// TestAssignNearOptimal compares with the best split found by brute force on
// small runs: largest-first greedy is within 4/3 of the optimum (Graham).
func TestAssignNearOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		nu := 1 + r.IntN(8)
		n := 1 + r.IntN(3)
		var items []Item
		for u := 0; u < nu; u++ {
			items = append(items, Item{Checkpoint: fmt.Sprint("c", u), Path: fmt.Sprint("f", u), Size: int64(1 + r.IntN(100))})
		}
		var greedy int64
		for _, idx := range Assign(items, n) {
			var l int64
			for _, i := range idx {
				l += items[i].Size
			}
			greedy = max(greedy, l)
		}
		best := int64(1 << 62)
		assign := make([]int, nu)
		var rec func(u int)
		rec = func(u int) {
			if u == nu {
				load := make([]int64, n)
				for i, s := range assign {
					load[s] += items[i].Size
				}
				best = min(best, slices.Max(load))
				return
			}
			for s := 0; s < n; s++ {
				assign[u] = s
				rec(u + 1)
			}
		}
		rec(0)
		if 3*greedy > 4*best {
			t.Fatalf("trial %d: greedy makespan %d > 4/3 of the optimum %d (%v over %d shards)", trial, greedy, best, items, n)
		}
	}
}

func TestAssignEdges(t *testing.T) {
	items := []Item{{"a", "a1", 10}, {"a", "a2", 5}, {"b", "b1", 12}}
	if got := Assign(items, 1); !slices.Equal(got[0], []int{0, 1, 2}) {
		t.Errorf("one shard: %v", got)
	}
	got := Assign(items, 4)
	var empty int
	for _, s := range got {
		if len(s) == 0 {
			empty++
		}
	}
	if empty != 2 {
		t.Errorf("4 shards over 2 checkpoints: want 2 empty shards, got %v", got)
	}
	// a (15 bytes) goes first, to shard 0; b to shard 1.
	if !slices.Equal(got[0], []int{0, 1}) || !slices.Equal(got[1], []int{2}) {
		t.Errorf("Assign = %v", got)
	}
	if all := Select(items, Spec{}); !slices.Equal(all, []int{0, 1, 2}) {
		t.Errorf("unsharded Select = %v", all)
	}
	// Zero-byte checkpoints spread by count, not all onto one shard.
	var zeros []Item
	for i := 0; i < 8; i++ {
		zeros = append(zeros, Item{Checkpoint: fmt.Sprint(i), Path: fmt.Sprint(i)})
	}
	for s, idx := range Assign(zeros, 4) {
		if len(idx) != 2 {
			t.Errorf("empty files: shard %d has %d checkpoints, want 2", s, len(idx))
		}
	}
}

func TestPlanHash(t *testing.T) {
	items := []Item{{"a", "a1", 10}, {"a", "a2", 5}, {"b", "b1", 12}}
	h := PlanHash(items, 4)
	rev := []Item{items[2], items[0], items[1]}
	if PlanHash(rev, 4) != h {
		t.Error("PlanHash depends on the order of the inputs")
	}
	changed := [][]Item{
		{{"a", "a1", 11}, {"a", "a2", 5}, {"b", "b1", 12}},
		{{"a", "a1", 10}, {"a", "a3", 5}, {"b", "b1", 12}},
		{{"a", "a1", 10}, {"b", "a2", 5}, {"b", "b1", 12}},
		{{"a", "a1", 10}, {"a", "a2", 5}},
	}
	for i, c := range changed {
		if PlanHash(c, 4) == h {
			t.Errorf("change %d keeps the plan hash", i)
		}
	}
	if PlanHash(items, 3) == h {
		t.Error("the shard count does not change the plan hash")
	}
}

func BenchmarkAssign(b *testing.B) {
	var items []Item
	for c := 0; c < 10000; c++ {
		items = append(items, Item{Checkpoint: fmt.Sprint("ckpt", c), Path: fmt.Sprint("f", c), Size: int64(c * 7919 % 100000)})
	}
	for b.Loop() {
		Assign(items, 64)
	}
}

func TestConfigHash(t *testing.T) {
	type cfg struct {
		Profiles []string
		FamilyOf map[string]string
	}
	a, err := ConfigHash(cfg{[]string{"strict"}, map[string]string{"x": "1", "y": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ConfigHash(cfg{[]string{"strict"}, map[string]string{"y": "2", "x": "1"}})
	c, _ := ConfigHash(cfg{[]string{"lenient"}, map[string]string{"x": "1", "y": "2"}})
	if a != b || a == c || len(a) != 64 {
		t.Errorf("ConfigHash: equal configs %s %s, different %s", a, b, c)
	}
	if _, err := ConfigHash(func() {}); err == nil {
		t.Error("ConfigHash of a func: no error")
	}
}
