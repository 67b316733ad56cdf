// Most rules are one function from the file and its model to findings; this
// makes that function a Rule, so a rule folder holds only its check and its
// RuleInfo:
//
//   namespace rules { const RuleInfo& my_rule(); }
//   constexpr RuleInfo kInfo{..., .make = make_rule<rules::my_rule, check>, ...};
//   namespace rules { const RuleInfo& my_rule() { return kInfo; } }
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "dockerfix/fix.h"
#include "dockerfix/rule_info.h"

namespace dockerfix::fix {

using CheckFn = std::vector<Finding> (*)(const Context& ctx, std::string_view id);

class SimpleRule : public Rule {
 public:
  SimpleRule(const RuleInfo& info, CheckFn check) : info_(info), check_(check) {}
  const RuleInfo& info() const override { return info_; }
  std::vector<Finding> check(const Context& ctx) const override { return check_(ctx, info_.id); }

 private:
  const RuleInfo& info_;
  CheckFn check_;
};

template <const RuleInfo& (*Info)(), CheckFn Check>
std::unique_ptr<Rule> make_rule() {
  return std::make_unique<SimpleRule>(Info(), Check);
}

}  // namespace dockerfix::fix
