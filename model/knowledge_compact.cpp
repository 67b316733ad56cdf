// The compact form of read knowledge: CBOR through nlohmann::json, each
// struct as the list of its fields in the order fields() gives (no names:
// half the size, and twice as fast to decode as objects). A field left out
// of fields() makes the built-in knowledge differ from data/base-images.yaml
// read as YAML, which tests/knowledge_compact_test.cpp compares entry by entry.
#include <stdexcept>
#include <tuple>

#include <nlohmann/json.hpp>

#include "model/knowledge_loader.h"

namespace nlohmann {

// nullopt is null; anything else is the value (an empty list or string stays one).
template <class T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& o) {
    if (o) j = *o;
    else j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& o) {
    if (j.is_null()) o.reset();
    else o = j.get<T>();
  }
};

}  // namespace nlohmann

namespace dockerfix::model {

namespace {

auto fields(KnownUser& u) { return std::tie(u.name, u.uid, u.gid, u.home, u.shell); }
auto fields(KnownGroup& g) { return std::tie(g.name, g.gid); }
auto fields(KnownPrivilegeDrop& d) { return std::tie(d.how, d.user, d.source); }
auto fields(ImageRuntime& r) {
  return std::tie(r.entrypoint, r.cmd, r.drops_privileges, r.expose, r.volumes, r.writes, r.working_dir, r.release,
                  r.release_from_version, r.apt_retries_default);
}
auto fields(ImageFacts& f) {
  return std::tie(f.id, f.family, f.package_managers, f.shell, f.default_user, f.users, f.groups, f.user_tool, f.wget,
                  f.adduser, f.tools, f.apt_release, f.env, f.platform, f.source, f.runtime);
}
auto fields(KnowledgeBase::Entry& e) {
  return std::tie(e.repositories, e.tags, e.exclude_tags, e.min_version, e.max_version, e.facts);
}
auto fields(OsRelease& r) { return std::tie(r.name, r.family, r.version, r.apt, r.source); }
auto fields(Capabilities& c) { return std::tie(c.wget, c.adduser, c.apt_release, c.tools); }

constexpr int kFormat = 1;  // bumped when a fields() list changes

}  // namespace

// nlohmann::json finds these by argument-dependent lookup. fields() ties a
// struct's members for both directions; writing only reads through it.
template <class T>
  requires requires(T& t) { fields(t); }
void to_json(nlohmann::json& j, const T& value) {
  j = nlohmann::json::array();
  std::apply([&](const auto&... f) { (j.push_back(f), ...); }, fields(const_cast<T&>(value)));
}

template <class T>
  requires requires(T& t) { fields(t); }
void from_json(const nlohmann::json& j, T& value) {
  auto all = fields(value);
  if (!j.is_array() || j.size() != std::tuple_size_v<decltype(all)>) throw std::runtime_error("a record of the wrong size");
  size_t i = 0;
  std::apply([&](auto&... f) { (j[i++].get_to(f), ...); }, all);
}

std::string to_compact(const Knowledge& knowledge) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : KnowledgeAccess::entries(knowledge.base)) entries.push_back(*e);
  const nlohmann::json j = {{"format", kFormat},
                            {"entries", std::move(entries)},
                            {"releases", KnowledgeAccess::releases(knowledge.base)},
                            {"families", knowledge.families}};
  std::string out;
  nlohmann::json::to_cbor(j, out);
  return out;
}

Knowledge from_compact(std::string_view bytes) {
  try {
    const nlohmann::json j = nlohmann::json::from_cbor(bytes);
    if (j.at("format") != kFormat) throw std::runtime_error("format " + j.at("format").dump());
    Knowledge k;
    auto& entries = KnowledgeAccess::entries(k.base);
    for (const auto& e : j.at("entries")) entries.push_back(std::make_shared<KnowledgeBase::Entry>(e.get<KnowledgeBase::Entry>()));
    j.at("releases").get_to(KnowledgeAccess::releases(k.base));
    j.at("families").get_to(k.families);
    return k;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the built-in base-image knowledge is unreadable (") + e.what() + ")");
  }
}

}  // namespace dockerfix::model
