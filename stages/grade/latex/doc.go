// Package latex is the scanner, parser and printer of the answer language: the
// LaTeX math (and the plain text, like sqrt(2) or x**2) in which MATH-style final
// answers are written.
//
// It follows go/scanner and go/parser: a synchronous switch-based scanner that
// the parser calls for one token at a time (one token of lookahead), byte-offset
// positions, an error list whose messages read "expected X, found Y", a nesting
// limit (MaxDepth) and a node limit (MaxNodes) enforced by a bail-out panic that
// is recovered only in Parse, and precedence climbing for binary operators.
//
// Parsing is purely syntactic. The tree says how an answer is written; what it
// means (is (1,2) a point or an interval, is e Euler's number) is decided by
// package equiv. The TeX rules that decide the shape of the tree are applied
// here:
//
//   - a macro argument is a braced group or one token: \frac12 is 1/2, x^23 is
//     x^2 times 3, \sqrt3 is the root of 3;
//   - juxtaposition is an implicit product (2\sqrt3, 2\pi r) and an integer
//     followed by a fraction of integers is a mixed number (3\frac12, a Mixed);
//   - \left, \right, \big... and spacing commands (\, \! \quad ~) are skipped
//     like white space; \dfrac and \tfrac are \frac; \text{...}, \mbox{...} and
//     \textbf{...} are one TEXT token holding their raw content;
//   - operators have plain-text and Unicode spellings: * ** <= >= != and − × ÷
//     ≤ ≥ ≠ ± π √ ∞ °;
//   - a command glued to following letters (x\ley, from answers whose spaces
//     were stripped) is split at its longest known prefix (\le y);
//   - \sqrt(2) is read as the root of (2), never as \sqrt( followed by garbage;
//   - a repeating decimal 0.\overline{3} or 0.1\overline{6} is one number literal;
//   - \sum and \prod take _{k=a}^{b} (in either order) and, like \sin, the
//     product of factors that follows as their body; \lim takes _{x \to a};
//     \int takes optional limits and a body of sums that ends at its
//     differential (dx, d x, d\theta) — a BigOp. \mathrm{d}x is not a
//     differential.
//
// Environments: pmatrix, bmatrix, Bmatrix, matrix, vmatrix, Vmatrix, smallmatrix
// and array all parse to a Matrix that records its environment name; package
// equiv reads vmatrix as a determinant.
//
// Print renders a tree as canonical LaTeX with explicit grouping; the printed
// text parses back to the same tree, which golden and fuzz tests check.
package latex
