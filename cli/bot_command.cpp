// `dockerfix bot`: apply --commit --push plus a pull request, over a list of
// repositories (git/bot.h does the work).
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/fix_options.h"
#include "cli/git_fixer.h"
#include "cli/help_text.h"
#include "cli/kubernetes_checks.h"
#include "cli/verify_command.h"
#include "dockerfix/lock.h"
#include "git/bot.h"
#include "git/github.h"
#include "git/handles.h"
#include "git/token_policy.h"
#include "images/credentials.h"
#include "images/platform.h"
#include "images/repo_lock.h"
#include "verify/engine.h"
#include "verify/interrupt.h"

namespace dockerfix::cli {

namespace {

struct BotCli {
  FixOptions fix;
  VerifyCliOptions verify;
  std::string platform = "linux/amd64";  // of the base images learned into a repository's lock
  std::vector<std::string> insecure;     // registries that may use plain HTTP
  bool images_offline = false;
  std::string repos, shard = "1/1", workdir, api_url, author, message_prefix = "fix(docker)", forge = "github";
  std::vector<std::string> token_hosts, http_hosts;
  double network_timeout = 60, repo_timeout = 900;
  bool dry_run = false;
};

std::string default_workdir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && *xdg) return (std::filesystem::path(xdg) / "dockerfix" / "bot").string();
  if (home && *home) return (std::filesystem::path(home) / ".cache" / "dockerfix" / "bot").string();
  return ".dockerfix-bot";
}

