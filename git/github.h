// The subset of GitHub's REST API the bot needs (pull requests: list,
// create, update), over libcurl. The base URL is configurable for GitHub
// Enterprise and for tests; the token is sent as a header and never printed.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dockerfix::gitlayer {

class ForgeError : public std::runtime_error {
 public:
  explicit ForgeError(const std::string& what, bool timed_out = false)
      : std::runtime_error(what), timed_out_(timed_out) {}
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

struct PullRequest {
  long number = 0;
  std::string state;  // "open" or "closed"
  bool merged = false;
  std::string html_url;
  std::string head_ref;
  std::string title;
};

class GitHub {
 public:
  // `timeout`: seconds for one request, connecting included. The caller
  // decides whether the token may go to `api_url` (TokenPolicy).
  GitHub(std::string api_url, std::string token, double timeout = 60);

  // After kGiveUpAfter requests in a row failed for want of an answer (a
  // timeout, a refused connection, a 5xx or 429 after its retries), the API
  // is not called again: every request throws at once.
  static constexpr int kGiveUpAfter = 3;
  int failures() const { return failures_; }
  void set_failures(int n) { failures_ = n; }  // carried across the bot's worker processes

  // Every pull request (open and closed) from branch `head_branch` of
  // `owner/repo` into it.
  std::vector<PullRequest> pulls_from(const std::string& repo, const std::string& head_branch) const;
  PullRequest create(const std::string& repo, const std::string& head_branch, const std::string& base,
                     const std::string& title, const std::string& body) const;
  PullRequest update(const std::string& repo, long number, const std::string& title, const std::string& body) const;

  // GITHUB_API_URL, else https://api.github.com.
  static std::string default_api_url();
  // DOCKERFIX_TOKEN, else GITHUB_TOKEN, else GH_TOKEN.
  static std::string token_from_env();

 private:
  std::string request(const std::string& method, const std::string& path, const std::string& body, long& status) const;
  std::string request_once(const std::string& method, const std::string& path, const std::string& body,
                           long& status) const;
  std::string api_url_, token_;
  double timeout_;
  mutable int failures_ = 0;
};

}  // namespace dockerfix::gitlayer
