-- +goose Up
-- The media library keeps audio files (SoundCloud tracks): the kind check admits 'audio'.
ALTER TABLE media DROP CONSTRAINT media_kind_check;
ALTER TABLE media ADD CONSTRAINT media_kind_check CHECK (kind IN ('image', 'gif', 'video', 'audio'));

-- +goose Down
ALTER TABLE media DROP CONSTRAINT media_kind_check;
ALTER TABLE media ADD CONSTRAINT media_kind_check CHECK (kind IN ('image', 'gif', 'video'));
