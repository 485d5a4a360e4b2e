package store

import (
	"context"
	"time"
)

// OperatorSetting is one instance-wide setting entered by an instance
// administrator (a network app's client id or secret), its value encrypted
// by the caller with the instance key.
type OperatorSetting struct {
	Key       string
	Value     []byte
	UpdatedBy int64
	UpdatedAt time.Time
}

// OperatorSettingStore keeps the instance's operator settings. They are not
// workspace data: only instance administrators reach them.
type OperatorSettingStore interface {
	// OperatorSettings lists every setting, by key.
	OperatorSettings(ctx context.Context) ([]OperatorSetting, error)
	// SetOperatorSetting stores a setting, replacing the key's value.
	SetOperatorSetting(ctx context.Context, s OperatorSetting) error
	// DeleteOperatorSetting removes a key (no error when absent).
	DeleteOperatorSetting(ctx context.Context, key string) error
}
