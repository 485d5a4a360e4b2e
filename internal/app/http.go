package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/bluesky"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/web"
)

// Handler builds the root HTTP handler: health and metrics, the API, the
// public feeds, and the web UI.
func (a *App) Handler() (http.Handler, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "relais_http_requests_total", Help: "HTTP requests by route group and status class."}, []string{"group", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "relais_http_request_duration_seconds", Help: "HTTP request latency by route group.", Buckets: prometheus.DefBuckets}, []string{"group"})
	reg.MustRegister(requests, latency, newPublicationCollector(a))

	webH, err := web.New(web.Deps{Store: a.Store, Moderation: a.Moderation, CrisisSource: a.Crisis.Source, CrisisConfig: a.Crisis.Config,
		Auth: a.Auth, Channels: a.Channels, Compose: a.Compose, Media: a.Media, Inbox: a.Inbox, Mail: a.Mail, Log: a.Log, BaseURL: a.Config.PublicURL(), Version: Version,
		Links: a.Links, Campaigns: a.Campaigns, Analytics: a.Analytics, Collector: a.Collector, Operator: a.Operator, Contests: a.Contests, Listen: a.Listen})
	if err != nil {
		return nil, err
	}
	apiH := api.New(api.Deps{Mail: a.Mail, Store: a.Store, Moderation: a.Moderation, CrisisSource: a.Crisis.Source, CrisisConfig: a.Crisis.Config,
		Auth: a.Auth, Channels: a.Channels, Media: a.Media, Compose: a.Compose, Inbox: a.Inbox, Log: a.Log, BaseURL: a.Config.PublicURL(), Version: Version,
		Links: a.Links, Campaigns: a.Campaigns, Analytics: a.Analytics, Collector: a.Collector, Contests: a.Contests, Listen: a.Listen, Competitors: a.Competitors})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		if err := a.Store.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"unavailable","reason":"database"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ready"}`))
	})
	mux.Handle("GET /metrics", metricsGuard(a.Config.MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	mux.HandleFunc("GET "+bluesky.ClientMetadataPath, a.blueskyClientMetadata)
	mux.HandleFunc("GET /media/{id}/{rendition}", a.signedMedia)
	mux.HandleFunc("GET /ical/{file}", a.icalFeed)
	mux.HandleFunc("GET /l/{code}", a.shortLink)
	fh := feedHandler{a}
	mux.HandleFunc("GET /feeds/{key}/items/{id}", fh.item)
	mux.HandleFunc("GET /feeds/{key}/media/{id}", fh.media)
	mux.HandleFunc("GET /feeds/{key}/{file}", fh.document)
	// The receiver answers once a verify token is set, in the environment or
	// on the settings page (read per request, so a change needs no restart).
	mux.HandleFunc("/webhooks/meta", func(w http.ResponseWriter, r *http.Request) {
		m := a.apps().Meta
		if m.WebhookVerifyToken == "" {
			http.NotFound(w, r)
			return
		}
		meta.WebhookHandler{VerifyToken: m.WebhookVerifyToken,
			Secrets: []string{m.AppSecret, m.InstagramSecret, m.ThreadsSecret}, OnChange: a.metaChange}.ServeHTTP(w, r)
	})
	mux.Handle("/api/", apiH)
	mux.Handle("/", webH)

	proxies, err := a.Config.ProxyPrefixes()
	if err != nil {
		return nil, err
	}
	return instrument(transportSecurity(a.Config.IsHTTPS(), realClient(proxies, mux)), requests, latency, a), nil
}

// realClient replaces RemoteAddr by the client's address when the request
// comes through a trusted reverse proxy, so sign-in budgets count clients,
// not the proxy (which would let anyone slow every sign-in down). The client
// is the right-most X-Forwarded-For address that is not itself a trusted
// proxy: entries left of it may be forged by the client.
func realClient(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(s string) bool {
		ip, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		for _, p := range trusted {
			if p.Contains(ip.Unmap()) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil || !isTrusted(host) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := strings.TrimSpace(hops[i])
			if isTrusted(hop) {
				continue
			}
			if ip, err := netip.ParseAddr(hop); err == nil {
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = netip.AddrPortFrom(ip.Unmap(), 0).String()
				r = r2
			}
			break
		}
		next.ServeHTTP(w, r)
	})
}

