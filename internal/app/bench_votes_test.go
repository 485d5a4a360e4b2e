package app

import (
	"context"
	"testing"
)

// TestBenchVotesSmall runs the voting bench with a few votes and checks its accounting.
func TestBenchVotesSmall(t *testing.T) {
	res, err := BenchVotes(context.Background(), VoteBenchOptions{DB: "sqlite", Votes: 2000, Duplicates: 0.1, Concurrency: 32})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if res.Acknowledged != 2000 || res.Refused != 200 || res.Stored != 2000 || res.Lost != 0 || res.Doubled != 0 || res.Errors != 0 {
		t.Fatalf("bench votes: %+v", res)
	}
}
