#include "git/github.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace dockerfix::gitlayer {

namespace {

size_t append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

PullRequest from_json(const nlohmann::json& j) {
  PullRequest pr;
  pr.number = j.value("number", 0L);
  pr.state = j.value("state", "");
  pr.merged = j.contains("merged_at") && !j["merged_at"].is_null();
  pr.html_url = j.value("html_url", "");
  pr.title = j.value("title", "");
  if (j.contains("head") && j["head"].is_object()) pr.head_ref = j["head"].value("ref", "");
  return pr;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

GitHub::GitHub(std::string api_url, std::string token, double timeout)
    : api_url_(std::move(api_url)), token_(std::move(token)), timeout_(timeout) {
  while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw ForgeError("cannot initialise libcurl");
}

std::string GitHub::default_api_url() {
  std::string url = env("GITHUB_API_URL");
  return url.empty() ? "https://api.github.com" : url;
}

std::string GitHub::token_from_env() {
  for (const char* name : {"DOCKERFIX_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"})
    if (std::string t = env(name); !t.empty()) return t;
  return {};
}

std::string GitHub::request(const std::string& method, const std::string& path, const std::string& body,
                            long& status) const {
  // Across hundreds of repositories a 502 or a dropped connection is routine:
  // reads and updates are retried with a growing pause. A create is not — a
  // POST that timed out may have opened the pull request, and a second would
  // be the duplicate the bot promises never to make.
  const int attempts = method == "POST" ? 1 : 3;
  if (failures_ >= kGiveUpAfter)
    throw ForgeError(fmt::format("not calling {} again in this run: its last {} requests failed", api_url_, failures_));
  for (int attempt = 1;; ++attempt) {
    try {
      std::string out = request_once(method, path, body, status);
      failures_ = 0;
      return out;
    } catch (const ForgeError& e) {
      const bool unanswered = status == 0 || status == 429 || status >= 500;
      // A server that let a whole timeout pass is stalled, not blipping:
      // asking again would only wait as long again.
      if (!unanswered || e.timed_out() || attempt >= attempts) {
        failures_ = unanswered ? failures_ + 1 : 0;
        throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500 * attempt * attempt));
    }
  }
}

std::string GitHub::request_once(const std::string& method, const std::string& path, const std::string& body,
                                 long& status) const {
  status = 0;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw ForgeError("cannot start an HTTP request");
  const std::string url = api_url_ + path;
  std::string response;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/vnd.github+json");
  headers = curl_slist_append(headers, "X-GitHub-Api-Version: 2022-11-28");
  headers = curl_slist_append(headers, "Content-Type: application/json");
  if (!token_.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "dockerfix-bot");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
  // A server that accepts the connection and never answers must not hold
  // the run: a deadline for the whole request, connecting included.
  const long ms = static_cast<long>(timeout_ * 1000);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, ms);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);  // the token goes to api_url's host only
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  if (method != "GET") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc == CURLE_OPERATION_TIMEDOUT)
    throw ForgeError(fmt::format("{} {}: no answer within {} s (--network-timeout)", method, url, timeout_), true);
  if (rc != CURLE_OK) throw ForgeError(fmt::format("{} {}: {}", method, url, curl_easy_strerror(rc)));
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 300) {
    std::string why;
    auto j = nlohmann::json::parse(response, nullptr, false);
    if (!j.is_discarded() && j.is_object()) why = j.value("message", "");
    throw ForgeError(fmt::format("{} {}: HTTP {}{}", method, url, status, why.empty() ? "" : ": " + why));
  }
  return response;
}

std::vector<PullRequest> GitHub::pulls_from(const std::string& repo, const std::string& head_branch) const {
  const std::string owner = repo.substr(0, repo.find('/'));
  std::vector<PullRequest> out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> esc(curl_easy_init(), curl_easy_cleanup);
  std::string head = owner + ":" + head_branch;
  char* escaped = curl_easy_escape(esc.get(), head.c_str(), static_cast<int>(head.size()));
  std::string head_q = escaped ? escaped : head;
  curl_free(escaped);
  for (int page = 1; page <= 10; ++page) {
    long status = 0;
    auto text = request("GET", fmt::format("/repos/{}/pulls?state=all&head={}&per_page=100&page={}", repo, head_q, page),
                        "", status);
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array()) throw ForgeError("unexpected answer listing pull requests of " + repo);
    for (const auto& item : j) {
      PullRequest pr = from_json(item);
      // The filter is the server's; a server that ignores it must not make
      // another branch's PR look like ours.
      if (pr.head_ref.empty() || pr.head_ref == head_branch) out.push_back(pr);
    }
    if (j.size() < 100) break;
  }
  return out;
}

PullRequest GitHub::create(const std::string& repo, const std::string& head_branch, const std::string& base,
                           const std::string& title, const std::string& body) const {
  long status = 0;
  nlohmann::json req{{"title", title}, {"head", head_branch}, {"base", base}, {"body", body},
                     {"maintainer_can_modify", true}};
  auto text = request("POST", fmt::format("/repos/{}/pulls", repo), req.dump(), status);
  return from_json(nlohmann::json::parse(text, nullptr, false));
}

PullRequest GitHub::update(const std::string& repo, long number, const std::string& title,
                           const std::string& body) const {
  long status = 0;
  nlohmann::json req{{"title", title}, {"body", body}};
  auto text = request("PATCH", fmt::format("/repos/{}/pulls/{}", repo, number), req.dump(), status);
  return from_json(nlohmann::json::parse(text, nullptr, false));
}

}  // namespace dockerfix::gitlayer
