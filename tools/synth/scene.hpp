// Scenes: JSON files (or built-in names) -> Scene. Strict: an unknown key or a bad value is a tw::InputError
// naming the file and the key path, e.g. "scene.json: cells[1].bsic: 64 is out of range 0..63".
//
// Top level: name, seed, noise_dbfs, receiver_ppm, dc_offset_dbfs, iq_gain_imbalance_db,
// iq_phase_imbalance_deg, cells (array). A cell accepts every CellConfig field by its name; "mnc" may be a
// number or a string of 2 or 3 digits ("01", "001", which also sets mnc_digits); "band" is a band name
// ("PGSM900", "EGSM900", "RGSM900", "GSM850", "GSM450", "GSM480", "DCS1800", "PCS1900"), derived from the
// ARFCN when absent; "si2quater" and "traffic" are objects with their struct's fields ("si2quater" given
// without "present" means present). Giving cbq, cro, temporary_offset or penalty_time turns
// selection_parameters on unless it is given too.
//
// "lte_cells" (array, beside "cells"; a scene needs at least one of the two) holds LTE cells with every
// lte::LteCellConfig field by its name (tools/synth/lte/lte_cell_config.hpp); "cp" is "normal"|"extended",
// "duplex" "FDD"|"TDD", "phich_duration" "normal"|"extended"; a cell needs "earfcn" or "freq_hz". Scene
// (cell_config.hpp) holds only the GSM cells: the *_with_lte functions return both.
// "nr_cells" (array) holds NR cells (their SS/PBCH blocks) with every nr::NrCellConfig field by its name
// (tools/synth/nr/nr_cell_config.hpp); a cell needs "gscn" or "ss_ref_hz".
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/synth/cell_config.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"
#include "tools/synth/nr/nr_cell_config.hpp"

namespace tw::synth {

// A scene with its LTE cells.
struct SceneWithLte {
  Scene scene;
  std::vector<lte::LteCellConfig> lte_cells;
  std::vector<nr::NrCellConfig> nr_cells;   // "nr_cells": SS/PBCH blocks (tools/synth/nr/nr_cell_config.hpp)
};

// A built-in name ("single", "city", "city-with-rogue", "multiband", "drive", "lte", "lte-weak", "nr") or a path to a JSON
// file. load_scene / parse_scene / builtin_scene return the GSM part only (LTE cells are checked, then left
// out with a warning).
Scene load_scene(const std::string& name_or_path);
SceneWithLte load_scene_with_lte(const std::string& name_or_path);
SceneWithLte parse_scene_with_lte(const nlohmann::json& doc, const std::string& source);
SceneWithLte parse_scene_with_lte_text(const std::string& text, const std::string& source);
SceneWithLte builtin_scene_with_lte(const std::string& name);
// Parses a scene document; `source` names it in errors (the file name).
Scene parse_scene(const nlohmann::json& doc, const std::string& source);
Scene parse_scene_text(const std::string& text, const std::string& source);
const std::vector<std::string>& builtin_scene_names();
// The receiver track of the built-in "drive" scene: its 5.2 km route driven at speed_mps, a point every
// step_s seconds (t from 0), for the simulated radio's track= (write it as CSV t_seconds,lat,lon).
std::vector<TrackPoint> drive_route(double speed_mps = 10.0, double step_s = 1.0);
Scene builtin_scene(const std::string& name);   // throws tw::InputError for an unknown name

// A centre frequency that shows the scene at `sample_rate_hz`: the middle of the cells' carriers, or, when
// they do not all fit (rate/2 - 100 kHz either side), the middle of the largest group that does; rounded to
// 1 kHz. Throws tw::InputError for a scene without cells.
double scene_center_freq_hz(const Scene& scene, double sample_rate_hz);
// The same over the GSM and the LTE carriers (an LTE carrier counts as its centre frequency).
double scene_center_freq_hz(const SceneWithLte& scene, double sample_rate_hz);

// The JSON form of a cell / scene with every field; parse_scene reads it back. with_frequency adds
// "frequency_hz" (the ARFCN's downlink carrier) for the truth file (parse_scene rejects that key).
nlohmann::json cell_to_json(const CellConfig& cell, bool with_frequency = true);
nlohmann::json scene_to_json(const Scene& scene);
// An LTE cell's JSON form (with_frequency adds "frequency_hz", rejected by the parser); the scene with
// "lte_cells" (only when it has some).
nlohmann::json lte_cell_to_json(const lte::LteCellConfig& cell, bool with_frequency = true);
nlohmann::json scene_to_json(const SceneWithLte& scene);

}  // namespace tw::synth
