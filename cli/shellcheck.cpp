#include "cli/shellcheck.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grammar/buildkit_words.h"

extern char** environ;

namespace dockerfix::cli {

namespace fs = std::filesystem;

namespace {

// hadolint leaves these out: SC2187 is about ash not being supported, and
// SC1090/SC1091 want a directive a Dockerfile cannot hold.
constexpr const char* kExcluded = "SC1090,SC1091,SC2187";

// One script handed to shellcheck, and how its text maps back to the file.
struct Script {
  std::string text;        // what follows the header lines
  size_t header_lines = 0;  // shebang and exports before it
  const Instruction* run = nullptr;
  bool heredoc = false;  // text is the contiguous file range starting at `base`
  uint32_t base = 0;     // heredoc: file offset; else the offset of `text` in run->logical
};

std::string base_name(std::string_view p) {
  auto slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

// The shebang shell for a SHELL instruction, "" for one shellcheck cannot read.
std::string dialect_of(const Instruction& shell) {
  if (!shell.exec_form || shell.exec.empty()) return "";
  std::string b = base_name(shell.exec[0]);
  if (b == "bash" || b == "dash" || b == "ksh" || b == "sh") return b;
  if (b == "ash" || b == "busybox") return "sh";
  return "";
}

std::string default_dialect(const model::Stage& s) {
  if (s.facts && (s.facts->family == "debian" || s.facts->family == "ubuntu")) return "dash";
  return "sh";
}

std::vector<std::string> names_set(const Instruction& ins, char escape) {
  std::vector<std::string> out;
  auto words = grammar::parse_words(ins.arguments, escape);
  if (ins.keyword == "ENV" && !words.empty() && words[0].find('=') == std::string::npos) return {words[0]};
  for (const auto& w : words) out.push_back(w.substr(0, w.find('=')));
  return out;
}

bool valid_name(const std::string& n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::vector<Script> scripts_of(const Dockerfile& f, const model::BuildModel& m, std::vector<std::string>& headers) {
  std::vector<Script> out;
  std::set<std::string> global{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy"};
  for (const auto& [k, v] : m.global_args) global.insert(k);
  for (const auto& stage : m.stages) {
    std::string shell = default_dialect(stage);
    std::set<std::string> vars = global;
    for (size_t si : stage.steps) {
      const auto& ins = f.instructions[m.steps[si].instruction];
      if (ins.keyword == "SHELL") shell = dialect_of(ins);
      if (ins.keyword == "ARG" || ins.keyword == "ENV")
        for (auto& n : names_set(ins, f.escape))
          if (valid_name(n)) vars.insert(n);
      // A Windows base image's cmd (no SHELL says so) is not sh either.
      if (ins.keyword != "RUN" || ins.exec_form || shell.empty() || !m.steps[si].shell.posix) continue;
      std::string header = "#!/bin/" + shell + "\n";
      size_t lines = 1;
      for (const auto& v : vars) {
        header += "export " + v + "=1\n";
        ++lines;
      }
      const bool heredoc_script = ins.arguments.starts_with("<<") && !ins.heredocs.empty();
      Script s;
      s.run = &ins;
      s.header_lines = lines;
      if (heredoc_script) {
        s.heredoc = true;
        s.base = ins.heredocs[0].body_span.begin;
        s.text = ins.heredocs[0].body;
      } else {
        s.base = ins.arguments_offset;
        s.text = ins.arguments;
      }
      if (s.text.empty()) continue;
      headers.push_back(header);
      out.push_back(std::move(s));
    }
  }
  return out;
}

// Byte offset in `text` of 1-based (line, column); columns count characters.
std::optional<uint32_t> offset_in(const std::string& text, int line, int column) {
  size_t at = 0;
  for (int l = 1; l < line; ++l) {
    at = text.find('\n', at);
    if (at == std::string::npos) return std::nullopt;
    ++at;
  }
  for (int c = 1; c < column && at < text.size() && text[at] != '\n'; ++c) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;  // UTF-8 continuation
  }
  return static_cast<uint32_t>(at);
}

uint32_t file_offset(const Script& s, uint32_t in_text) {
  if (s.heredoc) return s.base + in_text;
  return s.run->file_offset(s.base + in_text);
}

// Runs argv, returns its stdout and exit status (-1 when it could not start).
int run_program(const std::vector<std::string>& argv, std::string& out) {
  int pipefd[2];
  // Close-on-exec: a shellcheck another worker starts meanwhile must not hold this pipe open.
  if (pipe2(pipefd, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipefd[0]);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return -1;
  }
  char buf[1 << 16];
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class TempDir {
 public:
  TempDir() {
    const char* t = std::getenv("TMPDIR");
    std::string tmpl = std::string(t && *t ? t : "/tmp") + "/dockerfix-shellcheck-XXXXXX";
    if (char* d = mkdtemp(tmpl.data())) path_ = d;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

bool shellcheck_available() {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string_view p(path);
  while (!p.empty()) {
    auto colon = p.find(':');
    std::string dir(p.substr(0, colon));
    if (!dir.empty() && access((dir + "/shellcheck").c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    p.remove_prefix(colon + 1);
  }
  return false;
}

ShellcheckResult run_shellcheck(const Dockerfile& file, const model::BuildModel& model) {
  ShellcheckResult result;
  std::vector<std::string> headers;
  auto scripts = scripts_of(file, model, headers);
  if (scripts.empty()) return result;
  TempDir dir;
  if (dir.path().empty()) {
    result.error = "cannot make a temporary directory for shellcheck";
    return result;
  }
  std::vector<std::string> argv{"shellcheck", "--format=json1", "--norc", std::string("--exclude=") + kExcluded};
  for (size_t i = 0; i < scripts.size(); ++i) {
    fs::path p = dir.path() / fmt::format("{}.sh", i);
    std::ofstream(p, std::ios::binary) << headers[i] << scripts[i].text << "\n";
    argv.push_back(p.string());
  }
  std::string out;
  int status = run_program(argv, out);
  if (status != 0 && status != 1) {
    result.error = status < 0 ? "shellcheck could not be run" : fmt::format("shellcheck failed (exit {})", status);
    return result;
  }
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception&) {
    result.error = "shellcheck printed something that is not its JSON report";
    return result;
  }
  for (const auto& c : report.value("comments", nlohmann::json::array())) {
    const std::string name = fs::path(c.value("file", "")).stem().string();
    size_t index = 0;
    try {
      index = std::stoul(name);
    } catch (...) {
      continue;
    }
    if (index >= scripts.size()) continue;
    const Script& s = scripts[index];
    int line = c.value("line", 0) - static_cast<int>(s.header_lines);
    int end_line = c.value("endLine", 0) - static_cast<int>(s.header_lines);
    if (line < 1) continue;  // about the header dockerfix wrote
    auto begin = offset_in(s.text, line, c.value("column", 1));
    auto end = offset_in(s.text, std::max(end_line, line), c.value("endColumn", 1));
    if (!begin) continue;
    uint32_t b = file_offset(s, std::min<uint32_t>(*begin, static_cast<uint32_t>(s.text.size())));
    uint32_t e = end && *end > *begin ? file_offset(s, *end - 1) + 1 : b;
    fix::Finding f;
    f.rule = fmt::format("SC{}", c.value("code", 0));
    f.message = c.value("message", "");
    f.span = {b, std::max(b, e)};
    std::tie(f.line, f.column) = file.position(b);
    f.severity = fix::parse_severity(c.value("level", "warning")).value_or(fix::Severity::Warning);
    f.no_fix_reason = "";
    result.findings.push_back(std::move(f));
  }
  return result;
}

}  // namespace dockerfix::cli
