package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/feedback"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// moderation is the rules service (a default one over the store when the
// application wires none).
func (h *handler) moderation() *moderation.Service {
	if h.d.Moderation != nil {
		return h.d.Moderation
	}
	h.modOnce.Do(func() { h.mod = &moderation.Service{Store: h.d.Store} })
	return h.mod
}

// canManageRules answers 404 to members who may not manage the workspace.
func (h *handler) canManageRules(w http.ResponseWriter, r *http.Request) bool {
	if !visitOf(r).P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return false
	}
	return true
}

// maxFormActions is how many action choices the rule form offers, besides labels.
const maxFormActions = 4

// ruleForm is the rule form as shown: what the rule says, and the choices.
type ruleForm struct {
	ID         int64
	Name       string
	Keywords   string
	Networks   map[string]bool
	Languages  map[string]bool
	Sentiments map[string]bool
	Themes     map[string]bool
	Channels   map[int64]bool
	Authors    string
	// FirstContact is "", "yes" or "no".
	FirstContact string
	From, To     string
	Stop         bool
	Enabled      bool
	// Actions are the chosen actions as "kind:value" (labels apart).
	Actions []string
	Labels  string

	// The choices.
	AllNetworks   []string
	AllLanguages  []string
	AllSentiments []string
	AllThemes     []feedback.Theme
	AllChannels   []store.Channel
	Choices       []actionChoice
}

// actionChoice is one option of an action select.
type actionChoice struct {
	Value string
	// Key and Arg name its label: a catalogue key and the member, reply or priority it names.
	Key, Arg string
}

func (h *handler) ruleChoices(r *http.Request, f *ruleForm) error {
	ctx := r.Context()
	ws := visitOf(r).P.Workspace.ID
	for _, k := range network.Kinds() {
		f.AllNetworks = append(f.AllNetworks, string(k))
	}
	f.AllLanguages = []string{"en", "fr", "de", "other"}
	f.AllSentiments = moderation.Sentiments
	f.AllThemes = feedback.All
	var err error
	if f.AllChannels, err = h.d.Store.Channels(ctx, ws); err != nil {
		return err
	}
	members, err := h.d.Store.Members(ctx, ws)
	if err != nil {
		return err
	}
	replies, err := h.moderation().SavedReplies(ctx, ws)
	if err != nil {
		return err
	}
	f.Choices = []actionChoice{{Value: "", Key: "inboxrules.act_none"}, {Value: "spam", Key: "inboxrules.act_spam"}, {Value: "hide", Key: "inboxrules.act_hide"}}
	for _, p := range moderation.Priorities {
		f.Choices = append(f.Choices, actionChoice{Value: "priority:" + p, Key: "inboxrules.act_priority_" + p})
	}
	for _, kind := range []string{moderation.ActAssign, moderation.ActNotify} {
		if kind == moderation.ActNotify {
			f.Choices = append(f.Choices, actionChoice{Value: "notify:", Key: "inboxrules.act_notify_all"})
		}
		for _, m := range members {
			who := m.Name
			if who == "" {
				who = m.Email
			}
			f.Choices = append(f.Choices, actionChoice{Value: kind + ":" + strconv.FormatInt(m.UserID, 10), Key: "inboxrules.act_" + kind, Arg: who})
		}
	}
	for _, s := range replies {
		f.Choices = append(f.Choices, actionChoice{Value: "auto_reply:" + strconv.FormatInt(s.ID, 10), Key: "inboxrules.act_auto_reply", Arg: s.Name + " (" + s.Lang + ")"})
	}
	for len(f.Actions) < maxFormActions {
		f.Actions = append(f.Actions, "")
	}
	return nil
}

// formOfRule fills the form from a rule.
func formOfRule(rule moderation.Rule) ruleForm {
	c := rule.Conditions
	set := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	f := ruleForm{ID: rule.ID, Name: rule.Name, Keywords: c.Keywords, Networks: set(c.Networks), Languages: set(c.Languages),
		Sentiments: set(c.Sentiments), Themes: set(c.Themes), Channels: map[int64]bool{}, Authors: strings.Join(c.Authors, ", "),
		From: c.TimeFrom, To: c.TimeTo, Stop: rule.StopAfterMatch, Enabled: rule.Enabled}
	for _, id := range c.ChannelIDs {
		f.Channels[id] = true
	}
	if c.FirstContact != nil {
		f.FirstContact = map[bool]string{true: "yes", false: "no"}[*c.FirstContact]
	}
	var labels []string
	for _, a := range rule.Actions {
		switch a.Kind {
		case moderation.ActLabel:
			labels = append(labels, a.Value)
		case moderation.ActSpam, moderation.ActHide:
			f.Actions = append(f.Actions, a.Kind)
		default:
			f.Actions = append(f.Actions, a.Kind+":"+a.Value)
		}
	}
	f.Labels = strings.Join(labels, ", ")
	return f
}

