// End to end through the built CLI (DOCKERFIX_CLI): `dockerfix parse F` prints
// F back byte for byte (CRLF, BOM, no final newline, backtick escape,
// heredocs), and `dockerfix parse --json F` is valid JSON whose instruction
// boundaries are BuildKit's (corpus/BUILDKIT.jsonl).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace dockerfix {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;  // exit code, or -1 when it did not exit normally
  std::string out;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

CliRun run_cli(const std::string& args) {
  CliRun r;
  std::string command = quote(DOCKERFIX_CLI) + " " + args;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Corpus files with the given property (the first few in path order).
struct Samples {
  std::vector<fs::path> crlf, bom, no_final_newline, backtick, heredoc, plain;
};

const Samples& samples() {
  static const Samples s = [] {
    Samples out;
    for (const auto& path : test::corpus_files()) {
      std::string src = test::read_file(path);
      if (src.empty()) continue;
      if (out.crlf.size() < 3 && src.find("\r\n") != std::string::npos) out.crlf.push_back(path);
      if (out.bom.size() < 1 && src.rfind("\xEF\xBB\xBF", 0) == 0) out.bom.push_back(path);
      if (out.no_final_newline.size() < 3 && src.back() != '\n') out.no_final_newline.push_back(path);
      if (out.backtick.size() < 2 && src.find("escape=`") != std::string::npos) out.backtick.push_back(path);
      if (out.heredoc.size() < 2 && src.find("<<EOF") != std::string::npos) out.heredoc.push_back(path);
      if (out.plain.size() < 3) out.plain.push_back(path);
    }
    return out;
  }();
  return s;
}

std::map<std::string, nlohmann::json> oracle() {
  std::map<std::string, nlohmann::json> out;
  std::ifstream in(test::corpus_dir() / "BUILDKIT.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    out[j["file"].get<std::string>()] = j;
  }
  return out;
}

void expect_round_trip(const std::vector<fs::path>& files, const char* kind) {
  ASSERT_FALSE(files.empty()) << "no corpus file with " << kind << " in " << test::corpus_dir();
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    CliRun r = run_cli("parse " + quote(path.string()));
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.out == test::read_file(path)) << kind << ": printed bytes differ";
  }
}

TEST(CliParse, PrintsCrlfFilesBack) { expect_round_trip(samples().crlf, "CRLF"); }
TEST(CliParse, PrintsBomFilesBack) { expect_round_trip(samples().bom, "a BOM"); }
TEST(CliParse, PrintsFilesWithoutFinalNewlineBack) { expect_round_trip(samples().no_final_newline, "no final newline"); }
TEST(CliParse, PrintsBacktickEscapeFilesBack) { expect_round_trip(samples().backtick, "escape=`"); }
TEST(CliParse, PrintsHeredocFilesBack) { expect_round_trip(samples().heredoc, "heredocs"); }

TEST(CliParse, ReadsStandardInput) {
  ASSERT_FALSE(samples().crlf.empty());
  const fs::path& path = samples().crlf.front();
  CliRun r = run_cli("parse - < " + quote(path.string()));
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out == test::read_file(path));
}

TEST(CliParse, JsonHasBuildKitBoundaries) {
  auto want = oracle();
  ASSERT_FALSE(want.empty()) << "BUILDKIT.jsonl missing";
  std::vector<fs::path> files;
  for (const auto* group : {&samples().crlf, &samples().bom, &samples().no_final_newline, &samples().backtick,
                            &samples().heredoc, &samples().plain})
    files.insert(files.end(), group->begin(), group->end());
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::string rel = fs::relative(path, test::corpus_dir()).generic_string();
    ASSERT_TRUE(want.count(rel)) << rel << " not in BUILDKIT.jsonl";
    const auto& w = want[rel];
    CliRun r = run_cli("parse --json " + quote(path.string()));
    EXPECT_EQ(r.status, 0);
    auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << r.out.substr(0, 200);
    ASSERT_TRUE(j.contains("instructions"));
    ASSERT_TRUE(j.contains("diagnostics"));
    ASSERT_TRUE(j.contains("directives"));
    if (w.contains("error")) {
      bool error = false;
      for (const auto& d : j["diagnostics"]) error |= d["severity"] == "error";
      EXPECT_TRUE(error);
      continue;
    }
    const auto& got = j["instructions"];
    ASSERT_EQ(got.size(), w["instructions"].size());
    for (size_t k = 0; k < got.size(); ++k) {
      const auto& g = got[k];
      const auto& e = w["instructions"][k];
      EXPECT_EQ(g["spelling"], e["keyword"]) << "instruction " << k + 1;
      EXPECT_EQ(g["start_line"], e["start_line"]) << "instruction " << k + 1;
      EXPECT_EQ(g["end_line"], e["end_line"]) << "instruction " << k + 1;
      EXPECT_EQ(g["heredocs"].size(), e.value("heredocs", 0)) << "instruction " << k + 1;
      EXPECT_LE(g["start_offset"].get<uint64_t>(), g["end_offset"].get<uint64_t>());
    }
  }
}

