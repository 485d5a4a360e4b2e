// Package meta connects relais to Meta's networks: Facebook Pages and
// Instagram professional accounts through the Graph API (v25.0), Instagram
// accounts through Instagram Login (graph.instagram.com), and Threads
// (graph.threads.net, v1.0). It owns the OAuth flows and token lifetimes,
// publishing (feed posts, photos, videos; the container → status →
// publish flow of Instagram and Threads, resumed after a crash instead of
// posting twice), comments, mentions, insights, Instagram business discovery
// and hashtag search, Graph error classification, usage-header rate limits
// and webhook signature checks. The fake in metatest serves all of it.
package meta

import (
	"strings"

	"github.com/relais/relais/internal/network"
)

// Versions relais targets (networks.md §1.1): change here when Meta retires one.
const (
	// GraphVersion is the Facebook and Instagram Graph API version.
	GraphVersion = "v25.0"
	// ThreadsVersion is the Threads API version.
	ThreadsVersion = "v1.0"
)

// Endpoints are the Meta hosts relais calls; tests point them all at the fake.
type Endpoints struct {
	// Graph is https://graph.facebook.com (Pages, Instagram through Facebook Login).
	Graph string
	// Dialog is https://www.facebook.com (the Facebook Login dialog).
	Dialog string
	// InstagramGraph is https://graph.instagram.com (Instagram Login).
	InstagramGraph string
	// InstagramAuth is https://www.instagram.com (the Instagram Login dialog).
	InstagramAuth string
	// InstagramAPI is https://api.instagram.com (Instagram Login code exchange).
	InstagramAPI string
	// Threads is https://graph.threads.net.
	Threads string
	// ThreadsAuth is https://threads.net (the Threads authorization window).
	ThreadsAuth string
}

// DefaultEndpoints are Meta's public hosts.
var DefaultEndpoints = Endpoints{
	Graph: "https://graph.facebook.com", Dialog: "https://www.facebook.com",
	InstagramGraph: "https://graph.instagram.com", InstagramAuth: "https://www.instagram.com", InstagramAPI: "https://api.instagram.com",
	Threads: "https://graph.threads.net", ThreadsAuth: "https://threads.net",
}

// SameHost points every endpoint at one base URL (a fake, or a proxy).
func SameHost(base string) Endpoints {
	base = strings.TrimRight(base, "/")
	return Endpoints{Graph: base, Dialog: base, InstagramGraph: base, InstagramAuth: base, InstagramAPI: base, Threads: base, ThreadsAuth: base}
}

// App is the operator's Meta app: one app with Facebook Login for Business,
// the Instagram API with Instagram Login and the Threads use case, each of
// which shows its own id and secret in the app dashboard.
type App struct {
	// ID and Secret are the app's Facebook Login credentials (RELAIS_META_APP_ID/SECRET).
	ID, Secret string
	// InstagramID and InstagramSecret are the Instagram Login product's (RELAIS_INSTAGRAM_APP_ID/SECRET).
	InstagramID, InstagramSecret string
	// ThreadsID and ThreadsSecret are the Threads use case's (RELAIS_THREADS_APP_ID/SECRET).
	ThreadsID, ThreadsSecret string
	// Endpoints are the hosts (zero: Meta's).
	Endpoints Endpoints
}

// endpoints returns the app's endpoints with Meta's hosts filling the gaps.
func (a App) endpoints() Endpoints {
	e, d := a.Endpoints, DefaultEndpoints
	pick := func(v, def string) string {
		if v == "" {
			return def
		}
		return strings.TrimRight(v, "/")
	}
	return Endpoints{
		Graph: pick(e.Graph, d.Graph), Dialog: pick(e.Dialog, d.Dialog),
		InstagramGraph: pick(e.InstagramGraph, d.InstagramGraph), InstagramAuth: pick(e.InstagramAuth, d.InstagramAuth),
		InstagramAPI: pick(e.InstagramAPI, d.InstagramAPI), Threads: pick(e.Threads, d.Threads), ThreadsAuth: pick(e.ThreadsAuth, d.ThreadsAuth),
	}
}

var configured network.AppSlot[App]

// Configure sets the operator's Meta app for the registered providers (at start-up).
func Configure(a App) {
	configured.Set(a)
}

// Configured returns the app set by Configure.
func Configured() App {
	return configured.Get()
}

func init() {
	network.Register(FacebookProvider{})
	network.Register(InstagramProvider{})
	network.Register(ThreadsProvider{})
	network.RegisterPostOptions(network.Facebook, []network.Field{
		{Name: "fb_type", Label: "Publish as", Type: network.FieldChoice, Options: []string{"post", "reel", "story"}},
	})
	network.RegisterPostOptions(network.Instagram, []network.Field{
		{Name: "ig_type", Label: "Publish as", Type: network.FieldChoice, Options: []string{"feed", "story"}},
		{Name: "collaborators", Label: "Collaborators", Help: "Up to 3 usernames, separated by commas"},
	})
	network.RegisterPostOptions(network.Threads, []network.Field{
		{Name: "reply_control", Label: "Who can reply", Type: network.FieldChoice, Options: ReplyControls},
		{Name: "topic_tag", Label: "Topic", Help: "One topic tag, without #"},
	})
}
