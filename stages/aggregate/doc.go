// Package aggregate is the statistics stage of rlvr-eval: it folds graded
// samples (rows of samples.parquet) into compact per-sample state and computes
// the problems, metrics, comparisons and transitions tables from them alone,
// so a job split by checkpoint can be aggregated afterwards from its samples.
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
// numbers), which makes them more comparable, not less valid. The sign-flip
// draws come from a separate stream per checkpoint × baseline × subset.
// Scores that are multiples of 1/L (c/n, rates and total characters over n
// samples, pass@k over C(n, k), maj@k over lcm(1..k)) are resampled and
// sign-flipped as integers packed several to a machine word, which is exact
// and several times cheaper; other scores are summed as floats.
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
// metric's direction); delta_ci is the paired percentile bootstrap (problems
// resampled as pairs, with the draws of the paired problem set as above; when
// those are the subset's problems on both sides and neither has a missing
// score, each resample mean of the d_i is computed as the difference of the
// two checkpoints' own resample means under those shared draws, so a
// checkpoint's resampling is done once, not once per comparison); p_value is the two-sided sign-flip
// permutation test with statistic |Σ d_i|: with m nonzero d_i, exact
// enumeration of all 2^m sign vectors when 2^m ≤ Permutations (p = share with
// |T*| ≥ |T|), else p = (1 + #{|T*| ≥ |T|}) / (1 + Permutations) over random
// sign vectors; ties within 1e-9·Σ|d_i| (exact ties for integer-scaled d_i). pass@k and maj@k rows whose delta is
// undefined (n < k on a paired problem) keep each side's value when defined
// and leave delta, CI, p-value and counts null/zero.
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
// subset, then the metric order above; transitions by bucket as listed.
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
