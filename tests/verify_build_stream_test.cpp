// The engine's /build progress stream: the image, the layers the build made
// (not those from the cache or the base), and for a failure the step and its
// output, as recorded from Docker 20.10's classic builder.
#include <gtest/gtest.h>

#include <string>

#include "verify/build.h"

namespace dockerfix::verify {
namespace {

const char* kFailed = R"({"stream":"Step 1/3 : FROM debian:bookworm-slim"}
{"stream":"\n"}
{"stream":" ---\u003e 445a5bfc273e\n"}
{"stream":"Step 2/3 : RUN echo hello"}
{"stream":"\n"}
{"stream":" ---\u003e Running in 6956db9c5362\n"}
{"stream":"hello\n"}
{"stream":"Removing intermediate container 6956db9c5362\n"}
{"stream":" ---\u003e 087f96d960f9\n"}
{"stream":"Step 3/3 : RUN echo oops \u003e\u00262 \u0026\u0026 false"}
{"stream":"\n"}
{"stream":" ---\u003e Running in 243903a61a10\n"}
{"stream":"\u001b[91moops\n\u001b[0m"}
{"stream":"Removing intermediate container 243903a61a10\n"}
{"errorDetail":{"code":1,"message":"The command '/bin/sh -c echo oops \u003e\u00262 \u0026\u0026 false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c echo oops \u003e\u00262 \u0026\u0026 false' returned a non-zero code: 1"}
)";

const char* kCached = R"({"stream":"Step 1/3 : FROM debian:bookworm-slim"}
{"stream":"\n"}
{"stream":" ---\u003e 445a5bfc273e\n"}
{"stream":"Step 2/3 : RUN echo hello"}
{"stream":"\n"}
{"stream":" ---\u003e Using cache\n"}
{"stream":" ---\u003e 087f96d960f9\n"}
{"stream":"Step 3/3 : ENV A=1"}
{"stream":"\n"}
{"stream":" ---\u003e Running in d58826a5b835\n"}
{"stream":"Removing intermediate container d58826a5b835\n"}
{"stream":" ---\u003e b3d50dbf53f0\n"}
{"aux":{"ID":"sha256:b3d50dbf53f0625b0f034f58e18f7cde5c1eaddbfddfa79848fe1eb852a12810"}}
{"stream":"Successfully built b3d50dbf53f0\n"}
{"stream":"Successfully tagged bs-test:latest\n"}
)";

// Feeds the text in pieces of `n` bytes, as a socket may deliver it.
BuildResult feed(const std::string& text, size_t n) {
  BuildStream s;
  for (size_t i = 0; i < text.size(); i += n) s.feed(std::string_view(text).substr(i, n));
  s.finish();
  return s.result();
}

TEST(VerifyBuildStream, FailureNamesTheStepItsOutputAndTheError) {
  for (size_t n : {1, 7, 64, 100000}) {
    BuildResult r = feed(kFailed, n);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.failing_step, "Step 3/3 : RUN echo oops >&2 && false");
    ASSERT_EQ(r.log.size(), 1u) << n;
    EXPECT_EQ(r.log[0], "oops");  // without the terminal colours
    EXPECT_EQ(r.error, "The command '/bin/sh -c echo oops >&2 && false' returned a non-zero code: 1");
    // The layer of step 2 is this build's; the base image's is not.
    EXPECT_EQ(r.layers, std::vector<std::string>{"087f96d960f9"});
  }
}

TEST(VerifyBuildStream, SuccessGivesTheImageAndOnlyTheLayersItMade) {
  for (size_t n : {1, 13, 100000}) {
    BuildResult r = feed(kCached, n);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.image_id, "sha256:b3d50dbf53f0625b0f034f58e18f7cde5c1eaddbfddfa79848fe1eb852a12810");
    EXPECT_TRUE(r.failing_step.empty());
    // 087f96d960f9 came from the cache: another build's, not removed by this one.
    EXPECT_EQ(r.layers, std::vector<std::string>{"b3d50dbf53f0"});
  }
}

TEST(VerifyBuildStream, PodmanStepsAndLayers) {
  BuildResult r = feed(
      "{\"stream\":\"STEP 1/2: FROM debian:bookworm-slim\\n\"}\n"
      "{\"stream\":\"STEP 2/2: RUN true\\n\"}\n"
      "{\"stream\":\"--> 0123456789ab\\n\"}\n"
      "{\"aux\":{\"ID\":\"sha256:0123456789ab\"}}\n",
      5);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.layers, std::vector<std::string>{"0123456789ab"});
}

TEST(VerifyBuildStream, AStreamWithoutAnImageIsAFailure) {
  BuildResult r = feed("{\"stream\":\"Step 1/1 : FROM x\"}\n", 100);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace dockerfix::verify