// ruleOfForm reads the posted form into a rule and the form to show again.
func ruleOfForm(r *http.Request) (moderation.Rule, ruleForm) {
	pf := r.PostForm
	list := func(s string) []string {
		var out []string
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	rule := moderation.Rule{Name: pf.Get("name"), Enabled: pf.Get("enabled") != "", StopAfterMatch: pf.Get("stop") != "",
		Conditions: moderation.Conditions{Keywords: pf.Get("keywords"), Networks: pf["network"], Languages: pf["language"],
			Sentiments: pf["sentiment"], Themes: pf["theme"], Authors: list(pf.Get("authors")), TimeFrom: pf.Get("from"), TimeTo: pf.Get("to")}}
	for _, s := range pf["channel"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			rule.Conditions.ChannelIDs = append(rule.Conditions.ChannelIDs, id)
		}
	}
	switch pf.Get("first_contact") {
	case "yes":
		rule.Conditions.FirstContact = new(bool)
		*rule.Conditions.FirstContact = true
	case "no":
		rule.Conditions.FirstContact = new(bool)
	}
	for i := range maxFormActions {
		v := pf.Get("action" + strconv.Itoa(i))
		if v == "" {
			continue
		}
		kind, value, _ := strings.Cut(v, ":")
		rule.Actions = append(rule.Actions, moderation.Action{Kind: kind, Value: value})
	}
	for _, l := range list(pf.Get("labels")) {
		rule.Actions = append(rule.Actions, moderation.Action{Kind: moderation.ActLabel, Value: l})
	}
	f := formOfRule(rule)
	// Keep the action rows as chosen, blanks included, and the typed texts.
	f.Actions = nil
	for i := range maxFormActions {
		f.Actions = append(f.Actions, pf.Get("action"+strconv.Itoa(i)))
	}
	f.Authors, f.Labels, f.Name, f.Keywords = pf.Get("authors"), pf.Get("labels"), pf.Get("name"), pf.Get("keywords")
	return rule, f
}

// inboxRulesData is the rules page.
type inboxRulesData struct {
	Rules    []moderation.Rule
	Settings store.InboxSettings
}

// inboxRules lists the rules in evaluation order.
func (h *handler) inboxRules(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) {
		return
	}
	ws := visitOf(r).P.Workspace.ID
	rules, err := h.moderation().Rules(r.Context(), ws)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	set, err := h.moderation().Settings(r.Context(), ws)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := h.newPage(r, "inboxrules.title")
	p.Data = inboxRulesData{Rules: rules, Settings: set}
	h.render(w, r, http.StatusOK, "inbox_rules", p)
}

// newInboxRule shows an empty rule form.
func (h *handler) newInboxRule(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) {
		return
	}
	f := formOfRule(moderation.Rule{Enabled: true})
	h.renderRuleForm(w, r, http.StatusOK, h.newPage(r, "inboxrules.new"), f)
}

// editInboxRule shows a rule's form.
func (h *handler) editInboxRule(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) {
		return
	}
	id, ok := h.hookID(w, r)
	if !ok {
		return
	}
	rule, err := h.moderation().Rule(r.Context(), visitOf(r).P.Workspace.ID, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.renderRuleForm(w, r, http.StatusOK, h.newPage(r, "inboxrules.edit"), formOfRule(rule))
}

func (h *handler) renderRuleForm(w http.ResponseWriter, r *http.Request, status int, p *page, f ruleForm) {
	if err := h.ruleChoices(r, &f); err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = f
	h.render(w, r, status, "inbox_rule_form", p)
}

// saveInboxRule creates a rule (no id) or saves one.
func (h *handler) saveInboxRule(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) || !h.parseForm(w, r) {
		return
	}
	ws := visitOf(r).P.Workspace.ID
	rule, f := ruleOfForm(r)
	var err error
	title := "inboxrules.new"
	if r.PathValue("id") != "" {
		id, ok := h.hookID(w, r)
		if !ok {
			return
		}
		rule.ID, f.ID, title = id, id, "inboxrules.edit"
		_, err = h.moderation().UpdateRule(r.Context(), ws, rule)
	} else {
		_, err = h.moderation().CreateRule(r.Context(), ws, rule)
	}
	if err != nil {
		p := h.newPage(r, title)
		if e, ok := valid.As(err); ok {
			p.Errors[ruleFormField(e.Field)] = translateInvalid(p, e)
			h.renderRuleForm(w, r, http.StatusUnprocessableEntity, p, f)
			return
		}
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox/rules"), "flash.inboxrule_saved")
}

// ruleFormField maps a rule's field to the form field showing its error.
func ruleFormField(field string) string {
	switch {
	case strings.HasPrefix(field, "actions"):
		return "actions"
	case strings.HasPrefix(field, "conditions."):
		f := strings.TrimPrefix(field, "conditions.")
		if slices.Contains([]string{"time_from", "time_to"}, f) {
			return "time"
		}
		return f
	}
	return field
}

// removeInboxRule deletes a rule.
func (h *handler) removeInboxRule(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) {
		return
	}
	id, ok := h.hookID(w, r)
	if !ok {
		return
	}
	if err := h.moderation().DeleteRule(r.Context(), visitOf(r).P.Workspace.ID, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox/rules"), "flash.inboxrule_removed")
}

// moveInboxRule moves a rule one place up or down the order.
func (h *handler) moveInboxRule(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) || !h.parseForm(w, r) {
		return
	}
	id, ok := h.hookID(w, r)
	if !ok {
		return
	}
	delta := 1
	if r.PostFormValue("dir") == "up" {
		delta = -1
	}
	if err := h.moderation().MoveRule(r.Context(), visitOf(r).P.Workspace.ID, id, delta); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	http.Redirect(w, r, wsPath(r, "/inbox/rules"), http.StatusSeeOther)
}

// dryRunInboxRules shows what the rules would have done over 30 days.
func (h *handler) dryRunInboxRules(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) {
		return
	}
	rep, err := h.moderation().DryRun(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := h.newPage(r, "inboxrules.dry_run")
	p.Data = rep
	h.render(w, r, http.StatusOK, "inbox_dryrun", p)
}
