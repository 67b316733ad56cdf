// libFuzzer entry point: parse any bytes, check the lossless invariants of the
// tree (tokens contiguous, in order, covering the input; instructions within
// the tokens) and abort() unless print(parse(x)) == x.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dockerfix/json.h"
#include "dockerfix/syntax.h"

namespace {

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "parse_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const dockerfix::Dockerfile file = dockerfix::parse(input, "fuzz");

  uint32_t at = 0;
  for (const dockerfix::Token& token : file.tokens) {
    if (token.span.begin != at || token.span.end < token.span.begin) {
      fail("tokens are not contiguous", size);
    }
    at = token.span.end;
  }
  if (at != size) fail("tokens do not cover the input", size);
  for (const dockerfix::Instruction& instruction : file.instructions) {
    if (instruction.first_token > instruction.end_token ||
        instruction.end_token > file.tokens.size() || instruction.span.end > size ||
        instruction.span.begin > instruction.span.end) {
      fail("instruction outside the tree", size);
    }
  }
  if (dockerfix::print(file) != input) fail("print(parse(x)) != x", size);

  // The JSON view must not crash on any tree either.
  const nlohmann::json json = dockerfix::to_json(file);
  (void)json;
  return 0;
}
