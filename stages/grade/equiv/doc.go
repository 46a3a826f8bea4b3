// Package equiv is the normalization and equivalence engine of the grader: it
// decides whether a predicted final answer is mathematically the gold answer,
// following spec/grading.md sections 1 (answer mode), 3 (normalization),
// 4 (equivalence), 5 (bounds) and 6 (known peer failures).
//
// Prepare peels, normalizes, parses (package latex) and interprets an answer
// once, evaluating it at its sample points, so that Compare — called once per
// response — is cheap: a few hundred nanoseconds for typical answers. Answers
// are immutable and safe for concurrent use; there is no global mutable state
// (the constants π, e and ln 2 are parsed once at start-up and only read).
//
// # How answers are compared
//
// Identical normalized text, or an identical canonical parse, is "exact".
// Otherwise an answer is read as one of: a scalar (number or expression), a
// tuple (ordered; intervals are tuples with brackets), a set (bare lists,
// \{…\}, unions, ± expansions), a matrix, an equation, a relation, a text or
// multiple-choice letter, or a number with a base subscript. Scalars are
// evaluated exactly as complex rationals (big.Rat) when every operation is
// rational, and otherwise with 256-bit big.Float (radicals, π, e, logs, trig),
// compared with a relative tolerance of 2^-166 (about 1e-50). Expressions with
// variables are evaluated at 4 sample points (exact rationals when possible):
// Schwartz–Zippel identity testing, with each variable's values derived from a
// hash of its name — deterministic, no random state. Three points are positive
// (in 1.5..4.5) and one negative, so |x| is not x; a side undefined only at the
// negative point (ln x) leaves that point out. Two expressions undefined at
// every regular point (\log(x-5), \arcsin x) are compared at alternative
// points, x in 0.05..0.95 and then 5.5..12.5, computed only then: equal when
// both are defined at the same points (at least two) and agree there.
//
// # Bounds
//
// An input over 1 MiB, or a peeled and normalized answer over 2000 bytes, is
// "budget": it keeps its whole text, matches only an identical text ("exact")
// and is never parsed, cut or compared on a prefix. The parser limits nesting (100) and nodes; evaluation
// draws every step of every sample of one answer from one work budget (800
// units of about half a microsecond; exp, log, sin/cos and atan cost 15 to 36
// units, n! costs n/10), and limits the bit length of exact values (40000
// bits, about 12,000 digits), n! to n <= 3000, integer exponents to 2^20,
// high-precision exponents to 2^24 bits, exp arguments to 1e6 and trig
// arguments to 1e9; lists to 64 elements and ± to 3 per answer. Anything beyond
// is reason "budget" (or "unparsable" for syntax): the worst inputs cost about
// half a millisecond (BenchmarkPrepareHostile), typical ones a few microseconds.
//
// # Policy
//
// Choices made where spec/grading.md is silent:
//
//   - Answer mode: when an answer holds several \boxed{} and only connectors
//     (commas, "and", "or", semicolons, \quad, math delimiters) separate the
//     last ones, they form one list (as extraction rule 2 does). All $ signs
//     are dropped (a lone "$13" is a price); \$ is dropped as currency.
//   - Outside \begin…\end environments a doubled backslash before a letter
//     (\\frac, \\le: an escaping accident of the data) is one backslash.
//   - Thousands separators: a 1–3 digit group followed by ",ddd" groups (no
//     spaces) is one number, except inside (…), […] and \{…\} where a comma
//     separates elements: (12,102) is a pair, and except when the run goes on
//     with a group that is not three digits: 25,100,55 is a list of three. 1{,}000 and 12,\!345 are always
//     numbers; "1 000" is a number only when it is the whole answer; a typeset
//     space (\, \  \; ~) between a digit and a group of exactly three digits
//     joins them (1\,000).
//   - Decimal comma: "1,22" or "-0,5" (an optional sign, digits, one comma, a
//     group that is not 3 digits, no space) is a list of two, and additionally
//     matches the decimal 1.22 (a list can never equal a single number
//     otherwise); the reading is symmetric, as Compare is, so a gold written
//     "1,22" also accepts 1.22. "1,2" vs "2,1" is still a set match; "1, 22"
//     (a space after the comma) is only a list; "3,500" is 3500, never 3.5.
//   - A bare list compared with a tuple of the same length is read as that
//     tuple, in order: "1, 3" matches "(1,3)" (grouping braces {1,3} are
//     invisible in TeX). A bare list never matches an interval.
//   - Unions: when every operand of \cup is an interval with real numeric
//     endpoints, the union is the set of reals it covers: operands are sorted
//     and overlapping or touching ones merge ([1, 3) ∪ [2, 5] is [1, 5],
//     (0, 1] ∪ (1, 2) is (0, 2), a one-interval union is that interval).
//     Unions with symbolic endpoints compare as sets of intervals.
//   - (a, b) is one syntax for a point and an open interval; both sides are read
//     the same way, so they compare element-wise with their brackets. Inside a
//     union the operands are intervals.
//   - Sets collapse duplicates: every element of each side must occur in the
//     other. A one-element set equals its element, and so does a list whose
//     elements are all that one value (MATH-500 number_theory/459 boxes
//     15\frac{39}{40} and \frac{639}{40}: one answer written twice).
//   - Label equations: the left side is a name when it is a variable, a word
//     (AB), a subscripted or styled name, f(x) or f(2), |AB|, A:B, a fraction of
//     names, a prime (f'), or a tuple of names (p, q). The prediction's own
//     label is not checked (x = 5 matches y = 5 for gold x = 5). A predicted
//     equation that is a rearrangement of a label gold also matches
//     (y = 2x + 3 and 2x - y + 3 = 0). In lists, label elements stand for their
//     values (a = 4, -8 is the set {4, -8}).
//   - Real equations match when the differences of their first and last sides
//     are nonzero multiples of each other at every sample point (that covers
//     rearrangements and scaling, not other equivalent forms such as x^2 = 4 vs
//     x = ±2). Equations without variables compare their last sides.
//   - \quad or \qquad between parts that are all equations separates them
//     like a comma (y = 2x \quad y = -x is two equations, not a chain).
//   - A list whose elements are all label equations with distinct names
//     (C_1 = 2/5, C_2 = -3) is an assignment: against another such list it is
//     compared name by name (C_1 = 2, C_2 = 2/5 is not C_1 = 2/5, C_2 = 2);
//     against bare values, as the set of its values.
//   - Groups of label equations separated by semicolons are tuples:
//     "p=5, q=2; p=7, q=2" is {(5, 2), (7, 2)}. In a chain, \approx and what
//     follows it are commentary: "x = 1/3 \approx 0.33" is 1/3.
//   - Inequalities: one name (x, f(x)) against constants becomes an interval;
//     x ≠ a becomes (-∞, a) ∪ (a, ∞); x \in S is S; a ≤ |z| ≤ b with 0 <= a
//     becomes [-b, -a] ∪ [a, b] (|z| < b is (-b, b)). A side linear in one
//     variable (αx + β, α a nonzero constant) against constants is solved:
//     each constant c becomes (c - β)/α and a negative α flips every relation
//     (-x > -1 is x < 1, 3 < 2x+1 < 7 is (1, 3)). Any other single relation
//     a < b (> turned into <) matches c < d when a - b is a positive multiple
//     of c - d at every sample point (terms moved across, scaled; a negative
//     multiple needs the flipped relation; for ≠ any nonzero multiple);
//     chains of other relations compare side by side. \le, \leq,
//     \leqslant, <= and ≤ are one relation. Nonlinear inequalities (x^2 < 4)
//     are not solved: they match only a relation with proportional sides.
//   - Decimal-approximation rule: the literal needs 6 significant digits
//     (leading zeros do not count, trailing zeros do) and must equal the other
//     value truncated toward zero or rounded half away from zero at its last
//     digit; it never matches a value whose decimal expansion terminates (0.125
//     is not approximated), nor an expression with variables. There is no
//     allowance for a last digit printed from a float64: 0.7071067811865476
//     (the repr of the double nearest √2/2) is not √2/2, whose 16-digit
//     rounding is 0.7071067811865475.
//   - Repeating decimals 0.\overline{3} and 0.1\overline{6} are exact rationals.
//   - Percent: x\% matches x and x/100; both sides with \% compare x. The words
//     "percent", "pct", "percentage", "percentage points" and "per cent" after
//     a number, bare or in \text{}, mean \% (28 percentage points is 28\%).
//   - Degrees (^\circ, °, "degrees") on an answer or a list element are dropped
//     (90^\circ is 90; no conversion to radians); inside a formula a degree is
//     π/180 (\sin 30^\circ is 1/2).
//   - Matrices: pmatrix, bmatrix, Bmatrix, matrix, smallmatrix and array (bare
//     or inside \left[ \right], ( ), …: the brackets only typeset it) are
//     one matrix, equal to another of the same shape whose entries are equal
//     under the full rules (x^{2/3} and \sqrt[3]{x^2}, 0.5 and \frac12).
//     Arithmetic of matrices is its value, entry by entry, up to 8×8: A + B,
//     A - B, -A, cA, Ac, A/c, AB, A \cdot B and A^n for a literal n in 1..8;
//     a matrix plus a scalar or mismatched shapes are not a value.
//   - A column or row vector (pmatrix) matches a parenthesized tuple of the same
//     entries in order.
//   - Units: \text{…}, \mbox{…}, \mathrm{~…} (a leading space) and unit words
//     (cm, units, feet, …) after a value are dropped, also with a power
//     (18\text{ ft}^2), at the top, in list elements, inside one pair of
//     parentheses ((5.7 \mathrm{hr})) and after a label (t = 5.7 \mathrm{hr}).
//     A bare phrase of two or more words, one of at least four letters (No
//     solution, all real numbers), is text, as the same words in \text{} are;
//     letters and short words stay a product (xy z).
//     \text{…}/\textbf{…} whose content parses as math that is not only words
//     is that math (\textbf{x=\frac{a}{b}}, \textbf{-i}, \textbf{m},
//     \textbf{\text{(C)}}); words stay text (\text{Evelyn}, \text{no
//     solution}).
//   - Bases: 1011_2 matches 1011_2 (same digits, leading zeros ignored, same
//     base) and the bare digits 1011; it does not match its decimal value.
//   - Multiple choice: a single letter A–E alone, in parentheses or in \text{}
//     is a choice, compared case-insensitively; so is a letter in parentheses
//     (or followed by ")", "." or ":") followed by its option's words:
//     \text{(E) Hyperbola}, (E) Hyperbola, \textbf{(E)} Hyperbola and
//     (E)\ \text{Hyperbola} are the choice E (one letter after "(a)" is a
//     product, not option text); a letter never matches another letter; other \text{} answers compare
//     as lower-cased text with collapsed spaces; a bare word (Evelyn) matches
//     that text.
//   - Constants: e (and \mathrm{e}) is Euler's number, i the imaginary unit, π
//     pi; \log without a base is the natural logarithm (as in SymPy); \lg is
//     base 10; \sin^{-1} is arcsin; vmatrix (up to 3×3) is a determinant;
//     ratios a:b are a/b; \binom{x}{k} is a polynomial in x for k <= 64;
//     \emptyset and \varnothing are the empty set.
//   - Roots and powers: \sqrt[n]{x} of a negative x with odd n is the real
//     root (-2 for \sqrt[3]{-8}), and so is x^{p/q} with q odd (in lowest
//     terms): (-8)^{2/3} is 4, so x^{2/3}, \sqrt[3]{x^2}, \sqrt[3]{x}^2 and
//     (x^{1/3})^2 are one value for every real x (also at the negative sample
//     point). Powers with an even q of negative numbers, and non-integer powers
//     of complex numbers, take the principal value. \sqrt(2) is the root of
//     2, never \sqrt of "(".
//   - Tolerance: two nonzero irrational values compare relatively (1e-50); a
//     value compares with an exact zero absolutely (6e-61), so cancellations
//     like \sin\pi are zero. Two tiny nonzero values never compare absolutely:
//     π/10^80 is not π/10^81.
//   - Big operators and calculus notation: \sum and \prod whose limits are
//     integers (after evaluation; nested sums may use outer bound variables)
//     are evaluated exactly, term by term, within the work budget (at most
//     10,000 terms; a long sum is "budget", never approximated). Sums and
//     products with symbolic or infinite limits, integrals, limits, and
//     factorials and binomials whose arguments have free variables ((n+1)!,
//     \binom{n}{k}) are opaque: each stands for one unknown keyed by its
//     canonical form, with bound variables renamed by depth and the terms of
//     sums and factors of products sorted, so they are equal exactly up to
//     renaming bound variables and reordering commutative terms and factors
//     (\int x^2\,dx is \int t^2\,dt; \sum_{k=1}^n (k+1) is \sum_{j=1}^n
//     (1+j); \int_0^1 x^2\,dx is not 1/3: integrals are not evaluated). A
//     bound i or e is the variable, not the constant. \lfloor\rfloor and
//     \lceil\rceil are evaluated at every sample point.
//   - Undefined values (division by zero) are equal to nothing. An answer that
//     does not parse, or parses to something not evaluated (infinity in
//     arithmetic, an unknown environment), is compared as normalized text
//     (case-insensitive, spaces and \text wrappers ignored): "text" when
//     equal, "unparsable" otherwise.
//   - Prose in a wrapper: an answer that is one \text{…} (\mbox, \textbf,
//     \mathrm) group of prose, two or more words of two or more letters, is a
//     statement. It equals the same statement written without the wrapper
//     (case, spacing and a closing period aside), before any reading of its
//     words as mathematics ("A solution exists and is unique." is not a list
//     split at "and"; "236 adult, 342 child" is not two products), and also
//     when the statement is over the size budget (both texts are compared
//     whole). A different statement is decided as before.
//   - Reasons: "set" covers every structure (sets, tuples, matrices);
//     "interval" is used when intervals or infinities are involved; base and
//     percent matches are "numeric".
package equiv
