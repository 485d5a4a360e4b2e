package config

import (
	"fmt"
	"net/url"
)

// TikTokApp is the operator's TikTok app (developers.tiktok.com, Login Kit
// and the Content Posting API): RELAIS_TIKTOK_CLIENT_KEY and
// RELAIS_TIKTOK_CLIENT_SECRET. PullFromURL sends videos by URL from a
// domain the operator verified with TikTok (RELAIS_TIKTOK_PULL_FROM_URL);
// APIURL points the API and the sign-in page at another server (a fake or a
// proxy; RELAIS_TIKTOK_API_URL).
type TikTokApp struct {
	ClientKey, ClientSecret string
	PullFromURL             bool
	APIURL                  string
}

// PinterestApp is the operator's Pinterest app (developers.pinterest.com):
// RELAIS_PINTEREST_APP_ID and RELAIS_PINTEREST_APP_SECRET. Sandbox sends
// every call to Pinterest's sandbox (trial apps may only write there;
// RELAIS_PINTEREST_SANDBOX); APIURL points the API and the sign-in page at
// another server (RELAIS_PINTEREST_API_URL).
type PinterestApp struct {
	AppID, AppSecret string
	Sandbox          bool
	APIURL           string
}

// validateTikTokPinterest checks the TikTok and Pinterest apps.
func (c Config) validateTikTokPinterest() error {
	if (c.TikTok.ClientKey == "") != (c.TikTok.ClientSecret == "") {
		return fmt.Errorf("config: --tiktok-client-key and --tiktok-client-secret go together")
	}
	if (c.Pinterest.AppID == "") != (c.Pinterest.AppSecret == "") {
		return fmt.Errorf("config: --pinterest-app-id and --pinterest-app-secret go together")
	}
	for flag, v := range map[string]string{"--tiktok-api-url": c.TikTok.APIURL, "--pinterest-api-url": c.Pinterest.APIURL} {
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: %s must be an absolute http(s) URL; got %q", flag, v)
		}
	}
	return nil
}
