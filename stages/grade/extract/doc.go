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
//	minerva      Final Answer: The final answer is X. I hope it is correct.
//	answer_is    the last "the answer is X" / "final answer is X" / "Answer: X"
//	last_math    lenient only: the last LaTeX math span
//	last_number  lenient only: the last number
//	none         nothing found
//
// One clarification of the written order, forced by real responses: a complete Minerva
// sentence ("… final answer is X. I hope it is correct.") that comes after the last box
// is the final answer, because that sentence is a template that closes a response
// (both peers, Math-Verify and the Qwen2.5-Math harness, give it priority over boxes).
// In the lenient profile the two fallbacks compete by position: whichever of the last
// math span and the last number ends later wins (a number inside the span is the span).
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
// Solution applies the same box and Minerva rules to a text given in answer mode that is
// a whole worked solution (golds of lighteval and Hendrycks MATH).
//
// Every function here is a pure function of its input, safe for concurrent use, and
// runs in time linear in the input length with no regular expressions: model output is
// hostile input (100 kB responses, unclosed braces, NUL bytes).
package extract
