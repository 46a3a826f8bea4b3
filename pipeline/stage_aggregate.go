package pipeline

import (
	"context"
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// aggregateStage feeds the Aggregator (not safe for concurrent use: one
// goroutine) and the summary's peer tally, then, once run returned nil,
// result computes the aggregate tables. A panic of the Aggregator is an
// error (a bug, not bad input: every sample it gets is valid).
type aggregateStage struct {
	agg   *aggregate.Aggregator
	tally peerTally
	peers peerFiles
	added int64
	pr    *progress
}

func (st *aggregateStage) run(ctx context.Context, in <-chan gradedBatch) error {
	for {
		var b gradedBatch
		var ok bool
		select {
		case b, ok = <-in:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return nil
		}
		err := catch(func() error {
			st.agg.Add(b.samples)
			// The checkpoints sealed follow every sample of theirs: a sample
			// of this batch after the file start that sealed them belongs to
			// a later checkpoint.
			for _, id := range b.sealed {
				st.agg.Seal(id)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("aggregating: %w", err)
		}
		st.tally.add(b.samples)
		st.peers.add(b.samples)
		st.added += int64(len(b.samples))
		st.pr.add(StageAggregate, int64(len(b.samples)))
	}
}

// result computes the aggregate tables from everything added.
func (st *aggregateStage) result() (*aggregate.Tables, error) {
	var tables *aggregate.Tables
	err := catch(func() (err error) {
		tables, err = st.agg.Result()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("aggregating: %w", err)
	}
	st.pr.end(StageAggregate, "samples", st.added, "problems", len(tables.Problems), "metrics", len(tables.Metrics))
	return tables, nil
}
