// Package operator keeps the instance-wide settings an instance administrator
// enters on the settings page or with "relais apps": the network apps'
// client ids, secrets and webhook tokens. Values are encrypted with the
// instance key; a value set in the environment (or by a flag) wins over a
// stored one, so an installation configured by environment behaves as before.
package operator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// MaxValueLength bounds one setting's value (characters).
const MaxValueLength = 1000

// ErrNotAdmin is returned when someone other than an instance administrator
// asks to change or read the settings.
var ErrNotAdmin = errors.New("operator: only instance administrators manage the network apps")

// Service reads and writes the operator settings and hands the effective
// configuration to the network providers.
type Service struct {
	Store   store.Store
	Keyring *secret.Keyring
	// Env is the configuration from flags and the environment.
	Env config.Config
	// Apply receives the effective configuration after Load and every change
	// (the app reconfigures the network providers with it).
	Apply func(config.Config)
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	mu        sync.RWMutex
	effective config.Config
	stored    map[string]store.OperatorSetting
	loaded    bool
}

// aad binds a sealed value to its key: a value copied under another key does not open.
func aad(key string) []byte { return []byte("operator-setting:" + key) }

// Load reads the stored settings and applies the effective configuration.
func (s *Service) Load(ctx context.Context) error {
	list, err := s.Store.OperatorSettings(ctx)
	if err != nil {
		return err
	}
	stored := map[string]store.OperatorSetting{}
	eff := s.Env
	for _, st := range list {
		set, _, ok := config.AppSettingFor(st.Key)
		if !ok {
			continue // a setting of a network this version no longer has
		}
		plain, err := s.Keyring.Open(st.Value, aad(st.Key))
		if err != nil {
			return fmt.Errorf("operator: open the stored %s: %w", st.Key, err)
		}
		st.Value = plain
		stored[st.Key] = st
		if set.Get(s.Env) == "" {
			set.Set(&eff, string(plain))
		}
	}
	s.mu.Lock()
	s.effective, s.stored, s.loaded = eff, stored, true
	s.mu.Unlock()
	if s.Apply != nil {
		s.Apply(eff)
	}
	return nil
}

// Effective is the configuration in force: the environment's values, and the
// stored ones where the environment set nothing.
func (s *Service) Effective() config.Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.loaded {
		return s.Env
	}
	return s.effective
}

// Source says where a setting's value comes from.
type Source string

// The sources.
const (
	SourceNone        Source = ""
	SourceEnvironment Source = "environment"
	SourceSettings    Source = "settings"
)

// Field is one setting as shown to an administrator: secrets only say whether they are set.
type Field struct {
	Env    string `json:"env"`
	Label  string `json:"label"`
	Secret bool   `json:"secret"`
	// Value is the value of a setting that is not secret.
	Value  string `json:"value,omitempty"`
	Set    bool   `json:"set"`
	Source Source `json:"source" enum:"environment,settings,"`
	// UpdatedAt is when it was last saved on the settings page.
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// App is one network app as shown to an administrator.
type App struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Configured bool     `json:"configured" doc:"Every setting but the secrets marked optional has a value"`
	Callbacks  []string `json:"callback_urls" doc:"The OAuth redirect URIs to register in the network's developer console"`
	Webhook    string   `json:"webhook_url,omitempty"`
	Docs       string   `json:"docs"`
	Fields     []Field  `json:"fields"`
}

// Apps lists the network apps with their settings' state; baseURL completes
// the callback and webhook URLs.
func (s *Service) Apps(isAdmin bool, baseURL string) ([]App, error) {
	if !isAdmin {
		return nil, ErrNotAdmin
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	baseURL = strings.TrimRight(baseURL, "/")
	var out []App
	for _, g := range config.AppGroups() {
		a := App{ID: g.ID, Name: g.Name, Docs: g.Docs, Configured: true}
		for _, c := range g.Callbacks {
			a.Callbacks = append(a.Callbacks, baseURL+c)
		}
		if g.Webhook != "" {
			a.Webhook = baseURL + g.Webhook
		}
		for i, set := range g.Settings {
			f := Field{Env: set.Env, Label: set.Label, Secret: set.Secret}
			if v := set.Get(s.Env); v != "" {
				f.Set, f.Source = true, SourceEnvironment
				if !set.Secret {
					f.Value = v
				}
			} else if st, ok := s.stored[set.Env]; ok {
				f.Set, f.Source = true, SourceSettings
				at := st.UpdatedAt
				f.UpdatedAt = &at
				if !set.Secret {
					f.Value = string(st.Value)
				}
			}
			// The app counts as configured when its first id and secret are set.
			if i < 2 && !f.Set {
				a.Configured = false
			}
			a.Fields = append(a.Fields, f)
		}
		out = append(out, a)
	}
	return out, nil
}

// Change is one requested change: a new value, or Clear to remove the stored one.
type Change struct {
	Env   string
	Value string
	Clear bool
}

// Set stores the changes of an instance administrator and applies the new
// configuration. A setting the environment sets cannot be changed here (the
// environment would win anyway); an empty value without Clear leaves it as it is
// (secret inputs are blank on the form). Nothing is stored unless every change is valid.
func (s *Service) Set(ctx context.Context, isAdmin bool, userID int64, changes []Change) error {
	if !isAdmin {
		return ErrNotAdmin
	}
	now := time.Now().UTC()
	if s.Now != nil {
		now = s.Now().UTC()
	}
	type op struct {
		key    string
		sealed []byte
		clear  bool
	}
	var ops []op
	for _, c := range changes {
		set, _, ok := config.AppSettingFor(c.Env)
		if !ok {
			return valid.Errorf(c.Env, "app_unknown", "%s is not a network app setting", c.Env).WithArgs(c.Env)
		}
		v := strings.TrimSpace(c.Value)
		switch {
		case v == "" && !c.Clear:
			continue
		case set.Get(s.Env) != "":
			return valid.Errorf(c.Env, "app_environment", "%s is set in the environment, which wins; change it there", c.Env).WithArgs(c.Env)
		case c.Clear:
			ops = append(ops, op{key: c.Env, clear: true})
			continue
		case utf8.RuneCountInString(v) > MaxValueLength:
			n := utf8.RuneCountInString(v)
			return valid.Errorf(c.Env, "app_too_long", "%s is at most %d characters; this value has %d", c.Env, MaxValueLength, n).WithArgs(c.Env, MaxValueLength, n)
		case strings.ContainsAny(v, "\n\r\t "):
			return valid.Errorf(c.Env, "app_format", "%s cannot contain spaces or line breaks", c.Env).WithArgs(c.Env)
		}
		sealed, err := s.Keyring.Seal([]byte(v), aad(c.Env))
		if err != nil {
			return err
		}
		ops = append(ops, op{key: c.Env, sealed: sealed})
	}
	for _, o := range ops {
		var err error
		if o.clear {
			err = s.Store.DeleteOperatorSetting(ctx, o.key)
		} else {
			err = s.Store.SetOperatorSetting(ctx, store.OperatorSetting{Key: o.key, Value: o.sealed, UpdatedBy: userID, UpdatedAt: now})
		}
		if err != nil {
			return err
		}
	}
	return s.Load(ctx)
}
