// The built-in knowledge (data/base-images.yaml, read at build time and
// compiled in in compact form) and the knowledge files read on top of it.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "dockerfix/model.h"
#include "model/knowledge_loader.h"

namespace dockerfix::model {

namespace {

// Decoded once, on first use: its entries and its families' capabilities,
// which every other knowledge file falls back on.
const Knowledge& builtin_knowledge() {
  static const Knowledge k = from_compact(builtin_knowledge_compact());
  return k;
}

}  // namespace

void fill_capabilities(ImageFacts& facts) { fill_capabilities(facts, builtin_knowledge().families); }

KnowledgeBase KnowledgeBase::from_yaml(const std::string& text, const std::string& origin) {
  return read_knowledge(text, origin, builtin_knowledge().families).base;
}

KnowledgeBase KnowledgeBase::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the base-image knowledge file");
  std::stringstream ss;
  ss << in.rdbuf();
  return from_yaml(ss.str(), path.string());
}

const KnowledgeBase& KnowledgeBase::builtin() {
  static const KnowledgeBase kb = [] {
    if (const char* env = std::getenv("DOCKERFIX_DATA_DIR"); env && *env) return from_file(std::filesystem::path(env) / "base-images.yaml");
    return builtin_knowledge().base;
  }();
  return kb;
}

}  // namespace dockerfix::model
