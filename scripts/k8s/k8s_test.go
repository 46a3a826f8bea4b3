// Package k8s_test checks the Kubernetes manifests beside it: they parse,
// and the sharded run's Indexed Job and merge Job agree on the shard count
// and the run folder (a disagreement is a merge that refuses every run).
package k8s_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"
)

type container struct {
	Name    string   `yaml:"name"`
	Command []string `yaml:"command"`
	Env     []struct {
		Name      string `yaml:"name"`
		ValueFrom struct {
			ConfigMapKeyRef struct{ Name, Key string } `yaml:"configMapKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
}

type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data map[string]string `yaml:"data"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    *int   `yaml:"completions"`
		Template       struct {
			Spec struct {
				RestartPolicy string      `yaml:"restartPolicy"`
				Containers    []container `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func load(t *testing.T, file string) map[string]object {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]object{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if o.Kind == "" || o.Metadata.Name == "" {
			t.Fatalf("%s: a document without kind or name", file)
		}
		out[o.Kind+"/"+o.Metadata.Name] = o
	}
}

// flag returns the value after name in a command, "" if absent.
func flag(cmd []string, name string) string {
	if i := slices.Index(cmd, name); i >= 0 && i+1 < len(cmd) {
		return cmd[i+1]
	}
	return ""
}

func TestManifestsAgree(t *testing.T) {
	objs := load(t, "sharded-run.yaml")
	shards, ok1 := objs["Job/rlvr-eval-shards"]
	merge, ok2 := objs["Job/rlvr-eval-merge"]
	cm, ok3 := objs["ConfigMap/rlvr-eval-sharded-config"]
	if !ok1 || !ok2 || !ok3 {
		t.Fatalf("sharded-run.yaml: want the shards Job, the merge Job and their ConfigMap, found %d objects", len(objs))
	}
	if shards.Spec.CompletionMode != "Indexed" || shards.Spec.Completions == nil {
		t.Fatalf("shards Job: completionMode %q, completions %v: want an Indexed Job with completions", shards.Spec.CompletionMode, shards.Spec.Completions)
	}
	n := strconv.Itoa(*shards.Spec.Completions)
	sc := shards.Spec.Template.Spec.Containers[0].Command
	mc := merge.Spec.Template.Spec.Containers[0].Command
	if got := flag(sc, "--shard-count"); got != n {
		t.Errorf("shard pods: --shard-count %q, want the completions %s", got, n)
	}
	if got := flag(mc, "--shard-count"); got != n {
		t.Errorf("merge: --shard-count %q, want the completions %s", got, n)
	}
	if flag(sc, "--shard") != "" {
		t.Errorf("shard pods: a fixed --shard; the index must come from JOB_COMPLETION_INDEX")
	}
	if sc[1] != "run" || mc[1] != "merge" || flag(mc, "--wait") == "" {
		t.Errorf("commands %q and %q: want run, and merge with --wait", sc, mc)
	}
	// Both read the run folder from the same ConfigMap key.
	runOf := func(c container) string {
		for _, e := range c.Env {
			if e.Name == "RUN" {
				return e.ValueFrom.ConfigMapKeyRef.Name + "/" + e.ValueFrom.ConfigMapKeyRef.Key
			}
		}
		return ""
	}
	want := cm.Metadata.Name + "/RUN"
	if runOf(shards.Spec.Template.Spec.Containers[0]) != want || runOf(merge.Spec.Template.Spec.Containers[0]) != want {
		t.Errorf("RUN must come from %s in both Jobs", want)
	}
	if flag(sc, "--out") != "$(RUN)" || flag(mc, "--run") != "$(RUN)" {
		t.Errorf("shards --out %q and merge --run %q: want $(RUN) in both", flag(sc, "--out"), flag(mc, "--run"))
	}
	if cm.Data["RUN"] == "" || cm.Data["eval.yaml"] == "" {
		t.Error("the ConfigMap needs RUN and eval.yaml")
	}
	for _, j := range []object{shards, merge} {
		if j.Spec.Template.Spec.RestartPolicy != "Never" {
			t.Errorf("%s: restartPolicy %q, want Never (retries are the Job's)", j.Metadata.Name, j.Spec.Template.Spec.RestartPolicy)
		}
	}
}

func TestNightlyParses(t *testing.T) {
	if objs := load(t, "nightly-cronjob.yaml"); len(objs) != 3 {
		t.Errorf("nightly-cronjob.yaml: %d objects, want 3", len(objs))
	}
}
