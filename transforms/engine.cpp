// Applies rules to a fixed point, verifying each rule's edits by re-parsing
// the result and comparing models: a fix that changes anything the rule did
// not intend is dropped and reported, and so is one that never converges.
// Every step is linear in the size of the file (edits are kept ordered,
// instructions are matched in one sweep), and there are at most
// kMaxRounds × rules re-parses, so apply is linear too.
#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "dockerfix/fix.h"
#include "model/run_analysis.h"
#include "transforms/pragmas.h"

namespace dockerfix::fix {

namespace {

size_t error_count(const Dockerfile& f) {
  return static_cast<size_t>(std::count_if(f.diagnostics.begin(), f.diagnostics.end(),
                                           [](const Diagnostic& d) { return d.severity == dockerfix::Severity::Error; }));
}

bool same_user(const model::EffectiveUser& a, const model::EffectiveUser& b) {
  return a.state == b.state && a.name == b.name && a.uid == b.uid;
}

// For each instruction of `before`, whether an edit touches it: a
// replacement overlapping it, or an insertion strictly inside it.
std::vector<bool> touched_instructions(const Dockerfile& before, const Edits& edits) {
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  ranges.reserve(edits.edits().size());
  for (const auto& e : edits.edits()) ranges.emplace_back(e.range.begin, e.range.end);
  std::sort(ranges.begin(), ranges.end());  // conflict-free, so the ends are ordered too
  std::vector<bool> out(before.instructions.size(), false);
  size_t k = 0;
  for (size_t i = 0; i < before.instructions.size(); ++i) {
    const Span s = before.instructions[i].span;
    while (k < ranges.size() && ranges[k].second <= s.begin) ++k;
    // Text added at the very end of a file without a final newline extends its last instruction.
    const bool at_open_end = s.end == before.source.size() && (s.empty() || before.source[s.end - 1] != '\n');
    out[i] = k < ranges.size() && (ranges[k].first < s.end || (at_open_end && ranges[k].first == s.end));
  }
  return out;
}

constexpr size_t kRemoved = static_cast<size_t>(-1);

// Old instruction index -> new instruction index (kRemoved for one the fix
// deletes), matching texts in order.
// Instructions the edits touched are matched by position in the sequence,
// with the keyword the rule said they get (`changes`); one merged into the
// instruction before it maps to the same new instruction.
std::optional<std::vector<size_t>> match_instructions(const Dockerfile& before, const Edits& edits,
                                                      const Dockerfile& after,
                                                      const std::vector<InstructionChange>& changes) {
  const std::vector<bool> touched = touched_instructions(before, edits);
  std::vector<std::string> keyword(before.instructions.size());
  std::vector<bool> merged(before.instructions.size(), false);
  std::vector<bool> removed(before.instructions.size(), false);
  for (size_t i = 0; i < before.instructions.size(); ++i) keyword[i] = before.instructions[i].keyword;
  for (const auto& c : changes) {
    if (c.instruction >= before.instructions.size()) return std::nullopt;
    if (!c.keyword.empty()) keyword[c.instruction] = c.keyword;
    if (c.removed) removed[c.instruction] = true;
    if (c.merged_into_previous) {
      if (c.instruction == 0) return std::nullopt;
      merged[c.instruction] = true;
    }
  }
  std::vector<size_t> out;
  out.reserve(before.instructions.size());
  size_t j = 0;
  // A line appended at the end of a file without a final newline gives the
  // last instruction one.
  auto body = [](std::string_view t) {
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
    return t;
  };
  for (size_t i = 0; i < before.instructions.size(); ++i) {
    const auto& ins = before.instructions[i];
    if (removed[i]) {
      out.push_back(kRemoved);
      continue;
    }
    if (merged[i]) {
      if (out.empty()) return std::nullopt;
      out.push_back(out.back());
      continue;
    }
    auto text = body(before.text(ins.span));
    while (j < after.instructions.size() && !touched[i] && body(after.text(after.instructions[j].span)) != text) ++j;
    if (j >= after.instructions.size()) return std::nullopt;
    if (touched[i] && after.instructions[j].keyword != keyword[i]) {
      while (j < after.instructions.size() && after.instructions[j].keyword != keyword[i]) ++j;
      if (j >= after.instructions.size()) return std::nullopt;
    }
    out.push_back(j++);
  }
  return out;
}

// A position in the text after `edits` (sorted, conflict-free) mapped back
// to the text before them; inside inserted text it maps to the insertion.
uint32_t position_before(const std::vector<Edit>& edits, uint32_t p) {
  int64_t delta = 0;
  for (const auto& e : edits) {
    int64_t begin = e.range.begin + delta;
    int64_t end = begin + static_cast<int64_t>(e.text.size());
    if (p < begin) break;
    if (p < end) return e.range.begin;
    delta += static_cast<int64_t>(e.text.size()) - static_cast<int64_t>(e.range.size());
  }
  return static_cast<uint32_t>(static_cast<int64_t>(p) - delta);
}

std::vector<Edit> sorted_edits(const Edits& edits) {
  std::vector<Edit> out = edits.edits();
  std::stable_sort(out.begin(), out.end(), [](const Edit& a, const Edit& b) {
    // Insertions at an offset go before a replacement starting there, in the order added.
    if (a.range.begin != b.range.begin) return a.range.begin < b.range.begin;
    return a.range.empty() && !b.range.empty();
  });
  return out;
}

bool contains(const std::vector<std::string_view>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::vector<const RuleInfo*> infos_of(const std::vector<std::unique_ptr<Rule>>& rules) {
  std::vector<const RuleInfo*> out;
  out.reserve(rules.size());
  for (const auto& r : rules) out.push_back(&r->info());
  return out;
}

// By rule: whether it is among the selection's rules off by default (each
// name resolved once, not once per rule).
std::vector<bool> off_by_default(const std::vector<std::unique_ptr<Rule>>& rules, const std::vector<const RuleInfo*>& infos,
                                 const Selection& selection) {
  std::vector<std::string_view> off;
  for (const auto& name : selection.off_by_default) {
    const RuleInfo* r = resolve_rule(name, infos);
    off.push_back(r ? r->id : std::string_view(name));
  }
  std::vector<bool> out;
  for (const auto& r : rules) out.push_back(contains(off, r->id()));
  return out;
}

// One rule's findings on `file`, without those its pragmas switch off, each
// with the rule's applicability unless the rule chose one. `pragmas` is
// read only when the rule finds something.
std::vector<Finding> findings_of(const Rule& rule, const Context& ctx, std::optional<PragmaIndex>& pragmas,
                                 const std::vector<const RuleInfo*>& infos, bool off_by_default) {
  auto found = rule.check(ctx);
  if (found.empty()) return found;
  // A rule that says it never fixes is held to it: the fix loop does not
  // run it on the texts it makes (attempt()), so a fix it offered anyway
  // would be made on some texts and not on others.
  if (rule.info().fix == FixAvailability::Never)
    for (auto& f : found) f.fix.clear(), f.changes.clear();
  if (!pragmas) pragmas.emplace(ctx.file, infos, ctx.options.model.build_args);
  pragmas->apply(found, rule.info(), off_by_default);
  // A finding's edits in file order (JSON and SARIF consumers expect it);
  // stable, so insertions at one offset keep the order the rule gave them.
  for (auto& f : found)
    std::stable_sort(f.fix.begin(), f.fix.end(), [](const Edit& a, const Edit& b) { return a.range.begin < b.range.begin; });
  if (rule.info().applicability == Applicability::Unsafe)
    for (auto& f : found) f.applicability = Applicability::Unsafe;
  return found;
}

// One text the fixed-point loop reaches: its tree, model, style and each
// rule's findings, each computed once. The safe attempt, the unsafe re-run
// of review() and the retries without a rule that does not converge take
// the same steps until they differ, so they meet the same texts.
struct Version {
  std::optional<Dockerfile> owned;  // empty for the file as read (the caller owns it)
  const Dockerfile* file = nullptr;
  model::BuildModel model;
  Style style;
  std::vector<std::optional<std::vector<Finding>>> found;
  std::optional<PragmaIndex> pragmas;  // what its comments say about findings, read when first needed
};

// Every version of one file met while checking and fixing it, by text,
// starting with the file as read.
class Baseline {
 public:
  Baseline(const Dockerfile& file, const model::KnowledgeBase& kb, const Options& options,
           const std::vector<std::unique_ptr<Rule>>& rules, const Selection& selection)
      : file(file), kb(kb), options(options), rules(rules), selection(selection), infos(infos_of(rules)),
        off_by_default_(off_by_default(rules, infos, selection)) {
    auto v = std::make_unique<Version>();
    v->file = &file;
    as_read_ = add(std::move(v));
  }

  Version& as_read() { return *as_read_; }

  // The version with this text, parsed and analysed the first time it is met.
  Version& version(std::string text) {
    if (auto it = by_text_.find(text); it != by_text_.end()) return *it->second;
    auto v = std::make_unique<Version>();
    v->owned = parse(std::move(text), file.path);
    v->file = &*v->owned;
    return *add(std::move(v));
  }

  // Rule `i`'s findings on `v`.
  const std::vector<Finding>& findings(Version& v, size_t i) {
    if (!v.found[i]) v.found[i] = findings_of(*rules[i], Context{*v.file, v.model, options, v.style}, v.pragmas, infos,
                                         off_by_default_[i]);
    return *v.found[i];
  }
  const std::vector<Finding>& findings(size_t i) { return findings(as_read(), i); }

  // Whether rule `i` can make a fix in `scope`: not when it never fixes, nor
  // when its fixes are all unsafe and the scope is safe (findings_of gives
  // every finding of such a rule its applicability).
  bool may_fix(size_t i, FixScope scope) const {
    const RuleInfo& info = *infos[i];
    return info.fix != FixAvailability::Never && (scope.unsafe || info.applicability != Applicability::Unsafe);
  }

  const Dockerfile& file;
  const model::KnowledgeBase& kb;
  const Options& options;
  const std::vector<std::unique_ptr<Rule>>& rules;
  const Selection& selection;
  const std::vector<const RuleInfo*> infos;

 private:
  const std::vector<bool> off_by_default_;  // by rule

  Version* add(std::unique_ptr<Version> v) {
    v->model = model::analyze(*v->file, kb, options.model, runs_);
    v->style = style_of(*v->file);
    v->found.resize(rules.size());
    Version* out = v.get();
    // The key views the version's own text, which lives as long as the map.
    by_text_.emplace(std::string_view(v->file->source), std::move(v));
    return out;
  }

  std::unordered_map<std::string_view, std::unique_ptr<Version>> by_text_;
  model::RunMemo runs_;
  Version* as_read_ = nullptr;
};

void sort_by_position(std::vector<Finding>& found) {
  std::stable_sort(found.begin(), found.end(), [](const Finding& a, const Finding& b) { return a.span.begin < b.span.begin; });
}

std::vector<Finding> check_with(Baseline& base, const Selection& selection) {
  std::vector<Finding> out;
  for (size_t i = 0; i < base.rules.size(); ++i) {
    if (!selection.selected(base.rules[i]->id())) continue;
    const auto& found = base.findings(i);
    out.insert(out.end(), found.begin(), found.end());
  }
  sort_by_position(out);
  return out;
}

// Which findings an attempt lists as `unfixed`: every rule's, or only those
// of rules that can fix (all review() reads of them; the findings a user
// sees are the file's as read).
enum class Leftovers { All, Fixable };

// One attempt: rounds of every selected rule not in `excluded`. Sets
// `unsettled` to the rules that would still change the file when the
// rounds run out.
struct Attempt {
  FixResult result;
  std::vector<Span> applied_origin;  // each applied finding's span in the text as read
};

Attempt attempt(Baseline& base, const Selection& selection, FixScope scope, Leftovers leftovers,
                const std::vector<std::string_view>& excluded, std::vector<std::string_view>& unsettled) {
  Attempt out;
  FixResult& result = out.result;
  const auto& rules = base.rules;
  std::vector<std::vector<Edit>> history;  // the edits of every accepted rule application, in order
  std::vector<std::string_view> refused = excluded;  // rules whose fix failed verification
  Version* cur = &base.as_read();
  // A fix that appears only after an unsafe fix depends on it (a --chown
  // for the user an unsafe USER change adds): it is unsafe too. Findings of
  // the file as read, by rule and position, tell which ones were there.
  std::set<std::pair<std::string, uint32_t>> as_read;
  bool unsafe_applied = false;
  if (scope.unsafe)
    for (size_t r = 0; r < rules.size(); ++r)
      if (selection.selected(rules[r]->id()))
        for (const auto& f : base.findings(r)) as_read.emplace(f.rule, f.span.begin);
  bool changed = true;
  for (int round = 0; round < kMaxRounds && changed; ++round) {
    changed = false;
    for (size_t r = 0; r < rules.size(); ++r) {
      const Rule& rule = *rules[r];
      if (!base.may_fix(r, scope) || !selection.selected(rule.id()) || contains(refused, rule.id())) continue;
      const Dockerfile& before = *cur->file;
      const model::BuildModel& mb = cur->model;
      const std::vector<Finding>* found = &base.findings(*cur, r);
      Edits edits;
      std::vector<size_t> taken;
      std::vector<InstructionChange> changes;
      for (size_t k = 0; k < found->size(); ++k) {
        const Finding& f = (*found)[k];
        if (f.fix.empty() || !scope.allows(f.applicability) || !edits.add_all(f.fix)) continue;
        changes.insert(changes.end(), f.changes.begin(), f.changes.end());
        taken.push_back(k);
      }
      if (edits.empty()) continue;
      Version& next = base.version(edits.apply(before.source));
      const Dockerfile& after = *next.file;
      const model::BuildModel& ma = next.model;
      std::string why;
      if (error_count(after) > error_count(before)) why = "the fixed text does not parse cleanly";
      auto match = why.empty() ? match_instructions(before, edits, after, changes) : std::nullopt;
      if (why.empty() && !match) why = "the fix changed instructions it did not mean to";
      if (why.empty()) {
        Rule::Change change{mb, ma};
        for (size_t i = 0; i < match->size() && why.empty(); ++i) {
          if ((*match)[i] == kRemoved) continue;
          const auto* sb = mb.step_for(i);
          const auto* sa = ma.step_for((*match)[i]);
          if (!sb || !sa) continue;
          if (!same_user(sb->user, sa->user) && !rule.user_may_change(change, i, (*match)[i]))
            why = "the fix changed who runs line " + std::to_string(before.instructions[i].start_line);
        }
        if (why.empty()) why = rule.verify(change);
      }
      if (!why.empty()) {
        result.rejected.push_back(std::string(rule.id()) + ": " + why);
        refused.push_back(rule.id());
        continue;
      }
      bool unsafe_now = false;
      for (size_t k : taken) {
        Finding f = (*found)[k];
        Span origin = f.span;
        for (auto h = history.rbegin(); h != history.rend(); ++h)
          origin = {position_before(*h, origin.begin), position_before(*h, origin.end)};
        if (unsafe_applied && !as_read.count({f.rule, origin.begin})) f.applicability = Applicability::Unsafe;
        unsafe_now = unsafe_now || f.applicability == Applicability::Unsafe;
        out.applied_origin.push_back(origin);
        result.applied.push_back(std::move(f));
      }
      unsafe_applied = unsafe_applied || unsafe_now;
      history.push_back(sorted_edits(edits));
      // What the rules derived from the version left behind is large (a
      // dispatch state per instruction) and seldom asked for again.
      cur->model.derived = {};
      cur = &next;
      changed = true;
    }
  }
  result.text = cur->file->source;
  // What is left on the fixed text, reusing what the last round computed.
  std::vector<Finding> left;
  for (size_t r = 0; r < rules.size(); ++r) {
    if (!selection.selected(rules[r]->id())) continue;
    if (leftovers == Leftovers::Fixable && !base.may_fix(r, FixScope{true})) continue;
    const auto& found = base.findings(*cur, r);
    left.insert(left.end(), found.begin(), found.end());
  }
  sort_by_position(left);
  for (auto& f : left) {
    // The last round changed the file and a rule still has a fix to make:
    // it has not settled.
    if (changed && !f.fix.empty() && scope.allows(f.applicability) && !contains(refused, f.rule) &&
        !contains(unsettled, f.rule)) {
      for (const auto& r : rules)
        if (r->id() == f.rule) unsettled.push_back(r->id());
    }
    result.unfixed.push_back(std::move(f));
  }
  return out;
}

Attempt fix_to_fixed_point(Baseline& base, const Selection& selection, FixScope scope, Leftovers leftovers) {
  // Each retry leaves out at least one more rule, so this ends.
  std::vector<std::string_view> excluded;
  std::vector<std::string> dropped;
  for (;;) {
    std::vector<std::string_view> unsettled;
    Attempt a = attempt(base, selection, scope, leftovers, excluded, unsettled);
    if (unsettled.empty()) {
      a.result.rejected.insert(a.result.rejected.begin(), dropped.begin(), dropped.end());
      return a;
    }
    for (auto id : unsettled) {
      excluded.push_back(id);
      dropped.push_back(std::string(id) + ": the fix still changed the file after " + std::to_string(kMaxRounds) +
                        " rounds (it does not converge); dropped, nothing of it is written");
    }
  }
}

}  // namespace

bool Rule::user_may_change(const Change&, size_t, size_t) const { return false; }
std::string Rule::verify(const Change&) const { return {}; }

bool Selection::selected(std::string_view id) const {
  auto names = [id](const std::string& name) {
    if (name == id) return true;
    const RuleInfo* r = resolve_rule(name);
    return r && r->id == id;
  };
  if (!only.empty() && std::none_of(only.begin(), only.end(), names)) return false;
  return std::none_of(skip.begin(), skip.end(), names);
}

std::vector<Finding> check(const Dockerfile& file, const model::KnowledgeBase& kb, const Options& options,
                           const Selection& selection) {
  Baseline base(file, kb, options, registry(), selection);
  return check_with(base, selection);
}

FixResult fix(const std::string& source, const std::string& path, const model::KnowledgeBase& kb,
              const Options& options, const Selection& selection, FixScope scope) {
  return fix(parse(source, path), kb, options, selection, scope);
}

FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection,
              FixScope scope) {
  return fix(std::move(parsed), kb, options, selection, registry(), scope);
}

FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection,
              const std::vector<std::unique_ptr<Rule>>& rules, FixScope scope) {
  Baseline base(parsed, kb, options, rules, selection);
  return fix_to_fixed_point(base, selection, scope, Leftovers::All).result;
}

