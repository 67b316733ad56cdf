#include "git/token_policy.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace dockerfix::gitlayer {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "host", "host:port", "[v6]" or "[v6]:port" -> host and port; false when malformed.
bool split_host_port(const std::string& hostport, std::string& host, std::string& port) {
  host.clear();
  port.clear();
  if (!hostport.empty() && hostport[0] == '[') {
    auto close = hostport.find(']');
    if (close == std::string::npos) return false;
    host = hostport.substr(1, close - 1);
    std::string rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':' || !all_digits(rest.substr(1))) return false;
      port = rest.substr(1);
    }
  } else {
    auto colon = hostport.rfind(':');
    host = hostport.substr(0, colon);
    if (colon != std::string::npos) {
      port = hostport.substr(colon + 1);
      if (!all_digits(port)) return false;
    }
  }
  host = lower(host);
  return true;
}

struct HostEntry {
  std::string host, port;
};

HostEntry entry_of(const std::string& spec) {
  HostEntry e;
  split_host_port(spec, e.host, e.port);
  return e;
}

std::string entry_text(const HostEntry& e) {
  std::string h = e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host;
  return e.port.empty() ? h : h + ":" + e.port;
}

bool matches(const std::vector<std::string>& entries, const UrlParts& u) {
  std::string port = u.port;
  if (port.empty()) port = u.scheme == "https" ? "443" : u.scheme == "http" ? "80" : "";
  for (const auto& spec : entries) {
    HostEntry e = entry_of(spec);
    if (e.host == u.host && (e.port.empty() || e.port == port)) return true;
  }
  return false;
}

}  // namespace

std::optional<UrlParts> parse_url(const std::string& url) {
  auto sep = url.find("://");
  if (sep == std::string::npos || sep == 0) return std::nullopt;
  UrlParts u;
  u.scheme = lower(url.substr(0, sep));
  if (!std::all_of(u.scheme.begin(), u.scheme.end(),
                   [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-' || c == '.'; }))
    return std::nullopt;
  const size_t start = sep + 3;
  const size_t end = std::min(url.find_first_of("/?#", start), url.size());
  std::string authority = url.substr(start, end - start);
  u.path = url.substr(end);
  if (auto at = authority.rfind('@'); at != std::string::npos) {
    std::string info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = info.find(':');
    u.user = percent_decode(info.substr(0, colon));
    if (colon != std::string::npos) {
      u.password = percent_decode(info.substr(colon + 1));
      u.has_password = true;
    }
  }
  if (!split_host_port(authority, u.host, u.port)) return std::nullopt;
  return u;
}

SplitUrl split_credentials(const std::string& url) {
  auto u = parse_url(url);
  if (!u) return {url, "", ""};
  auto sep = url.find("://") + 3;
  auto end = std::min(url.find_first_of("/?#", sep), url.size());
  auto at = url.rfind('@', end);
  if (at == std::string::npos || at < sep) return {url, "", ""};
  // HTTP(S): the whole user:password@ goes (libgit2 would send a user name
  // with an empty password first). Elsewhere (ssh) the user name stays: it
  // says which account, and is no secret.
  if (u->scheme != "http" && u->scheme != "https") {
    auto colon = url.find(':', sep);
    if (colon == std::string::npos || colon > at) return {url, u->user, ""};
    return {url.substr(0, colon) + url.substr(at), u->user, u->password};
  }
  return {url.substr(0, sep) + url.substr(at + 1), u->user, u->password};
}

TokenPolicy::TokenPolicy(const std::string& api_url, const std::vector<std::string>& hosts,
                         const std::vector<std::string>& http_hosts)
    : token_hosts_{"github.com", "api.github.com"}, http_hosts_(http_hosts) {
  if (auto u = parse_url(api_url); u && !u->host.empty())
    token_hosts_.push_back(entry_text({u->host, u->port}));
  token_hosts_.insert(token_hosts_.end(), hosts.begin(), hosts.end());
  token_hosts_.insert(token_hosts_.end(), http_hosts.begin(), http_hosts.end());
}

bool TokenPolicy::allows_secret(const std::string& url) const {
  auto u = parse_url(url);
  if (!u || u->host.empty()) return false;
  const bool encrypted = u->scheme == "https" || u->scheme == "ssh" || u->scheme == "ssh+git" || u->scheme == "git+ssh";
  return encrypted || (u->scheme == "http" && matches(http_hosts_, *u));
}

bool TokenPolicy::allows_token(const std::string& url) const {
  auto u = parse_url(url);
  return u && (u->scheme == "https" || u->scheme == "http") && allows_secret(url) && matches(token_hosts_, *u);
}

std::string TokenPolicy::refusal(const std::string& url) const {
  auto u = parse_url(url);
  if (!u || u->host.empty()) return "not an HTTP(S) URL";
  const std::string host = entry_text({u->host, u->port});
  if (u->scheme != "https" && u->scheme != "http") return "only HTTP(S) servers are sent a token";
  if (!matches(token_hosts_, *u))
    return fmt::format(
        "{} is not the forge the token belongs to (github.com, the API's host, hosts named with --token-host); "
        "name it with --token-host {}{}",
        host, host, u->scheme == "http" ? " and allow plain HTTP with --allow-http-host " + host : "");
  return fmt::format("the URL is plain HTTP; a token goes over plain HTTP only to a host named with --allow-http-host {}",
                     host);
}

TokenPolicy TokenPolicy::from_flags(const std::string& api_url, const std::vector<std::string>& hosts,
                                    const std::vector<std::string>& http_hosts) {
  auto check = [](const char* flag, const std::string& spec) {
    std::string host, port;
    if (spec.empty() || spec.find("://") != std::string::npos || spec.find_first_of("/@ \t") != std::string::npos ||
        !split_host_port(spec, host, port) || host.empty())
      throw std::invalid_argument(
          fmt::format("{} '{}': give HOST or HOST:PORT (e.g. ghe.example.com or 127.0.0.1:8080)", flag, spec));
  };
  for (const auto& h : hosts) check("--token-host", h);
  for (const auto& h : http_hosts) check("--allow-http-host", h);
  return TokenPolicy(api_url, hosts, http_hosts);
}

}  // namespace dockerfix::gitlayer
