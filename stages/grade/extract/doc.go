// Package extract finds the final answer in a whole model response (response mode of
// spec/grading.md section 2) and names the strategy that found it.
//
// Strategies, in order (the first that finds something wins):
//
//	</think>     only the text after the last </think> is searched; <think> without
//	             </think> means the response was cut off while reasoning: no answer
//	boxed        the last complete \boxed{…} or \fbox{…} (nested braces, \boxed 5);
//	             boxes at the end separated only by connectors form one list
//	answer_tag   the last <answer>…</answer>
//	gsm8k        the GSM8K marker "#### X" (X a math value to the end of its line)
//	minerva      Final Answer: The final answer is X. I hope it is correct.
//	answer_is    the last "the answer is X" / "final answer is X" / "Answer: X"
//	last_math    lenient only: the last LaTeX math span
//	last_number  lenient only: the last number
//	none         nothing found
//
// One clarification of the written order, forced by real responses: a complete Minerva
// sentence ("… final answer is X. I hope it is correct.") or a GSM8K "#### X" that comes
// after the last box is the final answer, because both are templates that close a
// response (both peers, Math-Verify and the Qwen2.5-Math harness, give Minerva priority
// over boxes).
// In the lenient profile the two fallbacks compete by position: whichever of the last
// math span and the last number ends later wins (a number inside the span is the span).
//
// # Policy: the families of answers
//
// One box rule (Boxes) serves response mode and answer mode alike (equiv.Prepare peels
// with it): the last complete box, joined to the boxes before it that only connectors
// separate from it (whitespace , ; & ~, "and", "or", math delimiters, \quad, \text{…}
// around those): "\boxed{2} ~ \boxed{3}" is "2, 3" in both modes. An empty last box is no
// box ("\boxed{x}\boxed{}" has none; response mode then tries the later strategies,
// answer mode reads the text itself), and an unclosed box is not a box.
//
// Several boxes with prose between them ("$y_1 = \boxed{2}$ and $y_2 = \boxed{3}$"): the
// answer is still the closing group of boxes, and the box strategy also reports the run
// of boxes before it (Result.Run, in reading order) that short prose separates: at most
// 200 bytes and no blank line between two boxes, each within 512 bytes of the next, up
// to 256 boxes, no empty box (ExtractRun gathers it; Extract does not). Extraction does
// not know the gold; package grade grades the last k boxes of the run as one answer when
// the gold has k >= 2 parts and the closing answer is not right (a single box still wins).
//
// Multiple choice with option text ("\text{(E) Hyperbola}", "(E) Hyperbola"): extraction
// keeps the whole box, answer tag or stated answer, option text included, and never
// reduces it to a letter itself; package equiv reads a choice letter followed by option
// text as that choice, so "(E)", "E", "\text{E}", "\text{(E)}" and "\text{(E) Hyperbola}"
// are one choice and never another letter.
//
// GSM8K marker: "#### X" is a final answer in every profile and, through Solution, in
// answer mode on both sides (a GSM8K gold is a whole solution ending "#### 18"). Exactly
// four '#'; X runs to the end of its line and must be a math value: it starts with a
// digit, a sign, a point, a bracket, a currency or math delimiter, a command or a letter,
// and holds no prose word (two letters or more outside command names), so headings ("#### Step 1: add", "#### 2. Compute") are not answers.
// The first such marker counts, as lm-evaluation-harness's strict-match does: what
// follows it is a continuation (the next few-shot question). extract_method "gsm8k".
//
// Final-answer sentences: when the X of "the answer is X" / "Answer: X" is a sentence
// (it holds a prose word), the answer is the math value the sentence states: the value
// after its last copula outside math ("is", "are", "was", "were", "equals", "be", "="),
// when that tail starts as a value does (digit, sign, point, math span, command,
// bracket) and carries at most two prose words (a unit); otherwise the last math span of
// the sentence; otherwise the sentence itself under the three-word rule below. So
// "Final Answer: The largest $n$ is 34." answers 34, "$n$ is 34" answers 34, "Therefore
// the minimum is attained at $x = 3$" answers x = 3, and "Jane started growing Sphere 3
// hours ago" states no answer.
//
// Further decisions where section 2 is silent:
//   - an unclosed box (a response cut off inside \boxed{…}) is not a box: the last
//     complete box before it counts;
//   - an empty last box makes the box strategy find nothing, and the later strategies
//     are tried;
//   - "the answer is X" where X is a sentence (more than three prose words, as in
//     "Answer: Jane started growing Sphere 3 hours ago") states no answer;
//   - math delimiters inside an extracted answer are dropped ("\boxed{12 $ and $13}");
//   - the last number drops thousands separators ("1,000.99" and "1 000" give 1000.99
//     and 1000) and is not a number when glued to a word, an exponent or a subscript
//     ("AZYUK2A", "cm^2", "a_1").
//
// Solution applies the same box, Minerva and GSM8K rules to a text given in answer mode
// that is a whole worked solution (golds of lighteval, Hendrycks MATH and GSM8K).
//
// Every function here is a pure function of its input, safe for concurrent use, and
// runs in time linear in the input length with no regular expressions: model output is
// hostile input (100 kB responses, unclosed braces, NUL bytes). The searches that could
// rescan — the box finder after an unclosed box, the prose run, the GSM8K line ends —
// count the bytes they examine, and tests check that count over 10^3..10^6 bytes.
package extract
