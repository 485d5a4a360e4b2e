package store

import (
	"context"
	"time"
)

// MediaKind is what an uploaded file is, which decides how it is checked and processed.
type MediaKind string

// The media kinds.
const (
	MediaImage MediaKind = "image"
	MediaGIF   MediaKind = "gif"
	MediaVideo MediaKind = "video"
	// MediaAudio is a sound file (SoundCloud tracks); only networks with MaxAudioBytes take it.
	MediaAudio MediaKind = "audio"
)

// Media is one file of a workspace's media library.
type Media struct {
	ID          int64
	WorkspaceID int64
	// SHA256 is the hex SHA-256 of the bytes as uploaded; one item per content per workspace.
	SHA256 string
	// MIME is the type sniffed from the stored bytes ("image/jpeg", "video/mp4").
	MIME  string
	Kind  MediaKind
	Bytes int64
	// Width and Height are pixels (0 when unknown).
	Width, Height int
	// DurationMS is a video's duration in milliseconds (0 for images).
	DurationMS int64
	AltText    string
	// Filename is the name the file was uploaded under (shown, never used as a path).
	Filename string
	// Path is the stored file, relative to the media root.
	Path       string
	UploadedBy int64
	CreatedAt  time.Time
}

// MediaStore keeps the media library's records (the files live under the data directory).
type MediaStore interface {
	// CreateMedia adds an item; ErrConflict when the workspace already has the same content (SHA256).
	CreateMedia(ctx context.Context, m *Media) error
	Media(ctx context.Context, workspaceID, id int64) (Media, error)
	// MediaBySHA finds the workspace's item with this content hash.
	MediaBySHA(ctx context.Context, workspaceID int64, sha256 string) (Media, error)
	// MediaUnscoped reads an item by id alone, for callers that proved access
	// another way (a signed media URL); never call it with a user-supplied id unchecked.
	MediaUnscoped(ctx context.Context, id int64) (Media, error)
	// ListMedia lists a workspace's items, newest first; kind "" lists every kind.
	ListMedia(ctx context.Context, workspaceID int64, limit, offset int, kind MediaKind) ([]Media, error)
	UpdateMediaAlt(ctx context.Context, workspaceID, id int64, alt string) error
	DeleteMedia(ctx context.Context, workspaceID, id int64) error
}
