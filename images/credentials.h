// Registry authentication: WWW-Authenticate challenges, the credentials the
// Docker CLI would use (~/.docker/config.json, its credential helpers), and
// which registries may be spoken to over plain HTTP.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockerfix::images {

struct Challenge {
  std::string scheme;                         // lower-cased: "bearer", "basic"
  std::map<std::string, std::string> params;  // realm, service, scope (names lower-cased)
};

// RFC 7235 challenges: `Bearer realm="https://auth",service="registry",scope="a,b"`;
// several in one header are split at the scheme names.
std::vector<Challenge> parse_challenges(const std::string& header);

struct Credentials {
  std::string username, password;
  std::string identity_token;  // an OAuth refresh token (docker login to some registries)
};

// $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
std::filesystem::path docker_config_file();

// What the Docker CLI would log in to `host` ("docker.io", "127.0.0.1:5000")
// with: credHelpers[host], else credsStore, else auths[host].auth. nullopt:
// anonymous. Throws std::runtime_error naming the file or helper on bad
// input; the message never holds a secret.
std::optional<Credentials> credentials_for(const std::string& host, const std::filesystem::path& config_file);

// Docker's rule: plain HTTP (and unverified TLS) only for loopback
// registries (localhost, 127.0.0.0/8, ::1) and the ones named insecure.
bool insecure_registry(const std::string& host, const std::vector<std::string>& named_insecure);

std::string base64_encode(const std::string& data);
std::optional<std::string> base64_decode(const std::string& text);

}  // namespace dockerfix::images