Review review(const Dockerfile& parsed, const model::KnowledgeBase& kb, const Options& options,
              const Selection& selection, FixScope scope, bool count_more_unsafe) {
  return review(parsed, kb, options, selection, registry(), scope, count_more_unsafe);
}

Review review(const Dockerfile& parsed, const model::KnowledgeBase& kb, const Options& options,
              const Selection& selection, const std::vector<std::unique_ptr<Rule>>& rules, FixScope scope,
              bool count_more_unsafe) {
  Review out;
  Baseline base(parsed, kb, options, rules, selection);
  out.findings = check_with(base, selection);
  Attempt a = fix_to_fixed_point(base, selection, scope, Leftovers::Fixable);
  std::vector<bool> matched(a.result.applied.size(), false);
  for (auto& f : out.findings) {
    for (size_t k = 0; k < a.result.applied.size() && !f.will_fix; ++k) {
      if (matched[k] || a.result.applied[k].rule != f.rule || a.applied_origin[k].begin != f.span.begin) continue;
      matched[k] = true;
      f.will_fix = true;
    }
    if (f.will_fix || f.fix.empty() || !scope.allows(f.applicability)) continue;
    // A fix apply would drop is not offered.
    for (const auto& r : a.result.rejected)
      if (r.rfind(f.rule + ": ", 0) == 0) {
        f.no_fix_reason = "the fix is dropped: " + r.substr(f.rule.size() + 2);
        break;
      }
    if (f.no_fix_reason.empty()) f.no_fix_reason = "the fix conflicts with another rule's";
    f.fix.clear();
  }
  for (size_t k = 0; k < a.result.applied.size(); ++k) {
    if (matched[k]) continue;
    Finding f = a.result.applied[k];
    f.span = a.applied_origin[k];
    std::tie(f.line, f.column) = parsed.position(f.span.begin);
    f.fix.clear();
    f.changes.clear();
    f.after_other_fixes = true;
    f.will_fix = true;
    out.findings.push_back(std::move(f));
  }
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const Finding& x, const Finding& y) { return x.span.begin < y.span.begin; });
  for (const auto& f : out.findings) out.fixable += f.will_fix ? 1 : 0;
  out.fixed = std::move(a.result);
  if (!scope.unsafe && count_more_unsafe) {
    auto unsafe_fix = [](const Finding& f) { return !f.fix.empty() && f.applicability == Applicability::Unsafe; };
    if (std::any_of(out.findings.begin(), out.findings.end(), unsafe_fix) ||
        std::any_of(out.fixed.unfixed.begin(), out.fixed.unfixed.end(), unsafe_fix)) {
      auto more = fix_to_fixed_point(base, selection, FixScope{true}, Leftovers::Fixable).result;
      if (more.applied.size() > out.fixed.applied.size()) out.more_with_unsafe = more.applied.size() - out.fixed.applied.size();
    }
  }
  out.model = std::make_shared<const model::BuildModel>(std::move(base.as_read().model));
  return out;
}

}  // namespace dockerfix::fix
