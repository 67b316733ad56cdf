#include "cli/file_pipeline.h"

#include <fmt/core.h>

#include "cli/input_check.h"

namespace dockerfix::cli {

bool FilePipeline::read(const std::string& path, const std::string& bytes, FileOutcome& out) const {
  if (auto refused = refuse_input(path, bytes, s_.max_size)) {
    out.error = *refused;
    return false;
  }
  // What BuildKit would refuse is reported, never rewritten.
  Dockerfile file = parse(bytes, path);
  for (const auto& d : file.diagnostics)
    if (d.severity == Severity::Error) {
      out.error = fmt::format("{}:{}:{}: {} ({})", path, d.line, d.column, d.message, d.code);
      return false;
    }
  out.file = std::move(file);
  return true;
}

fix::Options FilePipeline::options_for(const std::optional<std::filesystem::path>& context) const {
  fix::Options po = s_.options;
  if (context && !po.model.context) po.model.context = *context;  // --context wins over the file's directory
  return po;
}

FileOutcome FilePipeline::check(const std::string& path, const std::string& bytes,
                                const std::optional<std::filesystem::path>& context, bool count_more_unsafe) const {
  FileOutcome out;
  if (!read(path, bytes, out)) return out;
  out.review = fix::review(*out.file, s_.kb, options_for(context), s_.selection, s_.scope, count_more_unsafe);
  out.fixed = out.review.fixed;
  return out;
}

FileOutcome FilePipeline::fix(const std::string& path, const std::string& bytes,
                              const std::optional<std::filesystem::path>& context) const {
  FileOutcome out;
  if (!read(path, bytes, out)) return out;
  const fix::Options po = options_for(context);
  if (!verify_) {
    out.fixed = fix::fix(*out.file, s_.kb, po, s_.selection, s_.scope);
    return out;
  }
  // The verifier fixes the file itself (once, with the unsafe fixes as
  // candidates) and keeps what proves: no fix here that it would redo.
  out.proof = verify_(VerifyInput{path, bytes, po, context});
  if (!out.proof->error.empty()) {
    out.error = fmt::format("{}: cannot verify: {}", path, out.proof->error);
    return out;
  }
  out.fixed = out.proof->kept;
  return out;
}

}  // namespace dockerfix::cli
