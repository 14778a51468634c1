// SIGINT and SIGTERM as a clean stop (monitor, drive): the first sets the flag the sweep loop polls (the sweep
// under way ends at its next block, what is done is kept); a second one takes the default action (the stop did
// not come quickly enough for the user). The previous handlers come back when the object goes.
#pragma once
#include <atomic>

namespace tw::cli {

class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  const std::atomic<bool>* flag() const;

 private:
  void (*prev_int_)(int) = nullptr;
  void (*prev_term_)(int) = nullptr;
};

}  // namespace tw::cli
