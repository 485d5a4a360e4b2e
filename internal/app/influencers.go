package app

import (
	"context"

	"github.com/relais/relais/internal/jobs"
)

// influencerCollectBatch bounds the accounts one run of the collect job
// reads; accounts are due once a day, and the job runs every 10 minutes.
const influencerCollectBatch = 50

// influencerPeriodic is the daily metric history of the influencer
// directory: every account not collected for 20 hours is read through a
// connected channel of its network.
func (a *App) influencerPeriodic() []jobs.Periodic {
	return []jobs.Periodic{{
		Name:  "collect_influencers",
		Every: periodicEvery,
		Run: func(ctx context.Context) error {
			done, failed, err := a.Influencers.CollectDue(ctx, influencerCollectBatch)
			if err == nil && done+failed > 0 {
				a.Log.Info("collected influencer accounts", "collected", done, "failed", failed)
			}
			return err
		},
	}}
}
