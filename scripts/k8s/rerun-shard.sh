#!/usr/bin/env bash
# Re-runs one shard of the sharded run in sharded-run.yaml, alone: a one-pod
# Job "rlvr-eval-shard-I" built from the Indexed Job's pod template, with
# --shard I/N in place of the completion index. The shard replaces only its
# own files; then re-apply the merge Job (delete it first if it failed).
#
#   scripts/k8s/rerun-shard.sh 7 [-n NAMESPACE]
set -euo pipefail
index=${1:?usage: $0 INDEX [kubectl args...]}; shift
[[ $index =~ ^[0-9]+$ ]] || { echo "rerun-shard.sh: expected a shard index, found '$index'" >&2; exit 2; }
job=$(kubectl get job rlvr-eval-shards "$@" -o json)
count=$(jq -r '.spec.completions' <<<"$job")
[ "$index" -lt "$count" ] || { echo "rerun-shard.sh: shard $index is beyond the $count shards (0..$((count - 1)))" >&2; exit 2; }
jq --arg i "$index" --arg n "$count" '
  def noshardcount: (index("--shard-count")) as $k | if $k then .[:$k] + .[$k+2:] else . end;
  {apiVersion: "batch/v1", kind: "Job",
   metadata: {name: ("rlvr-eval-shard-" + $i), labels: .metadata.labels},
   spec: {backoffLimit: 2, ttlSecondsAfterFinished: 604800,
          template: (.spec.template
            | del(.metadata.labels["batch.kubernetes.io/controller-uid"], .metadata.labels["controller-uid"],
                  .metadata.labels["batch.kubernetes.io/job-name"], .metadata.labels["job-name"])
            | .spec.containers[0].command |= (noshardcount + ["--shard", ($i + "/" + $n)]))}}' \
  <<<"$job" | kubectl apply "$@" -f -
