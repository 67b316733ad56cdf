// Walks the instructions once, keeping per-stage state: variables, user,
// WORKDIR, files copied from the context, users created.
#include <algorithm>

#include "dockerfix/model.h"
#include "grammar/buildkit_words.h"
#include "model/expand.h"
#include "model/run_analysis.h"
#include "model/words.h"

namespace dockerfix::model {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<uint32_t> to_uint(std::string_view s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<uint32_t>(std::stoul(std::string(s)));
}

// `KEY=value ...` or the legacy `KEY value` form (ENV, ARG).
std::vector<std::pair<std::string, std::optional<std::string>>> key_values(const Instruction& ins, char escape) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  auto words = grammar::parse_words(ins.arguments, escape);
  if (words.empty()) return out;
  if (ins.keyword == "ENV" && words[0].find('=') == std::string::npos) {
    auto sp = ins.arguments.find_first_of(" \t");
    if (sp != std::string::npos) {
      auto value = ins.arguments.substr(ins.arguments.find_first_not_of(" \t", sp));
      out.emplace_back(ins.arguments.substr(0, sp), value);
    }
    return out;
  }
  out.reserve(words.size());
  for (auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos) {
      out.emplace_back(std::move(w), std::nullopt);
    } else {
      std::string value = w.substr(eq + 1);
      w.resize(eq);
      out.emplace_back(std::move(w), std::move(value));
    }
  }
  return out;
}

struct StageState {
  ShellInUse shell;
  Vars vars;
  std::string workdir = "/";
  EffectiveUser user;
  std::map<std::string, std::string> copied;
};

class Analyzer {
 public:
  Analyzer(const Dockerfile& f, const KnowledgeBase& kb, const Options& o, RunMemo* memo)
      : f_(f), kb_(kb), o_(o), memo_(memo) {}

  BuildModel run() {
    m_.steps.reserve(f_.instructions.size());
    const auto stages = static_cast<size_t>(std::count_if(f_.instructions.begin(), f_.instructions.end(),
                                                          [](const Instruction& ins) { return ins.keyword == "FROM"; }));
    m_.stages.reserve(stages);
    parent_workdir_.reserve(stages);
    stage_shell_.reserve(stages);
    bool seen_from = false;
    for (size_t i = 0; i < f_.instructions.size(); ++i) {
      const Instruction& ins = f_.instructions[i];
      const std::string_view kw = ins.keyword;  // compared by size first
      if (kw == "FROM") {
        seen_from = true;
        start_stage(i, ins);
      } else if (!seen_from) {
        if (kw == "ARG") global_arg(ins);
        continue;
      }
      step(i, ins);
    }
    if (!m_.stages.empty()) {
      m_.stages.back().final_user = state_.user;
      m_.final_stage = m_.stages.size() - 1;
      if (o_.target) {
        m_.final_stage.reset();
        for (const auto& s : m_.stages)
          if (s.name == lower(*o_.target)) m_.final_stage = s.index;
        if (!m_.final_stage) m_.notes.push_back("target stage '" + *o_.target + "' not found");
      }
    }
    return std::move(m_);
  }

 private:
  void global_arg(const Instruction& ins) {
    for (auto& [k, v] : key_values(ins, f_.escape)) {
      if (auto it = o_.build_args.find(k); it != o_.build_args.end()) m_.global_args[k] = it->second;
      else if (v) {
        if (auto e = expand(*v, m_.global_args, f_.escape)) m_.global_args[k] = *e;
      }
    }
  }

