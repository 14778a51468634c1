// What the scorer needs from the baseline (the store's known cells), as a small interface the store
// implements. Rules that need a baseline do nothing when the scoring context has none. Every query beyond
// find_cell/operator_known has a default that answers "nothing known", so a view that implements only
// those two still compiles and the rules relying on the others stay silent.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/scorer/observation.hpp"

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
  // Added for the rules C1, S1, S3, F2 (filled by views that know them; defaults mean "not known").
  std::optional<int> bsic;              // last BSIC seen (learned)
  std::int64_t n_observations = 0;      // learned observations folded in (about one per sweep)
  std::vector<double> power_recent_dbfs;  // the most recent learned powers (robust statistics: median/MAD)
  std::optional<std::int64_t> fn_phase; // learned FN clock phase (frames, see fn_clock below)
  std::int64_t fn_phase_n = 0;          // observations that agreed with it
  std::optional<double> range_m;        // OpenCellID's range estimate of the cell
  // LTE (learned): the physical cell id it was last seen with (TS 36.211 6.11; lac = TAC, ci = ECI).
  // NR (learned): the PCI of the cell at its GSCN (TS 38.211 7.4.2.1; the store's key, 0..1007).
  std::optional<int> pci;
  // Learned cells: every distinct value of each broadcast parameter seen (store: params_seen; NR: "mib.<field>"
  // for each MIB field but the SFN, src/store/baseline.cpp). Empty object: not known.
  nlohmann::json params_seen = nlohmann::json::object();
};

// The observed plan of one operator in the baseline: the BCCH ARFCNs its learned cells were seen on and the
// ARFCNs their neighbour lists announce, with the evidence behind it (LTE: the EARFCNs of its learned LTE
// cells and the carriers their SIB5 announce).
struct OperatorPlan {
  std::vector<int> arfcns;              // sorted, unique
  std::int64_t cells = 0;               // learned cells (CGI+ARFCN rows) of the operator in the band asked
  std::int64_t sweeps = 0;              // stored sweeps that saw the band
};

// How often a cell appeared in the stored history before `before_unix_ms`: the sweeps that saw it and the
// sweeps that covered its band since it was first seen (SeaGlass's transient-cell test).
struct CellHistory {
  std::int64_t sweeps_seen = 0;
  std::int64_t sweeps_covering = 0;     // sweeps with any cell of the band, from first_seen on
  std::optional<std::int64_t> first_seen_unix_ms;
};

// The noise floor of a band the baseline learned for one sensor (rule J1): its most recent floors, oldest
// first, in dBFS/MHz, and how many it folded in overall.
struct LearnedFloor {
  std::vector<double> recent;
  std::int64_t n = 0;
};

class BaselineView {
 public:
  virtual ~BaselineView() = default;
  // The known cell with this global identity (RAT GSM), if any.
  virtual std::optional<KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const = 0;
  // True when the baseline holds at least one cell of this operator: "not in baseline" is only meaningful
  // for an operator the baseline has learned (or imported).
  virtual bool operator_known(int mcc, const std::string& mnc) const = 0;

  // Learned cells seen on this ARFCN (RAT GSM), one entry per learned identity, whatever their CGI.
  virtual std::vector<KnownCell> learned_cells_on(int /*arfcn*/) const { return {}; }

  // The same three queries for a given RAT ("GSM", "LTE"; for LTE lac = TAC and ci = the 28-bit E-UTRAN
  // cell identity, arfcn = EARFCN): an LTE ECI must never match a GSM CI. The defaults answer GSM with the
  // GSM queries above and know nothing of other RATs.
  virtual std::optional<KnownCell> find_cell_of(const std::string& rat, int mcc, const std::string& mnc, int lac,
                                                int ci) const {
    if (rat != "GSM") return std::nullopt;
    return find_cell(mcc, mnc, lac, ci);
  }
  virtual bool operator_known_of(const std::string& rat, int mcc, const std::string& mnc) const {
    return rat == "GSM" && operator_known(mcc, mnc);
  }
  virtual std::vector<KnownCell> learned_cells_of(const std::string& rat, int arfcn) const {
    if (rat != "GSM") return {};
    return learned_cells_on(arfcn);
  }
  // The operator's observed plan in `band` ("P-GSM900", ...; "" = every band).
  virtual OperatorPlan operator_plan(int /*mcc*/, const std::string& /*mnc*/, const std::string& /*band*/) const {
    return {};
  }
  // The same for a RAT ("GSM": operator_plan; "LTE": EARFCNs of learned LTE cells + their SIB5 carriers).
  virtual OperatorPlan operator_plan_of(const std::string& rat, int mcc, const std::string& mnc,
                                        const std::string& band) const {
    if (rat != "GSM") return {};
    return operator_plan(mcc, mnc, band);
  }
  // The floor learned for this sensor, RAT and band; nullopt: none.
  virtual std::optional<LearnedFloor> learned_band_floor(const std::string& /*sensor_id*/, const std::string& /*rat*/,
                                                         const std::string& /*band*/) const {
    return std::nullopt;
  }
  // Learned cells of this RAT seen in `band` (one per learned identity and channel: arfcns = {its channel},
  // n_observations, last_seen_unix_ms, LTE pci).
  virtual std::vector<KnownCell> learned_cells_in_band(const std::string& /*rat*/, const std::string& /*band*/) const {
    return {};
  }
  // Every operator (MCC, MNC) the baseline holds, learned or imported.
  virtual std::vector<std::pair<int, std::string>> operators() const { return {}; }
  // The transmitter's estimated position from the positioned observations stored before `before_unix_ms`
  // (an earlier drive; src/locate/cell_positions.hpp groups them); nullopt: none or unknown.
  virtual std::optional<EstimatedPosition> earlier_position_estimate(const CellObservation& /*cell*/,
                                                                     std::int64_t /*before_unix_ms*/) const {
    return std::nullopt;
  }
  // The cell's stored history before `before_unix_ms` (its CGI on its ARFCN, its band); nullopt: unknown.
  virtual std::optional<CellHistory> cell_history(const CellObservation& /*cell*/,
                                                  std::int64_t /*before_unix_ms*/) const {
    return std::nullopt;
  }
};

}  // namespace tw
