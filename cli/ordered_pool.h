// Files are independent: a few threads work on them while the calling thread
// hands the results on in input order, a run at a time as they and every
// result before them are done. At most two windows of results are held at
// a time (one in the slots, one being handed on), so memory does not grow
// with the number of inputs, and output streams as files finish.
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

// The worker count for `--jobs N`: N, or one per core for 0 (the default).
inline unsigned workers_for(unsigned jobs) { return jobs ? jobs : std::max(1u, std::thread::hardware_concurrency()); }

// Calls work(i) for every i in [0, n) on `jobs` threads (on the calling
// thread alone when jobs <= 1) and emit(i, result) on the calling thread in
// order of i. Workers block every signal, so handlers (apply's temporary
// file cleanup) run on the calling thread, the one that writes. An exception
// from work(i) is rethrown by the calling thread when i's turn comes.
//
// The calling thread sleeps while results are made and is woken for a run
// of them (half the window, or all that is left, or a full window), not for
// each: with as many workers as cores, a wake-up per file cost a context
// switch per file (a third of the run's system time on the corpus).
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
  size_t next = 0, emitted = 0;  // the first index not claimed, and not handed on
  bool stop = false, caller_waits = false;
  size_t workers_wait = 0;

  // Under the lock: whether the caller, waiting, has enough to hand on.
  auto run_is_due = [&] {
    if (!slots[emitted % window].ready) return false;
    if (next >= n || next >= emitted + window) return true;  // nothing more can start before it runs
    size_t run = 0;
    while (run < next - emitted && slots[(emitted + run) % window].ready) ++run;
    return run >= window / 2;
  };
  auto worker = [&] {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mutex);
        while (!(stop || next >= n || next < emitted + window)) {
          ++workers_wait;
          room.wait(lock);
          --workers_wait;
        }
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
      bool wake;
      {
        std::lock_guard lock(mutex);
        slots[i % window] = std::move(done);
        wake = caller_waits && run_is_due();
      }
      if (wake) ready.notify_one();
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
    std::vector<Slot> run;
    run.reserve(window);
    for (size_t i = 0; i < n;) {
      bool wake_workers;
      {
        std::unique_lock lock(mutex);
        caller_waits = true;
        ready.wait(lock, [&] { return slots[i % window].ready; });
        caller_waits = false;
        // Every result ready in order is taken at once.
        for (size_t k = i; k < next && slots[k % window].ready; ++k) {
          run.push_back(std::move(slots[k % window]));
          slots[k % window] = Slot{};
        }
        emitted = i + run.size();
        wake_workers = workers_wait > 0;
      }
      if (wake_workers) room.notify_all();
      for (auto& slot : run) {
        if (slot.error) std::rethrow_exception(slot.error);
        emit(i++, std::move(*slot.result));
      }
      run.clear();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace dockerfix::cli
