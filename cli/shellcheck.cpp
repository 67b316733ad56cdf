#include "cli/shellcheck.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/shellcheck_cache.h"
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

const std::vector<std::string>& arguments() {
  static const std::vector<std::string> argv{"shellcheck", "--format=json1", "--norc", std::string("--exclude=") + kExcluded};
  return argv;
}

// Checks each text in one shellcheck process: its comments in the order
// shellcheck gave them ("file" left out), or nullopt with `error` set.
std::optional<std::vector<nlohmann::json>> check_texts(const std::vector<const std::string*>& texts, std::string& error) {
  TempDir dir;
  if (dir.path().empty()) {
    error = "cannot make a temporary directory for shellcheck";
    return std::nullopt;
  }
  std::vector<std::string> argv = arguments();
  for (size_t i = 0; i < texts.size(); ++i) {
    fs::path p = dir.path() / fmt::format("{}.sh", i);
    std::ofstream(p, std::ios::binary) << *texts[i];
    argv.push_back(p.string());
  }
  std::string out;
  int status = run_program(argv, out);
  if (status != 0 && status != 1) {
    error = status < 0 ? "shellcheck could not be run" : fmt::format("shellcheck failed (exit {})", status);
    return std::nullopt;
  }
  auto report = nlohmann::json::parse(out, nullptr, false);
  if (!report.is_object()) {
    error = "shellcheck printed something that is not its JSON report";
    return std::nullopt;
  }
  std::vector<nlohmann::json> comments(texts.size(), nlohmann::json::array());
  auto all = report.find("comments");
  if (all == report.end() || !all->is_array()) return comments;
  for (auto& c : *all) {
    if (!c.is_object()) continue;
    size_t index = 0;
    try {
      index = std::stoul(fs::path(c.value("file", "")).stem().string());
    } catch (...) {
      continue;
    }
    if (index >= texts.size()) continue;
    c.erase("file");
    comments[index].push_back(std::move(c));
  }
  return comments;
}

// shellcheck's comments on one script, as findings in the Dockerfile.
void add_findings(const Dockerfile& file, const Script& s, const nlohmann::json& comments, std::vector<fix::Finding>& out) {
  for (const auto& c : comments) {
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
    out.push_back(std::move(f));
  }
}

// The comments on one text; null when the shellcheck that was to check it failed.
using Comments = std::shared_ptr<const nlohmann::json>;
// Every text a run has met, by the exact bytes shellcheck reads (its
// arguments never change within a run): answered, or being checked by the
// worker that met it first.
using Memo = std::unordered_map<std::string, std::shared_future<Comments>>;

}  // namespace

struct Shellcheck::State {
  explicit State(bool persistent) : persistent(persistent) {}

  // The cache across runs, once shellcheck's identity is known; null
  // without one (--no-cache, no cache directory, a --version that fails).
  ShellcheckCache* disk() {
    if (!persistent) return nullptr;
    std::call_once(opened, [&] {
      fs::path dir = shellcheck_cache_dir();
      std::string version;
      if (dir.empty() || run_program({"shellcheck", "--version"}, version) != 0 || version.empty()) return;
      const char* opts = std::getenv("SHELLCHECK_OPTS");  // shellcheck reads more arguments from it
      nlohmann::json identity{{"version", version},
                              {"arguments", arguments()},
                              {"SHELLCHECK_OPTS", opts ? nlohmann::json(opts) : nlohmann::json(nullptr)}};
      cache = std::make_unique<ShellcheckCache>(std::move(dir), std::move(identity));
    });
    return cache.get();
  }

  const bool persistent;
  std::once_flag opened;
  std::unique_ptr<ShellcheckCache> cache;
  std::mutex mutex;
  Memo memo;
};

namespace {

// The texts one worker checks for every worker. Each promise is kept:
// with the comments, or (the worker's shellcheck failed, or it threw) with
// null, and the text leaves the memo so a later file tries it again.
class Claims {
 public:
  Claims(std::mutex& mutex, Memo& memo, const std::vector<std::string>& texts) : mutex_(mutex), memo_(memo), texts_(texts) {}
  Claims(const Claims&) = delete;
  Claims& operator=(const Claims&) = delete;
  ~Claims() { give_up(); }
  // The claims not kept: null, and out of the memo.
  void give_up() {
    if (open_.empty()) return;
    std::lock_guard lock(mutex_);
    for (auto& [t, promise] : open_) {
      memo_.erase(texts_[t]);
      promise.set_value(nullptr);
    }
    open_.clear();
  }
  // Under the mutex.
  void add(size_t t) {
    std::promise<Comments> p;
    memo_.emplace(texts_[t], p.get_future().share());
    open_.emplace(t, std::move(p));
  }
  void keep(size_t t, const Comments& comments) {
    auto it = open_.find(t);
    it->second.set_value(comments);
    open_.erase(it);
  }
  std::vector<size_t> open() const {
    std::vector<size_t> out;
    for (const auto& [t, p] : open_) out.push_back(t);
    return out;
  }

