// `dockerfix bot`: apply --commit --push plus a pull request, over a list of
// repositories (git/bot.h does the work).
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/fix_options.h"
#include "cli/git_fixer.h"
#include "cli/kubernetes_checks.h"
#include "cli/help_text.h"
#include "git/bot.h"
#include "git/github.h"
#include "git/handles.h"
#include "git/token_policy.h"

namespace dockerfix::cli {

namespace {

struct BotCli {
  FixOptions fix;
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
  Config shared;
  Settings s;
  try {
    if (!b.fix.config_file.empty()) shared = load_config(b.fix.config_file);
    s = settings_from(sub, b.fix, shared);
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  const bool use_repo_config = b.fix.config_file.empty();
  gitlayer::FixerFactory fixer_for = [&](const std::string& text, const std::string& origin) {
    auto settings = std::make_shared<Settings>(
        use_repo_config && !text.empty() ? settings_from(sub, b.fix, parse_config(text, origin, {})) : s);
    gitlayer::FileFixer inner = make_fixer(*settings, "");
    // The fixer refers to the settings: it keeps them alive.
    gitlayer::FileFixer fix = [settings, inner](const std::string& path, const std::string& bytes) {
      return inner(path, bytes);
    };
    return gitlayer::RepoFixer{fix, settings->options.user, settings->options.uid, make_tree_fixer(*settings)};
  };
  o.workdir = b.workdir.empty() ? default_workdir() : b.workdir;
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
  if (o.open_pull_requests && !o.token.empty() && !o.tokens.allows_token(o.api_url)) {
    fmt::print(stderr, "dockerfix: not sending the token to the API at {}: {}\n", redact_url(o.api_url),
               o.tokens.refusal(o.api_url));
    return kExitUsage;
  }
  if (!o.dry_run && o.open_pull_requests && o.token.empty())
    fmt::print(stderr, "dockerfix: no DOCKERFIX_TOKEN or GITHUB_TOKEN in the environment; the API will refuse to open pull requests\n");
  auto rows = run_bot(o, fixer_for, dockerfile_names(), b.fix.quiet ? nullptr : stderr);
  fmt::print("{}", format_table(rows));
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
  return {sub, [b, sub] { return run_bot_command(*sub, *b); }};
}

}  // namespace dockerfix::cli
