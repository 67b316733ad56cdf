// The worker pool behind check, diff and apply (cli/ordered_pool.h): every
// result is handed on once, in input order, on the calling thread, however
// the workers' speeds interleave; an exception comes out at its own turn,
// after every result before it; and no more than two windows of results
// are held at once (one waiting in the slots, one being handed on).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli/ordered_pool.h"

using dockerfix::cli::run_ordered;

namespace {

// Work whose length varies from item to item, so later items often finish
// before earlier ones.
void jitter(size_t i) {
  std::mt19937 rng(static_cast<unsigned>(i * 2654435761u));
  std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300));
}

TEST(OrderedPool, HandsEveryResultOnInOrderOnTheCallingThread) {
  for (unsigned jobs : {1u, 2u, 3u, 8u}) {
    for (size_t n : {0ul, 1ul, 2ul, 7ul, 16ul, 17ul, 300ul}) {
      const auto caller = std::this_thread::get_id();
      std::vector<size_t> order;
      bool off_thread = false;
      run_ordered<std::string>(
          n, jobs,
          [](size_t i) {
            jitter(i);
            return std::to_string(i);
          },
          [&](size_t i, std::string&& r) {
            off_thread = off_thread || std::this_thread::get_id() != caller;
            EXPECT_EQ(r, std::to_string(i));
            order.push_back(i);
          });
      ASSERT_EQ(order.size(), n) << "jobs " << jobs;
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(order[i], i) << "jobs " << jobs << ", n " << n;
      EXPECT_FALSE(off_thread);
    }
  }
}

TEST(OrderedPool, RethrowsAtTheFailingItemsTurn) {
  for (unsigned jobs : {2u, 4u}) {
    std::vector<size_t> order;
    try {
      run_ordered<size_t>(
          100, jobs,
          [](size_t i) {
            jitter(i);
            if (i == 37) throw std::runtime_error("item 37");
            return i;
          },
          [&](size_t i, size_t&&) { order.push_back(i); });
      FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "item 37");
    }
    ASSERT_EQ(order.size(), 37u) << "jobs " << jobs;
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  }
}

TEST(OrderedPool, AnExceptionFromEmitStopsTheWorkers) {
  std::atomic<size_t> started{0};
  EXPECT_THROW(run_ordered<size_t>(
                   10000, 2,
                   [&](size_t i) {
                     ++started;
                     return i;
                   },
                   [](size_t i, size_t&&) {
                     if (i == 5) throw std::runtime_error("emit");
                   }),
               std::runtime_error);
  // Two windows (8 items a worker each) bound how far the workers got past
  // item 5, not the 10,000 items.
  EXPECT_LE(started.load(), 6u + 2 * 16u + 2u);
}

TEST(OrderedPool, AtMostTwoWindowsWait) {
  // A slow caller: results pile up, but no worker starts an item more than
  // two windows ahead of the one being handed on.
  const unsigned jobs = 2;
  const size_t window = 8 * jobs;
  std::atomic<size_t> handed{0};
  std::atomic<size_t> worst{0};
  run_ordered<size_t>(
      200, jobs,
      [&](size_t i) {
        size_t ahead = i - std::min(i, handed.load());
        size_t w = worst.load();
        while (ahead > w && !worst.compare_exchange_weak(w, ahead)) {
        }
        return i;
      },
      [&](size_t i, size_t&&) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        handed = i + 1;
      });
  EXPECT_LE(worst.load(), 2 * window);
  EXPECT_GT(worst.load(), 1u);  // the workers did run ahead
}

}  // namespace
