package snapchat

import (
	"bytes"
	"testing"
)

// BenchmarkEncrypt measures encrypting one 32 MB part (AES-256-CBC), the
// work relais adds to every Snapchat upload.
func BenchmarkEncrypt(b *testing.B) {
	data := bytes.Repeat([]byte{7}, ChunkSize)
	key, iv := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 16)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Encrypt(data, key, iv); err != nil {
			b.Fatal(err)
		}
	}
}
