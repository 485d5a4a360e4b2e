package contest

import (
	"context"
	"errors"
	"regexp"
	"strconv"

	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

var accentRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// CheckAccent accepts an empty accent or a colour #rrggbb that keeps
// white button text and accent links on white readable (WCAG AA, 4.5:1).
func CheckAccent(accent string) error {
	if accent == "" {
		return nil
	}
	if !accentRE.MatchString(accent) {
		return valid.Errorf("accent", "invalid", "accent must be a colour like #0a7d5a; got %q", accent)
	}
	if r := link.Contrast(accent, "#ffffff"); r < link.MinContrast {
		return valid.Errorf("accent", "contrast", "accent %s has a contrast of %.1f:1 with white; at least %.1f:1 is needed (WCAG AA): choose a darker colour", accent, r, link.MinContrast)
	}
	return nil
}

// checkLogo accepts no logo or an image of the workspace's media library.
func (s *Service) checkLogo(ctx context.Context, c *store.Contest) error {
	if c.LogoMediaID == 0 {
		return nil
	}
	m, err := s.Store.Media(ctx, c.WorkspaceID, c.LogoMediaID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.Kind != store.MediaImage) {
		return valid.Errorf("logo_media_id", "invalid", "logo_media_id must be an image of the workspace's media library; %d is not", c.LogoMediaID)
	}
	return err
}

// SetBranding changes a contest's accent colour and logo.
func (s *Service) SetBranding(ctx context.Context, workspaceID, id int64, accent string, logo int64, actor string) (store.Contest, error) {
	c, err := s.Store.Contest(ctx, workspaceID, id)
	if err != nil {
		return c, err
	}
	if err := CheckAccent(accent); err != nil {
		return c, err
	}
	c.Accent, c.LogoMediaID = accent, logo
	if err := s.checkLogo(ctx, &c); err != nil {
		return c, err
	}
	if err := s.Store.UpdateContest(ctx, &c); err != nil {
		return c, err
	}
	s.audit(ctx, workspaceID, id, actor, "branding", "accent "+orNone(accent)+", logo media "+strconv.FormatInt(logo, 10))
	return c, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
