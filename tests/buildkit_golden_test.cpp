// Golden answers from BuildKit's own parser for ~500 tricky snippets
// (corpus/buildkit-golden/cases.jsonl, made by generate.py beside it): the
// full semantic view, not only boundaries. Per case: the error BuildKit
// rejects it with, or per instruction the keyword, lines, logical line
// (Node.Original), flags, exec-form arguments, heredocs (name, fd, expand,
// chomp, body), the string argument of single-string instructions, ONBUILD
// triggers, the escape character and whether BuildKit warned about empty
// continuation lines.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "dockerfix/syntax.h"
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {

using nlohmann::json;

std::string base64_decode(const std::string& in) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = -8;
  for (char c : in) {
    auto at = alphabet.find(c);
    if (at == std::string::npos) continue;  // padding
    value = (value << 6) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// A byte string: plain JSON text when it was UTF-8, else {"b64": ...}.
std::string bytes(const json& j) {
  if (j.is_object()) return base64_decode(j.at("b64").get<std::string>());
  return j.get<std::string>();
}

std::vector<std::string> byte_list(const json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& x : j) out.push_back(bytes(x));
  return out;
}

std::string ascii_upper(std::string s) { return test::upper(std::move(s)); }

std::string show(const std::string& s) { return ::testing::PrintToString(s); }
std::string show(const std::vector<std::string>& v) { return ::testing::PrintToString(v); }

// Instructions whose whole argument is one string in BuildKit's node
// (parseString / parseMaybeJSON in shell form).
bool single_string(const std::string& keyword) {
  for (const char* k : {"RUN", "CMD", "ENTRYPOINT", "SHELL", "USER", "WORKDIR", "MAINTAINER", "STOPSIGNAL"})
    if (keyword == k) return true;
  return false;
}

// Compares one BuildKit node with one instruction; returns the first
// difference or "".
std::string compare(const json& want, const Instruction& got, bool top) {
  std::string keyword = ascii_upper(bytes(want["keyword"]));
  if (keyword != ascii_upper(got.keyword)) return "keyword " + show(keyword) + " vs " + show(got.keyword);
  if (top && (want["start_line"] != got.start_line || want["end_line"] != got.end_line))
    return keyword + " lines " + want["start_line"].dump() + "-" + want["end_line"].dump() + " vs " +
           std::to_string(got.start_line) + "-" + std::to_string(got.end_line);
  if (bytes(want["original"]) != got.logical)
    return keyword + " logical line " + show(bytes(want["original"])) + " vs " + show(got.logical);
  if (byte_list(want["flags"]) != test::flag_words(got))
    return keyword + " flags " + show(byte_list(want["flags"])) + " vs " + show(test::flag_words(got));
  bool exec = want["json"].get<bool>();
  if (exec != got.exec_form) return keyword + " exec_form " + (exec ? "true" : "false") + " vs the opposite";
  auto next = byte_list(want["next"]);
  if (exec && keyword != "HEALTHCHECK" && next != got.exec)
    return keyword + " exec " + show(next) + " vs " + show(got.exec);
  if (!exec && single_string(keyword)) {
    std::string rest = next.empty() ? std::string() : next[0];
    if (rest != got.arguments) return keyword + " arguments " + show(rest) + " vs " + show(got.arguments);
  }
  const auto& heredocs = want["heredocs"];
  size_t want_heredocs = heredocs.is_array() ? heredocs.size() : 0;
  if (top && want_heredocs != got.heredocs.size())
    return keyword + " heredocs " + std::to_string(want_heredocs) + " vs " + std::to_string(got.heredocs.size());
  for (size_t k = 0; top && k < want_heredocs; ++k) {
    const auto& w = heredocs[k];
    const Heredoc& h = got.heredocs[k];
    if (bytes(w["name"]) != h.name) return keyword + " heredoc name " + show(bytes(w["name"])) + " vs " + show(h.name);
    if (w["fd"] != h.fd || w["expand"] != h.expand || w["chomp"] != h.chomp)
      return keyword + " heredoc " + h.name + " fd/expand/chomp differ";
    if (bytes(w["body"]) != h.body) return keyword + " heredoc body " + show(bytes(w["body"])) + " vs " + show(h.body);
  }
  if (want.contains("onbuild")) {
    if (!got.onbuild) return keyword + " has no ONBUILD trigger";
    std::string inner = compare(want["onbuild"], *got.onbuild, false);
    if (!inner.empty()) return "trigger: " + inner;
  } else if (got.onbuild) {
    return keyword + " has a trigger BuildKit does not see";
  }
  return {};
}

std::string check_case(const json& c) {
  std::string src = bytes(c["source"]);
  Dockerfile f = parse(src);
  if (print(f) != src) return "does not round-trip";
  std::string invariant = test::invariant_violation(f);
  if (!invariant.empty()) return invariant;
  const json& bk = c["buildkit"];
  if (bk.contains("error")) {
    std::string error = bytes(bk["error"]);
    for (const auto& d : f.diagnostics)
      if (d.severity == Severity::Error && d.message.find(error) != std::string::npos) return {};
    return "BuildKit rejects it with " + show(error) + "; our diagnostics:\n" + test::describe(f);
  }
  for (const auto& d : f.diagnostics)
    if (d.severity == Severity::Error && d.code != "unknown-instruction")
      return "BuildKit accepts it; we report " + d.code + ": " + d.message;
  if (bk["escape"].get<std::string>() != std::string(1, f.escape)) return "escape " + bk["escape"].get<std::string>();
  bool warned = bk["warnings"].get<int>() > 0;
  if (warned != test::has_code(f, "empty-continuation-line"))
    return std::string("BuildKit ") + (warned ? "warns" : "does not warn") + " about an empty continuation line";
  const auto& want = bk["instructions"];
  if (want.size() != f.instructions.size())
    return std::to_string(want.size()) + " instructions vs " + std::to_string(f.instructions.size());
  for (size_t k = 0; k < want.size(); ++k) {
    std::string diff = compare(want[k], f.instructions[k], true);
    if (!diff.empty()) return "instruction " + std::to_string(k + 1) + ": " + diff;
  }
  return {};
}

TEST(BuildKitGolden, SemanticViewMatchesBuildKit) {
  std::ifstream in(std::string(DOCKERFIX_SOURCE_DIR) + "/corpus/buildkit-golden/cases.jsonl");
  ASSERT_TRUE(in) << "corpus/buildkit-golden/cases.jsonl missing";
  std::string line;
  std::vector<std::string> failures;
  size_t cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json c = json::parse(line);
    ++cases;
    std::string problem = check_case(c);
    if (!problem.empty())
      failures.push_back(c["name"].get<std::string>() + " " + show(bytes(c["source"])) + "\n      " + problem);
  }
  EXPECT_GE(cases, 400u);
  if (!failures.empty()) {
    std::string text;
    for (size_t k = 0; k < failures.size() && k < 50; ++k) text += "  " + failures[k] + "\n";
    ADD_FAILURE() << failures.size() << " of " << cases << " golden cases differ from BuildKit:\n" << text;
  }
}

}  // namespace
}  // namespace dockerfix
