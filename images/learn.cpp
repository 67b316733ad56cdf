#include "images/learn.h"

#include <ctime>
#include <map>
#include <memory>

#include "images/cache.h"
#include "images/engine.h"
#include "images/facts.h"

namespace dockerfix::images {

namespace {

constexpr size_t kMaxConfig = 8 << 20;

class Registries {
 public:
  explicit Registries(const RegistryOptions& o) : options_(o) {}
  Registry& operator[](const std::string& host) {
    auto& r = by_host_[host];
    if (!r) r = std::make_unique<Registry>(host, options_);
    return *r;
  }

 private:
  RegistryOptions options_;
  std::map<std::string, std::unique_ptr<Registry>> by_host_;
};

std::string platform_of(const nlohmann::json& config) {
  Platform p{config.value("os", std::string()), config.value("architecture", std::string()),
             config.value("variant", std::string())};
  if (p.os.empty() || p.architecture.empty()) return {};
  auto normal = parse_platform(p.text());
  return normal ? normal->text() : p.text();
}

std::string available_platforms(const nlohmann::json& index) {
  std::string out;
  for (const auto& m : index.value("manifests", nlohmann::json::array()))
    if (m.is_object() && m.contains("platform") && m["platform"].is_object()) {
      const auto& p = m["platform"];
      std::string t = p.value("os", std::string("?")) + "/" + p.value("architecture", std::string("?"));
      if (p.contains("variant") && p["variant"].is_string()) t += "/" + p["variant"].get<std::string>();
      if (t == "unknown/unknown") continue;  // attestation manifests
      out += (out.empty() ? "" : ", ") + t;
    }
  return out.empty() ? "none" : out;
}

// The facts of one image manifest: the config blob, then the layers from
// the top down until every question is answered.
model::LearnedFacts read_image(Registry& reg, const std::string& repository, const nlohmann::json& manifest,
                               const std::string& what, nlohmann::json& config_out) {
  if (!manifest.contains("config") || !manifest["config"].is_object())
    throw RegistryError(what + ": the manifest names no config");
  const std::string config_digest = manifest["config"].value("digest", std::string());
  std::string blob = reg.blob(repository, config_digest, kMaxConfig);
  config_out = nlohmann::json::parse(blob, nullptr, false);
  if (!config_out.is_object()) throw RegistryError(what + ": the image config is not JSON");
  FactsReader reader;
  const auto layers = manifest.value("layers", nlohmann::json::array());
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    if (!it->is_object()) throw RegistryError(what + ": a layer descriptor is not an object");
    const std::string media = it->value("mediaType", std::string());
    const std::string digest = it->value("digest", std::string());
    if (media.find("tar") == std::string::npos)
      throw RegistryError(what + ": layer " + digest + " has media type " + media + ", not a tar");
    auto blob_reader = reg.open_blob(repository, digest);
    std::function<std::string_view()> pull = [&] { return blob_reader->read(); };
    if (reader.read_layer(pull, what + " layer " + digest)) break;
  }
  return reader.facts(parse_image_config(config_out));
}

LearnOutcome outcome_of(const std::string& key, const model::LockedImage* old, const model::LockedImage& e) {
  using K = LearnOutcome::Kind;
  if (!old) return {key, K::Added, "", e.digest, ""};
  if (old->digest != e.digest) return {key, K::Moved, old->digest, e.digest, ""};
  return {key, K::Unchanged, old->digest, e.digest, ""};
}

}  // namespace

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

