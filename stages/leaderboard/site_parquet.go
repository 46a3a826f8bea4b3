package leaderboard

import (
	"bytes"
	"fmt"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/rlvr-eval/rlvr-eval/internal/safeparquet"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// LeaderboardVersion is the version of the site's table layout
// (leaderboard.parquet columns, leaderboard.json fields). A change that renames
// or drops a column bumps it.
const LeaderboardVersion = "1"

// TableRow is one row of leaderboard.parquet: one checkpoint of the latest run,
// on the headline profile and subset "all". It is wide: the headline numbers
// are scalar columns (the pass@k and maj@k columns hold the largest k), and
// the full pass@k and maj@k curves are LIST<STRUCT<k, value, ci_low, ci_high>>
// columns (DuckDB: unnest(pass_curve)). Values are fractions in [0, 1]; CIs are
// 95%; nulls mean "not available". The identity columns are spelled out
// rather than embedding schemas.Identity on purpose: this table is read by
// people's own parquet-go code (parquet.ReadFile[leaderboard.TableRow], as the
// nightly test does), and parquet-go v0.32.0 reads a null optional field of an
// embedded struct back as zero, so an embedded Identity would turn a null seed
// into seed 0 there. write.ReadParquet, which avoids that bug, cannot read the
// pass_curve and maj_curve lists. TestTableRowIdentityColumns keeps these
// fields equal to schemas.Identity's columns.
type TableRow struct {
	Run                string       `parquet:"run,dict" json:"run"` // latest run folder name
	Family             string       `parquet:"family,dict" json:"family"`
	Model              string       `parquet:"model,dict" json:"model"`
	Reward             string       `parquet:"reward,dict" json:"reward"`
	Step               int64        `parquet:"step" json:"step"`
	Seed               *int64       `parquet:"seed,optional" json:"seed"`
	Checkpoint         string       `parquet:"checkpoint,dict" json:"checkpoint"`
	Evalset            string       `parquet:"evalset,dict" json:"evalset"`
	Profile            string       `parquet:"profile,dict" json:"profile"`
	Subset             string       `parquet:"subset,dict" json:"subset"`
	N                  int64        `parquet:"n" json:"n"`
	NProblems          int64        `parquet:"n_problems" json:"n_problems"`
	Accuracy           *float64     `parquet:"accuracy,optional" json:"accuracy"`
	CILow              *float64     `parquet:"ci_low,optional" json:"ci_low"`
	CIHigh             *float64     `parquet:"ci_high,optional" json:"ci_high"`
	PassK              *int64       `parquet:"pass_k,optional" json:"pass_k"`
	PassAtK            *float64     `parquet:"pass_at_k,optional" json:"pass_at_k"`
	PassAtKCILow       *float64     `parquet:"pass_at_k_ci_low,optional" json:"pass_at_k_ci_low"`
	PassAtKCIHigh      *float64     `parquet:"pass_at_k_ci_high,optional" json:"pass_at_k_ci_high"`
	MajK               *int64       `parquet:"maj_k,optional" json:"maj_k"`
	MajAtK             *float64     `parquet:"maj_at_k,optional" json:"maj_at_k"`
	MajAtKCILow        *float64     `parquet:"maj_at_k_ci_low,optional" json:"maj_at_k_ci_low"`
	MajAtKCIHigh       *float64     `parquet:"maj_at_k_ci_high,optional" json:"maj_at_k_ci_high"`
	BaselineCheckpoint *string      `parquet:"baseline_checkpoint,optional,dict" json:"baseline_checkpoint"`
	Delta              *float64     `parquet:"delta,optional" json:"delta"`
	DeltaCILow         *float64     `parquet:"delta_ci_low,optional" json:"delta_ci_low"`
	DeltaCIHigh        *float64     `parquet:"delta_ci_high,optional" json:"delta_ci_high"`
	PValue             *float64     `parquet:"p_value,optional" json:"p_value"`
	QValue             *float64     `parquet:"q_value,optional" json:"q_value"`
	DeltaMethod        string       `parquet:"delta_method,dict" json:"delta_method"`
	Significant        bool         `parquet:"significant" json:"significant"` // q_value < 0.05
	CrossoverK         *int64       `parquet:"crossover_k,optional" json:"crossover_k"`
	Crossover          string       `parquet:"crossover,dict" json:"crossover"`
	BoundaryN          *int64       `parquet:"boundary_n,optional" json:"boundary_n"`
	CoverageDelta      *float64     `parquet:"coverage_delta,optional" json:"coverage_delta"`
	Gained             *int64       `parquet:"gained,optional" json:"gained"`
	Lost               *int64       `parquet:"lost,optional" json:"lost"`
	CodeReasoningRate  *float64     `parquet:"code_reasoning_rate,optional" json:"code_reasoning_rate"`
	NoAnswerRate       *float64     `parquet:"no_answer_rate,optional" json:"no_answer_rate"`
	IsNew              bool         `parquet:"is_new" json:"is_new"`
	PassCurve          []CurvePoint `parquet:"pass_curve,list" json:"pass_curve"`
	MajCurve           []CurvePoint `parquet:"maj_curve,list" json:"maj_curve"`
}

// CurvePoint is one k of a pass@k or maj@k curve in leaderboard.parquet.
type CurvePoint struct {
	K      int64    `parquet:"k" json:"k"`
	Value  *float64 `parquet:"value,optional" json:"value"`
	CILow  *float64 `parquet:"ci_low,optional" json:"ci_low"`
	CIHigh *float64 `parquet:"ci_high,optional" json:"ci_high"`
}

// TableRows flattens the leaderboard into leaderboard.parquet rows, in the
// table's order.
func (lb *Leaderboard) TableRows() []TableRow {
	out := make([]TableRow, 0, len(lb.Rows))
	for _, r := range lb.Rows {
		t := TableRow{
			Run: lb.Latest, Family: r.Family, Model: r.Model, Reward: r.Reward, Step: r.Step, Seed: r.Seed,
			Checkpoint: r.Checkpoint, Evalset: r.Evalset, Profile: lb.Profile, Subset: lb.Subset,
			N: r.N, NProblems: r.NProblems,
			Accuracy: r.Accuracy.Value, CILow: r.Accuracy.CILow, CIHigh: r.Accuracy.CIHigh,
			CodeReasoningRate: r.CodeReasoningRate, NoAnswerRate: r.NoAnswerRate, IsNew: r.New,
			PassCurve: curve(r.PassAtK), MajCurve: curve(r.MajAtK),
		}
		if n := len(r.PassAtK); n > 0 {
			e := r.PassAtK[n-1]
			t.PassK, t.PassAtK, t.PassAtKCILow, t.PassAtKCIHigh = &e.K, e.Value, e.CILow, e.CIHigh
		}
		if n := len(r.MajAtK); n > 0 {
			e := r.MajAtK[n-1]
			t.MajK, t.MajAtK, t.MajAtKCILow, t.MajAtKCIHigh = &e.K, e.Value, e.CILow, e.CIHigh
		}
		if d := r.Delta; d != nil {
			b := d.BaselineCheckpoint
			t.BaselineCheckpoint, t.Delta, t.DeltaCILow, t.DeltaCIHigh, t.PValue = &b, d.Delta, d.CILow, d.CIHigh, d.PValue
			t.Significant, t.QValue, t.DeltaMethod = d.Significant, d.QValue, d.Method
		}
		if b := r.Boundary; b != nil {
			n, cd, g, l := b.N, b.CoverageDelta, b.Gained, b.Lost
			t.CrossoverK, t.Crossover, t.BoundaryN, t.CoverageDelta, t.Gained, t.Lost = b.CrossoverK, b.Crossover, &n, &cd, &g, &l
		}
		out = append(out, t)
	}
	return out
}

func curve(ks []KEstimate) []CurvePoint {
	out := make([]CurvePoint, len(ks))
	for i, e := range ks {
		out[i] = CurvePoint{K: e.K, Value: e.Value, CILow: e.CILow, CIHigh: e.CIHigh}
	}
	return out
}

// encodeParquet writes rows as a zstd-compressed Parquet file with the schema
// versions in its key-value metadata. The same rows give the same bytes.
func encodeParquet(rows []TableRow) ([]byte, error) {
	var buf bytes.Buffer
	err := safeparquet.Do(func() error {
		w := parquet.NewGenericWriter[TableRow](&buf,
			parquet.Compression(&zstd.Codec{}),
			parquet.KeyValueMetadata("rlvr_eval.schema_version", schemas.Version),
			parquet.KeyValueMetadata("rlvr_eval.leaderboard_version", LeaderboardVersion),
		)
		if _, err := w.Write(rows); err != nil {
			return err
		}
		return w.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("writing leaderboard.parquet: %w", err)
	}
	return buf.Bytes(), nil
}
