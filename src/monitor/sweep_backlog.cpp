#include "src/monitor/sweep_backlog.hpp"

#include <algorithm>
#include <cstdio>

#include "src/core/log.hpp"

namespace tw::monitor {

namespace {
std::string seconds_text(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g s", s);
  return b;
}
}  // namespace

SweepBacklog::SweepBacklog(store::Store& db, std::size_t capacity, double backoff_initial_s, double backoff_max_s)
    : db_(db), capacity_(std::max<std::size_t>(capacity, 1)), backoff_initial_s_(backoff_initial_s),
      backoff_max_s_(backoff_max_s), backoff_s_(backoff_initial_s) {}

void SweepBacklog::push(PendingSweep p) {
  queue_.push_back(std::move(p));
  while (queue_.size() > capacity_) {
    // The oldest goes; one whose commit is in doubt may be in the database already (then nothing is lost).
    queue_.pop_front();
    ++stats_.dropped;
    log::warn("database: " + std::to_string(queue_.size()) + " sweeps wait for " + db_.name() +
              " (at most " + std::to_string(capacity_) + "): the oldest dropped (" + std::to_string(stats_.dropped) +
              " dropped so far)");
  }
  stats_.most_waiting = std::max(stats_.most_waiting, queue_.size());
  if (lost_)
    log::warn("database: sweep kept in memory until " + db_.name() + " is back (" + std::to_string(queue_.size()) +
              " waiting)");
}

void SweepBacklog::lost(const std::string& why, const char* while_doing) {
  lost_ = true;
  attempts_ = 0;
  backoff_s_ = backoff_initial_s_;
  next_attempt_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(backoff_s_));
  ++stats_.connections_lost;
  log::warn("database: connection to " + db_.name() + " lost " + while_doing + " (" + why +
            "): its transaction rolled back, " + std::to_string(queue_.size()) +
            " sweeps kept in memory; reconnecting in " + seconds_text(backoff_s_) + " (lost " +
            std::to_string(stats_.connections_lost) + " times so far)");
}

void SweepBacklog::drain(const std::function<void(PendingSweep&)>& write) {
  while (!queue_.empty()) {
    if (lost_) {
      const auto now = Clock::now();
      if (now < next_attempt_) return;
      try {
        db_.reconnect();
      } catch (const store::ConnectionLost& e) {
        ++attempts_;
        ++stats_.failed_attempts;
        backoff_s_ = std::min(backoff_s_ * 2.0, backoff_max_s_);
        next_attempt_ = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(backoff_s_));
        log::warn("database: reconnection attempt " + std::to_string(attempts_) + " failed (" + e.what() + "); " +
                  std::to_string(queue_.size()) + " sweeps waiting; next attempt in " + seconds_text(backoff_s_));
        return;
      }
      lost_ = false;
      ++stats_.reconnects;
      log::warn("database: reconnected to " + db_.name() + " after " + std::to_string(attempts_ + 1) +
                " attempts; writing the " + std::to_string(queue_.size()) + " waiting sweeps");
    }
    try {
      write(queue_.front());
    } catch (const store::ConnectionLost& e) {
      if (e.commit_in_doubt()) queue_.front().commit_in_doubt = true;
      lost(e.what(), e.commit_in_doubt() ? "during COMMIT" : "while writing a sweep");
      return;
    }
    queue_.pop_front();
  }
}

}  // namespace tw::monitor