 private:
  std::mutex& mutex_;
  Memo& memo_;
  const std::vector<std::string>& texts_;
  std::map<size_t, std::promise<Comments>> open_;
};

// Checks texts[t] for each t in `which` in one process into `answers`; false with `error` set.
bool check_into(const std::vector<std::string>& texts, const std::vector<size_t>& which, std::vector<Comments>& answers,
                std::string& error) {
  std::vector<const std::string*> batch;
  for (size_t t : which) batch.push_back(&texts[t]);
  auto got = check_texts(batch, error);
  if (!got) return false;
  for (size_t k = 0; k < which.size(); ++k) answers[which[k]] = std::make_shared<const nlohmann::json>(std::move((*got)[k]));
  return true;
}

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

Shellcheck::Shellcheck(bool persistent) : state_(std::make_unique<State>(persistent)) {}
Shellcheck::~Shellcheck() = default;

std::vector<ShellcheckResult> Shellcheck::check(const std::vector<ShellcheckInput>& files) {
  std::vector<ShellcheckResult> results(files.size());
  // What shellcheck reads for each script; scripts that read the same share an answer.
  std::vector<std::vector<Script>> scripts(files.size());
  std::vector<std::vector<size_t>> text_of(files.size());
  std::vector<std::string> texts;
  {
    std::unordered_map<std::string, size_t> seen;
    for (size_t f = 0; f < files.size(); ++f) {
      std::vector<std::string> headers;
      scripts[f] = scripts_of(*files[f].file, *files[f].model, headers);
      for (size_t i = 0; i < scripts[f].size(); ++i) {
        auto [it, fresh] = seen.emplace(headers[i] + scripts[f][i].text + "\n", texts.size());
        if (fresh) texts.push_back(it->first);
        text_of[f].push_back(it->second);
      }
    }
  }
  if (texts.empty()) return results;
  std::vector<Comments> answers(texts.size());
  std::vector<std::pair<size_t, std::shared_future<Comments>>> elsewhere;  // being answered by another worker
  Claims claims(state_->mutex, state_->memo, texts);
  {
    std::lock_guard lock(state_->mutex);
    for (size_t t = 0; t < texts.size(); ++t) {
      if (auto it = state_->memo.find(texts[t]); it != state_->memo.end())
        elsewhere.emplace_back(t, it->second);
      else
        claims.add(t);
    }
  }
  // Every claim is kept (or given up) before waiting on anyone else's, so no two workers wait on each other.
  ShellcheckCache* disk = claims.open().empty() ? nullptr : state_->disk();
  std::vector<size_t> missing;
  for (size_t t : claims.open()) {
    if (auto stored = disk ? disk->get(texts[t]) : std::nullopt) {
      answers[t] = std::make_shared<const nlohmann::json>(std::move(*stored));
      claims.keep(t, answers[t]);
    } else {
      missing.push_back(t);
    }
  }
  std::string error;
  if (!missing.empty() && check_into(texts, missing, answers, error)) {
    for (size_t t : missing) claims.keep(t, answers[t]);
    if (disk)
      for (size_t t : missing) disk->put(texts[t], *answers[t]);
  }
  claims.give_up();
  for (auto& [t, answer] : elsewhere) answers[t] = answer.get();
  // What is still unanswered (a shellcheck here or elsewhere failed) each
  // file checks on its own, as if alone, and reports when that fails.
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<size_t> unanswered;
    for (size_t t : text_of[f])
      if (!answers[t] && std::find(unanswered.begin(), unanswered.end(), t) == unanswered.end()) unanswered.push_back(t);
    if (!unanswered.empty() && !check_into(texts, unanswered, answers, results[f].error)) continue;
    // shellcheck reports its last file first: findings in the order one process for the file gave them.
    for (size_t i = scripts[f].size(); i-- > 0;)
      add_findings(*files[f].file, scripts[f][i], *answers[text_of[f][i]], results[f].findings);
  }
  return results;
}

}  // namespace dockerfix::cli
