package leaderboard

import "github.com/rlvr-eval/rlvr-eval/schemas"

// The rows below mirror schemas.Metric and schemas.Comparison without the
// embedded schemas.Identity. parquet-go v0.32.0 reads a null optional pointer
// inside an embedded struct (Identity.Seed) as a pointer to zero, so a null
// seed would come back as seed 0; flat structs read nulls correctly.

type metricRow struct {
	Family     string   `parquet:"family"`
	Model      string   `parquet:"model"`
	Reward     string   `parquet:"reward"`
	Step       int64    `parquet:"step"`
	Seed       *int64   `parquet:"seed,optional"`
	Checkpoint string   `parquet:"checkpoint"`
	Evalset    string   `parquet:"evalset"`
	Profile    string   `parquet:"profile"`
	Subset     string   `parquet:"subset"`
	Metric     string   `parquet:"metric"`
	K          *int64   `parquet:"k,optional"`
	N          int64    `parquet:"n"`
	Value      *float64 `parquet:"value,optional"`
	Stderr     *float64 `parquet:"stderr,optional"`
	CILow      *float64 `parquet:"ci_low,optional"`
	CIHigh     *float64 `parquet:"ci_high,optional"`
	CIMethod   string   `parquet:"ci_method"`
	NProblems  int64    `parquet:"n_problems"`
}

func (r *metricRow) metric() schemas.Metric {
	return schemas.Metric{
		Identity: schemas.Identity{Family: r.Family, Model: r.Model, Reward: r.Reward, Step: r.Step, Seed: r.Seed, Checkpoint: r.Checkpoint, Evalset: r.Evalset},
		Profile:  r.Profile, Subset: r.Subset, Metric: r.Metric, K: r.K, N: r.N,
		Value: finite(r.Value), Stderr: finite(r.Stderr), CILow: finite(r.CILow), CIHigh: finite(r.CIHigh),
		CIMethod: r.CIMethod, NProblems: r.NProblems,
	}
}

type comparisonRow struct {
	Family             string   `parquet:"family"`
	Model              string   `parquet:"model"`
	Reward             string   `parquet:"reward"`
	Step               int64    `parquet:"step"`
	Seed               *int64   `parquet:"seed,optional"`
	Checkpoint         string   `parquet:"checkpoint"`
	Evalset            string   `parquet:"evalset"`
	Subset             string   `parquet:"subset"`
	Metric             string   `parquet:"metric"`
	K                  *int64   `parquet:"k,optional"`
	BaselineCheckpoint string   `parquet:"baseline_checkpoint"`
	BaselineValue      *float64 `parquet:"baseline_value,optional"`
	Value              *float64 `parquet:"value,optional"`
	Delta              *float64 `parquet:"delta,optional"`
	DeltaCILow         *float64 `parquet:"delta_ci_low,optional"`
	DeltaCIHigh        *float64 `parquet:"delta_ci_high,optional"`
	PValue             *float64 `parquet:"p_value,optional"`
	NProblems          int64    `parquet:"n_problems"`
	Wins               int64    `parquet:"wins"`
	Losses             int64    `parquet:"losses"`
	Ties               int64    `parquet:"ties"`
}

func (r *comparisonRow) comparison() schemas.Comparison {
	return schemas.Comparison{
		Identity: schemas.Identity{Family: r.Family, Model: r.Model, Reward: r.Reward, Step: r.Step, Seed: r.Seed, Checkpoint: r.Checkpoint, Evalset: r.Evalset},
		Subset:   r.Subset, Metric: r.Metric, K: r.K, BaselineCheckpoint: r.BaselineCheckpoint,
		BaselineValue: finite(r.BaselineValue), Value: finite(r.Value), Delta: finite(r.Delta),
		DeltaCILow: finite(r.DeltaCILow), DeltaCIHigh: finite(r.DeltaCIHigh), PValue: finite(r.PValue),
		NProblems: r.NProblems, Wins: r.Wins, Losses: r.Losses, Ties: r.Ties,
	}
}
