package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec names one shard of a run: Index in [0, Count). The zero Spec (Count 0)
// is an unsharded run.
type Spec struct {
	Index, Count int
}

// Sharded reports whether s names a shard (Count > 0).
func (s Spec) Sharded() bool { return s.Count > 0 }

// String is "I/N", the form Parse reads.
func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Environment variables a scheduler sets for each task of an array.
const (
	EnvSlurmTaskID    = "SLURM_ARRAY_TASK_ID"
	EnvSlurmTaskCount = "SLURM_ARRAY_TASK_COUNT"
	EnvSlurmTaskMin   = "SLURM_ARRAY_TASK_MIN"
	EnvK8sIndex       = "JOB_COMPLETION_INDEX"
)

// Parse reads "I/N" (0 <= I < N, both decimal).
func Parse(v string) (Spec, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Spec{}, fmt.Errorf("%w: expected I/N (0-based index / shard count, e.g. 3/8), found %q", ErrSpec, v)
	}
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if err1 != nil || err2 != nil {
		return Spec{}, fmt.Errorf("%w: expected I/N with decimal numbers (e.g. 3/8), found %q", ErrSpec, v)
	}
	return check(Spec{idx, cnt}, fmt.Sprintf("%q", v))
}

func check(s Spec, from string) (Spec, error) {
	if s.Count < 1 {
		return Spec{}, fmt.Errorf("%w: expected a shard count of at least 1, found %d in %s", ErrSpec, s.Count, from)
	}
	if s.Index < 0 || s.Index >= s.Count {
		return Spec{}, fmt.Errorf("%w: expected an index in 0..%d (shards are numbered from 0), found %d in %s", ErrSpec, s.Count-1, s.Index, from)
	}
	return s, nil
}

// Resolve picks the run's shard. In order:
//
//  1. flag, the --shard value, when not empty (Parse's syntax);
//  2. JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), with count as the
//     shard count: the job's completions, which Kubernetes does not expose to
//     the pod, so count must be given (--shard-count);
//  3. SLURM_ARRAY_TASK_ID, with count when it is given, else
//     SLURM_ARRAY_TASK_COUNT. Give count whenever a task may be re-run alone:
//     `sbatch --array=7` sets SLURM_ARRAY_TASK_COUNT=1. Without count the array
//     must start at 0 (SLURM_ARRAY_TASK_MIN), so that task ids are indexes.
//
// ok is false (and s the zero Spec) when none of them is set and count is 0:
// an unsharded run. count > 0 without a flag or a scheduler index is an error,
// as is setting both schedulers' variables. lookup is os.LookupEnv in
// production.
func Resolve(flag string, count int, lookup func(string) (string, bool)) (s Spec, ok bool, err error) {
	if flag != "" {
		s, err = Parse(flag)
		if err == nil && count > 0 && count != s.Count {
			err = fmt.Errorf("%w: --shard %s disagrees with the shard count %d", ErrSpec, flag, count)
		}
		if err != nil {
			return Spec{}, false, err
		}
		return s, true, nil
	}
	if count < 0 {
		return Spec{}, false, fmt.Errorf("%w: expected a shard count of at least 1, found %d", ErrSpec, count)
	}
	k8s, inK8s := lookup(EnvK8sIndex)
	slurm, inSlurm := lookup(EnvSlurmTaskID)
	switch {
	case inK8s && inSlurm:
		return Spec{}, false, fmt.Errorf("%w: both %s=%s and %s=%s are set; pass --shard I/N", ErrSpec, EnvK8sIndex, k8s, EnvSlurmTaskID, slurm)
	case inK8s:
		idx, err := envInt(EnvK8sIndex, k8s)
		if err != nil {
			return Spec{}, false, err
		}
		if count == 0 {
			return Spec{}, false, fmt.Errorf("%w: %s=%s needs the shard count (the Indexed Job's completions) in --shard-count", ErrSpec, EnvK8sIndex, k8s)
		}
		s, err = check(Spec{idx, count}, fmt.Sprintf("%s=%s with shard count %d", EnvK8sIndex, k8s, count))
		return s, err == nil, err // check returns the zero Spec with its error
	case inSlurm:
		idx, err := envInt(EnvSlurmTaskID, slurm)
		if err != nil {
			return Spec{}, false, err
		}
		from := fmt.Sprintf("%s=%s with shard count %d", EnvSlurmTaskID, slurm, count)
		if count == 0 {
			c, ok := lookup(EnvSlurmTaskCount)
			if !ok {
				return Spec{}, false, fmt.Errorf("%w: %s=%s without %s: pass the shard count", ErrSpec, EnvSlurmTaskID, slurm, EnvSlurmTaskCount)
			}
			if count, err = envInt(EnvSlurmTaskCount, c); err != nil {
				return Spec{}, false, err
			}
			if m, ok := lookup(EnvSlurmTaskMin); ok && strings.TrimSpace(m) != "0" {
				return Spec{}, false, fmt.Errorf("%w: the Slurm array starts at %s=%s, so task ids are not shard indexes: submit --array=0-%d, or pass the shard count", ErrSpec, EnvSlurmTaskMin, m, count-1)
			}
			from = fmt.Sprintf("%s=%s, %s=%s", EnvSlurmTaskID, slurm, EnvSlurmTaskCount, c)
		}
		s, err = check(Spec{idx, count}, from)
		return s, err == nil, err
	case count > 0:
		return Spec{}, false, fmt.Errorf("%w: a shard count of %d but no shard index: pass --shard I/%d, or run as a Slurm array task or a Kubernetes Indexed Job", ErrSpec, count, count)
	}
	return Spec{}, false, nil
}

func envInt(name, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("%w: expected a decimal number in %s, found %q", ErrSpec, name, v)
	}
	return n, nil
}
