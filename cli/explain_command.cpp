// `dockerfix explain`: the build model of one Dockerfile — stages, base
// images, who runs each instruction, what each RUN does that needs root.
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/help_text.h"
#include "cli/file_io.h"
#include "dockerfix/explain.h"
#include "dockerfix/lock.h"

namespace dockerfix::cli {
namespace {

struct ExplainOptions {
  std::string path;
  bool json = false;
  std::string target;
  std::string context;
  std::string knowledge;
  std::vector<std::string> build_args;
  std::string config_file;
  bool no_config = false;
};

int run_explain(const ExplainOptions& o) {
  std::string bytes, error;
  if (!read_input(o.path, bytes, error)) {
    fmt::print(stderr, "dockerfix: {}\n", error);
    return kExitUsage;
  }
  model::KnowledgeBase kb;
  try {
    // The same knowledge check and apply use: the built-in entries, the
    // config's `images:` over them, --knowledge over those, dockerfix.lock over all.
    Config config;
    if (!o.config_file.empty()) config = load_config(o.config_file);
    else if (!o.no_config)
      if (auto found = find_config(std::filesystem::current_path())) config = load_config(*found);
    kb = model::KnowledgeBase::builtin();
    if (config.images) kb.prepend(*config.images);
    if (!o.knowledge.empty()) kb.prepend(model::KnowledgeBase::from_file(o.knowledge));
    model::prepend_lock(kb, config.file, std::filesystem::current_path());
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  model::Options options;
  if (!o.target.empty()) options.target = o.target;
  for (const auto& a : o.build_args) {
    auto eq = a.find('=');
    if (eq == std::string::npos) {
      fmt::print(stderr, "dockerfix explain: --build-arg wants NAME=VALUE, got '{}'\n", a);
      return kExitUsage;
    }
    options.build_args[a.substr(0, eq)] = a.substr(eq + 1);
  }
  // The build context is the Dockerfile's directory unless given.
  if (!o.context.empty()) options.context = o.context;
  else if (o.path != "-") options.context = std::filesystem::absolute(o.path).parent_path();

  Dockerfile file = parse(std::move(bytes), o.path);
  for (const auto& d : file.diagnostics)
    if (d.severity == Severity::Error)
      fmt::print(stderr, "{}:{}:{}: {}: {}\n", o.path, d.line, d.column, d.code, d.message);
  model::BuildModel m = model::analyze(file, kb, options);
  if (o.json) {
    fmt::print("{}\n", model::explain_json(file, m).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}", model::explain_text(file, m));
  }
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto o = std::make_shared<ExplainOptions>();
  const HelpText& help = help_text("explain");
  CLI::App* sub = app.add_subcommand("explain", help.brief());
  sub->footer(help.footer());
  sub->add_option("path", o->path, "The Dockerfile, or - for stdin")->required();
  sub->add_flag("--json", o->json, "Print the model as JSON");
  sub->add_option("--target", o->target, "The stage that is built (default: the last)");
  sub->add_option("--context", o->context, "Build context directory (default: the Dockerfile's directory)");
  sub->add_option("--build-arg", o->build_args, "NAME=VALUE, as docker build --build-arg");
  sub->add_option("--knowledge", o->knowledge, "Extra base-image knowledge YAML (its entries win)");
  sub->add_option("--config", o->config_file, "Config file (default: the nearest .dockerfix.yaml upward)");
  sub->add_flag("--no-config", o->no_config, "Ignore .dockerfix.yaml files");
  return {sub, [o] { return run_explain(*o); }};
}

}  // namespace dockerfix::cli
