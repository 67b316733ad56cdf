// Applies rules to a fixed point, verifying each rule's edits by re-parsing
// the result and comparing models: a fix that changes anything the rule did
// not intend is dropped and reported.
#include <algorithm>

#include "dockerfix/fix.h"
#include "transforms/text.h"

namespace dockerfix::fix {

namespace {

constexpr int kMaxRounds = 4;

size_t error_count(const Dockerfile& f) {
  return static_cast<size_t>(std::count_if(f.diagnostics.begin(), f.diagnostics.end(),
                                           [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

bool same_user(const model::EffectiveUser& a, const model::EffectiveUser& b) {
  return a.state == b.state && a.name == b.name && a.uid == b.uid;
}

// Old instruction index -> new instruction index, matching texts in order.
// Instructions the edits touched are matched by position in the sequence.
std::optional<std::vector<size_t>> match_instructions(const Dockerfile& before, const Edits& edits,
                                                      const Dockerfile& after) {
  std::vector<size_t> out;
  size_t j = 0;
  for (const auto& ins : before.instructions) {
    bool touched = std::any_of(edits.edits().begin(), edits.edits().end(), [&](const Edit& e) {
      if (e.range.empty()) return ins.span.begin < e.range.begin && e.range.begin < ins.span.end;
      return e.range.begin < ins.span.end && ins.span.begin < e.range.end;
    });
    // A line appended at the end of a file without a final newline gives the
    // last instruction one.
    auto body = [](std::string_view t) {
      while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
      return t;
    };
    auto text = body(before.text(ins.span));
    while (j < after.instructions.size() && !touched && body(after.text(after.instructions[j].span)) != text) ++j;
    if (j >= after.instructions.size()) return std::nullopt;
    if (touched && after.instructions[j].keyword != ins.keyword) {
      while (j < after.instructions.size() && after.instructions[j].keyword != ins.keyword) ++j;
      if (j >= after.instructions.size()) return std::nullopt;
    }
    out.push_back(j++);
  }
  return out;
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
  auto m = model::analyze(file, kb, options.model);
  Context ctx{file, m, options, style_of(file)};
  std::vector<Finding> out;
  for (const auto& rule : registry()) {
    if (!selection.selected(rule->id())) continue;
    auto found = rule->check(ctx);
    drop_ignored(file, found);
    out.insert(out.end(), found.begin(), found.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.span.begin < b.span.begin; });
  return out;
}

FixResult fix(const std::string& source, const std::string& path, const model::KnowledgeBase& kb,
              const Options& options, const Selection& selection) {
  return fix(parse(source, path), kb, options, selection);
}

FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection) {
  FixResult result;
  const std::string path = parsed.path;
  std::string current = parsed.source;
  std::vector<std::string_view> refused;  // rules whose fix failed verification
  // The tree and model of `current`, rebuilt only when a fix is accepted.
  Dockerfile before = std::move(parsed);
  auto mb = model::analyze(before, kb, options.model);
  for (int round = 0; round < kMaxRounds; ++round) {
    bool changed = false;
    for (const auto& rule : registry()) {
      if (!selection.selected(rule->id())) continue;
      if (std::find(refused.begin(), refused.end(), rule->id()) != refused.end()) continue;
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
    if (!changed) break;
  }
  result.text = current;
  Dockerfile final_file = parse(current, path);
  for (auto& f : check(final_file, kb, options, selection)) result.unfixed.push_back(std::move(f));
  return result;
}

}  // namespace dockerfix::fix