  void start_stage(size_t i, const Instruction& ins) {
    if (!m_.stages.empty()) m_.stages.back().final_user = state_.user;
    Stage s;
    s.index = m_.stages.size();
    s.from_instruction = i;
    for (const auto& fl : ins.flags)
      if (fl.name == "platform" && fl.value) s.platform = *fl.value;
    auto words = split_words(ins.arguments);
    if (!words.empty()) s.base_text = words[0];
    if (words.size() >= 3 && lower(words[1]) == "as") s.name = lower(words[2]);
    std::optional<std::string> image;
    if (o_.build_args.empty()) {
      image = expand(s.base_text, m_.global_args, f_.escape);
    } else {
      Vars args = m_.global_args;
      for (auto& [k, v] : o_.build_args) args[k] = v;
      image = expand(s.base_text, args, f_.escape);
    }
    state_ = StageState{};
    if (!image) {
      m_.notes.push_back("FROM " + s.base_text + " at line " + std::to_string(ins.start_line) +
                         ": the image depends on a build argument with no default");
      state_.user = {EffectiveUser::State::Unknown, "", std::nullopt, "", "unresolved base image " + s.base_text};
    } else {
      const std::string stage_name = lower(*image);
      for (const auto& prev : m_.stages) {
        if (!prev.name.empty() && prev.name == stage_name) s.parent_stage = prev.index;
      }
      if (s.parent_stage) {
        const Stage& parent = m_.stages[*s.parent_stage];
        s.base = parent.base;
        s.facts = parent.facts;
        s.created_users = parent.created_users;
        s.created_groups = parent.created_groups;
        s.release = parent.release;
        s.env = parent.env;
        s.context_files = parent.context_files;
        state_.user = parent.final_user;
        state_.user.origin = "inherited from stage " + parent.name;
        state_.workdir = parent_workdir_[*s.parent_stage];
        state_.shell = stage_shell_[*s.parent_stage];
      } else {
        if (memo_) {
          const RunMemo::BaseImage& b = memo_->base_image(kb_, *image);
          s.base = b.ref;
          s.facts = b.facts;
          s.release = b.release;
        } else {
          RunMemo::BaseImage b = RunMemo::base_image_of(kb_, *image);
          s.base = std::move(b.ref);
          s.facts = b.facts;
          s.release = std::move(b.release);
        }
        state_.user = base_user(s);
        // The base image's WorkingDir is where its stage starts, as in the builder.
        if (s.facts && s.facts->runtime.working_dir) state_.workdir = *s.facts->runtime.working_dir;
        if (s.facts && s.facts->family == "windows") state_.shell = {{"cmd", "/S", "/C"}, false, false};
      }
    }
    m_.stages.push_back(std::move(s));
    // A stage built FROM another starts in that stage's WORKDIR, and so do its own children.
    parent_workdir_.push_back(state_.workdir);
    stage_shell_.push_back(state_.shell);
  }

  EffectiveUser base_user(const Stage& s) {
    EffectiveUser u;
    if (!s.facts) {
      u.origin = "unknown base image " + s.base.familiar();
      return u;
    }
    if (!s.facts->default_user) {
      u.origin = "base image " + s.base.familiar() + " (default user not recorded)";
      return u;
    }
    const KnownUser& d = *s.facts->default_user;
    u.name = d.name;
    u.uid = d.uid;
    u.state = (d.name == "root" || d.uid == 0u) ? EffectiveUser::State::Root : EffectiveUser::State::NonRoot;
    u.origin = "base image " + s.base.familiar() + " (" + s.facts->id + ")";
    return u;
  }

  const KnownUser* find_user(const Stage& s, std::string_view name, std::optional<uint32_t> uid) const {
    auto match = [&](const KnownUser& k) { return uid ? k.uid == uid : k.name == name; };
    for (auto it = s.created_users.rbegin(); it != s.created_users.rend(); ++it)
      if (match(*it)) return &*it;
    if (s.facts)
      for (const auto& k : s.facts->users)
        if (match(k)) return &k;
    return nullptr;
  }

  void set_user(const Instruction& ins, Stage& s) {
    EffectiveUser u;
    u.origin = "USER at line " + std::to_string(ins.start_line);
    auto value = expand(ins.arguments, state_.vars, f_.escape);
    if (!value || value->empty()) {
      u.name = ins.arguments;
      state_.user = u;
      return;
    }
    std::string spec = *value;
    auto colon = spec.find(':');
    std::string name = spec.substr(0, colon);
    if (colon != std::string::npos) u.group = spec.substr(colon + 1);
    auto uid = to_uint(name);
    u.name = name;
    if (name == "root" || uid == 0u) {
      u.state = EffectiveUser::State::Root;
      u.uid = 0;
    } else {
      u.state = EffectiveUser::State::NonRoot;
      u.uid = uid;
      if (const KnownUser* k = find_user(s, name, uid)) {
        u.uid = k->uid;
        if (uid) u.name = k->name.empty() ? name : k->name;
      }
    }
    state_.user = u;
  }

