// Package shard splits a run's resolved inputs among the independent tasks of
// a scheduler (a Slurm array, a Kubernetes Indexed Job) and checks, before a
// merge, that every task of the same run finished.
//
// Its core is pure: no I/O, no clock, no randomness. The same inputs and the same
// shard count give the same assignment on every machine, whatever order the
// inputs are listed in, so N tasks that resolve a config independently agree
// on who grades what without talking to each other.
//
// The pieces, in the order a sharded run uses them:
//
//	Resolve(flag, count, env)   --shard I/N, or SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX
//	Assign / Select(items, s)   whole checkpoints per shard, balanced by bytes
//	SamplesPath, PartPath       where a shard writes (Hive-partitioned samples)
//	Manifest, ManifestPath      what a finished shard writes last (its marker)
//	Check(found, files, expect) the merge's gate: every shard present, same config,
//	                            every listed file there, no stale part files
//
// runfolder.go applies them to a run folder through internal/storage (a plain
// path or a bucket URL): Begin / Output.Create / File.Commit / Output.Finish
// on the shard's side (its manifest is deleted first and written last), and
// Gather / Open / WaitAll on the merge's.
//
// Shards are numbered from 0, as Slurm arrays (--array=0-7) and Kubernetes
// completion indexes are: "--shard 3/8" is the fourth of eight.
package shard
