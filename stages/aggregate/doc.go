// Package aggregate is the statistics stage of rlvr-eval: it folds graded
// samples (rows of samples.parquet) into compact per-sample state and computes
// the problems, metrics, comparisons, transitions and capability-boundary
// (boundary, boundary_curves, problem_moves) tables from them alone, so a job
// split by checkpoint can be aggregated afterwards from its samples. These
// rules refine ../shared/spec/tables.md: where the spec says "paired-bootstrap
// CI", comparisons now use one sign-flip procedure for interval and p-value.
//
// # Use
//
//	a := aggregate.New(aggregate.Options{})   // defaults below
//	for batch := range batches { a.Add(batch) } // one goroutine
//	tables, err := a.Result()                   // once, after the last Add
//
// Add keeps ~24 bytes per sample plus 4 bytes per profile and each distinct
// extracted answer once per problem; never the response text (1M samples with
// one profile take roughly 30–60 MB). Result is deterministic: the same
// samples give the same tables whatever the batch boundaries, the order of
// the samples, or the scheduling of its worker goroutines.
//
// A caller that knows a checkpoint is complete may call Seal(checkpoint id):
// its samples are reduced to per-problem scores at once (a few kB per
// problem) and released, so feeding checkpoints one after another holds one
// checkpoint's samples at a time. The tables are the same with or without
// Seal; samples of a checkpoint added after its Seal make Result fail
// (ErrSealed).
//
// # Defaults
//
//   - Ks: 1, 2, 4, 8, … (powers of two) up to the largest samples-per-problem
//     n of any checkpoint (so every checkpoint has the same k rows; they are
//     null where the checkpoint has fewer samples). A largest n that is not a
//     power of two is not added: pass Ks to get it.
//   - Profiles: ["strict"]; Sample.Alt is then ignored. Profiles[i>0] is
//     looked up in Sample.Alt at position i−1 (accepted when its Profile is the
//     same or empty), else by name; a sample without that verdict counts as
//     no answer and incorrect, and Result warns.
//   - Seed: DefaultSeed; Bootstrap: 2000 resamples; Permutations: 10000.
//
// # Per-sample inputs
//
// A sample has no answer under a profile when its extracted answer is nil or
// the empty string. Samples of one checkpoint × problem are ordered by
// sample_idx; a repeated sample_idx keeps one sample (the smallest under a
// fixed order of its content, so the choice does not depend on arrival order)
// and Result warns. n is the number of distinct sample_idx of the problem; c
// the number correct. A checkpoint is identified by all identity columns
// (family, model, reward, step, seed, checkpoint, evalset); the same
// checkpoint id on two evalsets is two checkpoints. A problem takes subject and
// level from its samples (on disagreement, the smallest (subject, level), with
// a warning).
//
// # Per-problem scores
//
//   - accuracy = c/n.
//   - pass@k = 1 − C(n−c, k)/C(n, k) = 1 − ∏_{i=n−c+1}^{n} (1 − k/i) (1 when
//     n−c < k); undefined (null, never 1.0) when n < k.
//   - maj@k: answers of the first k samples by sample_idx are grouped into
//     classes the grader finds equivalent: in sample_idx order, a sample joins
//     the first group whose representative (its first member) is
//     grade.Equivalent to its answer (prepared once per distinct string per
//     problem with grade.PrepareAnswer), else founds a new group; equal
//     strings always share a group. No-answers do not vote. A group is correct
//     when its representative sample is correct. The score is the fraction of
//     the most-voted groups (ties included) that are correct; 0 when none of
//     the first k samples has an answer; undefined when n < k.
//   - no_answer_rate, boxed_rate, code_reasoning_rate (Sample.CodeReasoning:
//     the response contains "python"), has_code_block_rate
//     (Sample.HasCodeBlock: the response contains a fenced code block; a
//     separate, stricter behaviour than code reasoning), truncation_rate: the
//     fraction of the problem's n samples with the property.
//   - accuracy_with_code / accuracy_without_code: c/n over the problem's
//     samples with / without code_reasoning; missing for a problem with no
//     such samples (the problem is left out, not scored 0).
//   - mean_response_chars: mean over the n samples; mean_response_tokens: mean
//     over the samples that carry a token count, missing when none does.
//   - peer_accuracy (on accuracy rows): the rate of peer_correct among the
//     samples that carry it.
//
// # Metrics rows (one per checkpoint × profile × subset × metric × k)
//
// Subsets: "all", then "level=<n>" for each level > 0 (numeric order), then
// "subject=<name>" for each non-empty subject (lexicographic). value is the
// mean over the subset's P problems of the per-problem score (so accuracy is
// avg@n, and pass@k, maj@k and every rate are clustered by problem). pass@k
// and maj@k are null when any problem of the subset has n < k; other metrics
// are means over the problems where the score exists (n_problems says how
// many) and are null when none has it. Accuracy, pass@k, maj@k,
// no_answer_rate, accuracy_with/without_code use the profile's verdicts; the
// behaviour metrics do not depend on the profile and are repeated on every
// profile's rows. n is the largest samples-per-problem in the subset (Result
// warns when it varies within a checkpoint).
//
//   - stderr = sd(scores, denominator P−1) / √P; null when P < 2.
//   - P ≥ 50: ci_method "bootstrap95": B bootstrap resamples of the P
//     problems with replacement; the interval is the 2.5% and 97.5% type-7
//     (linear interpolation) quantiles of the B resample means.
//   - P < 50, proportions (every metric except the two means): ci_method
//     "wilson95:<50 problems": the 95% Wilson score interval for p = value
//     with the effective sample size n_eff = p(1−p)/stderr², clamped to
//     [1, total samples behind the estimate] (n_eff = P when p is 0 or 1 or
//     stderr is 0 or undefined). For binary per-problem scores this is the
//     plain Wilson interval over P problems; with several samples per problem
//     it is the Wilson interval of the pooled proportion with its sample size
//     deflated by the design effect of the clustering.
//   - P < 50, mean_response_chars/tokens: ci_method "bootstrap95:<50 problems".
//   - a null value has null stderr and CI and ci_method "none".
//
// Bootstrap draws depend only on the seed and the problems resampled: a PCG
// seeded by (Seed, FNV-64a of the evalset, the subset name and the subset's
// problem ids in id order). All metrics of one checkpoint × subset share one
// set of draws, and so do all checkpoints whose subset holds the same
// problems, so a row's interval depends only on its own data and the seed.
// Each interval keeps its usual coverage; intervals of different checkpoints
// over the same problems share their Monte Carlo noise (common random
// numbers), which makes them more comparable, not less valid. Scores that
// are multiples of 1/L (c/n, rates and total characters over n samples,
// pass@k over C(n, k), maj@k over lcm(1..k)) are resampled as integers packed
// several to a machine word, which is exact and several times cheaper; other
// scores are summed as floats.
//
// # Comparisons (primary profile)
//
// Baseline: Options.Baselines[checkpoint id] when set (same evalset; ids
// match exactly, else case-insensitively, because config loaders lowercase
// map keys);
// otherwise the checkpoint of the same family, model and evalset with reward
// "none" and step 0 — the one with the same seed when the checkpoint has a seed
// and it exists, else the seedless one, else the one with the lowest seed. A
// default baseline (reward none, step 0) is not compared with anything. A
// checkpoint without baseline gets no comparison or transition rows and a
// warning.
//
// Rows for accuracy, each pass@k, each maj@k, no_answer_rate, boxed_rate,
// code_reasoning_rate, has_code_block_rate, truncation_rate,
// mean_response_chars and mean_response_tokens, per subset of the checkpoint,
// over the problems both have (and, for metrics with missing scores, where
// both have a score). With d_i = score_checkpoint − score_baseline:
// value and baseline_value are the two means over those problems, delta = mean
// d_i; wins/losses/ties count d_i > 0, < 0, = 0 (higher is a win whatever the
// metric's direction). pass@k and maj@k rows whose delta is undefined (n < k
// on a paired problem) keep each side's value when defined and leave delta,
// CI, p-value, q-value, method and counts null/zero/empty.
//
// # Significance: one procedure for the interval and the p-value
//
// method "signflip-midp95" (MethodSignFlip): the p-value is the two-sided
// paired sign-flip test of "the d_i are symmetric about 0" with statistic
// |Σ d_i|, and delta_ci is the set of shifts δ that the same test, applied
// to d_i − δ, does not reject at 5%. For a shift δ and a sign vector s,
// T(δ) = Σ (d_i − δ) and T*(δ) = Σ s_i (d_i − δ); the mid-p value is
// p(δ) = (#{|T*| > |T|} + ½·#{|T*| = |T|}) / #vectors. Ties count ½ because
// scores are multiples of 1/n and "≥" would make the test conservative
// (issue 14's simulation). With m paired problems (those where both scores
// exist), the vectors are all 2^m when 2^m ≤ Permutations (exact), else
// Permutations random vectors (one stream per checkpoint × baseline ×
// subset, shared by the subset's columns) plus the observed vector, which
// ties with itself (counts ½). p_value = p(0).
//
// For each vector, |T*(δ)| ≥ |T(δ)| holds exactly on the closed interval
// between (D − A)/(m − S) and (D + A)/(m + S) (A = Σ s_i d_i, S = Σ s_i,
// D = Σ d_i), and every such interval contains the mean D/m (S = ±m ties at
// every δ). So p(δ) is unimodal around the estimate and {δ : p(δ) ≥ 0.05} is
// an interval whose ends are computed exactly from the sorted vector
// intervals: delta_ci_low/high are its ends. Differences that are multiples
// of 1/L are counted as integers, so ties are exact. Because p(0) and the
// interval come from the same vectors, "the interval excludes 0" ⇔
// "p_value < 0.05" in every row: where 0 is itself an end and p(0) < 0.05
// (the set is open there), that end is reported as the nearest float beyond
// 0 (±5e-324). Special cases: all d_i = 0 gives p = 1 and [0, 0]; with 4 or
// fewer paired problems no shift can be rejected (the smallest p is 2^−m) and
// the bounds are null (unbounded). Calibration (calibration_test.go: Beta(0.7,
// 0.7) solve rates, 8 samples, 1,000 null + 1,000 shifted sets): null
// rejection 4.6% (accuracy) and 1.8% (pass@8) at 40 problems, 3.8%/3.6% at
// 100; coverage of the population delta 95.4%/93.7% at 40, 94.5%/93.3% at
// 100; zero disagreements.
//
// q_value: Benjamini–Hochberg adjusted p-values over the run's comparison
// rows with a p-value, one family per (metric, k, subset, pooled or not):
// all checkpoints of a sweep compared on, say, accuracy over "all" form one
// family, so a delta marked by q < 0.05 keeps the expected share of false
// discoveries among the marked ones at 5%. q_(i) = min_{j ≥ i} min(1, m·p_(j)/j)
// over the family's m p-values in ascending order.
//
// ci_scope "problems", n_seeds 1: an ordinary row's interval covers problem
// sampling only — it says nothing about training-seed variation.
//
// # Seed-pooled comparisons (ci_scope "seeds+problems")
//
// Checkpoints with a baseline that share family, model, reward, step and
// evalset and carry two or more distinct seeds form a condition; it gains one
// pooled row per subset and comparison metric, after the rows of its last
// seed: seed null, checkpoint "<model>/<reward>/step<step>/pooled" (pooled =
// true), baseline_checkpoint the distinct baselines of its seeds joined by
// ",", over the problems every seed pairs with its baseline and where every
// seed has a difference (for pass@k/maj@k: no row unless all have one). With
// d_si the S×P differences: delta = mean over seeds of the per-seed deltas
// (the grand mean); value/baseline_value the grand means of each side;
// seed_sd = sd of the per-seed deltas (S−1 denominator); wins/losses/ties
// count the problem means over seeds. method "pooled-t95:seeds+problems"
// (MethodPooledT): V = var(seed means)/S + var(problem means)/P, the crossed
// (seeds × problems) variance of the grand mean with the seed×problem noise
// counted once more (wide by σ²/(SP), never narrow); t = delta/√V with
// Welch–Satterthwaite degrees of freedom; delta_ci = delta ± t_{0.975,df}·√V
// and p_value = P(|T_df| ≥ |t|), computed separately and made to agree at the
// rounding edge (p decides; the end nearest 0 moves). V = 0 gives [delta,
// delta] and p = 1 (delta 0) or 0.
//
// # Capability boundary (tables boundary, boundary_curves, problem_moves)
//
// For each checkpoint with a baseline, each profile and each subset, over the
// paired problems: n = the common samples-per-problem, min over those
// problems of both sides' n (n_checkpoint, n_baseline are each side's
// minimum; common_n is true when they differ, i.e. one side is compared on
// fewer samples than it has). boundary_curves has one row per k = 1..n with
// both sides' pass@k (the unbiased estimator over all of each problem's
// samples, mean over problems) and their delta; boundary repeats pass@1 and
// pass@n. crossover_k is the smallest k ≤ n with baseline pass@k ≥
// checkpoint pass@k − 1e-12, defined only when the checkpoint is ahead at
// k = 1 by more than 1e-12 (crossover "crossover"); otherwise null, with
// crossover "none: ahead through n" (never reached within n) or "none: not
// ahead at k=1" (an identical checkpoint, or one behind from the start).
// area_log_k = ∫_1^n (pass@k − baseline pass@k) d ln k by trapezoids between
// consecutive integer k (0 when n = 1), the mean of per-problem areas.
// coverage = share of problems with a correct sample among the first n
// samples (by sample_idx) — pass@n without estimation, for both sides;
// gained = problems covered by the checkpoint and not the baseline, lost the
// reverse, coverage_delta = (gained − lost)/P. area and coverage_delta get
// the comparison procedure above (method signflip-midp95 over the per-problem
// values, one stream per checkpoint × baseline × profile × subset) and BH
// q-values per profile × subset family (area_q_value, coverage_q_value).
// problem_moves lists, per checkpoint and profile, subset "all", each gained
// or lost problem with subject, level, n_correct of both sides (all samples)
// and strategy_before/after ("code" when more than half of its samples have
// code_reasoning, as in transitions), strategy_switch when they differ.
// State: per problem and profile the correct count and the position of the
// first correct sample — never per-sample data — so sealed checkpoints stay
// per-problem.
//
// # Transitions (primary profile; Shao et al. 2025, "Spurious Rewards")
//
// Over the N problems both have, a problem is "code" for a checkpoint when
// strictly more than half its samples have code_reasoning (exactly half is
// "lang"). Buckets code->code, code->lang, lang->code, lang->lang (baseline ->
// checkpoint); accuracy_before/after are the mean per-problem accuracies of the
// bucket's n_d problems under the baseline/checkpoint (null for an empty
// bucket). share_of_gain is the partial contribution
// C_d = (n_d/N)(acc_after_d − acc_before_d) / (acc_after − acc_before), where
// the denominator is the overall gain over the N problems; the four C_d sum to
// 1. It is null for every bucket when the overall gain is 0 (|gain| ≤ 1e-12),
// and 0 for an empty bucket otherwise.
//
// # Order
//
// Tables are sorted by checkpoint identity (family, model, reward, step, seed
// with none first, checkpoint, evalset), then: problems by problem_id; metrics
// by profile (in Options order), subset (as above), metric (accuracy, pass@k,
// maj@k, no_answer_rate, boxed_rate, code_reasoning_rate, has_code_block_rate,
// accuracy_with_code, accuracy_without_code, truncation_rate,
// mean_response_chars, mean_response_tokens), k ascending; comparisons by
// subset, then the metric order above (a condition's pooled rows after its
// last seed's rows); transitions by bucket as listed; boundary by profile
// (Options order) and subset; boundary_curves likewise, then k;
// problem_moves by profile, then problem_id.
//
// # Problems rows (primary profile)
//
// n, n_correct, n_no_answer, accuracy = c/n; maj_answer is the representative
// answer of the most-voted group over all n samples (on ties, the group
// founded first in sample_idx order; null when no sample has an answer);
// maj_correct is the maj score over all n samples (fractional on ties);
// first_correct is the verdict of the sample with the smallest sample_idx
// (sample 0 when numbering starts at 0); code_reasoning_rate and
// mean_response_chars as above.
//
// # Adding a metric
//
// Its name is declared once, in schemas/metrics.go (a Metric* constant, in
// emission order; schemas/metrics_emitted_test.go checks that the aggregator
// emits exactly those, in that order). Here, newLayout adds its
// per-problem score column, summarize fills it, rowOrder (and, when it is
// compared with the baseline, comparisonOrder) places it, and draws.go's
// scale switch says whether the score is a multiple of 1/L (resampled as
// integers) or a float. Its test is a per-problem score computed by hand in
// aggregate_test.go; the leaderboard and reports read metrics by name and
// need no change unless they show the new one.
package aggregate
