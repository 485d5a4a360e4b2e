package media

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Original names the stored file itself as a rendition.
const Original = "original"

var renditionRe = regexp.MustCompile(`^(original|fit-(0|[1-9][0-9]{0,11}))$`)

// RenditionName is the size class an item takes on a network: "fit-<bytes>"
// for images (at most MaxDimension px and the network's MaxImageBytes),
// "original" for GIFs and videos, which relais does not transcode.
func RenditionName(m store.Media, l network.Limits) string {
	if m.Kind != store.MediaImage {
		return Original
	}
	return "fit-" + strconv.FormatInt(l.MaxImageBytes, 10)
}

// Rendition returns the item in a form that fits the network's limits:
// images resized and re-encoded to at most MaxDimension px and
// l.MaxImageBytes bytes (cached on disk per size class), GIFs and videos as
// stored, or a *valid.Error when they exceed the network's size limit.
func (l *Library) Rendition(ctx context.Context, workspaceID, id int64, lim network.Limits) (data []byte, mime string, w, h int, err error) {
	m, err := l.Store.Media(ctx, workspaceID, id)
	if err != nil {
		return nil, "", 0, 0, err
	}
	if m.Kind != store.MediaImage {
		maxBytes := lim.MaxImageBytes
		if m.Kind == store.MediaVideo {
			maxBytes = lim.MaxVideoBytes
		}
		if m.Kind == store.MediaAudio {
			// Empty limits ask for the original (the publishing engine's loader).
			if lim.Network != "" && lim.MaxAudioBytes == 0 {
				return nil, "", 0, 0, valid.Errorf("media", "audio", "%s does not take audio files", lim.Name)
			}
			maxBytes = lim.MaxAudioBytes
		}
		if maxBytes > 0 && m.Bytes > maxBytes {
			return nil, "", 0, 0, valid.Errorf("media", "too_large", "%s accepts %s files of at most %s; this one is %s",
				lim.Name, m.Kind, human(maxBytes), human(m.Bytes))
		}
	}
	p, mime, w, h, err := l.renditionFile(ctx, m, RenditionName(m, lim))
	if err != nil {
		return nil, "", 0, 0, err
	}
	data, err = l.Root.ReadFile(p)
	if err != nil {
		return nil, "", 0, 0, fmt.Errorf("media: read rendition of %d: %w", m.ID, err)
	}
	return data, mime, w, h, nil
}

// renditionFile returns the path (under Root) of a rendition, making and
// caching it on first use.
func (l *Library) renditionFile(ctx context.Context, m store.Media, name string) (p, mime string, w, h int, err error) {
	if l.Root == nil {
		return "", "", 0, 0, errors.New("media: no media directory configured")
	}
	if !renditionRe.MatchString(name) {
		return "", "", 0, 0, fmt.Errorf("media: unknown rendition %q: %w", name, store.ErrNotFound)
	}
	if name == Original || m.Kind != store.MediaImage {
		return m.Path, m.MIME, m.Width, m.Height, nil
	}
	maxBytes, _ := strconv.ParseInt(strings.TrimPrefix(name, "fit-"), 10, 64)
	if (maxBytes == 0 || m.Bytes <= maxBytes) && max(m.Width, m.Height) <= MaxDimension {
		return m.Path, m.MIME, m.Width, m.Height, nil
	}
	base := strings.TrimSuffix(m.Path, path.Ext(m.Path)) + "." + name
	for _, ext := range []string{".jpg", ".png"} {
		c, err := l.Root.Open(base + ext)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", "", 0, 0, fmt.Errorf("media: open cached rendition: %w", err)
		}
		// Only the header is read: the size is all that is needed here.
		cfg, _, err := image.DecodeConfig(c)
		c.Close()
		if err == nil {
			return base + ext, mimeOfExt(ext), cfg.Width, cfg.Height, nil
		}
	}
	release, err := acquireDecode(ctx)
	if err != nil {
		return "", "", 0, 0, err
	}
	defer release()
	f, err := l.Root.Open(m.Path)
	if err != nil {
		return "", "", 0, 0, fmt.Errorf("media: open %d: %w", m.ID, err)
	}
	// Items stored before the decode limits were lowered may exceed them.
	if err := checkDecode(f); err != nil {
		f.Close()
		return "", "", 0, 0, err
	}
	img, err := imaging.Decode(f)
	f.Close()
	if err != nil {
		return "", "", 0, 0, fmt.Errorf("media: decode %d: %w", m.ID, err)
	}
	data, mime, w, h, err := fitImage(img, maxBytes)
	if err != nil {
		return "", "", 0, 0, err
	}
	p = base + extOf[mime]
	if err := l.writeFile(p, data); err != nil {
		return "", "", 0, 0, err
	}
	return p, mime, w, h, nil
}

func mimeOfExt(ext string) string {
	for m, e := range extOf {
		if e == ext {
			return m
		}
	}
	return "application/octet-stream"
}
