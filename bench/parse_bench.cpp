// The per-file stages over every file of the corpus (all regular files under
// DOCKERFIX_CORPUS_DIR except README.md, MANIFEST.tsv and *.jsonl), read into
// memory once: parse, parse + print, model (analyze), check (every rule's
// findings), review (what `dockerfix check` does: findings and the fixes apply
// would make) and fix (what apply does), then each rule's share of check. Each
// stage after parsing starts from files parsed beforehand, so it times that
// stage alone. Reports bytes/s and files/s (items).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "dockerfix/fix.h"
#include "dockerfix/syntax.h"

namespace {
namespace fs = std::filesystem;

struct Corpus {
  std::vector<std::string> files;
  int64_t bytes = 0;
};

std::string corpus_dir() {
  if (const char* env = std::getenv("DOCKERFIX_CORPUS_DIR"); env && *env) return env;
  return DOCKERFIX_CORPUS_DIR;
}

const Corpus& corpus() {
  static const Corpus loaded = [] {
    Corpus c;
    std::vector<fs::path> paths;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(corpus_dir(), ec), end; !ec && it != end;
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const fs::path& p = it->path();
      std::string name = p.filename().string();
      if (name == "README.md" || name == "MANIFEST.tsv" || p.extension() == ".jsonl") continue;
      paths.push_back(p);
    }
    if (ec || paths.empty()) {
      std::fprintf(stderr, "dockerfix_bench: no corpus at %s (set DOCKERFIX_CORPUS_DIR)\n",
                   corpus_dir().c_str());
      std::exit(2);
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& p : paths) {
      std::ifstream in(p, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      c.bytes += static_cast<int64_t>(bytes.size());
      c.files.push_back(std::move(bytes));
    }
    return c;
  }();
  return loaded;
}

void report(benchmark::State& state, const Corpus& c) {
  state.SetBytesProcessed(state.iterations() * c.bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c.files.size()));
  state.counters["files"] = static_cast<double>(c.files.size());
}

// parse() takes its buffer by value: the copy of each file is part of the
// measured work, as it is for a caller that reads into a fresh string.
void BM_Parse(benchmark::State& state) {
  const Corpus& c = corpus();
  for (auto _ : state) {
    for (const std::string& text : c.files) {
      dockerfix::Dockerfile file = dockerfix::parse(text);
      benchmark::DoNotOptimize(file.tokens.data());
    }
  }
  report(state, c);
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

void BM_ParsePrint(benchmark::State& state) {
  const Corpus& c = corpus();
  for (auto _ : state) {
    for (const std::string& text : c.files) {
      dockerfix::Dockerfile file = dockerfix::parse(text);
      std::string printed = dockerfix::print(file);
      benchmark::DoNotOptimize(printed.data());
    }
  }
  report(state, c);
}
BENCHMARK(BM_ParsePrint)->Unit(benchmark::kMillisecond);

// The corpus parsed once; files BuildKit refuses are left out, as the CLI
// stops at them before the model.
const std::vector<dockerfix::Dockerfile>& parsed() {
  static const std::vector<dockerfix::Dockerfile> files = [] {
    std::vector<dockerfix::Dockerfile> out;
    for (const std::string& text : corpus().files) {
      dockerfix::Dockerfile f = dockerfix::parse(text);
      if (std::none_of(f.diagnostics.begin(), f.diagnostics.end(),
                       [](const dockerfix::Diagnostic& d) { return d.severity == dockerfix::Severity::Error; }))
        out.push_back(std::move(f));
    }
    return out;
  }();
  return files;
}

template <class Stage>
void over_parsed(benchmark::State& state, Stage stage) {
  const auto& files = parsed();
  const auto& kb = dockerfix::model::KnowledgeBase::builtin();
  const dockerfix::fix::Options options;
  const dockerfix::fix::Selection selection;
  int64_t bytes = 0;
  for (const auto& f : files) bytes += static_cast<int64_t>(f.source.size());
  for (auto _ : state)
    for (const auto& f : files) stage(f, kb, options, selection);
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
  state.counters["files"] = static_cast<double>(files.size());
}

void BM_Model(benchmark::State& state) {
  over_parsed(state, [](const auto& f, const auto& kb, const auto& o, const auto&) {
    auto m = dockerfix::model::analyze(f, kb, o.model);
    benchmark::DoNotOptimize(&m);
  });
}
BENCHMARK(BM_Model)->Unit(benchmark::kMillisecond);

void BM_Check(benchmark::State& state) {
  over_parsed(state, [](const auto& f, const auto& kb, const auto& o, const auto& sel) {
    auto found = dockerfix::fix::check(f, kb, o, sel);
    benchmark::DoNotOptimize(found.data());
  });
}
BENCHMARK(BM_Check)->Unit(benchmark::kMillisecond);

void BM_Review(benchmark::State& state) {
  over_parsed(state, [](const auto& f, const auto& kb, const auto& o, const auto& sel) {
    auto r = dockerfix::fix::review(f, kb, o, sel);
    benchmark::DoNotOptimize(r.findings.data());
  });
}
BENCHMARK(BM_Review)->Unit(benchmark::kMillisecond);

void BM_Fix(benchmark::State& state) {
  over_parsed(state, [](const auto& f, const auto& kb, const auto& o, const auto& sel) {
    auto r = dockerfix::fix::fix(f, kb, o, sel);
    benchmark::DoNotOptimize(r.text.data());
  });
}
BENCHMARK(BM_Fix)->Unit(benchmark::kMillisecond);

// Every corpus file analysed once, for the per-rule timings.
struct Analysed {
  const dockerfix::Dockerfile* file;
  dockerfix::model::BuildModel model;
  dockerfix::fix::Style style;
};
std::vector<Analysed>& analysed() {
  static std::vector<Analysed> out = [] {
    std::vector<Analysed> v;
    const auto& kb = dockerfix::model::KnowledgeBase::builtin();
    for (const auto& f : parsed())
      v.push_back({&f, dockerfix::model::analyze(f, kb, dockerfix::fix::Options{}.model), dockerfix::fix::style_of(f)});
    return v;
  }();
  return out;
}

// Each rule's share of check: every file, and on it every rule in the
// engine's order, each timed alone (a file's model stays in cache, as in a
// real run; timing rules one at a time over the whole corpus would measure
// cache misses). What rules derive from a model (run steps, runtime facts)
// is dropped before each file, so a rule that derives something first pays
// for it, as the first rule to ask does in the engine. Counters: milliseconds
// per pass over the corpus, by rule id.
void BM_Rules(benchmark::State& state) {
  using clock = std::chrono::steady_clock;
  auto& files = analysed();
  const auto& rules = dockerfix::fix::registry();
  const dockerfix::fix::Options options;
  std::vector<clock::duration> spent(rules.size());
  for (auto _ : state)
    for (auto& a : files) {
      a.model.derived = {};
      const dockerfix::fix::Context ctx{*a.file, a.model, options, a.style};
      for (size_t i = 0; i < rules.size(); ++i) {
        auto t = clock::now();
        auto found = rules[i]->check(ctx);
        spent[i] += clock::now() - t;
        benchmark::DoNotOptimize(found.data());
      }
    }
  for (size_t i = 0; i < rules.size(); ++i)
    state.counters[std::string(rules[i]->id())] =
        std::chrono::duration<double, std::milli>(spent[i]).count() / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
}
BENCHMARK(BM_Rules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
