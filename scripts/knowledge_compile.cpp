// knowledge_compile IN.yaml OUT: reads a base-image knowledge file with the
// reader every run uses (model/knowledge.cpp) and writes what it read in
// compact form (model/knowledge_compact.cpp), for the build to compile in.
// Bad input fails the build with the reader's own message (file and line).
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>

#include "model/knowledge_loader.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: knowledge_compile IN.yaml OUT\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) throw std::runtime_error(std::string(argv[1]) + ": cannot read the base-image knowledge file");
    std::stringstream text;
    text << in.rdbuf();
    // The built-in knowledge is the one other files fall back on: no defaults.
    const auto knowledge = dockerfix::model::read_knowledge(text.str(), argv[1], {});
    const std::string compact = dockerfix::model::to_compact(knowledge);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out.write(compact.data(), static_cast<std::streamsize>(compact.size()));
    out.close();
    if (!out) throw std::runtime_error(std::string(argv[2]) + ": cannot write");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "knowledge_compile: %s\n", e.what());
    return 2;
  }
  return 0;
}
