// check's machine-readable writers stream their documents into one output
// buffer (issue 19) instead of building nlohmann::json trees: the JSON
// string escaper and the layout writer, the check JSON file entry, SARIF
// results and the CI formats, each byte for byte against what nlohmann
// (and the writers as they were, rebuilt here as the oracle) gives for the
// same values, on tricky and random strings and on real findings of a
// sample of the corpus.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "cli/check_json.h"
#include "cli/ci_formats.h"
#include "cli/display_text.h"
#include "cli/json_stream.h"
#include "cli/sarif.h"
#include "dockerfix/fix.h"
#include "dockerfix/rule_info.h"
#include "tests/test_support.h"

namespace dockerfix::cli {
namespace {

std::string dumped(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string escaped(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

// Strings that exercise every branch of the escaper and of nlohmann's
// UTF-8 decoder: escapes, every control character, each well-formed
// sequence length and the edges of table 3-7, overlong forms, surrogates,
// code points past U+10FFFF, truncated and interrupted sequences.
std::vector<std::string> tricky_strings() {
  std::vector<std::string> out = {"",
                                  "plain text",
                                  "quote \" backslash \\ slash /",
                                  "tab\tnewline\nreturn\rformfeed\fbackspace\b",
                                  "del \x7f",
                                  "Jos\xc3\xa9 \xe6\xa7\x8b \xf0\x9f\x9a\x80",
                                  "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
                                  "\xed\x9f\xbf\xee\x80\x80",      // just below and above the surrogates
                                  "\xc0\x80",                      // overlong NUL
                                  "\xc1\xbf",                      // overlong
                                  "\xe0\x80\x80",                  // overlong 3-byte
                                  "\xe0\x9f\xbf",                  // overlong 3-byte, top
                                  "\xf0\x80\x80\x80",              // overlong 4-byte
                                  "\xf0\x8f\xbf\xbf",              // overlong 4-byte, top
                                  "\xed\xa0\x80",                  // a surrogate
                                  "\xed\xbf\xbf",                  // the last surrogate
                                  "\xf4\x90\x80\x80",              // past U+10FFFF
                                  "\xf5\x80\x80\x80",              // no such lead byte
                                  "\xff",
                                  "\xfe\xff",
                                  "\x80",                          // a continuation byte alone
                                  "a\x80z",
                                  "\xc3",                          // truncated at the end
                                  "ab\xe6\xa7",
                                  "\xf0\x9f\x9a",
                                  "\xc3(",                         // interrupted by ASCII
                                  "\xe6\xa7(x",
                                  "\xe6(\xa7",
                                  "\xf0\x9f\x9a\"",                // interrupted by a quote
                                  "\xe6\xa7\x8b\xe6\xa7",          // a good character, then a truncated one
                                  "\xc3\xc3\xa9",                  // a lead byte interrupted by a good character
                                  "x\xed\xa0\x80y\xc0\xafz"};
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  out.push_back(controls);
  out.push_back(std::string("nul\0inside", 10));
  return out;
}

TEST(JsonString, EscapesAsNlohmannDumps) {
  for (const auto& s : tricky_strings()) EXPECT_EQ(escaped(s), dumped(s)) << testing::PrintToString(s);
  // Every string of one and of two bytes.
  for (int a = 0; a < 256; ++a) {
    std::string one(1, static_cast<char>(a));
    ASSERT_EQ(escaped(one), dumped(one)) << a;
    for (int b = 0; b < 256; ++b) {
      std::string two{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(escaped(two), dumped(two)) << a << " " << b;
    }
  }
}

TEST(JsonString, RandomStringsEscapeAsNlohmannDumps) {
  std::mt19937 rng(19);
  // Bytes drawn mostly from where the decoder's decisions are: ASCII
  // (escapes included), continuation bytes and every kind of lead byte.
  const std::string pieces[] = {"a", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\x80", "\x8f", "\x9f", "\xa0", "\xbf",
                                "\xc0", "\xc2", "\xdf", "\xe0", "\xe1", "\xed", "\xee", "\xef", "\xf0", "\xf1", "\xf4",
                                "\xf5", "\xff", "\xc3\xa9", "\xe6\xa7\x8b", "\xf0\x9f\x9a\x80", "\xed\xa0\x80"};
  std::uniform_int_distribution<size_t> piece(0, std::size(pieces) - 1), length(0, 12), byte(0, 255);
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    for (size_t k = length(rng); k > 0; --k) s += n % 4 == 0 ? std::string(1, static_cast<char>(byte(rng))) : pieces[piece(rng)];
    ASSERT_EQ(escaped(s), dumped(s)) << testing::PrintToString(s);
  }
}

// A JSON value written through JsonWriter, as a caller writes one.
void write(JsonWriter& j, const nlohmann::json& v) {
  if (v.is_object()) {
    j.object();
    for (const auto& [k, member] : v.items()) {
      j.key(k);
      write(j, member);
    }
    j.end();
  } else if (v.is_array()) {
    j.array();
    for (const auto& item : v) write(j, item);
    j.end();
  } else if (v.is_string()) {
    j.string(v.get<std::string>());
  } else if (v.is_boolean()) {
    j.boolean(v.get<bool>());
  } else if (v.is_null()) {
    j.null();
  } else if (v.is_number_unsigned()) {
    j.number(v.get<uint64_t>());
  } else {
    j.number(v.get<int64_t>());
  }
}

nlohmann::json random_value(std::mt19937& rng, int depth) {
  const auto strings = tricky_strings();
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7), count(0, 3), pick(0, static_cast<int>(strings.size()) - 1);
  switch (kind(rng)) {
    case 0: return strings[static_cast<size_t>(pick(rng))];
    case 1: return static_cast<int>(rng() % 2000) - 1000;
    case 2: return static_cast<uint64_t>(rng()) << 20;
    case 3: return rng() % 2 == 0;
    case 4: return nullptr;
    case 5: return "text";
    case 6: {
      auto a = nlohmann::json::array();
      for (int n = count(rng); n > 0; --n) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      auto o = nlohmann::json::object();
      for (int n = count(rng); n > 0; --n) o[strings[static_cast<size_t>(pick(rng))]] = random_value(rng, depth + 1);
      return o;
    }
  }
}

TEST(JsonWriter, LaysOutAsDumpAtEveryDepth) {
  std::mt19937 rng(7);
  for (int n = 0; n < 3000; ++n) {
    const nlohmann::json v = random_value(rng, 0);
    for (int depth : {0, 1, 4}) {
      std::string out(static_cast<size_t>(depth) * 2, ' ');
      JsonWriter j(out, depth);
      write(j, v);
      ASSERT_EQ(out, json_at(v, depth)) << v.dump();
    }
    std::string compact;
    JsonWriter c = JsonWriter::compact(compact);
    write(c, v);
    ASSERT_EQ(compact, v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  // Empty containers, nested and not.
  for (const char* text : {"{}", "[]", "[[]]", "{\"a\":{}}", "[{}, [], {\"b\": []}]"}) {
    const auto v = nlohmann::json::parse(text);
    std::string out;
    JsonWriter j(out, 0);
    write(j, v);
    EXPECT_EQ(out, json_at(v, 0)) << text;
  }
}

// ------------------------------------------------ the documents' parts

// What the writers were given on the corpus: every finding of a sample of
// its files, as check reports them.
struct Checked {
  std::string path;
  Dockerfile file;
  std::vector<fix::Finding> findings;
};

std::vector<Checked> corpus_sample() {
  std::vector<Checked> out;
  const auto& kb = model::KnowledgeBase::builtin();
  const auto all = test::corpus_files();
  for (size_t i = 0; i < all.size(); i += 97) {
    Dockerfile parsed = parse(test::read_file(all[i]), all[i].string());
    if (parsed.has_errors()) continue;
    auto review = fix::review(parsed, kb, {}, {}, fix::FixScope{i % 2 == 1});
    out.push_back({std::filesystem::relative(all[i], test::corpus_dir()).string(), std::move(parsed),
                   std::move(review.findings)});
  }
  return out;
}

// Findings no real file gave the sample: quoted and escaped text, text
// that is not UTF-8, fixes with several edits, findings made only after
// other fixes and ones without a fix but with a reason.
Checked tricky_file() {
  Checked c;
  c.path = "dir/with \"quotes\" and\ttab.Dockerfile";
  c.file = parse("FROM debian:12\nRUN curl -o x https://x\nUSER app\n", c.path);
  const auto strings = tricky_strings();
  for (size_t i = 0; i < strings.size(); ++i) {
    fix::Finding f;
    f.rule = i % 3 == 0 ? "network-retry" : i % 3 == 1 ? "SC2086" : "copy-chown";
    f.message = "message " + strings[i];
    f.line = static_cast<int>(i % 3) + 1;
    f.column = static_cast<int>(i % 5) + 1;
    f.span = {static_cast<uint32_t>(i % 20), static_cast<uint32_t>(i % 20 + i % 4)};
    f.severity = static_cast<fix::Severity>(i % 4);
    f.applicability = i % 2 ? fix::Applicability::Unsafe : fix::Applicability::Safe;
    f.will_fix = i % 3 == 0;
    f.after_other_fixes = i % 7 == 3;
    if (i % 4 == 1) f.no_fix_reason = "because " + strings[(i + 3) % strings.size()];
    if (i % 3 != 2) f.fix = {{{18, 18}, " --retry 3"}, {{20, 23}, strings[(i + 1) % strings.size()]}};
    c.findings.push_back(std::move(f));
  }
  return c;
}

// The check JSON entry as fix_commands.cpp built it with nlohmann.
nlohmann::json old_finding_json(const Dockerfile& file, const fix::Finding& f) {
  auto [end_line, end_column] = file.position(f.span.end);
  const bool has_fix = !f.fix.empty() || f.after_other_fixes;
  nlohmann::json j{{"rule", f.rule},
                   {"message", f.message},
                   {"line", f.line},
                   {"column", f.column},
                   {"end_line", end_line},
                   {"end_column", end_column},
                   {"severity", fix::to_string(f.severity)},
                   {"fixable", f.will_fix},
                   {"applicability", has_fix ? nlohmann::json(fix::to_string(f.applicability)) : nlohmann::json(nullptr)}};
  if (f.after_other_fixes) j["after_other_fixes"] = true;
  if (!f.no_fix_reason.empty()) j["no_fix_reason"] = f.no_fix_reason;
  auto edits = nlohmann::json::array();
  for (const auto& e : f.fix) edits.push_back({{"start", e.range.begin}, {"end", e.range.end}, {"text", e.text}});
  j["fix"] = edits;
  return j;
}

TEST(CheckJson, FileEntriesAsTheTreeWasDumped) {
  auto files = corpus_sample();
  ASSERT_GT(files.size(), 40u);
  files.push_back(tricky_file());
  files.push_back({"no-findings", parse("FROM scratch\n"), {}});
  size_t findings = 0;
  for (const auto& c : files) {
    auto list = nlohmann::json::array();
    for (const auto& f : c.findings) list.push_back(old_finding_json(c.file, f));
    std::string out;
    append_file_json(out, c.file, c.path, c.findings);
    EXPECT_EQ(out, json_at({{"path", c.path}, {"findings", list}}, 2)) << c.path;
    findings += c.findings.size();
  }
  EXPECT_GT(findings, 300u);
}

// A SARIF result as sarif.cpp built it with nlohmann, its URI given.
std::string old_sarif_result(const std::string& uri, bool absolute, const fix::Finding& f, int end_line, int end_column) {
  auto location = [&] {
    nlohmann::json l{{"uri", uri}};
    if (!absolute) l["uriBaseId"] = "SRCROOT";
    return l;
  };
  auto level = [](fix::Severity s) {
    return s == fix::Severity::Error ? "error" : s == fix::Severity::Warning ? "warning" : "note";
  };
  size_t index = 0;
  const auto table = fix::rule_table();
  for (; index < table.size(); ++index)
    if (table[index]->id == f.rule) break;
  nlohmann::json region{{"startLine", f.line}, {"startColumn", f.column}, {"endLine", end_line}, {"endColumn", end_column}};
  nlohmann::json result{{"ruleId", f.rule},
                        {"level", level(f.severity)},
                        {"message", {{"text", f.message + (f.no_fix_reason.empty() ? "" : " (no fix: " + f.no_fix_reason + ")")}}},
                        {"locations", {{{"physicalLocation", {{"artifactLocation", location()}, {"region", region}}}}}}};
  nlohmann::json props{{"applicability", f.fix.empty() && !f.after_other_fixes ? nlohmann::json(nullptr)
                                                                              : nlohmann::json(fix::to_string(f.applicability))}};
  if (f.after_other_fixes) props["afterOtherFixes"] = true;
  result["properties"] = props;
  if (index < table.size()) result["ruleIndex"] = index;
  if (!f.fix.empty()) {
    auto replacements = nlohmann::json::array();
    for (const auto& e : f.fix)
      replacements.push_back({{"deletedRegion", {{"byteOffset", e.range.begin}, {"byteLength", e.range.size()}}},
                              {"insertedContent", {{"text", e.text}}}});
    nlohmann::json change{{"artifactLocation", location()}, {"replacements", replacements}};
    nlohmann::json fix{{"description", {{"text", "dockerfix " + f.rule}}}, {"artifactChanges", nlohmann::json::array({change})}};
    result["fixes"] = nlohmann::json::array({fix});
  }
  return json_at(result, 4);
}

// A byte column of `line` in code points, stepping over each UTF-8
// sequence by the length its lead byte gives.
int code_points(const Dockerfile& file, int line, int column) {
  if (line < 1 || static_cast<size_t>(line) > file.line_starts.size()) return column;
  const size_t start = file.line_starts[line - 1], at = start + static_cast<size_t>(column - 1);
  int n = 1;
  for (size_t i = start; i < at; ++n) {
    const auto b = static_cast<unsigned char>(file.source[i]);
    i += b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  }
  return n;
}

std::string old_sarif_results(const std::string& uri, bool absolute, const Checked& c) {
  std::string out;
  for (fix::Finding f : c.findings) {
    auto [end_line, end_column] = c.file.position(f.span.end > f.span.begin ? f.span.end : f.span.begin);
    if (!out.empty()) out += ",\n";
    f.column = code_points(c.file, f.line, f.column);
    out += old_sarif_result(uri, absolute, f, end_line, code_points(c.file, end_line, end_column));
  }
  return out;
}

TEST(SarifResults, AsTheTreeWasDumped) {
  // The corpus's paths are URIs as they are.
  for (const auto& c : corpus_sample())
    EXPECT_EQ(SarifWriter::results(c.file, c.path, c.findings), old_sarif_results(c.path, false, c)) << c.path;
  // The URI, once per file: percent-encoded, "./" dropped, stdin, and a
  // path outside the directory dockerfix ran in made absolute.
  Checked c = tricky_file();
  EXPECT_EQ(SarifWriter::results(c.file, c.path, c.findings),
            old_sarif_results("dir/with%20%22quotes%22%20and%09tab.Dockerfile", false, c));
  EXPECT_EQ(SarifWriter::results(c.file, "./a#b?\xc3\xa9.Dockerfile", c.findings),
            old_sarif_results("a%23b%3F%C3%A9.Dockerfile", false, c));
  EXPECT_EQ(SarifWriter::results(c.file, "-", c.findings), old_sarif_results("stdin", false, c));
  const auto outside = std::filesystem::weakly_canonical(std::filesystem::current_path() / "../x.Dockerfile");
  EXPECT_EQ(SarifWriter::results(c.file, "../x.Dockerfile", c.findings),
            old_sarif_results("file://" + outside.generic_string(), true, c));
  EXPECT_EQ(SarifWriter::results(c.file, "x", {}), "");
  // One finding in another file (Kubernetes), its end given.
  EXPECT_EQ(SarifWriter::result("k8s/deploy.yaml", c.findings[0], 9, 4, ""),
            old_sarif_result("k8s/deploy.yaml", false, c.findings[0], 9, 4));
}

// The run says its columns count code points (columnKind), so a column
// after a non-ASCII character is not its byte column; the fix's byteOffset
// stays in bytes, as its name says.
TEST(SarifResults, ColumnsCountCodePoints) {
  const std::string src = "FROM debian:12\nRUN echo \"Jos\xc3\xa9 \xe6\xa7\x8b \xf0\x9f\x90\xb3\" && curl -o x https://x\n";
  Checked c{"D", parse(src), {}};
  c.findings = fix::review(c.file, model::KnowledgeBase::builtin(), {}, {}).findings;
  const fix::Finding* retry = nullptr;
  for (const auto& f : c.findings) retry = f.rule == "network-retry" ? &f : retry;
  ASSERT_TRUE(retry);
  // Before curl: `RUN echo "` (10 bytes), José (5), a space, 構 (3), a space,
  // 🐳 (4), `" && ` (5): 29 bytes, 23 code points.
  ASSERT_EQ(retry->column, 30);
  auto result = nlohmann::json::parse(SarifWriter::results(c.file, c.path, {*retry}));
  const auto& region = result["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startColumn"], 24);
  auto [end_line, end_column] = c.file.position(retry->span.end);
  ASSERT_EQ(end_line, 2);
  EXPECT_EQ(region["endColumn"], end_column - 6);
  EXPECT_EQ(result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["byteOffset"],
            retry->fix[0].range.begin);
  EXPECT_EQ(SarifWriter::results(c.file, c.path, c.findings), old_sarif_results(c.path, false, c));
  // A manifest's finding, with the manifest's text: the same counting.
  fix::Finding k;
  k.rule = "k8s-ids-match-image";
  k.message = "m";
  const std::string yaml = "metadata:\n  name: caf\xc3\xa9\n  runAsUser: 0\n";
  k.span = {static_cast<uint32_t>(yaml.find("runAsUser")), static_cast<uint32_t>(yaml.find(": 0"))};
  k.line = 3;
  k.column = 3;
  auto kr = nlohmann::json::parse(SarifWriter::result("k.yaml", k, 3, 12, yaml));
  EXPECT_EQ(kr["locations"][0]["physicalLocation"]["region"]["startColumn"], 3);
  const std::string wide = "a: \xc3\xa9\xc3\xa9 runAsUser\n";
  k.span = {static_cast<uint32_t>(wide.find("runAsUser")), static_cast<uint32_t>(wide.size() - 1)};
  k.line = 1;
  k.column = static_cast<int>(k.span.begin) + 1;
  kr = nlohmann::json::parse(SarifWriter::result("k.yaml", k, 1, static_cast<int>(k.span.end) + 1, wide));
  EXPECT_EQ(kr["locations"][0]["physicalLocation"]["region"]["startColumn"], 7);
  EXPECT_EQ(kr["locations"][0]["physicalLocation"]["region"]["endColumn"], 16);
}

// The Code Climate formats as ci_formats.cpp built them with nlohmann and fmt.
std::string old_ci(const std::string& format, const std::string& path, const std::vector<fix::Finding>& findings) {
  if (findings.empty()) return {};
  auto message = [](const fix::Finding& f) {
    std::string m = f.message;
    if (!f.no_fix_reason.empty() && f.fix.empty() && !f.after_other_fixes) m += " (no fix: " + f.no_fix_reason + ")";
    return m;
  };
  std::string out;
  const char* climate[] = {"blocker", "major", "info", "minor"};
  for (const auto& f : findings) {
    nlohmann::json issue{{"type", "issue"},
                         {"check_name", f.rule},
                         {"description", message(f)},
                         {"categories", {"Bug Risk"}},
                         {"location", {{"path", path}, {"lines", {{"begin", f.line}, {"end", f.line}}}}},
                         {"severity", climate[static_cast<int>(f.severity)]}};
    if (format == "gitlab_codeclimate") {
      const std::string key = fmt::format("{}\n{}\n{}\n{}\n{}", path, f.rule, f.line, f.column, message(f));
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int size = 0;
      EVP_Digest(key.data(), key.size(), digest, &size, EVP_sha256(), nullptr);
      std::string hex;
      for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
      issue["fingerprint"] = hex;
      if (!out.empty()) out += ",\n";
      out += json_at(issue, 1);
    } else {
      out += issue.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\0';
    }
  }
  return out;
}

TEST(CiFormats, AsTheyWereBuilt) {
  static_assert(static_cast<int>(fix::Severity::Error) == 0 && static_cast<int>(fix::Severity::Style) == 3);
  auto files = corpus_sample();
  files.push_back(tricky_file());
  for (const std::string format : {"codeclimate", "gitlab_codeclimate"})
    for (const auto& c : files)
      EXPECT_EQ(CiWriter::render(format, c.path, c.findings), old_ci(format, c.path, c.findings)) << format << " " << c.path;
  // Checkstyle: one <file>, what XML cannot hold escaped or replaced.
  fix::Finding f;
  f.rule = "copy-chown";
  f.message = "a <b> & \"c\" 'd'\n\te\x01";
  f.line = 3;
  f.column = 2;
  f.severity = fix::Severity::Style;
  fix::Finding g = f;
  g.rule = "network-retry";
  g.message = "x";
  g.no_fix_reason = "why";
  g.severity = fix::Severity::Error;
  EXPECT_EQ(CiWriter::render("checkstyle", "a&b.Dockerfile", {f, g}),
            "  <file name=\"a&amp;b.Dockerfile\">\n"
            "    <error line=\"3\" column=\"2\" severity=\"info\" "
            "message=\"a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#10;&#9;e?\" source=\"copy-chown\"/>\n"
            "    <error line=\"3\" column=\"2\" severity=\"error\" message=\"x (no fix: why)\" source=\"network-retry\"/>\n"
            "  </file>\n");
  EXPECT_EQ(CiWriter::render("checkstyle", "x", {}), "");
}

// ------------------------------------------------ escapes in the text layout

// What the text layout writes for a message: what lay_out shows for each
// character, tabs kept (escape_controls as it was built on lay_out).
std::string escaped_by_layout(std::string_view text) {
  std::string out;
  const DisplayLine line = lay_out(text);
  for (const Glyph& g : line.glyphs) out += text[g.byte] == '\t' ? std::string_view("\t") : line.shown_of(g);
  return out;
}

TEST(EscapeControls, AsLayOutShowsEachCharacter) {
  for (const auto& s : tricky_strings()) EXPECT_EQ(escape_controls(s), escaped_by_layout(s)) << testing::PrintToString(s);
  std::mt19937 rng(42);
  const std::string pieces[] = {"a", " ", "\t", "\x1b", "\x7f", "\r", "\xff", "\xc3\xa9", "\xe2\x80\xae", "\xc2\x85",
                                "\xcc\x81", "\xe6\xa7\x8b", "\xf0\x9f\x9a\x80", "\xef\xbb\xbf", "\xe6\xa7"};
  std::uniform_int_distribution<size_t> piece(0, std::size(pieces) - 1), length(0, 10);
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (size_t k = length(rng); k > 0; --k) s += pieces[piece(rng)];
    ASSERT_EQ(escape_controls(s), escaped_by_layout(s)) << testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace dockerfix::cli