LearnReport learn(const std::vector<model::ImageRef>& refs, const LearnOptions& o, model::Lock previous) {
  LearnReport report;
  report.lock = std::move(previous);
  Registries registries(o.registry);
  Cache cache(o.cache_dir);
  const std::string now = o.now.empty() ? utc_now() : o.now;
  const std::string wanted_platform = o.platform.text();
  std::set<std::string> done;
  for (const auto& ref : refs) {
    const std::string key = model::lock_key(ref);
    if (!ref.valid || !done.insert(key).second) continue;
    const model::LockedImage* old = nullptr;
    if (auto it = report.lock.images.find(key); it != report.lock.images.end()) old = &it->second;
    try {
      model::LockedImage e;
      if (o.offline) {
        // The lock, else what the cache last saw for this reference.
        if (old && (old->platform == wanted_platform || old->platform.rfind(wanted_platform, 0) == 0)) {
          report.notes.push_back(key + ": unchanged (offline: from the lock)");
          report.outcomes.push_back(outcome_of(key, old, *old));
          continue;
        }
        auto cached = cache.by_reference(key, wanted_platform);
        if (!cached) throw RegistryError(key + ": not in the lock or the cache; learning it needs the network");
        e = *cached;
        report.notes.push_back(key + ": " + e.digest + " (offline: from the cache, learned " + e.learned_at + ")");
      } else if (auto local = o.engine_socket.empty() ? std::nullopt : learn_from_engine(ref, o.engine_socket)) {
        e = *local;
        e.learned_at = old && old->manifest == e.manifest && model::same_facts(old->facts, e.facts) ? old->learned_at : now;
        report.notes.push_back(key + ": " + e.digest + " (from the local engine" +
                               (e.source == "engine-local" ? ", a local build no registry serves)" : ")"));
      } else if (o.engine_only) {
        throw std::runtime_error(key + ": the local engine at " + o.engine_socket + " does not have it");
      } else {
        Registry& reg = registries[ref.registry];
        const std::string what = ref.familiar();
        if (o.progress) o.progress("learning " + what);
        Manifest top = reg.manifest(ref.repository, ref.digest.empty() ? ref.tag : ref.digest);
        Manifest image = top;
        if (top.is_index()) {
          const nlohmann::json* chosen = choose_manifest(top.json, o.platform);
          if (!chosen)
            throw RegistryError(what + ": no manifest for " + wanted_platform + " (it has " +
                                available_platforms(top.json) + "); choose one with --platform");
          image = reg.manifest(ref.repository, chosen->value("digest", std::string()));
          if (image.is_index()) throw RegistryError(what + ": an index inside an index is not supported");
        }
        e.reference = key;
        e.digest = top.digest;
        e.manifest = image.digest;
        e.source = "registry";
        std::string cached_at;  // when these facts were read, if they were before
        if (auto cached = cache.by_manifest(image.digest)) {
          e.facts = cached->facts;
          e.platform = cached->platform;
          cached_at = cached->learned_at;
        } else {
          nlohmann::json config;
          e.facts = read_image(reg, ref.repository, image.json, what, config);
          e.platform = platform_of(config);
          if (e.platform.empty()) e.platform = wanted_platform;
        }
        if (!top.is_index() && e.platform != wanted_platform)
          report.notes.push_back(key + ": the image is " + e.platform + ", not " + wanted_platform);
        // Kept while the manifest stays the same; else when the facts were
        // first read here, so relearning writes the same lock (the bot's reruns).
        e.learned_at = old && old->manifest == e.manifest && model::same_facts(old->facts, e.facts) ? old->learned_at
                       : !cached_at.empty()                                                        ? cached_at
                                                                                                   : now;
        std::string note = key + ": " + e.digest;
        if (!old) note += " (learned)";
        else if (old->digest != e.digest) note += " (moved from " + old->digest + ")";
        else note += " (unchanged)";
        report.notes.push_back(note);
        cache.put(e, wanted_platform);
      }
      report.outcomes.push_back(outcome_of(key, old, e));
      report.lock.images[key] = e;
    } catch (const std::exception& ex) {
      report.errors.push_back(ex.what());
      report.outcomes.push_back({key, LearnOutcome::Kind::Failed, "", "", ex.what()});
    }
  }
  return report;
}

std::vector<TagState> check_tags(const model::Lock& lock, const std::vector<std::string>& references,
                                 const LearnOptions& o) {
  std::vector<TagState> out;
  Registries registries(o.registry);
  for (const auto& key : references) {
    auto it = lock.images.find(key);
    if (it == lock.images.end()) continue;
    if (it->second.source == "engine-local") continue;  // a local build: no registry has it
    TagState t{key, it->second.digest, "", ""};
    model::ImageRef ref = model::parse_image_ref(key);
    try {
      if (ref.tag.empty()) t.current = ref.digest;  // a digest never moves
      else t.current = registries[ref.registry].current_digest(ref.repository, ref.tag);
    } catch (const std::exception& ex) {
      t.error = ex.what();
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace dockerfix::images
