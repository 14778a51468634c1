// What the scorer needs from the baseline (the store's known cells), as a small interface the store
// implements. Rules that need a baseline do nothing when the scoring context has none.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tw {

// One cell of the baseline: learned from stored sweeps ("observed") or imported ("opencellid").
struct KnownCell {
  std::string rat = "GSM";
  int mcc = 0;
  std::string mnc;                      // keeps 2 vs 3 digits, as CellObservation::mnc
  int lac = 0;
  int ci = 0;
  std::vector<int> arfcns;              // every ARFCN it was seen on (empty for imported cells)
  std::int64_t first_seen_unix_ms = 0;
  std::int64_t last_seen_unix_ms = 0;
  std::optional<double> lat, lon;
  std::string source;                   // "observed" | "opencellid"
};

class BaselineView {
 public:
  virtual ~BaselineView() = default;
  // The known cell with this global identity (RAT GSM), if any.
  virtual std::optional<KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const = 0;
  // True when the baseline holds at least one cell of this operator: "not in baseline" is only meaningful
  // for an operator the baseline has learned (or imported).
  virtual bool operator_known(int mcc, const std::string& mnc) const = 0;
};

}  // namespace tw
