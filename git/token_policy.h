// Which servers may be sent a secret. The token belongs to a forge: it goes
// to that forge (github.com, the --api-url host, hosts named with
// --token-host) and only over HTTPS, unless --allow-http-host names the host
// for plain HTTP too. A password written into a URL goes only to that URL's
// host, and over plain HTTP only to a host named the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dockerfix::gitlayer {

struct UrlParts {
  std::string scheme;          // lower case
  std::string user, password;  // percent-decoded; empty when absent
  bool has_password = false;
  std::string host;            // lower case, IPv6 without brackets
  std::string port;            // empty when the URL names none
  std::string path;            // from the first '/' after the authority (may be empty)
};

// nullopt for anything that is not SCHEME://... (a local path, scp-like
// user@host:path).
std::optional<UrlParts> parse_url(const std::string& url);

// `url` without its password (for HTTP(S) without the user name too), and
// what was taken out. Not a URL (a path, scp-like ssh): returned as it is.
struct SplitUrl {
  std::string url;
  std::string user, password;
};
SplitUrl split_credentials(const std::string& url);

class TokenPolicy {
 public:
  // Token hosts: github.com, api.github.com, the host of `api_url` (with its
  // port when it names one), and `hosts`. `http_hosts` may receive it over
  // plain HTTP as well and are token hosts themselves. Entries are HOST or
  // HOST:PORT; without a port any port of the host matches.
  explicit TokenPolicy(const std::string& api_url = "", const std::vector<std::string>& hosts = {},
                       const std::vector<std::string>& http_hosts = {});

  // The token may be sent to `url`.
  bool allows_token(const std::string& url) const;
  // Any secret (a URL's own password, a credential helper's answer) may be
  // sent to `url`: HTTPS or SSH, or plain HTTP to an --allow-http-host host.
  bool allows_secret(const std::string& url) const;
  // Why the token is not sent to `url`, naming the flag that would allow it.
  std::string refusal(const std::string& url) const;

  // The policy of the command-line flags --token-host and --allow-http-host;
  // throws std::invalid_argument naming the flag for anything that is not
  // HOST or HOST:PORT.
  static TokenPolicy from_flags(const std::string& api_url, const std::vector<std::string>& hosts,
                                const std::vector<std::string>& http_hosts);

 private:
  std::vector<std::string> token_hosts_, http_hosts_;  // normalised HOST or HOST:PORT
};

}  // namespace dockerfix::gitlayer
