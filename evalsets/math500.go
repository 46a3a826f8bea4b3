package evalsets

// MATH500 is HuggingFaceH4/MATH-500, the 500-problem PRM800K test split of
// Hendrycks MATH (MIT licence): one JSON object per line with problem, solution,
// answer, subject, level and unique_id.
var MATH500 = Definition{
	Name:        "math500",
	Description: "MATH-500: the 500-problem PRM800K test split of Hendrycks MATH, with subject and level",
	Answers:     LaTeXAnswers,
	Layout:      LayoutMATH500,
	Fields:      []string{"unique_id", "problem", "solution", "answer", "subject", "level"},
	Source:      "HuggingFaceH4/MATH-500 test.jsonl (MIT)",
	URL:         "https://huggingface.co/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl",
	SHA256:      "35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132",
	Problems:    500,
}
