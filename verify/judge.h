// Whether an image with fixes behaves as the original does, as far as the
// fixes may change it: the build, the exit behaviour, the user and health.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "verify/prove.h"

namespace dockerfix::verify {

// What the fixed image must run as.
struct Expectation {
  std::optional<uint32_t> uid;  // exactly this uid
  bool nonroot = false;         // any uid but 0
  std::string who;              // for messages: "agent (uid 1000)", "the original's uid 1000"
};

// From the build models of the original and the fixed text, and the uid the
// original was seen running as.
Expectation expect_user(const model::EffectiveUser& before, const model::EffectiveUser& after,
                        const std::optional<ImageReport>& original);

struct Judgement {
  Verdict verdict = Verdict::Proven;
  std::string reason;
  std::vector<std::string> log;
  bool health = false;  // it is the HEALTHCHECK that failed
};

Judgement judge(const std::optional<ImageReport>& original, const ImageReport& fixed, const Expectation& expect);

// "built in 12 s; ran as uid 1000; still running after 10 s; healthy after 2 s"
std::string describe(const ImageReport& image);

}  // namespace dockerfix::verify
