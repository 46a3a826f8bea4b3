// Package grade decides whether a model's final answer is mathematically the gold
// answer, following spec/grading.md: extraction (response mode), answer mode,
// symmetric normalization and equivalence. Every verdict carries a reason.
package grade
