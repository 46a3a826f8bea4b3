package schemas

import (
	"fmt"
	"slices"
	"strings"
)

// Version is the version of the table schemas. It is written to run.json and to
// the key-value metadata of every Parquet and Arrow file (key "rlvr_eval.schema_version").
const Version = "1"

// Identity names one checkpoint of one model. Its fields are the identity columns
// that lead every per-checkpoint table, in this order.
type Identity struct {
	Family     string `parquet:"family,dict" json:"family"`
	Model      string `parquet:"model,dict" json:"model"`
	Reward     string `parquet:"reward,dict" json:"reward"`
	Step       int64  `parquet:"step" json:"step"`
	Seed       *int64 `parquet:"seed,optional" json:"seed"`
	Checkpoint string `parquet:"checkpoint,dict" json:"checkpoint"`
	Evalset    string `parquet:"evalset,dict" json:"evalset"`
}

// CheckpointID builds the stable checkpoint id from the other identity fields:
// "model/reward/step<step>" with "/seed<seed>" appended when a seed is set.
// Family and evalset are not part of it: a model belongs to one family, and
// the evalset is a separate column.
func CheckpointID(model, reward string, step int64, seed *int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s/step%d", model, reward, step)
	if seed != nil {
		fmt.Fprintf(&b, "/seed%d", *seed)
	}
	return b.String()
}

// WithCheckpoint returns id with its Checkpoint field filled from the others.
func (id Identity) WithCheckpoint() Identity {
	id.Checkpoint = CheckpointID(id.Model, id.Reward, id.Step, id.Seed)
	return id
}

// RewardNone is the reward condition of an untrained model.
const RewardNone = "none"

// knownRewards lists the reward conditions of the Spurious Rewards study, in
// the order tables and reports show them. Any other string is accepted and
// kept as written.
var knownRewards = []string{RewardNone, "ground_truth", "majority_vote", "one_shot", "format", "random", "incorrect", "python"}

// RewardRank orders reward conditions: the known ones in the order above,
// then every other one (callers break that tie by name).
func RewardRank(reward string) int {
	if i := slices.Index(knownRewards, reward); i >= 0 {
		return i
	}
	return len(knownRewards)
}

// IsBaseline reports whether a checkpoint is a default baseline: the untrained
// model, reward RewardNone at step 0. This is the one statement of the rule;
// the aggregator pairs every other checkpoint with such a one, and readers of
// the tables use it to tell baselines apart.
func IsBaseline(reward string, step int64) bool { return reward == RewardNone && step == 0 }
