package app

// The connectors register their providers with the network package in init.
import (
	_ "github.com/relais/relais/internal/network/bluesky"
	_ "github.com/relais/relais/internal/network/feed"
	_ "github.com/relais/relais/internal/network/mastodon"
	_ "github.com/relais/relais/internal/network/telegram"
	_ "github.com/relais/relais/internal/network/webhook"
)
