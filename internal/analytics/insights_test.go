package analytics_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/gbp"
	"github.com/relais/relais/internal/network/gbp/gbptest"
	"github.com/relais/relais/internal/store/storetest"
)

type oneConnector struct{ c network.Connector }

func (o oneConnector) Connector(context.Context, int64, int64) (network.Connector, network.Limits, error) {
	return o.c, network.Limits{}, nil
}

// TestCollectInsights: the daily collection reads a Google Business Profile
// location's performance of the last days (on the fake), saves it per day
// and metric, reads it once a day, and again when asked now.
func TestCollectInsights(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, d)
			u := storetest.NewUser(t, st, "insights@analytics.example")
			ws := storetest.NewWorkspace(t, st, "insights", u.ID)
			ch := storetest.NewChannel(t, st, ws.ID, "google_business", "locations/4242")
			fake := gbptest.New(t, gbptest.Options{})
			fake.SetMetric("4242", "CALL_CLICKS", 2)
			fake.SetMetric("4242", "BUSINESS_DIRECTION_REQUESTS", 5)
			id, secret := fake.App()
			access, _ := fake.Tokens()
			conn, err := gbp.Provider{App: &gbp.App{ClientID: id, ClientSecret: secret, APIURL: fake.URL}}.Open(
				network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}},
				network.Stored{Settings: map[string]string{"account": gbptest.AccountName, "location": "locations/4242"}, Secrets: map[string]string{"access_token": access}})
			require.NoError(t, err)
			now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
			c := &analytics.Collector{Store: st, Connectors: oneConnector{conn}, Now: func() time.Time { return now }}

			res, err := c.Collect(ctx, ws.ID, false)
			require.NoError(t, err)
			require.Empty(t, res.Errors)
			require.Equal(t, 2*analytics.InsightDays, res.Insights)
			got, err := st.ChannelInsights(ctx, ws.ID, ch.ID, now.AddDate(0, 0, -30), now)
			require.NoError(t, err)
			require.Len(t, got, 2*analytics.InsightDays)
			require.True(t, got[len(got)-1].Day.Equal(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)), "up to yesterday: %s", got[len(got)-1].Day)
			require.Equal(t, int64(5), got[0].Value)

			route := "GET /v1/locations/:id:fetchMultiDailyMetricsTimeSeries"
			_, err = c.Collect(ctx, ws.ID, false)
			require.NoError(t, err)
			require.Equal(t, 1, fake.Count(route), "once a day")
			fake.SetMetric("4242", "CALL_CLICKS", 3)
			_, err = c.Collect(ctx, ws.ID, true)
			require.NoError(t, err)
			require.Equal(t, 2, fake.Count(route), "again when asked now")
			got, err = st.ChannelInsights(ctx, ws.ID, ch.ID, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), now)
			require.NoError(t, err)
			require.Len(t, got, 2)
			require.Equal(t, int64(3), got[1].Value, "the later reading replaces the day")
		})
	}
}
