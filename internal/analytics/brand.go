package analytics

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Limits of a brand.
const (
	MaxBrandName   = 100
	MaxBrandFooter = 300
	// MaxLogoBytes bounds the logo embedded in every PDF and e-mail.
	MaxLogoBytes = 2 << 20
)

// logoTypes are the image types fpdf embeds, by MIME type.
var logoTypes = map[string]string{"image/png": "PNG", "image/jpeg": "JPG", "image/gif": "GIF"}

var accentRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// MediaReader reads an item of a workspace's media library with its bytes.
type MediaReader interface {
	Read(ctx context.Context, workspaceID, id int64) ([]byte, store.Media, error)
}

// BrandInput is a workspace's brand as typed.
type BrandInput struct {
	DisplayName string `json:"display_name" maxLength:"100" doc:"Name shown on reports instead of the workspace's (an agency's or client's); empty for the workspace's name"`
	AccentColor string `json:"accent_color" doc:"Accent colour #rrggbb of titles and table headers; empty for the default"`
	LogoMediaID int64  `json:"logo_media_id" doc:"A PNG, JPEG or GIF image of the workspace's media library (at most 2 MB); 0 for none"`
	Footer      string `json:"footer" maxLength:"300" doc:"Footer text of every page and e-mail"`
}

// Brand is a workspace's brand as reports apply it.
type Brand struct {
	DisplayName string    `json:"display_name"`
	AccentColor string    `json:"accent_color"`
	LogoMediaID int64     `json:"logo_media_id"`
	Footer      string    `json:"footer"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
}

// DefaultAccent is the accent of reports without a brand colour.
const DefaultAccent = "#2f5d8a"

// Brand reads the workspace's brand.
func (s *Service) Brand(ctx context.Context, workspaceID int64) (Brand, error) {
	b, err := s.Store.ReportBrand(ctx, workspaceID)
	return Brand{DisplayName: b.DisplayName, AccentColor: b.AccentColor, LogoMediaID: b.LogoMediaID, Footer: b.Footer, UpdatedAt: b.UpdatedAt}, err
}

// SaveBrand checks and saves the workspace's brand.
func (s *Service) SaveBrand(ctx context.Context, workspaceID int64, in BrandInput, now time.Time) (Brand, error) {
	in.DisplayName, in.AccentColor, in.Footer = strings.TrimSpace(in.DisplayName), strings.TrimSpace(in.AccentColor), strings.TrimSpace(in.Footer)
	switch {
	case utf8.RuneCountInString(in.DisplayName) > MaxBrandName:
		return Brand{}, valid.Errorf("display_name", "too_long", "display_name: at most %d characters; this one has %d", MaxBrandName, utf8.RuneCountInString(in.DisplayName))
	case in.AccentColor != "" && !accentRE.MatchString(in.AccentColor):
		return Brand{}, valid.Errorf("accent_color", "format", "accent_color: a colour is #rrggbb (#2f5d8a); got %q", in.AccentColor)
	case utf8.RuneCountInString(in.Footer) > MaxBrandFooter:
		return Brand{}, valid.Errorf("footer", "too_long", "footer: at most %d characters; this one has %d", MaxBrandFooter, utf8.RuneCountInString(in.Footer))
	case in.LogoMediaID < 0:
		return Brand{}, valid.Errorf("logo_media_id", "not_found", "logo_media_id: %d is not an item of the media library", in.LogoMediaID)
	}
	if in.LogoMediaID != 0 {
		m, err := s.Store.Media(ctx, workspaceID, in.LogoMediaID)
		if errors.Is(err, store.ErrNotFound) {
			return Brand{}, valid.Errorf("logo_media_id", "not_found", "logo_media_id: %d is not an item of the workspace's media library", in.LogoMediaID)
		} else if err != nil {
			return Brand{}, err
		}
		if _, ok := logoTypes[m.MIME]; !ok {
			return Brand{}, valid.Errorf("logo_media_id", "type", "logo_media_id: the logo must be a PNG, JPEG or GIF image; item %d is %s", m.ID, m.MIME)
		}
		if m.Bytes > MaxLogoBytes {
			return Brand{}, valid.Errorf("logo_media_id", "too_large", "logo_media_id: the logo is at most %d MB; item %d has %s bytes", MaxLogoBytes>>20, m.ID, strconv.FormatInt(m.Bytes, 10))
		}
	}
	b := store.ReportBrand{WorkspaceID: workspaceID, DisplayName: in.DisplayName, AccentColor: strings.ToLower(in.AccentColor),
		LogoMediaID: in.LogoMediaID, Footer: in.Footer, UpdatedAt: now.UTC()}
	if err := s.Store.SaveReportBrand(ctx, &b); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Brand{}, valid.Errorf("logo_media_id", "not_found", "logo_media_id: %d is not an item of the workspace's media library", in.LogoMediaID)
		}
		return Brand{}, err
	}
	return s.Brand(ctx, workspaceID)
}

// Branded is the report's wording in lang with the workspace's brand
// applied: its name (else the workspace's), accent colour, footer and logo
// bytes (when the media library is readable).
func (s *Service) Branded(ctx context.Context, ws store.Workspace, lang string) (ReportText, error) {
	tx := ReportText{Lang: lang, Labels: map[string]string{}}
	if s.Texts != nil {
		tx = s.Texts(lang)
	}
	b, err := s.Brand(ctx, ws.ID)
	if err != nil {
		return tx, err
	}
	tx.Brand, tx.Accent, tx.Footer = ws.Name, DefaultAccent, b.Footer
	if b.DisplayName != "" {
		tx.Brand = b.DisplayName
	}
	if b.AccentColor != "" {
		tx.Accent = b.AccentColor
	}
	if b.LogoMediaID != 0 && s.Media != nil {
		data, m, err := s.Media.Read(ctx, ws.ID, b.LogoMediaID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return tx, fmt.Errorf("analytics: read the brand's logo: %w", err)
		}
		if t, ok := logoTypes[m.MIME]; ok && err == nil {
			tx.Logo, tx.LogoType, tx.LogoMIME = data, t, m.MIME
		}
	}
	return tx, nil
}

// rgb reads #rrggbb (the default accent when malformed).
func rgb(hex string) (int, int, int) {
	if !accentRE.MatchString(hex) {
		hex = DefaultAccent
	}
	v, _ := strconv.ParseUint(hex[1:], 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