TEST(CliParse, JsonOfASmallFileDescribesIt) {
  fs::path dir = fs::temp_directory_path() / ("dockerfix-cli-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "Dockerfile";
  {
    std::ofstream out(file, std::ios::binary);
    out << "# syntax=docker/dockerfile:1\nFROM alpine AS base\nRUN --mount=type=cache,target=/c <<EOF\n"
           "apk add curl\nEOF\nCMD [\"sh\", \"-c\", \"x\"]\nLABEL bad\n";
  }
  CliRun r = run_cli("parse --json " + quote(file.string()));
  fs::remove_all(dir);
  EXPECT_EQ(r.status, 0);
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_EQ(j["directives"].size(), 1u);
  EXPECT_EQ(j["directives"][0]["name"], "syntax");
  EXPECT_EQ(j["directives"][0]["value"], "docker/dockerfile:1");
  EXPECT_EQ(j["escape"], "\\");
  const auto& ins = j["instructions"];
  ASSERT_EQ(ins.size(), 4u);
  EXPECT_EQ(ins[0]["keyword"], "FROM");
  EXPECT_EQ(ins[0]["arguments"], "alpine AS base");
  EXPECT_EQ(ins[1]["keyword"], "RUN");
  EXPECT_EQ(ins[1]["start_line"], 3);
  EXPECT_EQ(ins[1]["end_line"], 5);
  ASSERT_EQ(ins[1]["flags"].size(), 1u);
  EXPECT_EQ(ins[1]["flags"][0]["name"], "mount");
  EXPECT_EQ(ins[1]["flags"][0]["value"], "type=cache,target=/c");
  ASSERT_EQ(ins[1]["heredocs"].size(), 1u);
  EXPECT_EQ(ins[1]["heredocs"][0]["name"], "EOF");
  EXPECT_EQ(ins[1]["heredocs"][0]["body"], "apk add curl\n");
  EXPECT_EQ(ins[2]["exec_form"], true);
  EXPECT_EQ(ins[2]["exec"], (nlohmann::json{"sh", "-c", "x"}));
  EXPECT_EQ(ins[3]["start_line"], 7);
  bool label_error = false;
  for (const auto& d : j["diagnostics"])
    label_error |= d["severity"] == "error" && d["line"] == 7 &&
                   d["message"].get<std::string>().find("LABEL must have two arguments") != std::string::npos;
  EXPECT_TRUE(label_error) << j["diagnostics"].dump();
}

TEST(CliParse, JsonStaysValidOnInvalidUtf8) {
  fs::path dir = fs::temp_directory_path() / ("dockerfix-cli-utf8-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "Dockerfile";
  {
    std::ofstream out(file, std::ios::binary);
    out << "FROM a\nRUN echo \xff\xfe\nCMD [\"\xc3\x28\"]\n";
  }
  CliRun printed = run_cli("parse " + quote(file.string()));
  CliRun r = run_cli("parse --json " + quote(file.string()));
  std::string src = test::read_file(file);
  fs::remove_all(dir);
  EXPECT_TRUE(printed.out == src);
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["instructions"].size(), 3u);
}

}  // namespace
}  // namespace dockerfix
