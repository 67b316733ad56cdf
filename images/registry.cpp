#include "images/registry.h"

#include <curl/curl.h>

namespace dockerfix::images {

namespace {

constexpr size_t kMaxManifest = 4 << 20;
constexpr size_t kMaxSmallBody = 1 << 20;

struct Url {
  std::string scheme, host;  // host with its port, if any
};

std::optional<Url> split_url(const std::string& url) {
  CURLU* h = curl_url();
  if (!h) return std::nullopt;
  Url out;
  char* part = nullptr;
  bool ok = curl_url_set(h, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  if (ok && curl_url_get(h, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) out.scheme = part;
  curl_free(part);
  part = nullptr;
  if (ok && curl_url_get(h, CURLUPART_HOST, &part, 0) == CURLUE_OK) out.host = part;
  curl_free(part);
  part = nullptr;
  if (ok && curl_url_get(h, CURLUPART_PORT, &part, 0) == CURLUE_OK) out.host += std::string(":") + part;
  curl_free(part);
  curl_url_cleanup(h);
  if (!ok) return std::nullopt;
  return out;
}

std::string resolve_url(const std::string& base, const std::string& location) {
  CURLU* h = curl_url();
  std::string out;
  if (h && curl_url_set(h, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      curl_url_set(h, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK) {
    char* s = nullptr;
    if (curl_url_get(h, CURLUPART_URL, &s, 0) == CURLUE_OK) out = s;
    curl_free(s);
  }
  curl_url_cleanup(h);
  return out;
}

std::string escape(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

std::string drain(HttpStream& s, size_t max) {
  std::string out;
  for (auto piece = s.read(); !piece.empty() && out.size() < max; piece = s.read()) out.append(piece);
  return out.substr(0, max);
}

}  // namespace

const std::string& manifest_accept() {
  static const std::string accept =
      "Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
      "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
  return accept;
}

bool Manifest::is_index() const {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

BlobReader::BlobReader(std::unique_ptr<HttpStream> stream, std::string digest, std::string what)
    : stream_(std::move(stream)), digest_(std::move(digest)), what_(std::move(what)) {}

std::string_view BlobReader::read() {
  if (finished_) return {};
  std::string_view piece = stream_->read();
  if (!piece.empty()) {
    hash_.update(piece.data(), piece.size());
    return piece;
  }
  finished_ = true;
  if (std::string got = hash_.digest(); got != digest_)
    throw RegistryError(what_ + ": the blob's content has digest " + got + ", not " + digest_);
  return {};
}

Registry::Registry(std::string host, RegistryOptions options) : host_(std::move(host)), options_(std::move(options)) {
  api_host_ = host_ == "docker.io" ? "registry-1.docker.io" : host_;
  insecure_ = insecure_registry(host_, options_.insecure);
}

const std::optional<Credentials>& Registry::credentials() {
  if (!credentials_) credentials_ = credentials_for(host_, options_.docker_config);
  return *credentials_;
}

std::string Registry::base() {
  if (scheme_.empty()) {
    if (!insecure_) {
      scheme_ = "https";
    } else {
      // As Docker does for insecure registries: HTTPS first, then plain HTTP.
      try {
        HttpRequest ping;
        ping.url = "https://" + api_host_ + "/v2/";
        ping.verify_tls = false;
        http_fetch(ping, kMaxSmallBody);
        scheme_ = "https";
      } catch (const HttpError&) {
        scheme_ = "http";
      }
    }
  }
  return scheme_ + "://" + api_host_;
}

std::string Registry::describe_failure(const HttpResponse& r, const std::string& what) const {
  std::string detail;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("errors") && j["errors"].is_array())
    for (const auto& e : j["errors"])
      if (e.is_object())
        detail += (detail.empty() ? "" : "; ") + e.value("code", std::string("?")) + ": " + e.value("message", std::string());
  std::string out = what + ": " + host_ + " answered HTTP " + std::to_string(r.status);
  if (!detail.empty()) out += " (" + detail + ")";
  if (r.status == 401 || r.status == 403)
    out += options_.docker_config.empty() ? "; no credentials were offered"
                                          : "; credentials come from " + options_.docker_config.string();
  return out;
}

void Registry::authenticate(const std::vector<std::string>& headers, const std::string& repository) {
  std::vector<Challenge> challenges;
  for (const auto& h : headers)
    for (auto& c : parse_challenges(h)) challenges.push_back(std::move(c));
  for (const auto& c : challenges) {
    if (c.scheme == "basic") {
      if (!credentials() || credentials()->username.empty())
        throw RegistryError(host_ + " wants a user name and password; none are configured for it in " +
                            options_.docker_config.string());
      basic_ = true;
      return;
    }
    if (c.scheme != "bearer") continue;
    auto realm = c.params.find("realm");
    if (realm == c.params.end()) throw RegistryError(host_ + ": a Bearer challenge without a realm");
    auto url = split_url(realm->second);
    if (!url || (url->scheme != "https" && !(url->scheme == "http" && insecure_registry(url->host, options_.insecure))))
      throw RegistryError(host_ + ": the token realm " + realm->second +
                          " is not HTTPS (plain HTTP is only for loopback and --insecure-registry hosts)");
    std::string scope = "repository:" + repository + ":pull";
    std::string service = c.params.count("service") ? c.params.at("service") : "";
    HttpRequest r;
    r.verify_tls = !insecure_registry(url->host, options_.insecure);
    const auto& creds = credentials();
    if (creds && !creds->identity_token.empty()) {
      // docker login stored an OAuth refresh token: trade it (RFC 6749).
      r.method = "POST";
      r.url = realm->second;
      r.headers.push_back("Content-Type: application/x-www-form-urlencoded");
      r.body = "grant_type=refresh_token&client_id=dockerfix&service=" + escape(service) + "&scope=" + escape(scope) +
               "&refresh_token=" + escape(creds->identity_token);
    } else {
      r.url = realm->second + (realm->second.find('?') == std::string::npos ? "?" : "&") +
              "service=" + escape(service) + "&scope=" + escape(scope);
      if (creds && !creds->username.empty())
        r.headers.push_back("Authorization: Basic " + base64_encode(creds->username + ":" + creds->password));
    }
    HttpResponse resp = http_fetch(r, kMaxSmallBody);
    if (resp.status != 200)
      throw RegistryError(host_ + ": the token server " + url->host + " refused a token for " + repository + " (HTTP " +
                          std::to_string(resp.status) + ")" +
                          (creds ? "; check the credentials for " + host_ + " in " + options_.docker_config.string()
                                 : "; no credentials are configured for " + host_));
    auto j = nlohmann::json::parse(resp.body, nullptr, false);
    std::string token = j.is_object() ? j.value("token", j.value("access_token", std::string())) : std::string();
    if (token.empty()) throw RegistryError(host_ + ": the token server answered no token");
    tokens_[repository] = token;
    return;
  }
  throw RegistryError(host_ + " asks for authentication dockerfix does not speak");
}

std::unique_ptr<HttpStream> Registry::open(const std::string& method, const std::string& path,
                                           const std::string& repository, const std::vector<std::string>& headers) {
  const std::string origin = base();
  std::string url = origin + path;
  bool authenticated = false;
  for (int hop = 0; hop < 8; ++hop) {
    auto where = split_url(url);
    if (!where) throw RegistryError(host_ + ": cannot follow to " + url);
    const bool home = url.rfind(origin + "/", 0) == 0;
    HttpRequest r;
    r.method = method;
    r.url = url;
    r.headers = headers;
    r.verify_tls = !insecure_registry(where->host, options_.insecure);
    if (home) {
      if (auto t = tokens_.find(repository); t != tokens_.end()) r.headers.push_back("Authorization: Bearer " + t->second);
      else if (basic_ && credentials())
        r.headers.push_back("Authorization: Basic " + base64_encode(credentials()->username + ":" + credentials()->password));
    }
    auto s = std::make_unique<HttpStream>(r);
    const HttpResponse& resp = s->response();
    if (resp.status == 401 && home && !authenticated) {
      authenticated = true;
      auto challenges = resp.all("www-authenticate");
      drain(*s, kMaxSmallBody);
      authenticate(challenges, repository);
      continue;
    }
    if (resp.status >= 301 && resp.status <= 308 && resp.status != 304 && !resp.header("location").empty()) {
      std::string next = resolve_url(url, resp.header("location"));
      auto to = split_url(next);
      if (!to || (to->scheme != "https" && !(to->scheme == "http" && insecure_registry(to->host, options_.insecure))))
        throw RegistryError(host_ + ": a redirect to " + (to ? to->scheme + "://" + to->host : next) +
                            " that is not HTTPS");
      url = next;
      continue;
    }
    return s;
  }
  throw RegistryError(host_ + ": too many redirects for " + path);
}

Manifest Registry::manifest(const std::string& repository, const std::string& reference) {
  const std::string what = host_ + "/" + repository + (valid_digest(reference) ? "@" : ":") + reference;
  auto s = open("GET", "/v2/" + repository + "/manifests/" + reference, repository, {manifest_accept()});
  HttpResponse r = s->response();
  r.body = drain(*s, kMaxManifest + 1);
  if (r.status != 200) throw RegistryError(describe_failure(r, what));
  if (r.body.size() > kMaxManifest) throw RegistryError(what + ": the manifest is larger than 4 MiB");
  Manifest m;
  m.digest = sha256_digest(r.body);
  if (valid_digest(reference) && m.digest != reference)
    throw RegistryError(what + ": the registry served a manifest with digest " + m.digest);
  m.json = nlohmann::json::parse(r.body, nullptr, false);
  if (!m.json.is_object()) throw RegistryError(what + ": the manifest is not JSON");
  m.media_type = m.json.value("mediaType", std::string());
  if (m.media_type.empty()) m.media_type = r.header("content-type").substr(0, r.header("content-type").find(';'));
  if (m.json.value("schemaVersion", 0) == 1 || m.media_type.rfind("application/vnd.docker.distribution.manifest.v1", 0) == 0)
    throw RegistryError(what + ": a schema 1 manifest (deprecated since Docker 1.10) is not supported");
  return m;
}

std::string Registry::current_digest(const std::string& repository, const std::string& reference) {
  const std::string what = host_ + "/" + repository + ":" + reference;
  auto s = open("HEAD", "/v2/" + repository + "/manifests/" + reference, repository, {manifest_accept()});
  HttpResponse r = s->response();
  drain(*s, kMaxSmallBody);
  if (r.status != 200) throw RegistryError(describe_failure(r, what));
  if (std::string d = r.header("docker-content-digest"); valid_digest(d)) return d;
  return manifest(repository, reference).digest;
}

std::string Registry::blob(const std::string& repository, const std::string& digest, size_t max_size) {
  auto reader = open_blob(repository, digest);
  std::string out;
  for (auto piece = reader->read(); !piece.empty(); piece = reader->read()) {
    out.append(piece);
    if (out.size() > max_size)
      throw RegistryError(host_ + "/" + repository + "@" + digest + ": the blob is larger than " +
                          std::to_string(max_size) + " bytes");
  }
  return out;
}

std::unique_ptr<BlobReader> Registry::open_blob(const std::string& repository, const std::string& digest) {
  const std::string what = host_ + "/" + repository + "@" + digest;
  if (!valid_digest(digest)) throw RegistryError(what + ": not a sha256 digest");
  auto s = open("GET", "/v2/" + repository + "/blobs/" + digest, repository, {});
  if (s->response().status != 200) {
    HttpResponse r = s->response();
    r.body = drain(*s, kMaxSmallBody);
    throw RegistryError(describe_failure(r, what));
  }
  return std::make_unique<BlobReader>(std::move(s), digest, what);
}

}  // namespace dockerfix::images