// hstsValue asks browsers to use https only for two years. It leaves
// subdomains alone: they may be other people's services.
const hstsValue = "max-age=63072000"

// transportSecurity sends Strict-Transport-Security on every response when
// the public URL is https, so a browser never falls back to plain http.
func transportSecurity(https bool, next http.Handler) http.Handler {
	if !https {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		next.ServeHTTP(w, r)
	})
}

// metricsGuard requires "Authorization: Bearer <token>" when token is set.
func metricsGuard(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="relais metrics"`)
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "metrics need the token set with --metrics-token (Authorization: Bearer …)", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func instrument(next http.Handler, requests *prometheus.CounterVec, latency *prometheus.HistogramVec, a *App) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		group := routeGroup(r.URL.Path)
		requests.WithLabelValues(group, strconv.Itoa(rec.status/100)+"xx").Inc()
		latency.WithLabelValues(group).Observe(time.Since(start).Seconds())
		path := auth.RedactURL(r.URL.Path)
		switch {
		case rec.status == http.StatusServiceUnavailable:
			// Refused on purpose (every password-hashing slot busy): not a fault.
			a.Log.Warn("request refused: busy", "method", r.Method, "path", path, "status", rec.status, "duration", time.Since(start))
		case rec.status >= 500:
			a.Log.Error("request failed", "method", r.Method, "path", path, "status", rec.status, "duration", time.Since(start))
		default:
			a.Log.Debug("request", "method", r.Method, "path", path, "status", rec.status, "duration", time.Since(start))
		}
	})
}

// routeGroup keeps metric label cardinality bounded.
func routeGroup(path string) string {
	for _, p := range []string{"/api/", "/static/", "/feeds/", "/l/", "/healthz", "/readyz", "/metrics"} {
		if len(path) >= len(p) && path[:len(p)] == p {
			return p
		}
	}
	return "/web"
}

// blueskyClientMetadata serves the atproto OAuth client metadata document;
// its URL is the client_id Bluesky authorization servers fetch.
func (a *App) blueskyClientMetadata(w http.ResponseWriter, r *http.Request) {
	p, err := network.ProviderFor(network.Bluesky)
	bp, ok := p.(*bluesky.Provider)
	if err != nil || !ok || !bp.OAuthAvailable(a.Channels.Env) {
		http.NotFound(w, r)
		return
	}
	body, err := bp.ClientMetadata(a.Config.PublicURL(), []string{a.Config.PublicURL() + "/oauth/callback/bluesky"})
	if err != nil {
		http.Error(w, "unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=600")
	_, _ = w.Write(body)
}

// signedMedia serves media renditions to networks that fetch them by URL,
// behind expiring signed URLs (see media.Library.SignedURL).
func (a *App) signedMedia(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, mime, mod, err := a.Media.OpenSigned(r.Context(), r.PathValue("id"), r.PathValue("rendition"), q.Get("exp"), q.Get("sig"))
	switch {
	case errors.Is(err, media.ErrBadSignature):
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	case errors.Is(err, media.ErrExpired):
		http.Error(w, "link expired", http.StatusGone)
		return
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		a.Log.Error("media: open signed", "err", err)
		http.Error(w, "unavailable", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", mime)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", mod, f)
}

// icalFeed serves a workspace's calendar at its secret URL /ical/{secret}.ics.
func (a *App) icalFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" {
		http.NotFound(w, r)
		return
	}
	body, err := a.Compose.ICal(r.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		a.Log.Error("ical: render", "err", err)
		http.Error(w, "unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(body)
}
