// How a rule folder's rule.cpp ends. Each file defines its RuleInfo as
// `kInfo` (in an unnamed namespace) and then one of:
//
//   DOCKERFIX_RULE_INFO(my_rule)            a rule that is one function (SimpleRule
//                                           below) or has no Rule at all (k8s-*)
//   DOCKERFIX_RULE_CLASS(MyRule, my_rule)   a rule class whose info() is kInfo
//
// which defines rules::my_rule(), the function registry.cpp's X(my_rule)
// line reaches kInfo through. One-function rules make their Rule with
//   .make = make_rule<rules::my_rule, check>
// (rules::my_rule declared before kInfo), class rules with
//   .make = make_instance<MyRule>.
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

template <class R>
std::unique_ptr<Rule> make_instance() {
  return std::make_unique<R>();
}

}  // namespace dockerfix::fix

// Used in namespace dockerfix::fix, after the unnamed namespace holding kInfo.
#define DOCKERFIX_RULE_INFO(id)          \
  namespace rules {                      \
  const RuleInfo& id() { return kInfo; } \
  }

#define DOCKERFIX_RULE_CLASS(Class, id)                   \
  const RuleInfo& Class::info() const { return kInfo; } \
  DOCKERFIX_RULE_INFO(id)
