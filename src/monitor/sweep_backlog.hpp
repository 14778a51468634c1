// Sweeps waiting for the database: a long-running monitor must outlive its PostgreSQL server's restarts. Every
// completed sweep goes into this backlog and is written from it, oldest first, one transaction each. When the
// connection is lost (store::ConnectionLost: the server restarted, crashed or is unreachable) the sweep's
// transaction is rolled back, the sweep stays in the backlog (in memory) and the monitor goes on sweeping;
// after each sweep, once the backoff delay has passed (1 s doubling to 60 s), the store reconnects (its
// prepared statements prepared again on the new session) and the backlog is written. Bounded: beyond
// `capacity` waiting sweeps the oldest is dropped, with a warning, and counted. Every event is one line on
// stderr (log::warn) and counted. With SQLite nothing is ever lost this way: each sweep is written at once as
// before, and any failure still ends the run.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include "src/scorer/observation.hpp"
#include "src/store/store.hpp"

namespace tw::monitor {

struct PendingSweep {
  SweepObservations sweep;
  double stream_s = 0.0, elapsed_s = 0.0;
  // Its COMMIT was sent when the connection went: written or not, the reconnected store is asked first.
  bool commit_in_doubt = false;
  double cpu_s = 0.0;   // CPU of the sweep's analysis (every thread), before it was stored
};

struct BacklogStats {
  std::int64_t connections_lost = 0;   // ConnectionLost while writing a sweep
  std::int64_t reconnects = 0;         // new sessions opened after a loss
  std::int64_t failed_attempts = 0;    // reconnection attempts the server did not answer
  std::int64_t dropped = 0;            // oldest sweeps dropped beyond the capacity
  std::size_t most_waiting = 0;        // the largest backlog seen
};

class SweepBacklog {
 public:
  // 120 sweeps: two hours of outage at a sweep a minute (a full GSM900 sweep of an RTL-SDR takes minutes, so
  // usually longer). A waiting sweep holds each cell's decoded broadcast (its JSON record: 11 kB in memory per
  // cell, measured with mallinfo2 over the simulated city's records), so 50 cells are about 0.55 MB and the
  // backlog stays under about 70 MB, small enough for a Raspberry Pi class sensor.
  static constexpr std::size_t kDefaultCapacity = 120;
  SweepBacklog(store::Store& db, std::size_t capacity, double backoff_initial_s, double backoff_max_s);

  void push(PendingSweep p);
  // Writes the waiting sweeps oldest first with `write` (one transaction each; it must leave no trace of a
  // sweep whose transaction it did not commit), reconnecting first if the connection was lost and the delay
  // has passed. Returns at a lost connection (the sweep stays first in line) or when the backlog is empty.
  // Any other failure propagates (the sweep stays waiting).
  void drain(const std::function<void(PendingSweep&)>& write);
  std::size_t waiting() const { return queue_.size(); }
  bool connected() const { return !lost_; }
  const BacklogStats& stats() const { return stats_; }

 private:
  using Clock = std::chrono::steady_clock;
  void lost(const std::string& why, const char* while_doing);
  store::Store& db_;
  std::size_t capacity_;
  double backoff_initial_s_, backoff_max_s_, backoff_s_;
  std::deque<PendingSweep> queue_;
  bool lost_ = false;
  int attempts_ = 0;                   // of the current outage
  Clock::time_point next_attempt_{};
  BacklogStats stats_;
};

}  // namespace tw::monitor
