package influencer

import (
	"strings"
	"testing"
)

func TestParseCSV(t *testing.T) {
	in := "\xef\xbb\xbfNom;E-mail;Consentement;Instagram;Mastodon;Tags;Pays\n" +
		"Alice Martin;alice@example.com;oui;@alice.m;alice@mastodon.social;mode, lyon;fr\n" +
		"\"Bob; the builder\";;;https://www.instagram.com/bob_b/;;\"diy|home\";\n" +
		";;;;;;\n" +
		"Carla;carla@example.com;non;carla;;;\n" +
		"Dan;;;;dan-no-instance;;\n" +
		"Eve;;;;;;FRA\n"
	rows, bad, err := ParseCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	a := rows[0]
	if a.Name != "Alice Martin" || a.Email != "alice@example.com" || !a.Consent || a.Country != "FR" || len(a.Accounts) != 2 ||
		a.Accounts[0] != (Account{"instagram", "alice.m"}) || a.Accounts[1] != (Account{"mastodon", "alice@mastodon.social"}) ||
		strings.Join(a.Tags, ",") != "mode,lyon" {
		t.Errorf("alice %+v", a)
	}
	if b := rows[1]; b.Name != "Bob; the builder" || b.Accounts[0].Handle != "bob_b" || strings.Join(b.Tags, ",") != "diy,home" || b.Line != 3 {
		t.Errorf("bob %+v", b)
	}
	want := []RowError{
		{5, "E-mail", "contact details need consent"},
		{6, "Mastodon", "not a Mastodon address"},
		{7, "Pays", "two-letter country code"},
	}
	if len(bad) != len(want) {
		t.Fatalf("errors %+v", bad)
	}
	for i, w := range want {
		if bad[i].Line != w.Line || bad[i].Column != w.Column || !strings.Contains(bad[i].Reason, w.Reason) {
			t.Errorf("error %d: %+v, want %+v", i, bad[i], w)
		}
	}
}

func TestParseCSVFileErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "empty",
		"foo,bar\n1,2\n":            "needs a \"name\" column",
		"name,Name\na,b\n":          "appears twice",
		"name\n\xff\n":              "not UTF-8",
		"name,email\n\"a,b\n":       "",
		"name,instagram\nx,y,z\n":   "",
		"bluesky\nalice\nbob.com\n": "",
	} {
		rows, bad, err := ParseCSV(strings.NewReader(in))
		if want == "" {
			if err != nil || len(bad) == 0 {
				t.Errorf("%q: rows %v bad %v err %v, want a row error", in, rows, bad, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add("name,instagram,email,consent\nA,@a,a@b.c,yes\n")
	f.Add("\xef\xbb\xbfnom;mastodon\n\"x;y\";a@b.c\n")
	f.Add("name\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, bad, err := ParseCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Name == "" {
				t.Fatalf("row without a name: %+v", r)
			}
			if (r.Email != "" || r.Phone != "") && !r.Consent {
				t.Fatalf("contact without consent: %+v", r)
			}
		}
		for _, b := range bad {
			if b.Reason == "" || b.Line <= 0 {
				t.Fatalf("row error without line or reason: %+v", b)
			}
		}
	})
}
