package config

// AppSetting is one setting of a network app that an instance administrator
// may also enter on the instance's settings page (relais apps, /admin/apps):
// the environment variable names it, and a value set there wins.
type AppSetting struct {
	// Env is the environment variable ("RELAIS_META_APP_ID"), also the
	// setting's key.
	Env string
	// Label is the English label; the UI translates it by Env.
	Label string
	// Secret values are never shown again and are stored encrypted.
	Secret bool
	field  func(c *Config) *string
}

// AppGroup is one network app: its settings, the OAuth callback paths to
// register in the network's developer console, and its webhook path.
type AppGroup struct {
	ID        string
	Name      string
	Settings  []AppSetting
	Callbacks []string
	Webhook   string
	// Docs is the section of docs/channels.md that explains the setup.
	Docs string
}

// AppGroups lists the network apps an administrator can configure.
func AppGroups() []AppGroup {
	return []AppGroup{
		{ID: "meta", Name: "Meta (Facebook, Instagram, Threads)", Docs: "docs/channels.md#the-operators-meta-app-step-by-step",
			Callbacks: []string{"/oauth/callback/facebook", "/oauth/callback/instagram", "/oauth/callback/threads"}, Webhook: "/webhooks/meta",
			Settings: []AppSetting{
				{Env: "RELAIS_META_APP_ID", Label: "App ID (Facebook Login)", field: func(c *Config) *string { return &c.Meta.AppID }},
				{Env: "RELAIS_META_APP_SECRET", Label: "App secret", Secret: true, field: func(c *Config) *string { return &c.Meta.AppSecret }},
				{Env: "RELAIS_INSTAGRAM_APP_ID", Label: "Instagram app ID (Instagram Login)", field: func(c *Config) *string { return &c.Meta.InstagramID }},
				{Env: "RELAIS_INSTAGRAM_APP_SECRET", Label: "Instagram app secret", Secret: true, field: func(c *Config) *string { return &c.Meta.InstagramSecret }},
				{Env: "RELAIS_THREADS_APP_ID", Label: "Threads app ID", field: func(c *Config) *string { return &c.Meta.ThreadsID }},
				{Env: "RELAIS_THREADS_APP_SECRET", Label: "Threads app secret", Secret: true, field: func(c *Config) *string { return &c.Meta.ThreadsSecret }},
				{Env: "RELAIS_META_WEBHOOK_VERIFY_TOKEN", Label: "Webhook verify token", Secret: true, field: func(c *Config) *string { return &c.Meta.WebhookVerifyToken }},
			}},
		{ID: "x", Name: "X", Docs: "docs/channels.md#x-api-v2", Callbacks: []string{"/oauth/callback/x"},
			Settings: []AppSetting{
				{Env: "RELAIS_X_CLIENT_ID", Label: "OAuth 2.0 client ID", field: func(c *Config) *string { return &c.X.ClientID }},
				{Env: "RELAIS_X_CLIENT_SECRET", Label: "OAuth 2.0 client secret (confidential clients)", Secret: true, field: func(c *Config) *string { return &c.X.ClientSecret }},
			}},
		clientApp("youtube", "YouTube", "RELAIS_YOUTUBE", "docs/channels.md#youtube-data-api-v3-analytics-api-v2",
			func(c *Config) *string { return &c.YouTube.ClientID }, func(c *Config) *string { return &c.YouTube.ClientSecret }),
		clientApp("vimeo", "Vimeo", "RELAIS_VIMEO", "docs/channels.md#vimeo-api-34",
			func(c *Config) *string { return &c.Vimeo.ClientID }, func(c *Config) *string { return &c.Vimeo.ClientSecret }),
		oauthApp("tumblr", "Tumblr", "RELAIS_TUMBLR", func(c *Config) *OAuthApp { return &c.Tumblr }),
		oauthApp("soundcloud", "SoundCloud", "RELAIS_SOUNDCLOUD", func(c *Config) *OAuthApp { return &c.SoundCloud }),
		oauthApp("snapchat", "Snapchat", "RELAIS_SNAPCHAT", func(c *Config) *OAuthApp { return &c.Snapchat }),
		clientApp("linkedin", "LinkedIn", "RELAIS_LINKEDIN", "docs/channels.md",
			func(c *Config) *string { return &c.LinkedIn.ClientID }, func(c *Config) *string { return &c.LinkedIn.ClientSecret }),
		clientApp("google_business", "Google Business Profile", "RELAIS_GOOGLE", "docs/channels.md",
			func(c *Config) *string { return &c.Google.ClientID }, func(c *Config) *string { return &c.Google.ClientSecret }),
		{ID: "tiktok", Name: "TikTok", Docs: "docs/channels.md#tiktok-content-posting-api", Callbacks: []string{"/oauth/callback/tiktok"},
			Settings: []AppSetting{
				{Env: "RELAIS_TIKTOK_CLIENT_KEY", Label: "Client key", field: func(c *Config) *string { return &c.TikTok.ClientKey }},
				{Env: "RELAIS_TIKTOK_CLIENT_SECRET", Label: "Client secret", Secret: true, field: func(c *Config) *string { return &c.TikTok.ClientSecret }},
			}},
		{ID: "pinterest", Name: "Pinterest", Docs: "docs/channels.md#pinterest-api-v5", Callbacks: []string{"/oauth/callback/pinterest"},
			Settings: []AppSetting{
				{Env: "RELAIS_PINTEREST_APP_ID", Label: "App ID", field: func(c *Config) *string { return &c.Pinterest.AppID }},
				{Env: "RELAIS_PINTEREST_APP_SECRET", Label: "App secret", Secret: true, field: func(c *Config) *string { return &c.Pinterest.AppSecret }},
			}},
	}
}

// oauthApp is clientApp for a network whose app is an OAuthApp.
func oauthApp(id, name, prefix string, app func(c *Config) *OAuthApp) AppGroup {
	return clientApp(id, name, prefix, "docs/channels.md",
		func(c *Config) *string { return &app(c).ClientID }, func(c *Config) *string { return &app(c).ClientSecret })
}

// clientApp is the group of an OAuth app with a client id and a secret
// (PREFIX_CLIENT_ID, PREFIX_CLIENT_SECRET) and one callback, /oauth/callback/ID.
func clientApp(id, name, prefix, docs string, clientID, secret func(c *Config) *string) AppGroup {
	return AppGroup{ID: id, Name: name, Docs: docs, Callbacks: []string{"/oauth/callback/" + id},
		Settings: []AppSetting{
			{Env: prefix + "_CLIENT_ID", Label: "OAuth client ID", field: clientID},
			{Env: prefix + "_CLIENT_SECRET", Label: "OAuth client secret", Secret: true, field: secret},
		}}
}

// AppSettingFor finds a setting by its environment variable.
func AppSettingFor(env string) (AppSetting, AppGroup, bool) {
	for _, g := range AppGroups() {
		for _, s := range g.Settings {
			if s.Env == env {
				return s, g, true
			}
		}
	}
	return AppSetting{}, AppGroup{}, false
}

// Get reads the setting's value in c.
func (s AppSetting) Get(c Config) string { return *s.field(&c) }

// Set writes the setting's value in c.
func (s AppSetting) Set(c *Config, v string) { *s.field(c) = v }
