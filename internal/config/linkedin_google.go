package config

import (
	"fmt"
	"net/url"
	"regexp"
)

// LinkedInApp is the operator's LinkedIn app (RELAIS_LINKEDIN_CLIENT_ID and
// RELAIS_LINKEDIN_CLIENT_SECRET), the LinkedIn-Version header it sends
// (RELAIS_LINKEDIN_VERSION, YYYYMM; empty: the shipped default) and, for a
// fake or a proxy, another API and sign-in host (RELAIS_LINKEDIN_API_URL).
type LinkedInApp struct {
	ClientID, ClientSecret string
	Version                string
	APIURL                 string
}

// GoogleApp is the operator's Google OAuth client for Google Business
// Profile (RELAIS_GOOGLE_CLIENT_ID, RELAIS_GOOGLE_CLIENT_SECRET); APIURL
// points every Google host at one server (a fake or a proxy; RELAIS_GOOGLE_API_URL).
type GoogleApp struct {
	ClientID, ClientSecret string
	APIURL                 string
}

var linkedInVersion = regexp.MustCompile(`^20[0-9]{2}(0[1-9]|1[0-2])(\.[0-9]{2})?$`)

func absoluteHTTP(flag, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: %s must be an absolute http(s) URL; got %q", flag, v)
	}
	return nil
}

// validateLinkedInGoogle checks the LinkedIn and Google settings.
func (c Config) validateLinkedInGoogle() error {
	if (c.LinkedIn.ClientID == "") != (c.LinkedIn.ClientSecret == "") {
		return fmt.Errorf("config: --linkedin-client-id and --linkedin-client-secret go together")
	}
	if v := c.LinkedIn.Version; v != "" && !linkedInVersion.MatchString(v) {
		return fmt.Errorf("config: --linkedin-version must be a LinkedIn API version YYYYMM (such as 202607); got %q", v)
	}
	if (c.Google.ClientID == "") != (c.Google.ClientSecret == "") {
		return fmt.Errorf("config: --google-client-id and --google-client-secret go together")
	}
	if err := absoluteHTTP("--linkedin-api-url", c.LinkedIn.APIURL); err != nil {
		return err
	}
	return absoluteHTTP("--google-api-url", c.Google.APIURL)
}
