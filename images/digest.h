// sha256 digests as the OCI specs write them ("sha256:<64 hex>").
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace dockerfix::images {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t size);
  std::string digest();  // "sha256:..."; ends the computation

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_digest(std::string_view data);

// True for "sha256:" followed by 64 lower-case hex digits: a digest that is
// safe to use as a file name and in a URL.
bool valid_digest(std::string_view digest);

}  // namespace dockerfix::images
