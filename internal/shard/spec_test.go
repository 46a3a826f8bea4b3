package shard

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	for n := 1; n <= 40; n++ {
		for i := 0; i < n; i++ {
			s := Spec{i, n}
			got, err := Parse(s.String())
			if err != nil || got != s {
				t.Fatalf("Parse(%q) = %v, %v; want %v", s.String(), got, err, s)
			}
		}
		for _, i := range []int{-1, n, n + 1} {
			if _, err := Parse(Spec{i, n}.String()); !errors.Is(err, ErrSpec) {
				t.Fatalf("Parse(%q): want an ErrSpec, got %v", Spec{i, n}.String(), err)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, v := range []string{"", "3", "3/", "/8", "a/8", "3/b", "3/8/1", "3/0", "0/0", "-1/4", "4/4", "1.5/4", "3 / 8x"} {
		_, err := Parse(v)
		if !errors.Is(err, ErrSpec) {
			t.Errorf("Parse(%q): want ErrSpec, got %v", v, err)
			continue
		}
		if !strings.Contains(err.Error(), "expected") || !strings.Contains(err.Error(), "found") {
			t.Errorf("Parse(%q): error %q does not say what was expected and found", v, err)
		}
	}
}

func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name  string
		flag  string
		count int
		env   func(string) (string, bool)
		want  Spec
		ok    bool
		err   string // substring of the error; "" for none
	}{
		{name: "unsharded", env: env(), ok: false},
		{name: "flag", flag: "2/4", env: env(), want: Spec{2, 4}, ok: true},
		{name: "flag beats scheduler", flag: "1/4", env: env(EnvSlurmTaskID, "3", EnvSlurmTaskCount, "4"), want: Spec{1, 4}, ok: true},
		{name: "flag disagrees with count", flag: "1/4", count: 8, env: env(), err: "disagrees"},
		{name: "slurm array", env: env(EnvSlurmTaskID, "3", EnvSlurmTaskCount, "4", EnvSlurmTaskMin, "0"), want: Spec{3, 4}, ok: true},
		{name: "slurm re-run of one task with the count", count: 8, env: env(EnvSlurmTaskID, "7", EnvSlurmTaskCount, "1", EnvSlurmTaskMin, "7"), want: Spec{7, 8}, ok: true},
		{name: "slurm re-run of one task without the count", env: env(EnvSlurmTaskID, "7", EnvSlurmTaskCount, "1", EnvSlurmTaskMin, "7"), err: "SLURM_ARRAY_TASK_MIN=7"},
		{name: "slurm array from 1", env: env(EnvSlurmTaskID, "4", EnvSlurmTaskCount, "4", EnvSlurmTaskMin, "1"), err: "--array=0-3"},
		{name: "slurm id beyond count", count: 4, env: env(EnvSlurmTaskID, "4"), err: "found 4 in SLURM_ARRAY_TASK_ID=4"},
		{name: "slurm without count", env: env(EnvSlurmTaskID, "1"), err: "without SLURM_ARRAY_TASK_COUNT"},
		{name: "slurm garbage id", count: 4, env: env(EnvSlurmTaskID, "x"), err: `found "x"`},
		{name: "k8s", count: 4, env: env(EnvK8sIndex, "0"), want: Spec{0, 4}, ok: true},
		{name: "k8s without count", env: env(EnvK8sIndex, "2"), err: "--shard-count"},
		{name: "k8s beyond count", count: 2, env: env(EnvK8sIndex, "2"), err: "JOB_COMPLETION_INDEX=2"},
		{name: "both schedulers", count: 4, env: env(EnvK8sIndex, "1", EnvSlurmTaskID, "1"), err: "both"},
		{name: "count without index", count: 4, env: env(), err: "no shard index"},
		{name: "negative count", count: -1, env: env(), err: "at least 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok, err := Resolve(c.flag, c.count, c.env)
			if c.err != "" {
				if !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Resolve: want an ErrSpec containing %q, got %v", c.err, err)
				}
				if ok || got != (Spec{}) {
					t.Fatalf("Resolve failed but returned %v, %v", got, ok)
				}
				return
			}
			if err != nil || ok != c.ok || got != c.want {
				t.Fatalf("Resolve = %v, %v, %v; want %v, %v", got, ok, err, c.want, c.ok)
			}
		})
	}
}