  void step(size_t i, const Instruction& ins) {
    Stage& s = m_.stages.back();
    const std::string_view kw = ins.keyword;  // compared by size first
    if (kw == "ARG") {
      for (auto& [k, v] : key_values(ins, f_.escape)) {
        if (auto it = o_.build_args.find(k); it != o_.build_args.end()) state_.vars[k] = it->second;
        else if (v) {
          if (auto e = expand(*v, state_.vars, f_.escape)) state_.vars[k] = *e;
        } else if (auto g = m_.global_args.find(k); g != m_.global_args.end()) {
          state_.vars[k] = g->second;
        }
      }
    } else if (kw == "ENV") {
      for (auto& [k, v] : key_values(ins, f_.escape)) {
        if (!v) continue;
        auto e = expand(*v, state_.vars, f_.escape);
        if (e) state_.vars[k] = *e;
        else state_.vars.erase(k);
        if (e) s.env[k] = {*e, i};
        else s.env.erase(k);
      }
    } else if (kw == "USER") {
      set_user(ins, s);
    } else if (kw == "WORKDIR") {
      auto value = expand(ins.arguments, state_.vars, f_.escape);
      state_.workdir = resolve_path(state_.workdir, value ? *value : ins.arguments);
      parent_workdir_.back() = state_.workdir;
    } else if (kw == "COPY" || kw == "ADD") {
      record_copy(ins, s);
    } else if (kw == "SHELL" && ins.exec_form && !ins.exec.empty()) {
      state_.shell = {ins.exec, posix_shell(ins.exec), true};
      stage_shell_.back() = state_.shell;
    }

    // Built in place: the steps are reserved for every instruction.
    s.steps.push_back(m_.steps.size());
    Step& st = m_.steps.emplace_back();
    st.instruction = i;
    st.stage = s.index;
    st.user = state_.user;
    st.workdir = state_.workdir;
    st.shell = state_.shell;
    // A RUN in cmd or PowerShell is not sh: lexing it as sh finds nonsense.
    if (kw == "RUN" && (state_.shell.posix || ins.exec_form)) {
      RunContext ctx{state_.workdir, &state_.copied, &o_.context, memo_ ? &memo_->context_files() : nullptr};
      RunFacts facts = memo_ ? memo_->analyze(f_, ins, ctx) : analyze_run(f_, ins, ctx);
      st.commands = std::move(facts.commands);
      st.needs_root = std::move(facts.needs_root);
      for (auto& u : facts.users) s.created_users.push_back(std::move(u));
      for (auto& g : facts.groups) s.created_groups.push_back(std::move(g));
    }
  }

  void record_copy(const Instruction& ins, Stage& s) {
    for (const auto& fl : ins.flags) {
      if (fl.name != "from" || !fl.value) continue;
      for (const auto& prev : m_.stages)
        if (!prev.name.empty() && prev.name == lower(*fl.value)) s.copies_from_stages.push_back(prev.index);
      return;  // not from the build context
    }
    if (!ins.heredocs.empty()) return;
    std::vector<std::string> split;
    if (!ins.exec_form) split = split_words(ins.arguments);
    const std::vector<std::string>& words = ins.exec_form ? ins.exec : split;
    if (words.size() < 2) return;
    const std::string& dest = words.back();
    const size_t sources = words.size() - 1;
    bool into_dir = sources > 1 || dest.back() == '/' || dest == "." ;
    std::string dest_abs = resolve_path(state_.workdir, dest);
    for (size_t k = 0; k < sources; ++k) {
      const std::string& src = words[k];
      if (src.find("://") != std::string::npos) continue;
      // base_name is what std::filesystem::path::filename() gives on POSIX ("" after a final `/`).
      std::string target = into_dir ? resolve_path("/", dest_abs + "/" + std::string(base_name(src))) : resolve_path("/", dest_abs);
      state_.copied[target] = src;
      s.context_files[std::move(target)] = src;
    }
  }

  const Dockerfile& f_;
  const KnowledgeBase& kb_;
  const Options& o_;
  RunMemo* memo_;
  BuildModel m_;
  StageState state_;
  std::vector<std::string> parent_workdir_;
  std::vector<ShellInUse> stage_shell_;  // each stage's shell at its end, for stages built on it
};

}  // namespace

bool posix_shell(const std::vector<std::string>& argv) {
  if (argv.empty()) return true;
  std::string name = lower(argv[0]);
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
  if (name.ends_with(".exe")) name.resize(name.size() - 4);
  return name != "cmd" && name != "powershell" && name != "pwsh";
}

const Step* BuildModel::step_for(size_t instruction) const {
  auto it = std::lower_bound(steps.begin(), steps.end(), instruction,
                             [](const Step& s, size_t i) { return s.instruction < i; });
  return it != steps.end() && it->instruction == instruction ? &*it : nullptr;
}

BuildModel analyze(const Dockerfile& file, const KnowledgeBase& kb, const Options& options) {
  return Analyzer(file, kb, options, nullptr).run();
}

BuildModel analyze(const Dockerfile& file, const KnowledgeBase& kb, const Options& options, RunMemo& memo) {
  BuildModel m = Analyzer(file, kb, options, &memo).run();
  m.derived.slot<ReviewContextFiles>().files = memo.context_files_ref();  // for runtime_facts()
  return m;
}

}  // namespace dockerfix::model
