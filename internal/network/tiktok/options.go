package tiktok

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

// Privacy levels TikTok may offer a creator.
var PrivacyLevels = []string{"PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"}

// Commercial content disclosures: none, the creator's own brand, a third
// party's branded content, or both.
var Disclosures = []string{"none", "your_brand", "branded_content", "both"}

// Post modes: publish on the profile, or send to the creator's TikTok inbox
// to finish in the app.
var Modes = []string{"direct", "inbox"}

// ConsentLine is what TikTok requires the user to read before posting.
const ConsentLine = "By posting, you agree to TikTok's Music Usage Confirmation (and, for branded content, its Branded Content Policy)."

// PostOptions are TikTok's choices for a post, shaped by the creator info a
// channel stored at connect (nil settings: every choice TikTok knows). As
// TikTok's guidelines require, the privacy level has no default (its empty
// first option must be changed), comments, duets and stitches are off until
// the user turns them on and offer "off" alone when the creator turned them
// off in TikTok, and commercial content is declared explicitly.
func PostOptions(settings map[string]string) []network.Field {
	privacy := PrivacyLevels
	if s := settings["privacy_level_options"]; s != "" {
		privacy = strings.Split(s, ",")
	}
	toggle := func(name, label, disabledKey string) network.Field {
		f := network.Field{Name: name, Label: label, Type: network.FieldChoice, Options: []string{"off", "on"}}
		if settings[disabledKey] == "true" {
			f.Options = []string{"off"}
			f.Help = "Turned off in the creator's TikTok settings"
		}
		return f
	}
	return []network.Field{
		{Name: "tiktok_mode", Label: "Post", Type: network.FieldChoice, Options: Modes},
		{Name: "privacy_level", Label: "Who can view this video", Type: network.FieldChoice, Options: append([]string{""}, privacy...), Help: ConsentLine},
		toggle("allow_comment", "Allow comments", "comment_disabled"),
		toggle("allow_duet", "Allow duets", "duet_disabled"),
		toggle("allow_stitch", "Allow stitches", "stitch_disabled"),
		{Name: "commercial_content", Label: "Commercial content", Type: network.FieldChoice, Options: Disclosures, Help: "Your brand: promotes yourself or your business (labelled \"Promotional content\"). Branded content: promotes another brand (labelled \"Paid partnership\"; cannot be private)."},
		{Name: "is_aigc", Label: "AI-generated content", Type: network.FieldChoice, Options: []string{"off", "on"}},
		{Name: "photo_title", Label: "Photo post title", Help: "Photo posts only: at most 90 characters; the text becomes the description"},
	}
}

// postChoices are the options of a post, checked against the creator info.
type postChoices struct {
	inbox                     bool
	privacy                   string
	comment, duet, stitch     bool
	yourBrand, brandedContent bool
	aigc                      bool
	photoTitle                string
}

// choices reads and checks a post's options against the creator's current
// info (networks.md §14): an invalid choice is invalid content naming it.
func choices(o map[string]string, ci creatorInfo) (postChoices, error) {
	invalid := func(format string, a ...any) (postChoices, error) {
		return postChoices{}, &network.Error{Class: network.InvalidContent, Network: network.TikTok, Code: "invalid_option", Message: fmt.Sprintf(format, a...)}
	}
	var c postChoices
	switch m := o["tiktok_mode"]; m {
	case "", "direct":
	case "inbox":
		c.inbox = true
	default:
		return invalid("tiktok_mode must be direct or inbox; got %q", m)
	}
	onOff := func(name string, disabled bool) (bool, error) {
		switch v := o[name]; v {
		case "", "off", "false":
			return false, nil
		case "on", "true":
			if disabled {
				return false, &network.Error{Class: network.InvalidContent, Network: network.TikTok, Code: "invalid_option", Message: fmt.Sprintf("%s: the creator turned this off in TikTok", name)}
			}
			return true, nil
		default:
			return false, &network.Error{Class: network.InvalidContent, Network: network.TikTok, Code: "invalid_option", Message: fmt.Sprintf("%s must be on or off; got %q", name, v)}
		}
	}
	var err error
	if c.comment, err = onOff("allow_comment", ci.CommentDisabled); err != nil {
		return c, err
	}
	if c.duet, err = onOff("allow_duet", ci.DuetDisabled); err != nil {
		return c, err
	}
	if c.stitch, err = onOff("allow_stitch", ci.StitchDisabled); err != nil {
		return c, err
	}
	if c.aigc, err = onOff("is_aigc", false); err != nil {
		return c, err
	}
	switch d := o["commercial_content"]; d {
	case "", "none":
	case "your_brand":
		c.yourBrand = true
	case "branded_content":
		c.brandedContent = true
	case "both":
		c.yourBrand, c.brandedContent = true, true
	default:
		return invalid("commercial_content must be none, your_brand, branded_content or both; got %q", d)
	}
	if t := strings.TrimSpace(o["photo_title"]); t != "" {
		if n := len([]rune(t)); n > 90 {
			return invalid("photo_title is %d characters; TikTok allows 90", n)
		}
		c.photoTitle = t
	}
	c.privacy = o["privacy_level"]
	if c.inbox {
		// The creator chooses in the TikTok app.
		return c, nil
	}
	if c.privacy == "" {
		return invalid("privacy_level is required: choose who can view the post (TikTok offers %s)", strings.Join(ci.PrivacyLevelOptions, ", "))
	}
	if !slices.Contains(ci.PrivacyLevelOptions, c.privacy) {
		return invalid("privacy_level %q is not offered to this creator; TikTok offers %s", c.privacy, strings.Join(ci.PrivacyLevelOptions, ", "))
	}
	if c.brandedContent && c.privacy == "SELF_ONLY" {
		return invalid("branded content cannot be private: choose another privacy_level")
	}
	return c, nil
}

// creatorInfo is the answer of /v2/post/publish/creator_info/query/.
type creatorInfo struct {
	AvatarURL               string   `json:"creator_avatar_url"`
	Username                string   `json:"creator_username"`
	Nickname                string   `json:"creator_nickname"`
	PrivacyLevelOptions     []string `json:"privacy_level_options"`
	CommentDisabled         bool     `json:"comment_disabled"`
	DuetDisabled            bool     `json:"duet_disabled"`
	StitchDisabled          bool     `json:"stitch_disabled"`
	MaxVideoPostDurationSec int      `json:"max_video_post_duration_sec"`
}

// settings keeps the creator info for the composer.
func (ci creatorInfo) settings() map[string]string {
	return map[string]string{
		"privacy_level_options":       strings.Join(ci.PrivacyLevelOptions, ","),
		"comment_disabled":            strconv.FormatBool(ci.CommentDisabled),
		"duet_disabled":               strconv.FormatBool(ci.DuetDisabled),
		"stitch_disabled":             strconv.FormatBool(ci.StitchDisabled),
		"max_video_post_duration_sec": strconv.Itoa(ci.MaxVideoPostDurationSec),
	}
}

// limits are the account's limits: the creator's longest video.
func (ci creatorInfo) limits() network.Limits {
	l := network.DefaultLimits[network.TikTok]
	if ci.MaxVideoPostDurationSec > 0 {
		l.MaxVideoSeconds = ci.MaxVideoPostDurationSec
	}
	return l
}
