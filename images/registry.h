// A client of the OCI distribution API for one registry: manifests, the
// config blob and layers, with the token dance registries ask for
// (WWW-Authenticate: Bearer realm=...) and the Docker CLI's credentials.
// Credentials go only to this registry and to the token realm it names; a
// redirect to another host (blob storage) carries none.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "images/credentials.h"
#include "images/digest.h"
#include "images/http.h"

namespace dockerfix::images {

// What went wrong, for a message naming the image: never holds a secret.
class RegistryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RegistryOptions {
  std::vector<std::string> insecure;    // hosts that may use plain HTTP (loopback always may)
  std::filesystem::path docker_config;  // where credentials come from; empty: none
};

struct Manifest {
  std::string media_type;
  std::string digest;  // sha256 of the bytes served
  nlohmann::json json;
  bool is_index() const;
};

// A blob's bytes as they arrive; the digest is checked when all were read.
class BlobReader {
 public:
  BlobReader(std::unique_ptr<HttpStream> stream, std::string digest, std::string what);
  // The next piece; empty at the end. Throws RegistryError on a digest mismatch.
  std::string_view read();

 private:
  std::unique_ptr<HttpStream> stream_;
  Sha256 hash_;
  std::string digest_, what_;
  bool finished_ = false;
};

class Registry {
 public:
  // `host` as a reference writes it: "docker.io", "127.0.0.1:5000".
  Registry(std::string host, RegistryOptions options);

  // By tag or digest. Throws RegistryError.
  Manifest manifest(const std::string& repository, const std::string& reference);
  // The digest a tag has now (HEAD; a GET when the registry sends no digest).
  std::string current_digest(const std::string& repository, const std::string& reference);
  std::string blob(const std::string& repository, const std::string& digest, size_t max_size);
  std::unique_ptr<BlobReader> open_blob(const std::string& repository, const std::string& digest);

 private:
  std::unique_ptr<HttpStream> open(const std::string& method, const std::string& path, const std::string& repository,
                                   const std::vector<std::string>& headers);
  void authenticate(const std::vector<std::string>& challenges, const std::string& repository);
  const std::optional<Credentials>& credentials();
  std::string base();
  std::string describe_failure(const HttpResponse& r, const std::string& what) const;

  std::string host_;      // as written in references
  std::string api_host_;  // where the API is (registry-1.docker.io for docker.io)
  RegistryOptions options_;
  bool insecure_ = false;
  std::string scheme_;  // decided on first use
  std::optional<std::optional<Credentials>> credentials_;
  std::map<std::string, std::string> tokens_;  // by repository
  bool basic_ = false;
};

// The Accept header for manifests: OCI and Docker, indexes and images.
const std::string& manifest_accept();

}  // namespace dockerfix::images
