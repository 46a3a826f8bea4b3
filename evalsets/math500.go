package evalsets

// Definition names a published evalset: where a later `evalset fetch` command
// downloads it from and the sha256 its file must have.
type Definition struct {
	// Name is the config name (evalset.name).
	Name string
	// URL is the published file.
	URL string
	// SHA256 is the hex sha256 of the published file.
	SHA256 string
	// Problems is the number of problems of the published split.
	Problems int
}

// MATH500 is HuggingFaceH4/MATH-500, the 500-problem PRM800K test split of
// Hendrycks MATH (MIT licence): one JSON object per line with problem, solution,
// answer, subject, level and unique_id.
var MATH500 = Definition{
	Name:     "math500",
	URL:      "https://huggingface.co/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl",
	SHA256:   "35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132",
	Problems: 500,
}

// Known lists the published evalsets by name.
var Known = map[string]Definition{MATH500.Name: MATH500}

// LookupDefinition returns the published evalset called name.
func LookupDefinition(name string) (Definition, bool) {
	d, ok := Known[name]
	return d, ok
}
