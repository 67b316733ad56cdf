// Applies rules to a fixed point, verifying each rule's edits by re-parsing
// the result and comparing models: a fix that changes anything the rule did
// not intend is dropped and reported, and so is one that never converges.
// Every step is linear in the size of the file (edits are kept ordered,
// instructions are matched in one sweep), and there are at most
// kMaxRounds × rules re-parses, so apply is linear too.
#include <algorithm>

#include "dockerfix/fix.h"
#include "transforms/text.h"

namespace dockerfix::fix {

namespace {

size_t error_count(const Dockerfile& f) {
  return static_cast<size_t>(std::count_if(f.diagnostics.begin(), f.diagnostics.end(),
                                           [](const Diagnostic& d) { return d.severity == Severity::Error; }));
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
    out[i] = k < ranges.size() && ranges[k].first < s.end;
  }
  return out;
}

// Old instruction index -> new instruction index, matching texts in order.
// Instructions the edits touched are matched by position in the sequence.
std::optional<std::vector<size_t>> match_instructions(const Dockerfile& before, const Edits& edits,
                                                      const Dockerfile& after) {
  const std::vector<bool> touched = touched_instructions(before, edits);
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
    auto text = body(before.text(ins.span));
    while (j < after.instructions.size() && !touched[i] && body(after.text(after.instructions[j].span)) != text) ++j;
    if (j >= after.instructions.size()) return std::nullopt;
    if (touched[i] && after.instructions[j].keyword != ins.keyword) {
      while (j < after.instructions.size() && after.instructions[j].keyword != ins.keyword) ++j;
      if (j >= after.instructions.size()) return std::nullopt;
    }
    out.push_back(j++);
  }
  return out;
}

bool contains(const std::vector<std::string_view>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::vector<Finding> check_with(const Dockerfile& file, const model::KnowledgeBase& kb, const Options& options,
                                const Selection& selection, const std::vector<std::unique_ptr<Rule>>& rules) {
  auto m = model::analyze(file, kb, options.model);
  Context ctx{file, m, options, style_of(file)};
  std::vector<Finding> out;
  for (const auto& rule : rules) {
    if (!selection.selected(rule->id())) continue;
    auto found = rule->check(ctx);
    drop_ignored(file, found);
    out.insert(out.end(), found.begin(), found.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.span.begin < b.span.begin; });
  return out;
}

// One attempt: rounds of every selected rule not in `excluded`. Sets
// `unsettled` to the rules that would still change the file when the
// rounds run out.
FixResult attempt(const Dockerfile& parsed, const model::KnowledgeBase& kb, const Options& options,
                  const Selection& selection, const std::vector<std::unique_ptr<Rule>>& rules,
                  const std::vector<std::string_view>& excluded, std::vector<std::string_view>& unsettled) {
  FixResult result;
  const std::string& path = parsed.path;
  std::string current = parsed.source;
  std::vector<std::string_view> refused = excluded;  // rules whose fix failed verification
  // The tree and model of `current`, rebuilt only when a fix is accepted.
  Dockerfile before = parsed;
  auto mb = model::analyze(before, kb, options.model);
  bool changed = true;
  for (int round = 0; round < kMaxRounds && changed; ++round) {
    changed = false;
    for (const auto& rule : rules) {
      if (!selection.selected(rule->id()) || contains(refused, rule->id())) continue;
      Context ctx{before, mb, options, style_of(before)};
      Edits edits;
      std::vector<Finding> taken;
      auto found = rule->check(ctx);
      drop_ignored(before, found);
      for (auto& f : found) {
        if (!f.fix.empty() && edits.add_all(f.fix)) taken.push_back(std::move(f));
      }
      if (edits.empty()) continue;
      std::string candidate = edits.apply(current);
      Dockerfile after = parse(candidate, path);
      auto ma = model::analyze(after, kb, options.model);
      std::string why;
      if (error_count(after) > error_count(before)) why = "the fixed text does not parse cleanly";
      auto match = why.empty() ? match_instructions(before, edits, after) : std::nullopt;
      if (why.empty() && !match) why = "the fix changed instructions it did not mean to";
      if (why.empty()) {
        Rule::Change change{mb, ma};
        for (size_t i = 0; i < match->size() && why.empty(); ++i) {
          const auto* sb = mb.step_for(i);
          const auto* sa = ma.step_for((*match)[i]);
          if (!sb || !sa) continue;
          if (!same_user(sb->user, sa->user) && !rule->user_may_change(change, i, (*match)[i]))
            why = "the fix changed who runs line " + std::to_string(before.instructions[i].start_line);
        }
        if (why.empty()) why = rule->verify(change);
      }
      if (!why.empty()) {
        result.rejected.push_back(std::string(rule->id()) + ": " + why);
        refused.push_back(rule->id());
        continue;
      }
      current = std::move(candidate);
      before = std::move(after);
      mb = std::move(ma);
      changed = true;
      for (auto& f : taken) result.applied.push_back(std::move(f));
    }
  }
  result.text = current;
  // `before` is the tree of `current` here.
  for (auto& f : check_with(before, kb, options, selection, rules)) {
    // The last round changed the file and a rule still has a fix to make:
    // it has not settled.
    if (changed && !f.fix.empty() && !contains(refused, f.rule) && !contains(unsettled, f.rule)) {
      for (const auto& r : rules)
        if (r->id() == f.rule) unsettled.push_back(r->id());
    }
    result.unfixed.push_back(std::move(f));
  }
  return result;
}

}  // namespace

bool Rule::user_may_change(const Change&, size_t, size_t) const { return false; }
std::string Rule::verify(const Change&) const { return {}; }

bool Selection::selected(std::string_view id) const {
  if (!only.empty() && std::find(only.begin(), only.end(), id) == only.end()) return false;
  return std::find(skip.begin(), skip.end(), id) == skip.end();
}

std::vector<Finding> check(const Dockerfile& file, const model::KnowledgeBase& kb, const Options& options,
                           const Selection& selection) {
  return check_with(file, kb, options, selection, registry());
}

FixResult fix(const std::string& source, const std::string& path, const model::KnowledgeBase& kb,
              const Options& options, const Selection& selection) {
  return fix(parse(source, path), kb, options, selection);
}

FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection) {
  return fix(std::move(parsed), kb, options, selection, registry());
}

FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection,
              const std::vector<std::unique_ptr<Rule>>& rules) {
  // Each retry leaves out at least one more rule, so this ends.
  std::vector<std::string_view> excluded;
  std::vector<std::string> dropped;
  for (;;) {
    std::vector<std::string_view> unsettled;
    FixResult result = attempt(parsed, kb, options, selection, rules, excluded, unsettled);
    if (unsettled.empty()) {
      result.rejected.insert(result.rejected.begin(), dropped.begin(), dropped.end());
      return result;
    }
    for (auto id : unsettled) {
      excluded.push_back(id);
      dropped.push_back(std::string(id) + ": the fix still changed the file after " + std::to_string(kMaxRounds) +
                        " rounds (it does not converge); dropped, nothing of it is written");
    }
  }
}

}  // namespace dockerfix::fix
