package schemas

// The vocabulary of significance and of the capability boundary, as readers
// of the tables (the demo report, the leaderboard) need it without depending
// on the aggregate stage that writes it (stages/aggregate names these values
// through its own aliases of them).
const (
	// Alpha is the level of every interval (1 − Alpha = 95%) and the q-value
	// threshold below which a delta is marked significant.
	Alpha = 0.05

	// Comparison.Method values.
	MethodSignFlip = "signflip-midp95"           // sign-flip test inverted: interval and p from one procedure, over problems
	MethodPooledT  = "pooled-t95:seeds+problems" // t interval over seeds and problems (seed-pooled rows)

	// Boundary.Crossover values.
	CrossoverFound    = "crossover"              // checkpoint ahead at k=1, the baseline reaches it at crossover_k
	CrossoverNever    = "none: ahead through n"  // checkpoint ahead at every k ≤ n
	CrossoverNotAhead = "none: not ahead at k=1" // identical, or behind from the start
)

// Significant is the one marking rule of the summary, the demo report and
// the site: a delta is marked only when its Benjamini–Hochberg q-value exists
// and is below Alpha (a small p-value alone marks nothing).
func Significant(q *float64) bool { return q != nil && *q < Alpha }
