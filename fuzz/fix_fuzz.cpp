// libFuzzer entry point for the fix engine: any input BuildKit would accept
// (dockerfix refuses the rest, as apply does) goes through check and apply
// with every rule; abort() if the fixed text parses with errors or a second
// apply changes it. Seeded from a sample of the corpus by scripts/fuzz.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dockerfix/fix.h"
#include "dockerfix/syntax.h"

namespace {

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "fix_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dockerfix;
  const std::string input(reinterpret_cast<const char*>(data), size);
  Dockerfile file = parse(input, "Dockerfile");
  if (file.has_errors()) return 0;
  const auto& kb = model::KnowledgeBase::builtin();
  const fix::Options options;
  const fix::Selection all;
  (void)fix::check(file, kb, options, all);
  fix::FixResult first = fix::fix(std::move(file), kb, options, all);
  if (first.text == input) return 0;
  if (parse(first.text, "Dockerfile").has_errors()) fail("the fixed text has parse errors", size);
  fix::FixResult second = fix::fix(first.text, "Dockerfile", kb, options, all);
  if (second.text != first.text) {
    std::fprintf(stderr, "--- first apply\n%s\n--- second apply\n%s\n", first.text.c_str(), second.text.c_str());
    fail("a second apply changed the fixed text", size);
  }
  return 0;
}
