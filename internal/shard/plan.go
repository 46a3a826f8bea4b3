package shard

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
)

// Item is one resolved input file: its checkpoint key (as the config gives it
// before any record is read: schemas.CheckpointID of the entry's or the
// template's fields), its path as the run names it, and its size in bytes.
//
// A file whose checkpoint the config leaves open (the records carry it) has an
// empty Checkpoint: it is then a unit on its own, and the merge must combine
// the per-problem state of a checkpoint that such files spread over shards.
type Item struct {
	Checkpoint string
	Path       string
	Size       int64
}

// unit is a group of items that go to one shard together.
type unit struct {
	key   string
	bytes int64
	items []int
}

func units(items []Item) []unit {
	byKey := map[string]int{}
	var us []unit
	for i, it := range items {
		k := "c\x00" + it.Checkpoint
		if it.Checkpoint == "" {
			k = "f\x00" + it.Path
		}
		u, ok := byKey[k]
		if !ok {
			u = len(us)
			byKey[k] = u
			us = append(us, unit{key: k})
		}
		us[u].bytes += max(it.Size, 0)
		us[u].items = append(us[u].items, i)
	}
	return us
}

// Assign splits items among n shards and returns, for each shard, the indexes
// of its items in ascending order. All items of one checkpoint go to the same
// shard. Units (checkpoints) are placed largest first, each on the shard with
// the fewest bytes so far (then the fewest units, then the lowest index), so
// that the largest shard exceeds the smallest by at most the largest unit.
//
// The result depends only on the multiset of items, not on their order (a
// checkpoint's key and bytes decide its place; ties by key), so tasks that
// list the same files in another order agree. Shards beyond the number of
// checkpoints are empty. Cost: O(U log U + U·n) for U checkpoints.
func Assign(items []Item, n int) [][]int {
	if n < 1 {
		panic(fmt.Sprintf("shard.Assign: %d shards", n))
	}
	us := units(items)
	slices.SortFunc(us, func(a, b unit) int {
		if c := cmp.Compare(b.bytes, a.bytes); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	load := make([]int64, n)
	count := make([]int, n)
	out := make([][]int, n)
	for _, u := range us {
		best := 0
		for s := 1; s < n; s++ {
			if load[s] < load[best] || load[s] == load[best] && count[s] < count[best] {
				best = s
			}
		}
		load[best] += u.bytes
		count[best]++
		out[best] = append(out[best], u.items...)
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out
}

// Select returns the indexes (ascending) of the items shard s grades:
// Assign(items, s.Count)[s.Index]. An unsharded s selects every item.
func Select(items []Item, s Spec) []int {
	if !s.Sharded() {
		all := make([]int, len(items))
		for i := range all {
			all[i] = i
		}
		return all
	}
	return Assign(items, s.Count)[s.Index]
}

// PlanHash is a digest of the whole input list (every item's checkpoint, path
// and size, in a canonical order) and the shard count. Each shard records it
// in its manifest; the merge requires one value across shards, so that tasks
// that saw different files (one was added or rewritten while the array ran)
// cannot be merged into a run that grades some checkpoint twice or never.
func PlanHash(items []Item, n int) string {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Checkpoint, b.Checkpoint), cmp.Compare(a.Size, b.Size))
	})
	h := sha256.New()
	fmt.Fprintf(h, "shards %d\n", n)
	for _, it := range sorted {
		fmt.Fprintf(h, "%q %q %d\n", it.Path, it.Checkpoint, it.Size)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ConfigHash is the hex sha256 of v's JSON encoding (encoding/json writes
// struct fields in declaration order and map keys sorted, so equal values give
// equal hashes). The caller passes the resolved config with the fields that
// differ between the shards of one run cleared: the shard index and count,
// the output and cache locations, worker counts.
func ConfigHash(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hashing the config: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
