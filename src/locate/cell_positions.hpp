// Every cell's transmitter position from the positioned observations of a drive (or of several sweeps):
// the observations are grouped by transmitter, each group goes to the locator (locate.hpp), and the
// cell records get "position_estimate": {"lat","lon","radius_m","points","places","method"[,"reason"]
// [,"path_loss_exponent","p0_db","residual_db"]} when their transmitter has at least min_points positioned
// observations.
//
// Transmitter key: RAT, channel and the physical identity the air interface gives it: "GSM:<arfcn>:<bsic>",
// "LTE:<earfcn>:<pci>" (a cloned CGI on another carrier is another transmitter; a cell whose BSIC/PCI was
// not decoded is keyed by its channel alone). Observation level: power_dbm when every observation of the
// transmitter has one, else power_dbfs (GSM) / RSRP in dBFS (LTE) - only level differences matter to the fit.
// Position accuracy: the record's "position_accuracy_m" (from the GPS fix) when present, else unknown.
#pragma once
#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/locate/locate.hpp"
#include "src/scorer/observation.hpp"

namespace tw::locate {

struct CellPositionOptions {
  int min_points = 5;       // positioned observations a transmitter needs for an estimate
  LocateOptions locate;
};

std::string transmitter_key(const CellObservation& o);
std::string transmitter_key(const nlohmann::json& cell_record);

// Observations in time order (the locator's residual correlation uses it); unpositioned ones are skipped.
std::map<std::string, PositionEstimate> estimate_positions(std::span<const CellObservation> observations,
                                                           const CellPositionOptions& options = {});

nlohmann::json to_json(const PositionEstimate& e);

// Adds "position_estimate" to every record whose transmitter has one (replacing an older one). Returns how
// many records got one.
std::size_t attach_position_estimates(std::vector<nlohmann::json>& records,
                                      const std::map<std::string, PositionEstimate>& estimates);

}  // namespace tw::locate
