package main

import "github.com/relais/relais/internal/config"

// LinkedInGoogleFlags are the operator's LinkedIn app and Google OAuth
// client (docs/channels.md): without them, LinkedIn and Google Business
// Profile connect by pasted token only and tokens are not renewed.
type LinkedInGoogleFlags struct {
	LinkedInClientID     string `name:"linkedin-client-id" env:"RELAIS_LINKEDIN_CLIENT_ID" help:"Client id of the operator's LinkedIn app (sign in with LinkedIn)."`
	LinkedInClientSecret string `name:"linkedin-client-secret" env:"RELAIS_LINKEDIN_CLIENT_SECRET" help:"Client secret of the operator's LinkedIn app."`
	LinkedInVersion      string `name:"linkedin-version" env:"RELAIS_LINKEDIN_VERSION" help:"LinkedIn-Version header (YYYYMM) of the LinkedIn REST API; empty: the shipped default. Renew it before LinkedIn sunsets it (about a year)."`
	LinkedInAPIURL       string `name:"linkedin-api-url" env:"RELAIS_LINKEDIN_API_URL" help:"Send every LinkedIn API call and sign-in to this server instead (a test fake or a proxy)."`
	GoogleClientID       string `name:"google-client-id" env:"RELAIS_GOOGLE_CLIENT_ID" help:"OAuth client id of the operator's Google Cloud project (Google Business Profile)."`
	GoogleClientSecret   string `name:"google-client-secret" env:"RELAIS_GOOGLE_CLIENT_SECRET" help:"OAuth client secret of the operator's Google Cloud project."`
	GoogleAPIURL         string `name:"google-api-url" env:"RELAIS_GOOGLE_API_URL" help:"Send every Google API call and sign-in to this server instead (a test fake or a proxy)."`
}

func (f LinkedInGoogleFlags) linkedIn() config.LinkedInApp {
	return config.LinkedInApp{ClientID: f.LinkedInClientID, ClientSecret: f.LinkedInClientSecret, Version: f.LinkedInVersion, APIURL: f.LinkedInAPIURL}
}

func (f LinkedInGoogleFlags) google() config.GoogleApp {
	return config.GoogleApp{ClientID: f.GoogleClientID, ClientSecret: f.GoogleClientSecret, APIURL: f.GoogleAPIURL}
}
