#include "k8s/checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace dockerfix::k8s {

namespace {

Location dockerfile_location(const std::string& dockerfile, const ImageUser& u) {
  return Location{dockerfile, u.user_line, u.user_line ? 1 : 0, 0, 0};
}

std::string at(const Location& l) { return fmt::format("{}:{}:{}", l.file, l.line, l.column); }

std::string user_text(const ImageUser& u, const std::string& dockerfile) {
  std::string ids;
  if (u.uid) ids = fmt::format(" (uid {}{})", *u.uid, u.gid ? fmt::format(", gid {}", *u.gid) : "");
  std::string where = u.user_line ? fmt::format("USER at {}:{}", dockerfile, u.user_line)
                                  : fmt::format("the base image of {}", dockerfile);
  return fmt::format("{}{}, {}", u.name, ids, where);
}

// A container with the facts the checks need.
struct Subject {
  const Workload& w;
  const Container& c;
  const ImageMapping& m;
  const ImageUser* user;  // nullptr: the integrator gave no facts for the Dockerfile
  SecurityContext eff;
};

template <class F>
void each_mapped(const Inventory& inv, const std::vector<ImageMapping>& mappings, const ImageUsers& users, F f) {
  for (const auto& m : mappings) {
    if (m.dockerfile.empty() || m.workload >= inv.workloads.size()) continue;
    const Workload& w = inv.workloads[m.workload];
    if (m.container >= w.containers.size()) continue;
    const Container& c = w.containers[m.container];
    auto it = users.find(m.dockerfile);
    f(Subject{w, c, m, it == users.end() ? nullptr : &it->second, effective(w, c)});
  }
}

Finding base_finding(std::string_view rule, const Subject& s) {
  Finding f;
  f.rule = std::string(rule);
  f.workload = s.w.label();
  f.container = s.c.name;
  f.dockerfile = s.m.dockerfile;
  f.assumed_mapping = s.m.assumed;
  return f;
}

std::string assumed_note(const Subject& s) { return s.m.assumed ? fmt::format(" [{}]", s.m.reason) : ""; }

void attach(Finding& f, const Inventory& inv, int file, Plan plan) {
  if (!plan.error.empty()) {
    f.no_fix_reason = plan.error;
    return;
  }
  f.fix_file = file;
  f.fix_path = inv.files[file].path;
  f.fix = std::move(plan.edits);
  f.expect = std::move(plan.expect);
}

Path parent(const Path& p) { return Path(p.begin(), p.end() - 1); }

// The containers whose effective key comes from the same place as `field`.
std::vector<std::pair<const Workload*, const Container*>> sharing(const Inventory& inv, const Field& field,
                                                                 std::optional<Field> SecurityContext::*member) {
  std::vector<std::pair<const Workload*, const Container*>> out;
  for (const auto& w : inv.workloads)
    for (const auto& c : w.containers) {
      SecurityContext e = effective(w, c);
      const auto& f = e.*member;
      if (f && f->where.file == field.where.file && f->where.begin == field.where.begin) out.emplace_back(&w, &c);
    }
  return out;
}

// Do all the containers that take the pod-level (or shared values) key run
// images of this uid? Then runAsUser can go next to runAsNonRoot.
bool all_share_uid(const Inventory& inv, const std::vector<ImageMapping>& mappings, const ImageUsers& users,
                   const Field& field, uint32_t uid) {
  for (auto [w, c] : sharing(inv, field, &SecurityContext::run_as_non_root)) {
    const ImageMapping* m = nullptr;
    for (const auto& x : mappings)
      if (&inv.workloads[x.workload] == w && x.container < w->containers.size() && &w->containers[x.container] == c)
        m = &x;
    if (!m || m->dockerfile.empty()) return false;
    auto u = users.find(m->dockerfile);
    if (u == users.end() || !u->second.uid || *u->second.uid != uid) return false;
  }
  return true;
}

bool numeric(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::vector<Finding> check_nonroot_verifiable(const Inventory& inv, const std::vector<ImageMapping>& mappings,
                                              const ImageUsers& users) {
  std::vector<Finding> out;
  each_mapped(inv, mappings, users, [&](const Subject& s) {
    const auto& nonroot = s.eff.run_as_non_root;
    if (!s.user || !nonroot || nonroot->as_bool() != true) return;
    const ImageUser& u = *s.user;
    if (s.eff.run_as_user) {
      if (s.eff.run_as_user->as_int() != 0) return;
      Finding f = base_finding(kRuleNonRootVerifiable, s);
      f.where = s.eff.run_as_user->where;
      f.related = {nonroot->where};
      f.message = fmt::format("container {} of {} cannot start: runAsUser is 0 and runAsNonRoot is true ({})",
                              s.c.name, s.w.label(), at(nonroot->where));
      f.no_fix_reason = "runAsUser 0 is root; set it to the image user's uid";
      out.push_back(std::move(f));
      return;
    }
    if (u.numeric_in_user_instruction && !u.is_root()) return;  // the kubelet checks the number
    Finding f = base_finding(kRuleNonRootVerifiable, s);
    f.where = nonroot->where;
    f.related = {dockerfile_location(s.m.dockerfile, u)};
    if (u.is_root()) {
      f.message = fmt::format("container {} of {} cannot start: runAsNonRoot is true but the image runs as root ({}): "
                              "\"container has runAsNonRoot and image will run as root\"{}",
                              s.c.name, s.w.label(), user_text(u, s.m.dockerfile), assumed_note(s));
      f.no_fix_reason = "the image itself runs as root: give it a non-root USER (nonroot-final-user)";
      f.preferred = Side::Dockerfile;
      out.push_back(std::move(f));
      return;
    }
    f.message = fmt::format(
        "container {} of {} cannot start: runAsNonRoot is true, no runAsUser is set and the image's user is a name ({}); "
        "the kubelet refuses it: \"container has runAsNonRoot and image has non-numeric user ({}), cannot verify user "
        "is non-root\"{}",
        s.c.name, s.w.label(), user_text(u, s.m.dockerfile), u.name, assumed_note(s));
    f.dockerfile_fix = DockerfileFix{DockerfileFix::Kind::NumericUser, s.m.dockerfile, u.uid, u.gid, u.user_line};
    f.preferred = inv.sets_run_as_user() ? Side::Manifest : Side::Dockerfile;
    if (!u.uid) {
      f.no_fix_reason = fmt::format("the uid of {} is not known; pin it in {} (useradd -u) first", u.name, s.m.dockerfile);
      f.preferred = Side::Dockerfile;
      out.push_back(std::move(f));
      return;
    }
    if (nonroot->file < 0) {
      f.no_fix_reason = nonroot->origin == Origin::Template
                            ? fmt::format("runAsNonRoot is written in the template {}; dockerfix edits values.yaml, "
                                          "not template text",
                                          at(nonroot->where))
                            : "runAsNonRoot is only seen in helm's output";
      f.preferred = Side::Dockerfile;
      out.push_back(std::move(f));
      return;
    }
    // runAsUser goes beside runAsNonRoot, unless that key also governs
    // containers of other images: then into this container's own context.
    int file = nonroot->file;
    size_t doc = nonroot->document;
    Path sc = parent(nonroot->path);
    std::optional<std::string> after = "runAsNonRoot";
    if (nonroot->level == Level::Pod && !all_share_uid(inv, mappings, users, *nonroot, *u.uid)) {
      if (!s.c.target.valid()) {
        f.no_fix_reason = s.c.target.why_not;
        out.push_back(std::move(f));
        return;
      }
      file = s.c.target.file;
      doc = s.c.target.document;
      sc = s.c.target.path;
      after.reset();
    }
    std::vector<NewEntry> add{{"runAsUser", NewValue::text(std::to_string(*u.uid))}};
    if (u.gid && !s.eff.run_as_group) add.push_back({"runAsGroup", NewValue::text(std::to_string(*u.gid))});
    attach(f, inv, file, plan_merge(inv.files[file], doc, sc, NewValue::map(add), after));
    out.push_back(std::move(f));
  });
  return out;
}

std::vector<Finding> check_ids_match_image(const Inventory& inv, const std::vector<ImageMapping>& mappings,
                                           const ImageUsers& users) {
  std::vector<Finding> out;
  each_mapped(inv, mappings, users, [&](const Subject& s) {
    if (!s.user || s.user->is_root()) return;
    const ImageUser& u = *s.user;
    std::string pvc = s.w.volume_claims
                          ? "; the pod's persistent volumes already hold files owned by the ids it ran with, so "
                            "changing either side needs those files chowned"
                          : "";
    auto mismatch = [&](const std::optional<Field>& field, const char* key, std::optional<uint32_t> want,
                        const char* what, const char* consequence) {
      if (!field) return;
      auto v = field->as_int();
      if (!v || !want || *v == static_cast<int64_t>(*want)) return;
      Finding f = base_finding(kRuleIdsMatchImage, s);
      f.where = field->where;
      f.related = {dockerfile_location(s.m.dockerfile, u)};
      f.message = fmt::format("{} {} of container {} ({}) is not the {} {} of the image's user {}: {}{}", key, *v,
                              s.c.name, s.w.label(), what, *want, user_text(u, s.m.dockerfile), consequence,
                              assumed_note(s));
      f.no_fix_reason = fmt::format("both ids are written down; set {} to {} or give the image's user {} {}{}", key,
                                    *want, what, *v, pvc);
      out.push_back(std::move(f));
    };
    mismatch(s.eff.run_as_user, "runAsUser", u.uid, "uid",
             "the container runs as a user that does not own what the image gave its user (home, WORKDIR, files "
             "chowned to it)");
    mismatch(s.eff.run_as_group, "runAsGroup", u.gid, "gid",
             "files the container creates get another group, and what the image made group-writable is not");
    mismatch(s.eff.fs_group, "fsGroup", u.gid, "gid",
             "the pod's volumes are owned by another group than the one the image's user and files have");
    // The manifest fixes a uid that the image leaves to useradd's choice.
    const auto& rau = s.eff.run_as_user;
    if (!u.uid && rau && rau->as_int() && *rau->as_int() > 0 && !numeric(u.name)) {
      Finding f = base_finding(kRuleIdsMatchImage, s);
      f.where = rau->where;
      f.related = {dockerfile_location(s.m.dockerfile, u)};
      f.message = fmt::format("container {} of {} runs as uid {} but the image's user {} gets whatever uid its "
                              "useradd picks in the base image (1000 may be taken, as by node){}",
                              s.c.name, s.w.label(), *rau->as_int(), user_text(u, s.m.dockerfile), assumed_note(s));
      uint32_t uid = static_cast<uint32_t>(*rau->as_int());
      std::optional<uint32_t> gid;
      if (s.eff.run_as_group && s.eff.run_as_group->as_int()) gid = static_cast<uint32_t>(*s.eff.run_as_group->as_int());
      f.dockerfile_fix = DockerfileFix{DockerfileFix::Kind::PinUid, s.m.dockerfile, uid, gid, u.user_line};
      f.preferred = Side::Dockerfile;
      f.no_fix_reason = fmt::format("the manifest side is explicit; pin the uid in {} (useradd -u {})", s.m.dockerfile, uid);
      out.push_back(std::move(f));
    }
  });
  return out;
}

std::vector<Finding> check_container_hardening(const Inventory& inv, const std::vector<ImageMapping>& mappings,
                                               const ImageUsers& users) {
  std::vector<Finding> out;
  each_mapped(inv, mappings, users, [&](const Subject& s) {
    const auto& ape = s.eff.allow_privilege_escalation;
    const auto& drop = s.eff.drop;
    bool ape_ok = ape && ape->as_bool() == false;
    bool drop_ok = drop && std::any_of(drop->items.begin(), drop->items.end(), [](std::string i) {
                     std::transform(i.begin(), i.end(), i.begin(), [](unsigned char c) { return std::toupper(c); });
                     return i == "ALL";
                   });
    if (ape_ok && drop_ok) return;
    Finding f = base_finding(kRuleContainerHardening, s);
    const Target& t = s.c.target;
    f.where = t.valid() && t.near.line ? t.near : s.c.where;
    if (t.origin == Origin::Values) f.related = {s.c.where};
    std::vector<std::string> missing;
    if (!ape_ok) missing.push_back(ape ? fmt::format("allowPrivilegeEscalation is {} ({})", ape->value, at(ape->where))
                                       : "no allowPrivilegeEscalation: false");
    if (!drop_ok) missing.push_back(drop ? fmt::format("capabilities.drop is [{}] ({})", drop->value, at(drop->where))
                                         : "no capabilities.drop: [ALL]");
    f.message = fmt::format("container {} of {}: {}; the Pod Security Standards' restricted profile requires both, "
                            "so a compromised process can gain privileges and keeps the runtime's default capabilities{}",
                            s.c.name, s.w.label(), fmt::join(missing, " and "), assumed_note(s));
    if (s.eff.privileged && s.eff.privileged->as_bool() == true) {
      f.no_fix_reason = fmt::format("the container is privileged ({}); Kubernetes rejects allowPrivilegeEscalation: "
                                    "false with privileged: true",
                                    at(s.eff.privileged->where));
      out.push_back(std::move(f));
      return;
    }
    if (!t.valid()) {
      f.no_fix_reason = t.why_not;
      out.push_back(std::move(f));
      return;
    }
    std::vector<NewEntry> add;
    if (!ape_ok) add.push_back({"allowPrivilegeEscalation", NewValue::text("false")});
    if (!drop_ok) add.push_back({"capabilities", NewValue::map({{"drop", NewValue::list({NewValue::str("ALL")})}})});
    attach(f, inv, t.file, plan_merge(inv.files[t.file], t.document, t.path, NewValue::map(add)));
    // Safe when the image runs as a known non-root user and nothing was
    // explicitly allowed: such a process has no use for either.
    bool allowed = ape && ape->as_bool() == true;
    f.fix_safe = s.user && !s.user->is_root() && !allowed;
    if (!f.fix_safe && f.no_fix_reason.empty() && !f.fix.empty())
      f.no_fix_reason = allowed ? "allowPrivilegeEscalation was set to true on purpose"
                            : "the image's user is root or not known: dropping capabilities may break it";
    out.push_back(std::move(f));
  });
  return out;
}

std::vector<Finding> check(const Inventory& inv, const std::vector<ImageMapping>& mappings, const ImageUsers& users) {
  std::vector<Finding> out = check_nonroot_verifiable(inv, mappings, users);
  for (auto* c : {&check_ids_match_image, &check_container_hardening}) {
    auto more = (*c)(inv, mappings, users);
    out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return out;
}

ApplyResult apply(const Inventory& inv, const std::vector<Finding>& findings) {
  ApplyResult r;
  std::map<int, std::vector<size_t>> by_file;
  for (size_t i = 0; i < findings.size(); ++i)
    if (findings[i].fix_file >= 0 && !findings[i].fix.empty()) by_file[findings[i].fix_file].push_back(i);
  for (const auto& [file, list] : by_file) {
    const YamlFile& original = inv.files[file];
    // One fix after the other, each planned again on the text the earlier
    // ones left (two fixes may create the same securityContext) and verified
    // on its own: bytes outside its edits kept, documents as intended.
    YamlFile cur = original;
    std::vector<Expectation> all;
    std::vector<Edit> edits;  // of the original
    std::vector<size_t> kept;
    for (size_t i : list) {
      const Finding& f = findings[i];
      auto reject = [&](const std::string& why) {
        r.rejected.push_back(fmt::format("{}: {} for {} of {}: {}", original.path, f.rule, f.container, f.workload, why));
      };
      Plan p = kept.empty() ? Plan{f.fix, f.expect, ""} : replan(cur, f.expect);
      if (!p.error.empty()) {
        reject(p.error);
        continue;
      }
      auto text = apply_edits(cur.text, p.edits);
      std::string why = text ? verify_edits(cur.text, *text, p.edits, p.expect) : "its edits overlap";
      if (!why.empty()) {
        reject(why);
        continue;
      }
      edits = compose(std::move(edits), p.edits);
      cur = YamlFile::parse(original.path, std::move(*text));
      all.insert(all.end(), p.expect.begin(), p.expect.end());
      kept.push_back(i);
    }
    if (kept.empty() || cur.text == original.text) continue;
    if (auto why = verify_edits(original.text, cur.text, edits, all); !why.empty()) {
      r.rejected.push_back(fmt::format("{}: the fixes together: {}", original.path, why));
      continue;
    }
    r.files.push_back(FileChange{original.path, original.text, cur.text, kept, std::move(edits), std::move(all)});
  }
  return r;
}

}  // namespace dockerfix::k8s
