package pipeline

import (
	"fmt"
	"sort"
	"strings"
)

// closest names the keys nearest to value, for a message about a value that
// matched none of them: " (closest: "a", "b")", or " (keys: ...)" when none
// is near, or "" without keys. Near means one is a prefix of the other
// (case-insensitively: "Qwen2.5-Math" for "Qwen2.5-Math-7B") or their edit
// distance is at most a third of the longer.
func closest(value string, keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	type cand struct {
		key  string
		dist int
	}
	var near []cand
	lv := strings.ToLower(value)
	for _, k := range keys {
		lk := strings.ToLower(k)
		d := editDistance(lv, lk)
		if strings.HasPrefix(lk, lv) || strings.HasPrefix(lv, lk) {
			d = min(d, 1)
		}
		if 3*d <= max(len(lv), len(lk)) {
			near = append(near, cand{k, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool {
		if near[i].dist != near[j].dist {
			return near[i].dist < near[j].dist
		}
		return near[i].key < near[j].key
	})
	quote := func(ks []string) string {
		q := make([]string, len(ks))
		for i, k := range ks {
			q[i] = fmt.Sprintf("%q", k)
		}
		return strings.Join(q, ", ")
	}
	if len(near) == 0 {
		sorted := append([]string(nil), keys...)
		sort.Strings(sorted)
		if len(sorted) > 8 {
			return fmt.Sprintf(" (keys: %s, and %d more)", quote(sorted[:8]), len(sorted)-8)
		}
		return fmt.Sprintf(" (keys: %s)", quote(sorted))
	}
	if len(near) > 3 {
		near = near[:3]
	}
	ks := make([]string, len(near))
	for i, c := range near {
		ks[i] = c.key
	}
	return fmt.Sprintf(" (closest: %s)", quote(ks))
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
