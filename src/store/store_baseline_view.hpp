// The scorer's BaselineView (src/scorer/baseline_view.hpp) over the store's known_cells table.
#pragma once
#include "src/scorer/baseline_view.hpp"
#include "src/store/store.hpp"

namespace tw::store {

// Reads the store at every call (no cache): learned cells and imported OpenCellID cells together.
// find_cell merges every row of the CGI: learned rows (one per ARFCN they were seen on) give the ARFCNs, the
// first/last seen and the position (source "observed"); an OpenCellID row alone gives source "opencellid".
// OpenCellID keeps the MNC as a number (2 vs 3 digits lost), so its rows match an MNC by numeric value;
// learned rows match the MNC string exactly.
class StoreBaselineView : public tw::BaselineView {
 public:
  explicit StoreBaselineView(Store& store) : store_(store) {}
  std::optional<tw::KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override;
  bool operator_known(int mcc, const std::string& mnc) const override;

 private:
  Store& store_;
};

}  // namespace tw::store
