// The scorer's BaselineView (src/scorer/baseline_view.hpp) over the store's known_cells table (and, for the
// history of a cell, its sweeps and observations).
#pragma once
#include "src/scorer/baseline_view.hpp"
#include "src/store/store.hpp"

namespace tw::store {

// Reads the store at every call (no cache): learned cells and imported OpenCellID cells together.
// find_cell merges every row of the CGI: learned rows (one per ARFCN they were seen on) give the ARFCNs, the
// first/last seen and the position (source "observed"); an OpenCellID row alone gives source "opencellid".
// OpenCellID keeps the MNC as a number (2 vs 3 digits lost), so its rows match an MNC by numeric value;
// learned rows match the MNC string exactly.
// From the learned row seen most often find_cell also gives the BSIC, the recent powers (extra
// "power_recent_dbfs") and the FN clock phase (extra "fn_phase", only when its agreeing observations are at
// least twice its breaks); from an OpenCellID row its range.
class StoreBaselineView : public tw::BaselineView {
 public:
  explicit StoreBaselineView(Store& store) : store_(store) {}
  std::optional<tw::KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override;
  bool operator_known(int mcc, const std::string& mnc) const override;
  std::vector<tw::KnownCell> learned_cells_on(int arfcn) const override;
  // RAT-aware forms (LTE: lac = TAC, ci = ECI; learned LTE rows also give the PCI from params_seen "pci").
  // operator_known_of("GSM", ...) is operator_known (any RAT), other RATs need a row of that RAT.
  std::optional<tw::KnownCell> find_cell_of(const std::string& rat, int mcc, const std::string& mnc, int lac,
                                            int ci) const override;
  bool operator_known_of(const std::string& rat, int mcc, const std::string& mnc) const override;
  std::vector<tw::KnownCell> learned_cells_of(const std::string& rat, int arfcn) const override;
  // Learned rows of the operator whose params_seen "band" holds `band`; sweeps: completed sweeps with an
  // observation in that band.
  tw::OperatorPlan operator_plan(int mcc, const std::string& mnc, const std::string& band) const override;
  // LTE: learned LTE rows of the operator in the band; their EARFCNs and every SIB5 carrier EARFCN they were
  // seen announcing (params_seen "sib5", TS 36.331 6.3.1 InterFreqCarrierFreqList).
  tw::OperatorPlan operator_plan_of(const std::string& rat, int mcc, const std::string& mnc,
                                    const std::string& band) const override;
  std::vector<std::pair<int, std::string>> operators() const override;
  // learned_band_floors (baseline.cpp); learned known_cells rows of the RAT whose params_seen "band" holds it.
  std::optional<tw::LearnedFloor> learned_band_floor(const std::string& sensor_id, const std::string& rat,
                                                     const std::string& band) const override;
  std::vector<tw::KnownCell> learned_cells_in_band(const std::string& rat, const std::string& band) const override;
  // Completed sweeps of the cell's sensor before `before_unix_ms`: those with an observation of its CGI on its
  // ARFCN, and from the first of them on, those with any observation in its band.
  std::optional<tw::CellHistory> cell_history(const CellObservation& cell, std::int64_t before_unix_ms) const override;
  // The transmitter's position (src/locate/cell_positions.hpp) from its positioned observations stored
  // before before_unix_ms - drive_window_ms (those of the current drive are left out).
  std::optional<tw::EstimatedPosition> earlier_position_estimate(const CellObservation& cell,
                                                                 std::int64_t before_unix_ms) const override;
  std::int64_t drive_window_ms = 3600 * 1000;

 protected:
  // Completed sweeps with an observation in `band` ("" = any): operator_plan's evidence. Here counted over
  // the stored observations; a fleet's view (src/fleet/fleet_baseline.hpp) reads its summary instead.
  virtual std::int64_t sweeps_in_band(const std::string& band) const;
  Store& store_;
};

}  // namespace tw::store
