package app

import (
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/network/gbp"
	"github.com/relais/relais/internal/network/linkedin"
)

// configureLinkedInGoogle hands the operator's LinkedIn app (and API
// version) and Google OAuth client to their providers.
func configureLinkedInGoogle(l config.LinkedInApp, g config.GoogleApp) {
	linkedin.Configure(linkedin.App{ClientID: l.ClientID, ClientSecret: l.ClientSecret, APIURL: l.APIURL, Version: l.Version})
	gbp.Configure(gbp.App{ClientID: g.ClientID, ClientSecret: g.ClientSecret, APIURL: g.APIURL})
}