int run_bot_command(const CLI::App& sub, BotCli& b) {
  using namespace gitlayer;
  BotOptions o;
  try {
    auto [k, n] = parse_shard(b.shard);
    o.repos = read_repo_list(b.repos, k, n);
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  // Settings: --config for every repository, else each repository's own
  // .dockerfix.yaml; never the one of the working directory. Flags win.
  // The lock is the repository's own dockerfix.lock, or none.
  Config shared;
  images::LearnOptions learn;
  try {
    if (!b.fix.config_file.empty()) shared = load_config(b.fix.config_file);
    Settings checked = settings_from(sub, b.fix, shared, LockSource{false, nullptr});  // bad flags stop the run here
    if (b.verify.enabled) make_verifier(checked, b.verify, true);                         // and a bad --build-arg
    auto platform = images::parse_platform(b.platform);
    if (!platform)
      throw std::runtime_error("--platform wants os/arch[/variant] (linux/amd64, linux/arm64/v8), got '" + b.platform + "'");
    learn.platform = *platform;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  learn.offline = b.images_offline;
  learn.registry.insecure = b.insecure;
  learn.registry.docker_config = images::docker_config_file();
  // From registries only: the images of the machine the bot runs on (a
  // local build, a stale pull) are not what the repository's lock records.
  learn.engine_socket.clear();
  if (!b.fix.quiet) learn.progress = [](const std::string& line) { fmt::print(stderr, "  {}\n", line); };
  if (b.verify.enabled) {
    // Without an engine nothing could be proven: the run stops before it
    // fetches or pushes anything, rather than push fixes nobody built.
    try {
      verify::Engine::from_environment().ping();
    } catch (const std::exception& e) {
      fmt::print(stderr, "dockerfix: bot --verify builds and runs each image, but no engine answers: {}; nothing was "
                         "pushed (set DOCKER_HOST, or run without --verify)\n", e.what());
      return kExitUsage;
    }
  }
  const bool use_repo_config = b.fix.config_file.empty();
  gitlayer::FixerFactory fixer_for = [&](const gitlayer::RepoView& repo) {
    Config config = use_repo_config && !repo.config_text.empty() ? parse_config(repo.config_text, repo.origin, {}) : shared;
    gitlayer::RepoFixer out;
    LockSource lock{false, nullptr};
    if (repo.lock_text) {
      // The repository keeps a lock: refreshed for its base images before
      // fixing, the fixes follow it, and it joins the commit when it changed.
      std::map<std::string, std::string> dockerfiles = repo.files(dockerfile_names());
      std::erase_if(dockerfiles, [&](const auto& f) { return is_ignored_relative(config, f.first); });
      images::RepoLock refreshed = images::refresh_repo_lock(dockerfiles, *repo.lock_text, repo.lock_origin, learn);
      if (!b.fix.quiet)
        for (const auto& line : refreshed.log) fmt::print(stderr, "  {}\n", line);
      lock.given = std::make_shared<const model::Lock>(std::move(refreshed.lock));
      out.notes = std::move(refreshed.notes);
      if (refreshed.changed) out.also_write["dockerfix.lock"] = std::move(refreshed.text);
    }
    auto settings = std::make_shared<Settings>(settings_from(sub, b.fix, std::move(config), lock));
    Verifier verifier;
    if (b.verify.enabled) verifier = make_verifier(*settings, b.verify, b.fix.quiet, VerifierPlace{repo.checkout, true});
    gitlayer::FileFixer inner = make_fixer(*settings, repo.checkout.string(), std::move(verifier));
    // The fixer refers to the settings: it keeps them alive.
    out.fix = [settings, inner](const std::string& path, const std::string& bytes) { return inner(path, bytes); };
    out.user = settings->options.user;
    out.uid = settings->options.uid;
    out.tree = make_tree_fixer(*settings);
    return out;
  };
  o.workdir = b.workdir.empty() ? default_workdir() : b.workdir;
  // Facts by digest beside the clones: kept with them between runs (docs/git.md),
  // so a rerun learns nothing again and writes the same lock.
  learn.cache_dir = std::filesystem::path(o.workdir) / "images";
  o.api_url = b.api_url.empty() ? GitHub::default_api_url() : b.api_url;
  o.token = GitHub::token_from_env();
  try {
    o.tokens = TokenPolicy::from_flags(o.api_url, b.token_hosts, b.http_hosts);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  o.network_timeout = b.network_timeout;
  o.repo_timeout = b.repo_timeout;
  o.dry_run = b.dry_run;
  o.open_pull_requests = b.forge == "github";
  o.commit.message_prefix = b.message_prefix;
  o.commit.author = b.author;
  if (b.verify.enabled) {
    o.checkout = true;
    // Ctrl-C or a CI's SIGTERM: the worker gets time to remove its
    // containers and images, and no further repository is started.
    verify::install_interrupt_handlers();
    o.stopped = [] { return verify::interrupted(); };
    o.stop_grace = 60;
  }
  if (o.open_pull_requests && !o.token.empty() && !o.tokens.allows_token(o.api_url)) {
    fmt::print(stderr, "dockerfix: not sending the token to the API at {}: {}\n", redact_url(o.api_url),
               o.tokens.refusal(o.api_url));
    return kExitUsage;
  }
  if (!o.dry_run && o.open_pull_requests && o.token.empty())
    fmt::print(stderr, "dockerfix: no DOCKERFIX_TOKEN or GITHUB_TOKEN in the environment; the API will refuse to open pull requests\n");
  auto rows = run_bot(o, fixer_for, dockerfile_names(), b.fix.quiet ? nullptr : stderr);
  fmt::print("{}", format_table(rows));
  if (o.stopped && o.stopped()) return kExitInterrupted;
  for (const auto& r : rows)
    if (r.failed) return kExitUsage;
  return kExitOk;
}

}  // namespace

Command add_bot_command(CLI::App& app) {
  auto b = std::make_shared<BotCli>();
  const HelpText& help = help_text("bot");
  CLI::App* sub = app.add_subcommand("bot", help.brief());
  sub->footer(help.footer());
  sub->add_option("--repos", b->repos, "File listing repositories: SOURCE [OWNER/NAME] a line (URL or path)")
      ->required();
  sub->add_option("--shard", b->shard, "K/N: only the K-th of N slices of the list (1-based; default 1/1)");
  sub->add_option("--workdir", b->workdir, "Clone cache (default $XDG_CACHE_HOME/dockerfix/bot)");
  sub->add_option("--api-url", b->api_url, "GitHub API base URL (default $GITHUB_API_URL or https://api.github.com)");
  sub->add_option("--forge", b->forge, "github (default): open pull requests; none: only push the branch")
      ->check(CLI::IsMember({"github", "none"}));
  sub->add_option("--token-host", b->token_hosts,
                  "HOST or HOST:PORT that may be sent the token over HTTPS, besides github.com and the --api-url host "
                  "(repeatable)");
  sub->add_option("--allow-http-host", b->http_hosts,
                  "HOST or HOST:PORT that may be sent the token and other credentials over plain HTTP too (repeatable)");
  sub->add_option("--network-timeout", b->network_timeout,
                  "Seconds a network operation may go without data before it is abandoned (default 60)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--repo-timeout", b->repo_timeout,
                  "Seconds for everything done for one repository before it is abandoned (default 900)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--dry-run", b->dry_run, "Clone, fix and commit locally, but neither push nor open pull requests");
  sub->add_option("--message-prefix", b->message_prefix, "Conventional-commit type(scope) (default fix(docker))");
  sub->add_option("--author", b->author, "'Name <email>' for the commits (default: GIT_AUTHOR_*, then git config)");
  add_rule_options(sub, b->fix);
  sub->add_option("--config", b->fix.config_file,
                  "Settings for every repository (default: each repository's own .dockerfix.yaml)");
  sub->add_flag("-q,--quiet", b->fix.quiet, "Only the summary table");
  add_verify_options(sub, b->verify, true);
  sub->add_option("--platform", b->platform,
                  "os/arch[/variant] of the base images learned into a repository's dockerfix.lock (default linux/amd64)");
  sub->add_option("--insecure-registry", b->insecure, "A registry (host[:port]) that may use plain HTTP; repeat")
      ->allow_extra_args(false);
  sub->add_flag("--images-offline", b->images_offline,
                "Learn no base image over the network: a repository's dockerfix.lock is refreshed from the cache only");
  return {sub, [b, sub] { return run_bot_command(*sub, *b); }};
}

}  // namespace dockerfix::cli
