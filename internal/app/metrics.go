package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// publicationCollector reports the publishing queue on every scrape, so an
// operator can alert on posts stuck past their due time or piling up in
// failed and needs_review: nothing goes silently stuck.
type publicationCollector struct {
	a     *App
	count *prometheus.Desc
	late  *prometheus.Desc
}

// stuckAfter is how late a queued publication must be to count as late.
const stuckAfter = 5 * time.Minute

func newPublicationCollector(a *App) *publicationCollector {
	return &publicationCollector{a: a,
		count: prometheus.NewDesc("relais_publications", "Publications by state, across all workspaces.", []string{"state"}, nil),
		late:  prometheus.NewDesc("relais_publications_late", "Publications still queued more than 5 minutes past their due time.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *publicationCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.count
	ch <- c.late
}

// Collect implements prometheus.Collector.
func (c *publicationCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.a.Store.PublicationCounts(ctx, time.Now(), stuckAfter)
	if err != nil {
		c.a.Log.Warn("metrics: count publications", "err", err)
		return
	}
	var late int64
	for _, pc := range counts {
		ch <- prometheus.MustNewConstMetric(c.count, prometheus.GaugeValue, float64(pc.Count), string(pc.State))
		late += pc.Late
	}
	ch <- prometheus.MustNewConstMetric(c.late, prometheus.GaugeValue, float64(late))
}
