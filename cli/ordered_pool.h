// Files are independent: a few threads work on them while the calling thread
// hands each result on in input order, as soon as it and every result before
// it are done. At most `window` results wait at a time, so memory does not
// grow with the number of inputs, and output streams as files finish.
#pragma once

#include <pthread.h>
#include <signal.h>


#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dockerfix::cli {

// The worker count `--jobs 0` means: one per core.
inline unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

// Calls work(i) for every i in [0, n) on `jobs` threads (on the calling
// thread alone when jobs <= 1) and emit(i, result) on the calling thread in
// order of i. Workers block every signal, so handlers (apply's temporary
// file cleanup) run on the calling thread, the one that writes. An exception
// from work(i) is rethrown by the calling thread when i's turn comes.
template <class Result>
void run_ordered(size_t n, unsigned jobs, const std::function<Result(size_t)>& work,
                 const std::function<void(size_t, Result&&)>& emit) {
  if (jobs <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) emit(i, work(i));
    return;
  }
  const size_t window = 8 * static_cast<size_t>(jobs);
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr error;
    bool ready = false;
  };
  std::vector<Slot> slots(window);
  std::mutex mutex;
  std::condition_variable ready, room;
  size_t next = 0, emitted = 0;
  bool stop = false;

  auto worker = [&] {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return stop || next >= n || next < emitted + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      Slot done;
      try {
        done.result.emplace(work(i));
      } catch (...) {
        done.error = std::current_exception();
      }
      done.ready = true;
      {
        std::lock_guard lock(mutex);
        slots[i % window] = std::move(done);
      }
      ready.notify_one();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  auto finish = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    room.notify_all();
    for (auto& t : threads) t.join();
  };
  try {
    for (size_t i = 0; i < n; ++i) {
      Slot slot;
      {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return slots[i % window].ready; });
        slot = std::move(slots[i % window]);
        slots[i % window] = Slot{};
        emitted = i + 1;
      }
      room.notify_all();
      if (slot.error) std::rethrow_exception(slot.error);
      emit(i, std::move(*slot.result));
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace dockerfix::cli
